// From fleet entries (or stored token files) to jobs: every input resolved and every secret read before the first
// request, so a bad entry stops the run with exit 2 and the field that is wrong, not half-way through a fleet.
import { InputError, InputErrors, isInputError } from "../../common/errors";
import { ENV } from "../../common/env";
import { forgetSecretScope, inSecretScope, newSecretScope, redact, registerRunSecret } from "../../common/redact";
import { DEFAULT_TIMEOUT_SECONDS, loadDeclaredSpec, resolveInput } from "../inputs";
import type { FleetChecks } from "../options";
import { runPreflight } from "../preflight";
import { runCheckToken, type CheckTokenOptions } from "../token/checkToken";
import { readStoredToken, type StoredToken } from "../token/tokenFile";
import type { CheckResult, ValidationInput } from "../types";
import { runServiceAccountChecks } from "../serviceAccount/serviceAccountChecks";
import { inSection } from "../sections";
import {
  declaredServiceAccounts,
  resolveDeclaredServiceAccount,
  resolveServiceAccountRun,
  wantsServiceAccount,
  type ServiceAccountRun,
} from "../serviceAccount/serviceAccountInputs";
import type { FleetEntry } from "./fleetFile";

export interface FleetJob {
  readonly name: string;
  readonly input: ValidationInput;
  /** The run's bound: the deadline is set when the job starts, not when the fleet file was read. */
  readonly timeoutMs: number;
  readonly preflight: boolean;
  readonly token?: StoredToken;
  /** A service-account connection: its mailbox × scope checks replace the preflight. */
  readonly serviceAccount?: ServiceAccountRun;
  /**
   * The service accounts the entry's spec declares beside its client: the connection's report has the client's
   * section and one per service account.
   */
  readonly serviceAccounts?: readonly ServiceAccountRun[];
}

/** Flag and variable names in messages from resolveInput and readStoredToken, as the fleet file spells them. */
const FLEET_KEY: Readonly<Record<string, string>> = {
  "--spec": "spec",
  "--stack": "stack",
  "--client": "client",
  "--client-secret-file": "clientSecretFile",
  "--client-id": "clientId",
  "--client-secret": "clientSecretEnv",
  "--redirect-uri": "redirectUris",
  "--scope": "scopes",
  "--account": "account",
  "--project": "project",
  "--user-type": "userType",
  "--publishing-status": "publishingStatus",
  "--test-user": "testUsers",
  "--timeout": "timeout",
  "--google-origin": "googleOrigin",
  "--refresh-token-file": "refreshTokenFile",
  "--service-account": "serviceAccount",
  "--service-account-key-file": "serviceAccountKeyFile",
  "--mailbox": "mailboxes",
  [ENV.googleOrigin]: "googleOrigin",
  [ENV.clientSecret]: "clientSecretEnv",
  [ENV.refreshToken]: "refreshTokenEnv",
};
const NAMES = /--[a-z]+(?:-[a-z]+)*|GMAIL_OAUTH_[A-Z_]+/g;

/**
 * An error raised about a flag, re-addressed to the entry: `--account` becomes `fleet.yaml:connections[3].account`,
 * and flag names in the text become the fleet file's keys. `keys` renames for another kind of source (an empty
 * key files the error under `at` itself).
 */
export function relocate(err: InputError, at: string, keys: Readonly<Record<string, string>> = FLEET_KEY): InputError {
  const rename = (text: string) => text.replace(NAMES, (n) => keys[n] || n);
  const m = /^(--[a-z]+(?:-[a-z]+)*|GMAIL_OAUTH_[A-Z_]+)(.*)$/.exec(err.field);
  if (m && keys[m[1]] !== undefined)
    return new InputError(
      `${at}${keys[m[1]] ? `.${keys[m[1]]}` : ""}${m[2]}`,
      rename(err.problem),
      err.fix && rename(err.fix),
    );
  // A field inside another file (a spec's JSON path): keep it, under the entry.
  return new InputError(at, `${err.field}: ${rename(err.problem)}`, err.fix && rename(err.fix));
}

export function relocateAll(err: unknown, at: string, keys?: Readonly<Record<string, string>>): InputError[] {
  if (err instanceof InputErrors) return err.errors.map((e) => relocate(e, at, keys));
  if (err instanceof InputError) return [relocate(err, at, keys)];
  throw err;
}

function envValue(env: NodeJS.ProcessEnv, name: string, field: string, what: string): string {
  const v = env[name];
  if (v === undefined || v.trim() === "")
    throw new InputError(field, `names ${name}, which is not set`, `export ${name} with ${what} before the run`);
  return v;
}

/** The environment one connection sees: the run's, minus secrets meant for a single connection, plus its own. */
function entryEnv(entry: FleetEntry, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const own: NodeJS.ProcessEnv = { ...env };
  delete own[ENV.clientSecret];
  delete own[ENV.refreshToken];
  // Variables many entries name: masked for the whole run, not only while one connection is in flight.
  if (entry.clientSecretEnv) {
    own[ENV.clientSecret] = envValue(env, entry.clientSecretEnv, `${entry.at}.clientSecretEnv`, "the client secret");
    registerRunSecret(own[ENV.clientSecret]);
  }
  if (entry.cloudTokenEnv) {
    own[ENV.cloudAccessToken] = envValue(env, entry.cloudTokenEnv, `${entry.at}.cloudTokenEnv`, "a Cloud access token");
    registerRunSecret(own[ENV.cloudAccessToken]);
  }
  if (entry.refreshTokenEnv)
    own[ENV.refreshToken] = envValue(env, entry.refreshTokenEnv, `${entry.at}.refreshTokenEnv`, "the refresh token");
  return own;
}

/** check-token refuses a refresh without the client's ID and secret: say so per entry, before anything runs. */
export function tokenClientProblem(input: ValidationInput, token: StoredToken): InputError | undefined {
  if (!(input.clientId ?? token.clientId))
    return new InputError(
      "--client-id",
      "the token check needs the OAuth client ID the token was issued to",
      "pass --client-secret-file with the client JSON, or --client-id",
    );
  if (!(input.clientSecret ?? token.clientSecret))
    return new InputError(
      "--client-secret-file",
      "the token check needs the client secret: Google refuses a refresh without it",
      `pass the client JSON, or set ${ENV.clientSecret}`,
    );
  return undefined;
}

async function entryJob(
  entry: FleetEntry,
  checks: FleetChecks,
  env: NodeJS.ProcessEnv,
  dir: string,
): Promise<FleetJob> {
  const own = entryEnv(entry, env);
  if (wantsServiceAccount(entry.flags, undefined)) {
    // Within a fleet the entries already run side by side: each one's own requests go one at a time.
    const run = await resolveServiceAccountRun({ ...entry.flags, concurrency: 1 }, own, dir);
    return {
      name: entry.name,
      input: run.base,
      timeoutMs: (entry.flags.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
      preflight: false,
      serviceAccount: run,
    };
  }
  const spec = await loadDeclaredSpec(entry.flags, own, dir);
  // Within a fleet the entries already run side by side: each one's own requests go one at a time.
  const accounts =
    checks === "token" ? [] : declaredServiceAccounts(entry.flags, spec).map((email) => ({ email, spec: spec! }));
  const serviceAccounts: ServiceAccountRun[] = [];
  for (const a of accounts)
    serviceAccounts.push(
      await resolveDeclaredServiceAccount(a.email, { ...entry.flags, concurrency: 1 }, own, dir, a.spec),
    );
  const timeoutMs = (entry.flags.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  // A spec of service accounts only: the connection is theirs alone.
  if (spec && spec.clients.length === 0 && serviceAccounts.length > 0) {
    const [only, ...more] = serviceAccounts;
    if (more.length === 0)
      return { name: entry.name, input: only!.base, timeoutMs, preflight: false, serviceAccount: only };
    return { name: entry.name, input: only!.base, timeoutMs, preflight: false, serviceAccounts };
  }
  const input = await resolveInput(entry.flags, own, dir, spec);
  const named = entry.refreshTokenFile !== undefined || entry.refreshTokenEnv !== undefined;
  if (checks === "token" && !named)
    throw new InputError(
      "--refresh-token-file",
      "is needed: this run checks stored tokens only (--checks token)",
      "add refreshTokenFile or refreshTokenEnv to the entry, or run with --checks all",
    );
  const token = named && checks !== "preflight" ? await readStoredToken(entry.refreshTokenFile, own, dir) : undefined;
  const problem = token && tokenClientProblem(input, token);
  if (problem) throw problem;
  return {
    name: entry.name,
    input,
    timeoutMs,
    preflight: checks !== "token",
    token,
    ...(serviceAccounts.length > 0 && { serviceAccounts }),
  };
}

/** A connection checked before the run, whose inputs are read again when its turn comes. */
export interface PendingJob {
  readonly name: string;
  resolve(): Promise<FleetJob>;
}

/**
 * Checks every entry before the first request: all problems of all entries are reported together (InputErrors), each
 * naming its field. Nothing of the check is kept: each job reads its files and variables again when its turn comes,
 * so a fleet of ten thousand holds its entries, not ten thousand resolved inputs and tokens (memory stays flat).
 * The secrets read while checking are forgotten after it (the job registers them again while it runs), except
 * those the whole run shares (registerRunSecret).
 */
export async function resolveFleet(
  entries: readonly FleetEntry[],
  checks: FleetChecks,
  env: NodeJS.ProcessEnv,
  dir: string,
): Promise<PendingJob[]> {
  const pending: PendingJob[] = [];
  const problems: InputError[] = [];
  // process.env is slow to copy; each entry copies this plain snapshot instead.
  const snapshot = { ...env };
  for (const entry of entries) {
    const problem = await checkedOnce(() => entryJob(entry, checks, snapshot, dir));
    if (problem) problems.push(...relocateAll(problem, entry.at));
    else pending.push({ name: entry.name, resolve: () => entryJob(entry, checks, snapshot, dir) });
  }
  if (problems.length > 0) throw new InputErrors(problems);
  return pending;
}

/** Resolves a job to see that it can be, then lets it go with the secrets it read; the error if it cannot. */
export async function checkedOnce(resolve: () => Promise<FleetJob>): Promise<unknown> {
  const scope = newSecretScope();
  try {
    await inSecretScope(scope, resolve);
    return undefined;
  } catch (err) {
    return err;
  } finally {
    forgetSecretScope(scope);
  }
}

/** Runs one job's checks. Never rejects: an unexpected error becomes an inconclusive check, and the fleet goes on. */
export async function runJob(job: FleetJob, opts: CheckTokenOptions = {}): Promise<CheckResult[]> {
  const input = { ...job.input, deadline: Date.now() + job.timeoutMs };
  const checks: CheckResult[] = [];
  try {
    if (job.serviceAccount) checks.push(...(await runServiceAccountChecks({ ...job.serviceAccount, base: input })));
    if (job.preflight) checks.push(...(await runPreflight(input)));
    if (job.token) checks.push(...(await runCheckToken(input, job.token, opts)));
    if (job.serviceAccounts?.length) {
      // The client's checks (if any) and each service account's, each in its own section; each deadline starts with its turn.
      const own = checks.splice(0);
      if (own.length > 0) checks.push(...inSection(input.clientName ?? input.clientId ?? "client", own));
      for (const sa of job.serviceAccounts) {
        const base = { ...sa.base, deadline: Date.now() + job.timeoutMs };
        checks.push(...inSection(sa.serviceAccount, await runServiceAccountChecks({ ...sa, base })));
      }
    }
  } catch (err) {
    const why = isInputError(err) || err instanceof Error ? err.message : String(err);
    checks.push({
      id: "fleet.run",
      status: "inconclusive",
      title: "The checks of this connection ran to the end",
      detail: redact(`stopped by an unexpected error: ${why}`),
    });
  }
  return checks;
}
