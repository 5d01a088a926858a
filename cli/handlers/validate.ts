// The body of `gmail-oauth validate`, kept out of cli/ so --help never loads it.
import { InputError } from "../../common/errors";
import { redact } from "../../common/redact";
import type { CliIo } from "../../common/io";
import { loadDeclaredSpec, resolveInput } from "../../validator/inputs";
import type { ConnectionSpec } from "../../connection/types";
import { runServiceAccountChecks } from "../../validator/serviceAccount/checks";
import {
  resolveServiceAccountRun,
  wantsServiceAccount,
  type ServiceAccountFlags,
} from "../../validator/serviceAccount/inputs";
import { runPreflight } from "../../validator/preflight";
import { checkMetricsTarget, writeRunOutput, type RunOutputOptions } from "../../validator/metrics";
import { checkedSingleFormat, type FleetOutputFlags } from "./fleet";
import type { CheckResult, ValidationInput } from "../../validator/types";

/** The --flow seam: `check` refuses bad flow input before the preflight runs; `run` appends the flow's results. */
export interface FlowRunner {
  check(input: ValidationInput): Promise<void>;
  run(input: ValidationInput): Promise<CheckResult[]>;
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
  const input = await resolveInput(argv, io.env, io.cwd, spec);
  if (argv.flow && flow) await flow.check(input);
  // Nothing declared means nothing to judge: a usage error, never "should work" (issue 14 §2).
  if (!input.spec && !input.clientId && input.redirectUris.length === 0 && !input.project && !input.account)
    throw new InputError(
      "validate",
      "nothing to validate: no spec, client, redirect URI, project or account was given",
      "pass --spec FILE (the JSON of `pulumi stack output --json`) or --stack NAME, or --client-secret-file FILE (the client JSON from Google), or --client-id with --redirect-uri",
    );
  const progress = (msg: string) => io.stderr.write(redact(`… ${msg}\n`));
  const startedAt = Date.now();
  const checks = await runPreflight(input, { progress });
  if (argv.flow && flow) checks.push(...(await flow.run(input)));
  const connection = input.clientName ?? input.clientId ?? "validate";
  return writeRunOutput(checks, { io, format, metricsFile, connection, startedAt });
}

/** `validate --service-account`: every mailbox × scope through domain-wide delegation (facts §10). */
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
