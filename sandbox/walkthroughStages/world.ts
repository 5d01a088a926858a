// What every stage of the walkthrough is handed (the World: fixed for the whole run, never written by a stage) and
// the helpers the stages share: running a kit command the way a person would type it, and showing its report.
import type { CliIo, RunCli } from "../../common/io";
import { ENV } from "../../common/env";
import { redact } from "../../common/redact";
import { paint } from "../../common/terminal";
import type { RunningEmulator } from "../../emulator";
import { renderHuman } from "../../validator/report";
import type { ScriptedBrowser } from "../browser";
import type { ConsoleAction, CreatedClient } from "../console";
import { runKit, type KitRun } from "../kit";
import type { SandboxEngine } from "../mockEngine";
import { CLIENT_FILE, SPEC_FILE } from "../accountsAndFiles";
import type { SandboxStack, WalkthroughTarget } from "../stackConfig";

/**
 * The flow's bound when the mailbox is blocked: Google shows its refusal in the browser and never calls back
 * (google-behaviour.md §1.2), so the validator can only wait for its deadline. Kept short; the scripted browser says
 * what it saw.
 */
export const BLOCKED_FLOW_TIMEOUT_S = 4;
export const DAY_MS = 86_400_000;
export const EXPIRY_DAYS = 8;
/** The forecast stage's day: inside check-token's default 2-day warning window before the 7-day Testing expiry. */
export const FORECAST_DAYS = 6;
export const TOKEN_FILE = "refresh-token";

/** The run's fixed surroundings: the emulator, the engine, the browser, the stack and the work directory. */
export interface World {
  readonly io: CliIo;
  readonly runCli: RunCli;
  readonly color: boolean;
  readonly dir: string;
  readonly emu: RunningEmulator;
  readonly engine: SandboxEngine;
  readonly browser: ScriptedBrowser;
  readonly stack: SandboxStack;
  readonly target: WalkthroughTarget;
  readonly loopback: string;
}

export const progress = (io: CliIo, line: string) => io.stderr.write(redact(`… ${line}\n`));

export function actionLines(actions: readonly ConsoleAction[], color: boolean): string[] {
  const p = paint(color);
  return actions.flatMap((a) => [
    `  • ${a.did}${a.mistake ? `  ${p.yellow(`← mistake on purpose: ${a.mistake}`)}` : ""}`,
    `    ${p.dim(a.page)}`,
  ]);
}

/** The report of a kit command as the command itself would print it, under the command line. */
export function commandLines(run: KitRun, color: boolean, env: string): string[] {
  const p = paint(color);
  const lines = [`$ ${p.bold(run.command)}`, p.dim(`  (in the work directory; ${env})`), ""];
  if (run.report)
    lines.push(
      ...renderHuman(run.report, { color })
        .trimEnd()
        .split("\n")
        .map((l) => `  ${l}`),
    );
  else lines.push(`  ${run.stderr.trim() || "(no output)"}`);
  lines.push("", `  exit code ${run.exitCode}`);
  return lines;
}

export function kitEnv(w: World, cloudToken: string | undefined): NodeJS.ProcessEnv {
  // A clean environment: a GMAIL_OAUTH_* variable of the user's shell must not change what the sandbox shows.
  const pass = (k: string) => (w.io.env[k] !== undefined ? { [k]: w.io.env[k] } : {});
  return {
    PATH: w.io.env.PATH ?? process.env.PATH,
    ...pass("NO_COLOR"),
    ...pass("FORCE_COLOR"),
    ...w.browser.env,
    ...(cloudToken ? { [ENV.cloudAccessToken]: cloudToken } : {}),
  };
}

export const ENV_NOTE = `${ENV.cloudAccessToken} = the operator's cloud token (as from \`gcloud auth print-access-token\`), BROWSER = the scripted browser`;
export const SAME_ENV_NOTE = `${ENV.cloudAccessToken} set as above`;

/** A kit command, run in-process in the work directory with the operator's cloud token (when there is one). */
export async function kit(w: World, cloudToken: string | undefined, args: string[]): Promise<KitRun> {
  return runKit(w.runCli, args, {
    cwd: w.dir,
    env: kitEnv(w, cloudToken),
    progress: (line) => w.io.stderr.write(`  │ ${line}\n`),
  });
}

export function validateArgs(w: World, extra: string[]): string[] {
  // --client: the spec also declares the service account, which stages 10 and 11 check with the app's own credential.
  return [
    "validate",
    "--spec",
    SPEC_FILE,
    "--client",
    w.target.client.name,
    "--client-secret-file",
    CLIENT_FILE,
    "--account",
    w.target.mailbox,
    "--google-origin",
    w.emu.origin,
    "--flow",
    ...extra,
  ];
}

export function checkTokenArgs(w: World): string[] {
  return [
    "check-token",
    "--spec",
    SPEC_FILE,
    "--client-secret-file",
    CLIENT_FILE,
    "--refresh-token-file",
    TOKEN_FILE,
    "--account",
    w.target.mailbox,
    "--google-origin",
    w.emu.origin,
  ];
}

/** The walkthrough's client among those the console step created; a console step that lost it is a bug. */
export function targetClient(w: World, clients: readonly CreatedClient[]): CreatedClient {
  const client = clients.find((c) => c.name === w.target.client.name);
  if (!client) throw new Error(`the console step created no client named ${w.target.client.name}`);
  return client;
}

export const emulatorProject = (w: World) =>
  w.emu.admin.state().projects.find((p) => p.id === w.stack.parsed.spec.project.id);
export const emulatorClient = (w: World, clientId: string) =>
  w.emu.admin.state().clients.find((c) => c.id === clientId);

export function browserLine(
  w: World,
  from: number,
): { line: string; outcome: ScriptedBrowser["outcomes"][number] | undefined } {
  const outcome = w.browser.outcomes[from];
  if (!outcome) return { line: "  The scripted browser had not finished when validate ended.", outcome };
  if (outcome.kind === "blocked")
    return {
      line: `  The scripted browser (signed in as ${w.target.mailbox}) stopped on Google's page: "${outcome.title}" — Error ${outcome.httpCode ?? "?"}: ${outcome.error}. Google never calls back in this case, so validate could only wait for --timeout ${BLOCKED_FLOW_TIMEOUT_S}.`,
      outcome,
    };
  if (outcome.kind === "redirect")
    return {
      line: `  The scripted browser (signed in as ${w.target.mailbox}) went through ${outcome.pages.join(" → ")} and reached the redirect URI${outcome.error ? ` with error=${outcome.error}` : ""}.`,
      outcome,
    };
  return { line: `  The scripted browser failed: ${outcome.reason}`, outcome };
}
