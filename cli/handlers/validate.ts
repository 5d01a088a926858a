// The body of `gmail-oauth validate`, kept out of cli/ so --help never loads it. A client's checks are the library's
// `validate()` (validator/index.ts); this file turns flags into its options and writes the report or metrics.
import { InputError } from "../../common/errors";
import { redact } from "../../common/redact";
import type { CliIo } from "../../common/io";
import {
  DEFAULT_TIMEOUT_SECONDS,
  loadDeclaredSpec,
  publishingStatusFlag,
  readTransportFlag,
  refuseSecretFlag,
  userTypeFlag,
} from "../../validator/inputs";
import type { ConnectionSpec } from "../../connection/types";
import { runServiceAccountChecks } from "../../validator/serviceAccount/serviceAccountChecks";
import {
  declaredServiceAccounts,
  namesServiceAccount,
  resolveDeclaredServiceAccount,
  resolveServiceAccountRun,
  wantsServiceAccount,
  type ServiceAccountFlags,
  type ServiceAccountRun,
} from "../../validator/serviceAccount/serviceAccountInputs";
import { validate, type FlowRunner, type ValidateOptions } from "../../validator/index";
import type { ValidateFlags } from "../../validator/options";
import {
  checkMetricsTarget,
  metricsRow,
  writeCombinedOutput,
  writeRunOutput,
  type MetricsRow,
  type RunOutputOptions,
} from "../../validator/metrics";
import { inSection } from "../../validator/sections";
import { checkedSingleFormat, type FleetOutputFlags } from "./fleet";
import { summarize, type CheckResult, type ValidationInput } from "../../validator/types";

export type { FlowRunner };

/** The library's options from the command's flags and its io; `--client-secret` is refused here, as always. */
export function optionsFromFlags(flags: ValidateFlags, io: CliIo): ValidateOptions {
  refuseSecretFlag(flags);
  const {
    clientSecret: _refused,
    redirectUri,
    scope,
    testUser,
    transport,
    userType,
    publishingStatus,
    ...same
  } = flags;
  return {
    ...same,
    ...(redirectUri !== undefined && { redirectUris: redirectUri }),
    ...(scope !== undefined && { scopes: scope }),
    ...(testUser !== undefined && { testUsers: testUser }),
    ...(transport !== undefined && { transports: readTransportFlag(transport) }),
    ...(userType !== undefined && { userType: userTypeFlag(userType) }),
    ...(publishingStatus !== undefined && { publishingStatus: publishingStatusFlag(publishingStatus) }),
    env: io.env,
    cwd: io.cwd,
    progress: (msg: string) => io.stderr.write(redact(`… ${msg}\n`)),
  };
}

/**
 * The client's checks through the library's validate(), with the name the report gives the connection and the time
 * its checks started (after every input was read). The spec, when read, is handed over as an object, so the library
 * does not read --spec or --stack again.
 */
async function validateClient(
  argv: ServiceAccountFlags & { flow?: boolean },
  io: CliIo,
  spec: ConnectionSpec | undefined,
  flow?: FlowRunner,
): Promise<{ readonly checks: readonly CheckResult[]; readonly name?: string; readonly startedAt: number }> {
  let input: ValidationInput | undefined;
  let startedAt = Date.now();
  const report = await validate(
    { ...optionsFromFlags(argv, io), spec: undefined, stack: undefined, connectionSpec: spec },
    {
      flow: argv.flow ? flow : undefined,
      resolved: (i) => {
        input = i;
        startedAt = Date.now();
      },
    },
  );
  return { checks: report.checks, name: input?.clientName ?? input?.clientId, startedAt };
}

export async function runValidate(
  argv: ServiceAccountFlags & FleetOutputFlags & { json?: boolean; flow?: boolean; all?: boolean },
  io: CliIo,
  flow?: FlowRunner,
): Promise<number> {
  if (argv.all) {
    const { runValidateAll } = await import("./fleet.js");
    return runValidateAll(argv, io);
  }
  const format = checkedSingleFormat(argv);
  const metricsFile = argv.metricsFile === undefined ? undefined : await checkMetricsTarget(argv.metricsFile, io.cwd);
  const output = { format, metricsFile };
  if (namesServiceAccount(argv)) return runValidateServiceAccount(argv, io, output);
  const spec =
    argv.spec !== undefined || argv.stack !== undefined ? await loadDeclaredSpec(argv, io.env, io.cwd) : undefined;
  if (wantsServiceAccount(argv, spec)) return runValidateServiceAccount(argv, io, output, spec);
  const accounts = declaredServiceAccounts(argv, spec);
  if (spec && accounts.length > 0) return runValidateSpec(argv, io, output, spec, accounts, flow);
  const client = await validateClient(argv, io, spec, flow);
  return writeRunOutput(client.checks, {
    io,
    format,
    metricsFile,
    connection: client.name ?? "validate",
    startedAt: client.startedAt,
  });
}

/** `validate --service-account`: every mailbox × scope through domain-wide delegation (google-behaviour.md §10). */
async function runValidateServiceAccount(
  argv: ServiceAccountFlags & { json?: boolean; flow?: boolean },
  io: CliIo,
  output: Pick<RunOutputOptions, "format" | "metricsFile">,
  spec?: ConnectionSpec,
): Promise<number> {
  if (argv.flow) throw new InputError("--flow", "has no consent flow to run for a service account", "drop --flow");
  const run = await resolveServiceAccountRun(argv, io.env, io.cwd, spec);
  const progress = (msg: string) => io.stderr.write(redact(`… ${msg}\n`));
  const startedAt = Date.now();
  const checks = await runServiceAccountChecks(run, { progress });
  const connection = argv.serviceAccount ?? "service-account";
  return writeRunOutput(checks, { io, ...output, connection, startedAt });
}

/**
 * `validate --spec` on a spec that declares service accounts: its client (when it declares one) and every service
 * account, each in its own section of one report, with a metrics row each. Every input is read before the first
 * request, so a bad one stops the run with exit 2 and nothing sent.
 */
async function runValidateSpec(
  argv: ServiceAccountFlags & { json?: boolean; flow?: boolean },
  io: CliIo,
  output: Pick<RunOutputOptions, "format" | "metricsFile">,
  spec: ConnectionSpec,
  accounts: readonly string[],
  flow?: FlowRunner,
): Promise<number> {
  const withClient = spec.clients.length > 0;
  if (argv.flow && !withClient)
    throw new InputError("--flow", "has no consent flow to run for a service account", "drop --flow");
  const runs: ServiceAccountRun[] = [];
  for (const email of accounts) runs.push(await resolveDeclaredServiceAccount(email, argv, io.env, io.cwd, spec));
  const progress = (msg: string) => io.stderr.write(redact(`… ${msg}\n`));
  const checks: CheckResult[] = [];
  const rows: MetricsRow[] = [];
  const add = (name: string, results: readonly CheckResult[], startedAt: number) => {
    checks.push(...inSection(name, results));
    rows.push(metricsRow(name, summarize(results), Date.now(), (Date.now() - startedAt) / 1000));
  };
  if (withClient) {
    const client = await validateClient(argv, io, spec, flow);
    add(client.name ?? "client", client.checks, client.startedAt);
  }
  // One after the other: a consent flow can take minutes, so each service account's deadline starts with its turn.
  const timeoutMs = (argv.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  for (const run of runs) {
    const startedAt = Date.now();
    progress(`service account ${run.serviceAccount}`);
    const base = { ...run.base, deadline: startedAt + timeoutMs };
    add(run.serviceAccount, await runServiceAccountChecks({ ...run, base }, { progress }), startedAt);
  }
  return writeCombinedOutput(checks, rows, { io, ...output });
}
