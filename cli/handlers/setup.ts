// The body of `gmail-oauth setup`: the basics asked once (or taken from flags), the runbook's console steps walked
// one at a time with their checks (setup/engine.ts), then the spec, the stack config and the app's values.
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { EXIT, InputError, InputErrors, isInputError } from "../../common/errors";
import type { CliIo } from "../../common/io";
import { redact, redactValue } from "../../common/redact";
import { watchSignals } from "../../common/processSignals";
import { paint, useColor } from "../../common/terminal";
import { consoleLink } from "../../google/consoleLinks";
import { resolveGoogleOrigin } from "../../google/endpoints";
import { isEmail, PROJECT_ID } from "../../google/identifiers";
import { PRESETS, PRESET_NAMES } from "../../connection/presets";
import type { ConnectionSpec } from "../../connection/types";
import { walkSteps, type StepRecord } from "../../setup/engine";
import { appInstructions, writeOutputs, type WrittenFiles } from "../../setup/outputs";
import {
  DEFAULT_PROGRESS_FILE,
  loadProgress,
  newProgress,
  saveProgress,
  type SetupAnswers,
} from "../../setup/progress";
import { checkPreset, loadClient, specOf, type LoadedClient, type SetupEnv } from "../../setup/session";
import { setupSteps, type SetupStep, type StepContext } from "../../setup/steps";
import { readText } from "../../validator/inputs";
import { SetupStopped, openTerminal, type Terminal } from "../../setup/terminal";

export interface SetupFlags {
  readonly app?: string;
  readonly appUrl?: string;
  readonly callbackPath?: string;
  readonly account?: string;
  readonly project?: string;
  readonly appName?: string;
  readonly supportEmail?: string;
  readonly userType?: string;
  readonly publishingStatus?: string;
  readonly clientSecretFile?: string;
  readonly loopbackUri?: string;
  readonly resume?: boolean;
  readonly nonInteractive?: boolean;
  readonly progressFile?: string;
  readonly stackName?: string;
  readonly timeout?: number;
  readonly browser?: boolean;
  readonly googleOrigin?: string;
  readonly json?: boolean;
}

const DEFAULT_TIMEOUT_SECONDS = 300;

/** Each answer's check: undefined when fine, otherwise [problem, fix]. */
const CHECKS: Record<string, (v: string) => [string, string] | undefined> = {
  appUrl: (v) => {
    try {
      const u = new URL(v);
      if (u.protocol === "https:" || u.protocol === "http:") return undefined;
    } catch {
      /* below */
    }
    return [`'${v}' is not an http(s) URL`, "give the app's public base URL, e.g. https://erp.example.com"];
  },
  account: (v) => (isEmail(v) ? undefined : [`'${v}' is not an email address`, "write it as name@example.com"]),
  supportEmail: (v) => (isEmail(v) ? undefined : [`'${v}' is not an email address`, "write it as name@example.com"]),
  project: (v) =>
    PROJECT_ID.test(v)
      ? undefined
      : [`'${v}' is not a project ID`, "6-30 lower-case letters, digits and hyphens, starting with a letter"],
};
const FLAG: Record<string, string> = {
  app: "--app",
  appUrl: "--app-url",
  callbackPath: "--callback-path",
  account: "--account",
  project: "--project",
  appName: "--app-name",
  supportEmail: "--support-email",
  userType: "--user-type",
  publishingStatus: "--publishing-status",
  loopbackUri: "--loopback-uri",
};

function checked(key: keyof SetupAnswers, value: string): string {
  const v = value.trim();
  if (v === "") throw new InputError(FLAG[key] ?? key, "is empty", "give a value");
  if (key === "app") return checkPreset(v);
  const problem = CHECKS[key]?.(v);
  if (problem) throw new InputError(FLAG[key] ?? key, problem[0], problem[1]);
  return key === "account" || key === "supportEmail" ? v.toLowerCase() : v;
}

export async function runSetup(argv: SetupFlags, io: CliIo): Promise<number> {
  const color = useColor(io.stderr, io.env);
  const interactive = argv.nonInteractive !== true;
  const progressFile = resolve(io.cwd, argv.progressFile ?? DEFAULT_PROGRESS_FILE);
  const saved = argv.resume ? await loadProgress(progressFile) : undefined;
  if (argv.resume && !saved)
    throw new InputError("--resume", `there is no progress file ${progressFile}`, "start without --resume");
  const progress = saved ?? newProgress();
  const a = progress.answers;
  // Flags override what an earlier run saved.
  for (const key of Object.keys(FLAG) as (keyof SetupAnswers)[]) {
    const v = argv[key as keyof SetupFlags];
    if (typeof v === "string") a[key] = checked(key, v);
  }
  if (argv.clientSecretFile !== undefined) a.clientFile = resolve(io.cwd, argv.clientSecretFile);
  if (argv.timeout !== undefined && !(Number.isFinite(argv.timeout) && argv.timeout > 0))
    throw new InputError("--timeout", "is not a positive number of seconds", "e.g. --timeout 300");
  const run: SetupEnv = {
    env: io.env,
    cwd: io.cwd,
    googleOrigin: resolveGoogleOrigin(argv.googleOrigin, io.env),
    timeoutSeconds: argv.timeout ?? DEFAULT_TIMEOUT_SECONDS,
    noBrowser: argv.browser === false,
  };
  if (!interactive) {
    a.appName ??= a.app ? `${PRESETS[checkPreset(a.app)].label} Gmail` : undefined;
    a.supportEmail ??= a.account;
    const missing = (["app", "appUrl", "account", "project"] as const).filter((k) => !a[k]);
    if (missing.length > 0)
      throw new InputErrors(
        missing.map(
          (k) =>
            new InputError(FLAG[k], "is required with --non-interactive", "pass it, or run without --non-interactive"),
        ),
      );
    if (!a.clientFile)
      throw new InputError(
        "--client-secret-file",
        "is required with --non-interactive",
        "pass the downloaded client JSON",
      );
    specOf(a);
  }

  const term = interactive ? openTerminal(io) : undefined;
  const stopper = term ? undefined : sigintController();
  const signal = term?.signal ?? stopper!.signal;
  const say = (line = "") => io.stderr.write(`${redact(line)}\n`);
  const p = paint(color);
  try {
    if (term) {
      say(
        p.bold(
          "gmail-oauth setup: the Google console steps for a Gmail connection, each checked as soon as it is done.",
        ),
      );
      if (saved) say(`Resuming from ${progressFile}.`);
      else if (existsSync(progressFile))
        say(`Starting over: the progress of an earlier run in ${progressFile} is replaced (--resume continues it).`);
      say("Ctrl-C stops at any point; `gmail-oauth setup --resume` continues from there. No secret is saved.");
      await askBasics(term, a);
    }
    await saveProgress(progressFile, progress);
    const spec = () => specOf(a);
    const ctx: StepContext = {
      io,
      answers: a,
      run,
      spec,
      signal,
      handOverStdin: (owned) => term?.lend(owned),
    };
    const steps = setupSteps(spec(), a);
    const records = await walkSteps({
      steps,
      ctx,
      progress,
      progressFile,
      term,
      color,
      loadClient: (step) => readClient(step, ctx, term, a, () => saveProgress(progressFile, progress)),
    });
    const finalSpec = spec();
    const files = await writeOutputs(io.cwd, argv.stackName ?? "gmail", finalSpec, a);
    await saveProgress(progressFile, progress);
    return summary(io, argv.json === true, color, records, steps, finalSpec, files, ctx.client, a);
  } catch (e) {
    if (!(e instanceof SetupStopped)) throw e;
    await saveProgress(progressFile, progress);
    say("");
    say(
      e.why === "ctrl-c"
        ? `Stopped. Nothing is left listening and no grant is left live. Progress is saved in ${progressFile}; run \`gmail-oauth setup --resume\` to continue.`
        : `Stopped: ${e.message}. Progress is saved in ${progressFile}; run \`gmail-oauth setup --resume\` to continue.`,
    );
    return EXIT.interrupted;
  } finally {
    term?.close();
    stopper?.dispose();
  }
}

/** --non-interactive has no terminal to read Ctrl-C from: SIGINT (or SIGTERM) stops the run at its next safe point. */
function sigintController(): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const watch = watchSignals();
  void watch.signal.then(() => ac.abort(new SetupStopped("ctrl-c")));
  return { signal: ac.signal, dispose: () => watch.stop() };
}

async function askBasics(term: Terminal, a: SetupAnswers): Promise<void> {
  const ask = async (key: keyof SetupAnswers, question: string, fallback?: string) => {
    while (a[key] === undefined) {
      const v = (await term.ask(`${question}${fallback ? ` [${fallback}]` : ""}: `)) || fallback || "";
      try {
        a[key] = checked(key, v);
      } catch (e) {
        if (!isInputError(e)) throw e;
        term.say(`  ${e.message}`);
      }
    }
  };
  await ask("app", `Which app connects to Gmail? (${PRESET_NAMES.join(", ")})`, "flectra");
  const preset = PRESETS[checkPreset(a.app!)];
  await ask(
    "appUrl",
    `${preset.label}'s public base URL${preset.name === "flectra" || preset.name === "odoo" ? " (its web.base.url)" : ""}`,
  );
  if (preset.name === "generic") await ask("callbackPath", "The path the app receives Google's redirect on");
  await ask("account", "The mailbox to connect (its address)");
  await ask("project", `The Google Cloud project ID (create one at ${consoleLink("projectCreate")} if needed)`);
  await ask("appName", "The app name shown on Google's consent screen", `${preset.label} Gmail`);
  await ask("supportEmail", "The support email shown on the consent screen", a.account);
  for (;;) {
    try {
      specOf(a);
      return;
    } catch (e) {
      if (!(e instanceof InputErrors || e instanceof InputError)) throw e;
      const errors = e instanceof InputErrors ? e.errors : [e];
      for (const x of errors) {
        term.say(`  ${x.message}`);
        const key = (Object.keys(FLAG) as (keyof SetupAnswers)[]).find((k) => FLAG[k] === x.field);
        if (key) delete a[key];
      }
      await askBasics(term, a);
    }
  }
}

const isJsonComplete = (lines: readonly string[]) => {
  try {
    JSON.parse(lines.join("\n"));
    return true;
  } catch {
    return lines.join("").trim() === "" || lines.length > 200;
  }
};

async function readClient(
  step: SetupStep,
  ctx: StepContext,
  term: Terminal | undefined,
  a: SetupAnswers,
  save: () => Promise<void>,
): Promise<void> {
  const isClientStep = step.key === "client";
  if (ctx.client && !isClientStep) return;
  const fromPath = async (path: string): Promise<LoadedClient> => {
    const text = await readText(
      "--client-secret-file",
      path,
      ctx.io.cwd,
      "the client JSON downloaded from the console",
    );
    return loadClient(text, isAbsolute(path) ? path : resolve(ctx.io.cwd, path));
  };
  if (!term) {
    ctx.client = await fromPath(a.clientFile!);
  } else if (!isClientStep && a.clientFile && existsSync(a.clientFile)) {
    ctx.client = await fromPath(a.clientFile);
  } else {
    for (;;) {
      const previous = a.clientFile;
      const answer = await term.ask(
        `${isClientStep ? "" : "This step needs the client JSON again (its secret is never saved). "}Client JSON: the downloaded file's path, or - to paste it${previous ? ` [${previous}]` : ""}: `,
      );
      try {
        if (answer === "-" || answer.startsWith("{")) {
          const text =
            answer === "-"
              ? await term.askHidden("Paste the client JSON, then press Enter (it is not shown):", isJsonComplete)
              : answer;
          ctx.client = loadClient(text, "the pasted client JSON");
          a.clientFile = undefined;
        } else {
          const path = answer || previous;
          if (!path) continue;
          ctx.client = await fromPath(path);
          a.clientFile = ctx.client.source;
        }
        break;
      } catch (e) {
        if (!isInputError(e)) throw e;
        term.say(`  ${e.message}`);
      }
    }
  }
  a.clientId = ctx.client.file.clientId;
  await save();
}

function summary(
  io: CliIo,
  json: boolean,
  color: boolean,
  records: readonly StepRecord[],
  steps: readonly SetupStep[],
  spec: ConnectionSpec,
  files: WrittenFiles,
  client: LoadedClient | undefined,
  a: SetupAnswers,
): number {
  const checked = new Set(steps.filter((s) => s.check).map((s) => s.key));
  const failed = records.filter((r) => r.state === "failed" || (r.state === "skipped" && checked.has(r.key)));
  const inconclusive = records.some((r) => r.checks.some((c) => c.status === "inconclusive"));
  const code = failed.length > 0 ? EXIT.findings : inconclusive ? EXIT.inconclusive : EXIT.ok;
  const app = appInstructions(spec, client?.source ?? a.clientFile);
  if (json) {
    io.stdout.write(
      `${redact(JSON.stringify(redactValue({ ok: code === EXIT.ok, steps: records, files, app, spec }), null, 2))}\n`,
    );
    return code;
  }
  const p = paint(useColor(io.stdout, io.env) && color);
  const lines = ["", p.bold(`Setup summary (${spec.project.id}, ${a.account}):`)];
  records.forEach((r, i) => {
    const diag = [
      ...new Set(
        r.checks.filter((c) => c.status === "fail" || c.status === "inconclusive").map((c) => c.diagnosis ?? c.id),
      ),
    ];
    const how =
      r.state === "passed"
        ? p.green("passed")
        : r.state === "confirmed"
          ? "done (no API can read it)"
          : r.state === "skipped"
            ? p.yellow(`SKIPPED${diag.length ? ` over ${diag.join(", ")}` : ""}`)
            : p.red(`FAILED${diag.length ? `: ${diag.join(", ")}` : ""}`);
    lines.push(`  ${i + 1}. ${r.title}: ${how}${r.earlier ? " (earlier run)" : ""}`);
  });
  lines.push(
    "",
    "Written:",
    `  ${files.spec}  (the connection spec: gmail-oauth validate --spec ${files.spec} --client-secret-file FILE --account ${a.account})`,
    `  ${files.stackConfig}  (the same as Pulumi stack config, to adopt the setup as code later)`,
    "",
    ...app,
  );
  if (failed.length > 0)
    lines.push(
      "",
      p.red(`Not done: ${failed.map((r) => r.title).join("; ")}. Run \`gmail-oauth setup --resume\` after fixing.`),
    );
  io.stdout.write(`${redact(lines.join("\n"))}\n`);
  return code;
}
