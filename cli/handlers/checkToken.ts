// The body of `gmail-oauth check-token`, loaded only when the command runs: one stored token, or many with --tokens.
import { InputError } from "../../common/errors";
import type { CliIo } from "../../common/io";
import { resolveInput } from "../../validator/inputs";
import type { ValidateFlags } from "../../validator/options";
import { writeReport } from "../../validator/report";
import { runCheckToken } from "../../validator/token/checkToken";
import { readStoredToken } from "../../validator/token/tokenFile";
import { readWarnBefore } from "../../validator/token/forecast";
import { runTokensCommand, type FleetOutputFlags } from "./fleet";

export interface CheckTokenFlags extends ValidateFlags, FleetOutputFlags {
  readonly refreshTokenFile?: string;
  readonly tokens?: string;
}

export async function runCheckTokenCommand(argv: CheckTokenFlags, io: CliIo): Promise<number> {
  if (argv.tokens === undefined && (argv.format !== undefined || argv.concurrency !== undefined)) {
    throw new InputError(
      argv.format !== undefined ? "--format" : "--concurrency",
      "applies to --tokens only",
      "add --tokens DIR, or use --json for one token",
    );
  }
  if (argv.tokens !== undefined) return runTokensCommand({ ...argv, tokens: argv.tokens }, io);
  const input = await resolveInput(argv, io.env, io.cwd);
  const warnBeforeMs = readWarnBefore(argv.warnBefore);
  const stored = await readStoredToken(argv.refreshTokenFile, io.env, io.cwd);
  return writeReport(await runCheckToken(input, stored, { warnBeforeMs }), { json: argv.json === true, io });
}
