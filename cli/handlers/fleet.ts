// The bodies of `gmail-oauth fleet FILE`, `check-token --tokens DIR|LIST` and `validate --all`, kept out of cli/ so
// --help never loads them. Each resolves every input first (exit 2 names the field), then runs the jobs side by side.
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import type { CliIo } from "../../common/io";
import { InputError, InputErrors } from "../../common/errors";
import { ENV } from "../../common/env";
import { DEFAULT_TIMEOUT_SECONDS, loadDeclaredSpec, resolveInput } from "../../validator/inputs";
import type { FleetChecks, ValidateFlags } from "../../validator/options";
import { readStoredToken } from "../../validator/token/tokenFile";
import { summarize, type CheckResult, type ValidationInput } from "../../validator/types";
import { parseFleetFile } from "../../validator/fleet/fleetFile";
import {
  checkedOnce,
  relocate,
  resolveFleet,
  runJob,
  tokenClientProblem,
  type FleetJob,
  type PendingJob,
} from "../../validator/fleet/jobs";
import { FLEET_FORMATS, type FleetFormat } from "../../validator/fleet/output";
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY, runOrdered } from "../../validator/fleet/pool";
import { runFleet } from "../../validator/fleet/runFleet";
import { listTokenSources } from "../../validator/fleet/tokens";
import { readWarnBefore } from "../../validator/token/forecast";
import { checkMetricsTarget, metricsRow, writeCombinedOutput, type MetricsRow } from "../../validator/metrics";
import { readRateLimits } from "../../validator/rateLimit";
import {
  declaredServiceAccounts,
  namesServiceAccount,
  resolveDeclaredServiceAccount,
} from "../../validator/serviceAccount/serviceAccountInputs";
import { inSection } from "../../validator/sections";
import { checkWritableTarget } from "../../common/files";

export interface FleetOutputFlags {
  readonly output?: string;
  readonly resume?: boolean;
  readonly warnBefore?: string;
  readonly rateLimit?: string;
  readonly metricsFile?: string;
  readonly concurrency?: number;
  readonly format?: string;
  readonly json?: boolean;
}

export function checkedConcurrency(value: number | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  if (!Number.isInteger(value) || value < 1 || value > MAX_CONCURRENCY) {
    throw new InputError(
      "--concurrency",
      `'${value}' is not a whole number from 1 to ${MAX_CONCURRENCY}`,
      `e.g. --concurrency ${DEFAULT_CONCURRENCY} (the default; see docs/fleet.md on Google's quotas)`,
    );
  }
  return value;
}

export function checkedFormat(flags: FleetOutputFlags): FleetFormat {
  if (flags.format === undefined) return flags.json ? "json" : "text";
  if (!(FLEET_FORMATS as readonly string[]).includes(flags.format))
    throw new InputError(
      "--format",
      `'${flags.format}' is not one of ${FLEET_FORMATS.join(", ")}`,
      `use --format ${FLEET_FORMATS.join(", ")}`,
    );
  if (flags.json && flags.format !== "json")
    throw new InputError("--json", `contradicts --format ${flags.format}`, "keep one of them");
  return flags.format as FleetFormat;
}

/** --format for one validate / check-token run: junit is a fleet's (one testsuite per connection). */
export function checkedSingleFormat(flags: FleetOutputFlags): "text" | "json" | "openmetrics" {
  const format = checkedFormat(flags);
  if (format === "junit" || format === "jsonl")
    throw new InputError(
      "--format",
      `${format} applies to many connections`,
      `use \`fleet\` or --tokens for ${format}`,
    );
  return format;
}

/** --output FILE and --resume: resuming reads the JSON lines a previous run wrote to FILE. */
async function checkedOutput(flags: FleetOutputFlags, format: FleetFormat, cwd: string) {
  if (flags.resume && (flags.output === undefined || format !== "jsonl"))
    throw new InputError(
      "--resume",
      "needs the JSON lines file of the run to resume",
      "run with --format jsonl --output FILE, and the same flags again with --resume",
    );
  const output = flags.output === undefined ? undefined : await checkWritableTarget("--output", flags.output, cwd);
  return { output, resume: flags.resume === true };
}

/** The run options `fleet` and `check-token --tokens` share, each checked before any connection is read. */
async function fleetRunSettings(flags: FleetOutputFlags, cwd: string) {
  return {
    concurrency: checkedConcurrency(flags.concurrency),
    format: checkedFormat(flags),
    warnBeforeMs: readWarnBefore(flags.warnBefore),
    rateLimits: readRateLimits(flags.rateLimit),
    metricsFile: flags.metricsFile === undefined ? undefined : await checkMetricsTarget(flags.metricsFile, cwd),
  };
}

export interface FleetArgs extends FleetOutputFlags {
  readonly file: string;
  readonly checks?: FleetChecks;
}

/** FILE's connections, each checked; a function of its own so that the file's text is let go before the run. */
async function readFleet(file: string, checks: FleetChecks, io: CliIo): Promise<PendingJob[]> {
  const full = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(full, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      file,
      code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a directory" : "cannot be read",
      "pass the path of a fleet file (YAML or JSON, see docs/fleet.md)",
    );
  }
  const entries = parseFleetFile(text, file);
  return resolveFleet(entries, checks, io.env, path.dirname(full));
}

/** `gmail-oauth fleet FILE`. Paths inside FILE are relative to FILE's directory. */
export async function runFleetCommand(argv: FleetArgs, io: CliIo): Promise<number> {
  const settings = await fleetRunSettings(argv, io.cwd);
  const jobs = await readFleet(argv.file, argv.checks ?? "all", io);
  return runFleet(jobs, { ...settings, ...(await checkedOutput(argv, settings.format, io.cwd)) }, io);
}

export interface TokensArgs extends ValidateFlags, FleetOutputFlags {
  readonly tokens: string;
  readonly refreshTokenFile?: string;
}

/** readStoredToken's field, filed under the token's own name. */
const TOKEN_FIELD = { "--refresh-token-file": "", [ENV.refreshToken]: "" };

/** `gmail-oauth check-token --tokens DIR|LIST-FILE`: every stored token against the client the flags name. */
export async function runTokensCommand(argv: TokensArgs, io: CliIo): Promise<number> {
  const settings = await fleetRunSettings(argv, io.cwd);
  if (argv.refreshTokenFile !== undefined)
    throw new InputError(
      "--tokens",
      "cannot be combined with --refresh-token-file",
      "use --refresh-token-file for one token, --tokens for many",
    );
  if (argv.account !== undefined)
    throw new InputError(
      "--account",
      "names one mailbox, but --tokens checks many",
      "drop --account and name each token file after its mailbox (ana@example.com) to check the account",
    );
  const sources = await listTokenSources(argv.tokens, io.cwd);
  const env = { ...io.env };
  delete env[ENV.refreshToken];
  const input = await resolveInput(argv, env, io.cwd);
  const timeoutMs = (argv.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  // Each token is read and checked now, and read again when its turn comes (jobs.ts, resolveFleet: memory stays flat).
  const jobs: PendingJob[] = [];
  const problems: InputError[] = [];
  for (const s of sources) {
    const resolve = async (): Promise<FleetJob> => {
      const token = await readStoredToken(s.file, {}, io.cwd);
      const problem = tokenClientProblem(input, token);
      if (problem) throw new InputError(`--tokens ${s.name}`, problem.problem, problem.fix);
      return { name: s.name, input: { ...input, account: s.account }, timeoutMs, preflight: false, token };
    };
    const err = await checkedOnce(resolve);
    if (err === undefined) jobs.push({ name: s.name, resolve });
    else if (err instanceof InputError) problems.push(relocate(err, `--tokens ${s.name}`, TOKEN_FIELD));
    else throw err;
  }
  if (problems.length > 0) throw new InputErrors(problems);
  return runFleet(jobs, { ...settings, ...(await checkedOutput(argv, settings.format, io.cwd)) }, io);
}

export interface ValidateAllArgs extends ValidateFlags, FleetOutputFlags {
  readonly json?: boolean;
  readonly flow?: boolean;
  readonly concurrency?: number;
}

/** A client's secret under --all: GMAIL_OAUTH_CLIENT_SECRET_<NAME>, e.g. GMAIL_OAUTH_CLIENT_SECRET_FLECTRA_PROD. */
export function clientSecretVariable(client: string): string {
  return `${ENV.clientSecret}_${client.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** Every client's checks in the client's own section of the combined report. */
function prefixed(client: string, checks: readonly CheckResult[]): CheckResult[] {
  return inSection(
    client,
    checks.map((c) =>
      // Under --all the secret comes from the client's own variable: say which one is missing.
      c.diagnosis === "client_secret_missing" ? { ...c, detail: `${clientSecretVariable(client)} is not set` } : c,
    ),
  );
}

/**
 * `gmail-oauth validate --all`: the preflight of every client of the spec and the checks of every service account it
 * declares, each in its own section of one combined report.
 */
export async function runValidateAll(argv: ValidateAllArgs, io: CliIo): Promise<number> {
  if (argv.flow)
    throw new InputError(
      "--flow",
      "cannot be combined with --all: the consent flow needs a person at each client",
      "run `validate --flow --client NAME` for the client to sign in with",
    );
  if (argv.client !== undefined)
    throw new InputError(
      "--client",
      "cannot be combined with --all",
      "drop --client to check every client, or --all to check one",
    );
  if (namesServiceAccount(argv))
    throw new InputError(
      argv.serviceAccount !== undefined
        ? "--service-account"
        : argv.mailbox !== undefined
          ? "--mailbox"
          : "--service-account-key-file",
      "cannot be combined with --all",
      "drop it to check every client and service account of the spec, or drop --all to check one service account",
    );
  for (const [flag, value] of [
    ["--client-secret-file", argv.clientSecretFile],
    ["--client-id", argv.clientId],
  ] as const) {
    if (value !== undefined)
      throw new InputError(
        flag,
        "names one client, but --all checks every client of the spec",
        "put each client's clientId in the spec, or list the clients in a fleet file (`gmail-oauth fleet`)",
      );
  }
  const concurrency = checkedConcurrency(argv.concurrency);
  const format = checkedSingleFormat(argv);
  const metricsFile = argv.metricsFile === undefined ? undefined : await checkMetricsTarget(argv.metricsFile, io.cwd);
  const spec = await loadDeclaredSpec(argv, io.env, io.cwd);
  if (!spec)
    throw new InputError(
      "--all",
      "reads the clients from the spec",
      "pass --spec FILE (saved from `pulumi stack output --json`) or --stack NAME",
    );
  const source = argv.spec ?? `stack ${argv.stack}`;
  const names = spec.clients.map((c) => c.name);
  const accounts = declaredServiceAccounts(argv, spec);
  if (names.length === 0 && accounts.length === 0)
    throw new InputError(
      argv.spec !== undefined ? "--spec" : "--stack",
      `${source} declares no clients and no service accounts`,
      "add clients or serviceAccounts to the stack config, or validate without --all",
    );
  if (names.length > 1 && io.env[ENV.clientSecret]) {
    throw new InputError(
      ENV.clientSecret,
      "would be taken as the secret of every client of the spec",
      `unset it and set one variable per client, e.g. ${clientSecretVariable(names[0])}`,
    );
  }
  const inputs: ValidationInput[] = [];
  for (const name of names) {
    const env = { ...io.env, [ENV.clientSecret]: io.env[clientSecretVariable(name)] ?? io.env[ENV.clientSecret] };
    inputs.push(await resolveInput({ ...argv, client: name }, env, io.cwd, spec));
  }
  const timeoutMs = (argv.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  // Every service account is resolved before the first request, as the clients are (exit 2 names the field).
  const jobs: FleetJob[] = inputs.map((input) => ({ name: input.clientName!, input, timeoutMs, preflight: true }));
  for (const email of accounts) {
    // The connections already run side by side: each service account's own requests go one at a time.
    const run = await resolveDeclaredServiceAccount(email, { ...argv, concurrency: 1 }, io.env, io.cwd, spec);
    jobs.push({ name: email, input: run.base, timeoutMs, preflight: false, serviceAccount: run });
  }
  const checks: CheckResult[] = [];
  // One metrics row per connection: the `connection` label is the client's name in the spec, or the account's email.
  const rows: MetricsRow[] = [];
  const what = [
    names.length > 0 ? `${names.length} client${names.length === 1 ? "" : "s"}` : "",
    accounts.length > 0 ? `${accounts.length} service account${accounts.length === 1 ? "" : "s"}` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  io.stderr.write(`… ${what} of ${source}, ${Math.min(concurrency, jobs.length)} at a time\n`);
  await runOrdered(
    jobs,
    concurrency,
    async (job) => {
      const started = performance.now();
      const results = await runJob(job);
      return { results, seconds: (performance.now() - started) / 1000, checkedAt: Date.now() };
    },
    ({ results, seconds, checkedAt }, i) => {
      const name = jobs[i]!.name;
      checks.push(...(jobs[i]!.serviceAccount ? inSection(name, results) : prefixed(name, results)));
      rows.push(metricsRow(name, summarize(results), checkedAt, seconds));
    },
  );
  return writeCombinedOutput(checks, rows, { io, format, metricsFile });
}
