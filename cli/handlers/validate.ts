// The body of `gmail-oauth validate`, kept out of cli/ so --help never loads it. A client's checks are the library's
// `validate()` (validator/index.ts); this file turns flags into its options and writes the report or metrics.
import { InputError } from "../../common/errors";
import { redact } from "../../common/redact";
import type { CliIo } from "../../common/io";
import {
  loadDeclaredSpec,
  publishingStatusFlag,
  readTransportFlag,
  refuseSecretFlag,
  userTypeFlag,
} from "../../validator/inputs";
import type { ConnectionSpec } from "../../connection/types";
import { runServiceAccountChecks } from "../../validator/serviceAccount/checks";
import {
  resolveServiceAccountRun,
  wantsServiceAccount,
  type ServiceAccountFlags,
} from "../../validator/serviceAccount/inputs";
import { validate, type FlowRunner, type ValidateOptions } from "../../validator/index";
import type { ValidateFlags } from "../../validator/options";
import { checkMetricsTarget, writeRunOutput, type RunOutputOptions } from "../../validator/metrics";
import { checkedSingleFormat, type FleetOutputFlags } from "./fleet";
import type { ValidationInput } from "../../validator/types";

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
  if (argv.serviceAccount !== undefined || argv.serviceAccountKeyFile !== undefined || argv.mailbox !== undefined)
    return runValidateServiceAccount(argv, io, output);
  const spec =
    argv.spec !== undefined || argv.stack !== undefined ? await loadDeclaredSpec(argv, io.env, io.cwd) : undefined;
  if (wantsServiceAccount(argv, spec)) return runValidateServiceAccount(argv, io, output, spec);
  let input: ValidationInput | undefined;
  let startedAt = Date.now();
  // The spec is read once, above: handed over as an object, so the library does not read --spec or --stack again.
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
  const connection = input?.clientName ?? input?.clientId ?? "validate";
  return writeRunOutput(report.checks, { io, format, metricsFile, connection, startedAt });
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
