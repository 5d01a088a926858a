// `gmail-oauth check-token`: diagnose a stored refresh token without a sign-in (issue 5 §3). Same client flags,
// report, --json and exit codes as `validate`; meant for cron against every production connection.
import { defineCommand } from "../context";
import { ENV } from "../../common/env";
import { validateOptions } from "../../validator/options";
import { fleetRunOptions } from "./fleet";

export const checkTokenCommand = defineCommand({
  command: "check-token",
  describe: "Check a stored refresh token: refresh it, then check scopes, client, account and Gmail (no sign-in)",
  builder: (y) =>
    y
      .options(validateOptions)
      .option("refresh-token-file", {
        type: "string",
        requiresArg: true,
        describe: `File holding the refresh token, or an authorized_user JSON (default: $${ENV.refreshToken})`,
      })
      .option("json", { type: "boolean", describe: "Print the report as JSON" })
      // Many stored tokens at once, for cron (validator/fleet, docs/fleet.md).
      .option("tokens", {
        type: "string",
        requiresArg: true,
        describe:
          "A directory of refresh-token files, or a file listing them (one path a line); name each after its mailbox to check the account",
      })
      .options(fleetRunOptions)
      .example(`${ENV.refreshToken}=… $0 check-token --client-secret-file client.json --account ops@example.com`, "")
      .example("$0 check-token --spec stack.json --refresh-token-file /run/secrets/gmail-token --json", "from cron"),
  handler: async (argv) => {
    const { runCheckTokenCommand } = await import("../handlers/checkToken.js");
    argv.io.exitCode = await runCheckTokenCommand(argv, argv.io);
  },
});
