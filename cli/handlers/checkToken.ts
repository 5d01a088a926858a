// The body of `gmail-oauth check-token`, loaded only when the command runs: one stored token (the library's
// `checkToken()`, validator/index.ts), or many with --tokens.
import { InputError } from "../../common/errors";
import type { CliIo } from "../../common/io";
import { checkToken } from "../../validator/index";
import type { ValidateFlags } from "../../validator/options";
import { checkMetricsTarget, writeRunOutput } from "../../validator/metrics";
import type { StoredToken } from "../../validator/token/tokenFile";
import { readWarnBefore } from "../../validator/token/forecast";
import type { ValidationInput } from "../../validator/types";
import { checkedSingleFormat, runTokensCommand, type FleetOutputFlags } from "./fleet";
import { optionsFromFlags } from "./validate";

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
  let input: ValidationInput | undefined;
  let stored: StoredToken | undefined;
  let startedAt = Date.now();
  const report = await checkToken(
    {
      ...optionsFromFlags(argv, io),
      refreshTokenFile: argv.refreshTokenFile,
      warnBeforeMs: readWarnBefore(argv.warnBefore),
    },
    {
      resolved: (i, s) => {
        input = i;
        stored = s;
        startedAt = Date.now();
      },
    },
  );
  // The mailbox names the connection; without one, the client (an ID is not a secret).
  const connection = input?.account ?? stored?.consent?.account ?? input?.clientId ?? stored?.clientId ?? "check-token";
  return writeRunOutput(report.checks, { io, format, metricsFile, connection, startedAt });
}
