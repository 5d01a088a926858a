// `gmail-oauth check-token`: diagnose a stored refresh token without a sign-in (issue 5 §3). Same client flags,
// report, --json and exit codes as `validate`; meant for cron against every production connection.
import type { Argv, CommandModule } from "yargs";
import type { WithIo } from "../context";
import { validateOptions, type ValidateFlags } from "../../validator/options";

interface CheckTokenArgs extends ValidateFlags, WithIo {
  readonly refreshTokenFile?: string;
  readonly json?: boolean;
}

export const checkTokenCommand: CommandModule<object, CheckTokenArgs> = {
  command: "check-token",
  describe: "Check a stored refresh token: refresh it, then check scopes, client, account and Gmail (no sign-in)",
  builder: (y: Argv) =>
    y
      .options(validateOptions)
      .option("refresh-token-file", { type: "string", requiresArg: true, describe: "File holding the refresh token, or an authorized_user JSON (default: $GMAIL_OAUTH_REFRESH_TOKEN)" })
      .option("json", { type: "boolean", describe: "Print the report as JSON" })
      .example("GMAIL_OAUTH_REFRESH_TOKEN=… $0 check-token --client-secret-file client.json --account ops@example.com", "")
      .example("$0 check-token --spec stack.json --refresh-token-file /run/secrets/gmail-token --json", "from cron") as unknown as Argv<CheckTokenArgs>,
  handler: async (argv) => {
    const { resolveInput } = await import("../../validator/inputs.js");
    const { readStoredToken } = await import("../../validator/token/tokenFile.js");
    const { runCheckToken } = await import("../../validator/token/checkToken.js");
    const { writeReport } = await import("../../validator/token/output.js");
    const io = argv.io;
    const input = await resolveInput(argv, io.env, io.cwd);
    const stored = await readStoredToken(argv.refreshTokenFile, io.env, io.cwd);
    io.exitCode = writeReport(io, await runCheckToken(input, stored), argv.json === true);
  },
};
