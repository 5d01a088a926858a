// `gmail-oauth check-token`: diagnose a stored refresh token without a sign-in (issue 5 §3). Same client flags,
// report, --json and exit codes as `validate`; meant for cron against every production connection.
import type { Argv, CommandModule } from "yargs";
import type { WithIo } from "../context";
import { ENV } from "../../common/env";
import { validateOptions, type ValidateFlags } from "../../validator/options";
import { fleetRunOptions } from "./fleet";

interface CheckTokenArgs extends ValidateFlags, WithIo {
  readonly refreshTokenFile?: string;
  readonly json?: boolean;
  readonly tokens?: string;
  readonly concurrency?: number;
  readonly format?: string;
}

export const checkTokenCommand: CommandModule<object, CheckTokenArgs> = {
  command: "check-token",
  describe: "Check a stored refresh token: refresh it, then check scopes, client, account and Gmail (no sign-in)",
  builder: (y: Argv) =>
    y
      .options(validateOptions)
      .option("refresh-token-file", { type: "string", requiresArg: true, describe: `File holding the refresh token, or an authorized_user JSON (default: $${ENV.refreshToken})` })
      .option("json", { type: "boolean", describe: "Print the report as JSON" })
      // Many stored tokens at once, for cron (validator/fleet, docs/fleet.md).
      .option("tokens", { type: "string", requiresArg: true, describe: "A directory of refresh-token files, or a file listing them (one path a line); name each after its mailbox to check the account" })
      .options(fleetRunOptions)
      .example(`${ENV.refreshToken}=… $0 check-token --client-secret-file client.json --account ops@example.com`, "")
      .example("$0 check-token --spec stack.json --refresh-token-file /run/secrets/gmail-token --json", "from cron") as unknown as Argv<CheckTokenArgs>,
  handler: async (argv) => {
    const { resolveInput } = await import("../../validator/inputs.js");
    const { readStoredToken } = await import("../../validator/token/tokenFile.js");
    const { runCheckToken } = await import("../../validator/token/checkToken.js");
    const { writeReport } = await import("../../validator/report.js");
    const io = argv.io;
    if (argv.tokens === undefined && (argv.format !== undefined || argv.concurrency !== undefined)) {
      const { InputError } = await import("../../common/errors.js");
      throw new InputError(argv.format !== undefined ? "--format" : "--concurrency", "applies to --tokens only", "add --tokens DIR, or use --json for one token");
    }
    if (argv.tokens !== undefined) {
      const { runTokensCommand } = await import("../../validator/fleet/command.js");
      io.exitCode = await runTokensCommand({ ...argv, tokens: argv.tokens }, io);
      return;
    }
    const input = await resolveInput(argv, io.env, io.cwd);
    const stored = await readStoredToken(argv.refreshTokenFile, io.env, io.cwd);
    io.exitCode = writeReport(await runCheckToken(input, stored), { json: argv.json === true, io });
  },
};
