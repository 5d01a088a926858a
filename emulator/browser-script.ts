// A $BROWSER for the emulator: `node dist/emulator/browser-script.js URL` drives the consent flow over HTTP.
// Settings come from the environment, because whoever opens the browser passes only the URL:
//   GMAIL_OAUTH_EMULATOR_ACCOUNT  the account to choose (required)
//   GMAIL_OAUTH_EMULATOR_ACTION   allow (default) | cancel
//   GMAIL_OAUTH_EMULATOR_UNCHECK  scopes to leave unticked, separated by spaces or commas
// Prints the outcome as one JSON line (redacted) on stdout; exit 0 at the redirect URI, 1 blocked or failed, 2 bad input.
import { redact } from "../common/redact";
import { driveConsent } from "./httpBrowser";

export interface ScriptResult {
  exitCode: number;
  output: string;
}

export async function runBrowserScript(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<ScriptResult> {
  const url = argv[0];
  const account = env.GMAIL_OAUTH_EMULATOR_ACCOUNT;
  const action = env.GMAIL_OAUTH_EMULATOR_ACTION || "allow";
  const fail = (msg: string) => ({ exitCode: 2, output: `browser-script: ${msg}` });
  if (!url || !/^https?:\/\//.test(url)) return fail("URL: pass the authorization URL as the first argument");
  if (!account)
    return fail("GMAIL_OAUTH_EMULATOR_ACCOUNT: is not set; set it to the email of an account in the emulator");
  if (action !== "allow" && action !== "cancel")
    return fail(`GMAIL_OAUTH_EMULATOR_ACTION: '${action}' is not valid; use allow or cancel`);
  const uncheck = (env.GMAIL_OAUTH_EMULATOR_UNCHECK ?? "").split(/[\s,]+/).filter(Boolean);
  const outcome = await driveConsent(url, { account, action, uncheck });
  return { exitCode: outcome.kind === "redirect" ? 0 : 1, output: redact(JSON.stringify(outcome)) };
}

// Run when executed directly (the compiled CommonJS file), not when imported by tests.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
  runBrowserScript(process.argv.slice(2), process.env).then(
    (r) => {
      (r.exitCode === 2 ? process.stderr : process.stdout).write(`${r.output}\n`);
      process.exitCode = r.exitCode;
    },
    (e: unknown) => {
      process.stderr.write(`${redact(`browser-script: ${(e as Error).message}`)}\n`);
      process.exitCode = 1;
    },
  );
}
