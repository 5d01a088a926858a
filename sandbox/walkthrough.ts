// `gmail-oauth sandbox`: the whole job on one machine, against the emulator standing in for Google.
//   provision (real infra/ program, in-process engine) → the console runbook → the console steps with two mistakes
//   → pulumi up again (secret stored) → validate (diagnoses) → fixes → validate (passes, keeps the token)
//   → check-token → Flectra's Test the Connection (SMTP, IMAP; IMAP off, then on) → 6 days later, check-token (the expiry forecast warns) → 8 days after consent, check-token (the
//   Testing 7-day expiry).
// Each stage records what was expected and what happened; exit 0 only when every stage behaved as expected.
// Each stage is a module of walkthroughStages/: a function from the World (the run's fixed surroundings) and what
// earlier stages produced (stack outputs, the created clients, the cloud tokens) to its Stage and what it produces.
// This file is the runner that threads those values through, in order.
import type { CliIo, RunCli } from "../common/io";
import { EXIT } from "../common/errors";
import { redact } from "../common/redact";
import { paint, useColor } from "../common/terminal";
import { startEmulator, type RunningEmulator } from "../emulator";
import { PRESETS, isPresetName } from "../connection/presets";
import { startScriptedBrowser } from "./browser";
import { SandboxEngine } from "./mockEngine";
import { freeLoopbackRedirect, startAppStandIn, type AppStandIn } from "./local";
import { addPeople, makeWorkDir, removeWorkDir } from "./accountsAndFiles";
import { loadStack, walkthroughTarget, withOrigin, type SandboxStack } from "./stackConfig";
import { failedStage, renderJson, renderStage, renderSummary, type SandboxDocument, type Stage } from "./stages";
import { checkToken } from "./walkthroughStages/checkToken";
import { consoleSteps } from "./walkthroughStages/consoleSteps";
import { delegationBroken } from "./walkthroughStages/delegationBroken";
import { delegationFixed } from "./walkthroughStages/delegationFixed";
import { expiry } from "./walkthroughStages/expiry";
import { fix } from "./walkthroughStages/fix";
import { forecast } from "./walkthroughStages/forecast";
import { provision } from "./walkthroughStages/provision";
import { runbook } from "./walkthroughStages/runbook";
import { storeCredentials } from "./walkthroughStages/storeCredentials";
import { testConnection } from "./walkthroughStages/testConnection";
import { validateBroken } from "./walkthroughStages/validateBroken";
import { validateFixed } from "./walkthroughStages/validateFixed";
import { progress, type World } from "./walkthroughStages/world";

export { BLOCKED_FLOW_TIMEOUT_S } from "./walkthroughStages/world";

export interface SandboxOptions {
  /** The kit's CLI, run in-process for each command the walkthrough shows (cli/main.ts hands over its runCli). */
  readonly runCli: RunCli;
  readonly json?: boolean;
  readonly stackConfig?: string;
  /** Run against an emulator the caller started (and closes); default: a fresh one on a free port. */
  readonly emulator?: RunningEmulator;
}

/** The stages in order, for the progress lines and the summary; each is a module of sandbox/walkthroughStages/. */
const STAGES = [
  { id: "provision", title: "pulumi up" },
  { id: "runbook", title: "The console runbook" },
  { id: "console", title: "The console steps" },
  { id: "store-credentials", title: "pulumi up again" },
  { id: "validate-broken", title: "validate (broken setup)" },
  { id: "fix", title: "The fixes" },
  { id: "validate-fixed", title: "validate (fixed setup)" },
  { id: "check-token", title: "check-token" },
  { id: "test-connection", title: "Flectra's Test the Connection (SMTP, IMAP)" },
  { id: "dwd-validate-broken", title: "validate --service-account (a scope forgotten)" },
  { id: "dwd-validate-fixed", title: "validate --service-account (fixed)" },
  { id: "forecast", title: "check-token before the expiry" },
  { id: "expiry", title: "check-token after the expiry" },
] as const;
export const STAGE_COUNT = STAGES.length;

type StageId = (typeof STAGES)[number]["id"];

/**
 * Runs the stages in order, each handed what the earlier ones produced; it stops at the first stage that could not
 * run (later stages build on it). The stages it ran, and what the run produced for the summary, come back.
 */
async function walk(
  w: World,
  show: (stage: Stage, index: number) => void,
): Promise<{ stages: Stage[]; outputs?: StackOutputsSummary; clients: readonly { name: string; clientId: string }[] }> {
  const stages: Stage[] = [];
  /** One stage: its result recorded and shown; what it produced, or undefined when it failed to run. */
  async function step<T extends { stage: Stage }>(id: StageId, run: () => Promise<T> | T): Promise<T | undefined> {
    const index = STAGES.findIndex((s) => s.id === id);
    const { title } = STAGES[index] ?? { title: id };
    progress(w.io, `stage ${index + 1}/${STAGES.length}: ${title}`);
    let result: T | undefined;
    let stage: Stage;
    try {
      result = await run();
      stage = result.stage;
    } catch (e) {
      stage = failedStage(id, title, [], e instanceof Error ? e.message : String(e));
    }
    stages.push(stage);
    show(stage, index + 1);
    return stage.error ? undefined : result;
  }
  const only = async (stage: Promise<Stage> | Stage) => ({ stage: await stage });

  const provisioned = await step("provision", () => provision(w));
  if (!provisioned) return { stages, clients: [] };
  const first = summary(provisioned.outputs);
  if (!(await step("runbook", () => only(runbook(w, provisioned.outputs)))))
    return { stages, outputs: first, clients: [] };
  const console = await step("console", () => consoleSteps(w, provisioned.outputs));
  if (!console) return { stages, outputs: first, clients: [] };
  const { clients, cloudToken } = console;
  const stored = await step("store-credentials", () => storeCredentials(w, clients));
  if (!stored) return { stages, outputs: first, clients };
  const done = { stages, outputs: summary(stored.outputs), clients };
  if (!(await step("validate-broken", () => only(validateBroken(w, cloudToken))))) return done;
  if (!(await step("fix", () => only(fix(w, stored.outputs, clients))))) return done;
  if (!(await step("validate-fixed", () => only(validateFixed(w, cloudToken))))) return done;
  if (!(await step("check-token", () => only(checkToken(w, cloudToken))))) return done;
  if (!(await step("test-connection", () => only(testConnection(w, cloudToken))))) return done;
  const broken = await step("dwd-validate-broken", () => delegationBroken(w));
  if (!broken) return done;
  if (!(await step("dwd-validate-fixed", () => only(delegationFixed(w, broken.appToken))))) return done;
  if (!(await step("forecast", () => only(forecast(w, cloudToken))))) return done;
  await step("expiry", () => only(expiry(w, cloudToken)));
  return done;
}

interface StackOutputsSummary {
  readonly projectId: string;
  readonly projectNumber: string;
}
const summary = (o: StackOutputsSummary): StackOutputsSummary => ({
  projectId: o.projectId,
  projectNumber: o.projectNumber,
});

/**
 * The app stand-in listens on the instance URL's port, or another one when that is taken; the stack is then
 * rewritten to the port actually served, for this run only.
 */
async function serveApp(io: CliIo, stack: SandboxStack): Promise<{ stack: SandboxStack; app?: AppStandIn }> {
  const target = walkthroughTarget(stack);
  const preset =
    target.client.preset && isPresetName(target.client.preset) ? PRESETS[target.client.preset].label : "The app";
  const app = await startAppStandIn(target.appRedirectUri, preset);
  if (!app) {
    progress(io, `${target.appRedirectUri} is not on this machine: validate will call the real app there`);
    return { stack };
  }
  const declared = new URL(target.appRedirectUri).origin;
  if (app.origin === declared) return { stack, app };
  progress(
    io,
    `${declared} is taken on this machine; the ${preset} stand-in and the stack use ${app.origin} for this run`,
  );
  return { stack: withOrigin(stack, declared, app.origin), app };
}

export async function runSandbox(io: CliIo, opts: SandboxOptions): Promise<number> {
  const loaded = await loadStack(opts.stackConfig, io.cwd);
  walkthroughTarget(loaded); // a stack the walkthrough cannot use is an input error, before anything starts
  const color = !opts.json && useColor(io.stdout, io.env);
  const dir = await makeWorkDir();
  const cleanup: (() => Promise<void>)[] = [() => removeWorkDir(dir)];
  try {
    const { stack, app } = await serveApp(io, loaded);
    if (app) cleanup.unshift(() => app.close());
    const emu = opts.emulator ?? (await startEmulator());
    if (!opts.emulator) cleanup.unshift(() => emu.close());
    const browser = await startScriptedBrowser(dir, emu.origin, "");
    cleanup.unshift(() => browser.close());
    const people = addPeople(emu.admin, stack.parsed.spec);
    progress(io, `Google emulator on ${emu.origin}; accounts ${people.join(", ")}; work directory ${dir}`);
    const world: World = {
      io,
      runCli: opts.runCli,
      color,
      dir,
      emu,
      engine: new SandboxEngine(emu.admin),
      browser,
      stack,
      target: walkthroughTarget(stack),
      loopback: await freeLoopbackRedirect(),
    };
    if (!opts.json)
      io.stdout.write(
        redact(
          `${paint(color).bold("gmail-oauth sandbox")}: the Gmail Connection Kit end to end, with the emulator standing in for Google (${emu.origin}).\n`,
        ),
      );
    const { stages, outputs, clients } = await walk(world, (stage, n) => {
      if (!opts.json) io.stdout.write(renderStage(stage, n, color));
    });
    const ok = stages.length === STAGES.length && stages.every((s) => s.ok);
    const doc: SandboxDocument = {
      ok,
      emulator: { origin: emu.origin },
      ...(outputs ? { project: { id: outputs.projectId, number: outputs.projectNumber } } : {}),
      clients: clients.map((c) => ({ name: c.name, clientId: c.clientId })),
      stages,
    };
    io.stdout.write(opts.json ? renderJson(doc) : renderSummary(stages, STAGES.length, color));
    return ok ? EXIT.ok : EXIT.findings;
  } finally {
    for (const step of cleanup) await step().catch(() => undefined);
  }
}
