// The body of `gmail-oauth check-token`, loaded only when the command runs: one stored token, or many with --tokens.
import { InputError } from "../../common/errors";
import type { CliIo } from "../../common/io";
import { resolveInput } from "../../validator/inputs";
import type { ValidateFlags } from "../../validator/options";
import { checkMetricsTarget, writeRunOutput } from "../../validator/metrics";
import { runCheckToken } from "../../validator/token/checkToken";
import { readStoredToken } from "../../validator/token/tokenFile";
import { readWarnBefore } from "../../validator/token/forecast";
import { checkedSingleFormat, runTokensCommand, type FleetOutputFlags } from "./fleet";

export interface CheckTokenFlags extends ValidateFlags, FleetOutputFlags {
  readonly refreshTokenFile?: string;
  readonly tokens?: string;
}

export async function runCheckTokenCommand(argv: CheckTokenFlags, io: CliIo): Promise<number> {
  if (argv.tokens === undefined && argv.concurrency !== undefined) {
    throw new InputError("--concurrency", "applies to --tokens only", "add --tokens DIR, or drop --concurrency");
  }
  if (argv.tokens !== undefined) return runTokensCommand({ ...argv, tokens: argv.tokens }, io);
  const format = checkedSingleFormat(argv);
  const metricsFile = argv.metricsFile === undefined ? undefined : await checkMetricsTarget(argv.metricsFile, io.cwd);
  const input = await resolveInput(argv, io.env, io.cwd);
  const warnBeforeMs = readWarnBefore(argv.warnBefore);
  const stored = await readStoredToken(argv.refreshTokenFile, io.env, io.cwd);
  const startedAt = Date.now();
  const checks = await runCheckToken(input, stored, { warnBeforeMs });
  // The mailbox names the connection; without one, the client (an ID is not a secret).
  const connection = input.account ?? stored.consent?.account ?? input.clientId ?? stored.clientId ?? "check-token";
  return writeRunOutput(checks, { io, format, metricsFile, connection, startedAt });
}
