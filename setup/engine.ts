// The step engine: each step shown (what to do, the link, the values), then its check run at once. A failed check
// explains the mistake from the catalogue (cause, fix, link) and the step is repeated; nothing moves on over a known
// failure unless the person says so, and a skipped step is listed in the summary. Progress is saved after every
// step, so `setup --resume` continues where the person stopped, and Ctrl-C stops at the next safe point.
import { redact } from "../common/redact";
import { paint } from "../common/terminal";
import { DIAGNOSES } from "../validator/diagnoses";
import { openInBrowser } from "../validator/flow/browser";
import type { CheckResult } from "../validator/types";
import { saveProgress, type Progress, type StepState } from "./progress";
import type { SetupStep, StepContext } from "./steps";
import { SetupStopped, type Terminal } from "./terminal";

export interface StepRecord {
  readonly key: string;
  readonly title: string;
  readonly state: StepState | "failed";
  /** The last check results of the step (none for a step no API can read). */
  readonly checks: readonly CheckResult[];
  /** A step carried over from the progress file of an earlier run. */
  readonly earlier?: boolean;
}

export interface EngineOptions {
  readonly steps: readonly SetupStep[];
  readonly ctx: StepContext;
  readonly progress: Progress;
  readonly progressFile: string;
  /** Undefined: --non-interactive (every check once, no question). */
  readonly term?: Terminal;
  readonly color: boolean;
  /** Reads the client JSON before a step that needs it (asking for it, or from its saved path). */
  readonly loadClient: (step: SetupStep) => Promise<void>;
}

const MARK = { pass: "✔", warn: "⚠", fail: "✖", skip: "–", inconclusive: "?" } as const;
const WORD = { pass: "PASS", warn: "WARN", fail: "FAIL", skip: "SKIP", inconclusive: "INCONCLUSIVE" } as const;

const blocking = (r: CheckResult) => r.status === "fail" || r.status === "inconclusive";

export function resultLine(r: CheckResult, color: boolean): string {
  const p = paint(color);
  const tint = { pass: p.green, warn: p.yellow, fail: p.red, skip: p.dim, inconclusive: p.cyan }[r.status];
  const mark = color ? tint(MARK[r.status]) : `${WORD[r.status]}:`;
  return `  ${mark} ${r.title}${r.diagnosis ? ` [${r.diagnosis}]` : ""}${r.inferred ? " (inferred)" : ""}${r.detail ? ` — ${r.detail}` : ""}`;
}

/**
 * The catalogue's explanation of failed checks: what was seen, why, how to fix it, where. Checks that reached the
 * same diagnosis (the client file and Google both saying redirect_uri_not_registered) share one explanation.
 */
export function explainLines(failed: readonly CheckResult[], color: boolean): string[] {
  const p = paint(color);
  const groups = new Map<string, CheckResult[]>();
  for (const r of failed) groups.set(r.diagnosis ?? r.id, [...(groups.get(r.diagnosis ?? r.id) ?? []), r]);
  const out: string[] = [];
  for (const group of groups.values()) {
    const r = group[0];
    out.push(p.bold(`  ${r.title}${r.diagnosis ? ` [${r.diagnosis}]` : ""}`));
    for (const g of group) if (g.detail) out.push(`    Seen:  ${g.detail}`);
    if (r.diagnosis)
      out.push(`    Cause: ${DIAGNOSES[r.diagnosis].cause}${group.some((g) => g.inferred) ? " (inferred)" : ""}`);
    for (const [i, f] of (r.fix?.split("\n") ?? []).entries()) out.push(`    Fix ${i + 1}: ${f}`);
    for (const link of new Set(group.flatMap((g) => g.links ?? []))) out.push(`    Link:  ${link}`);
  }
  return out;
}

export async function walkSteps(opts: EngineOptions): Promise<StepRecord[]> {
  const { steps, ctx, progress, term, color } = opts;
  const p = paint(color);
  const say = (line = "") => ctx.io.stderr.write(`${redact(line)}\n`);
  const records: StepRecord[] = [];
  const save = () => saveProgress(opts.progressFile, progress);

  for (const [i, step] of steps.entries()) {
    const n = `${i + 1}/${steps.length}`;
    const before = progress.steps[step.key];
    if (before) {
      say(p.dim(`${n} ${step.title}: ${before} in an earlier run`));
      records.push({ key: step.key, title: step.title, state: before, checks: [], earlier: true });
      continue;
    }
    say("");
    say(p.bold(`Step ${n}: ${step.title}`));
    if (step.link) say(`Open ${step.link}`);
    for (const line of step.lines) say(line);
    if (step.proof) say(p.dim(`Check: ${step.proof}`));

    let attempt = 0;
    for (;;) {
      if (term && !step.check) {
        // Nothing from outside can see this step: the person says when it is done.
        const answer = await ask(term, `Done? [Enter] yes${step.link ? ", o open the link" : ""}, s skip, q quit: `);
        if (answer === "o" && step.link) {
          await openLink(step.link, ctx, say);
          continue;
        }
        if (answer === "q") throw new SetupStopped("ctrl-c");
        const state: StepState = answer === "s" ? "skipped" : "confirmed";
        progress.steps[step.key] = state;
        records.push({ key: step.key, title: step.title, state, checks: [] });
        await save();
        break;
      }
      if (!step.check) {
        progress.steps[step.key] = "confirmed";
        records.push({ key: step.key, title: step.title, state: "confirmed", checks: [] });
        break;
      }
      if (term && step.link && !step.needsClient && attempt === 0) {
        const answer = await ask(term, "When it is done, press Enter to check it (o open the link, s skip, q quit): ");
        if (answer === "o") await openLink(step.link, ctx, say);
        if (answer === "q") throw new SetupStopped("ctrl-c");
        if (answer === "s") {
          progress.steps[step.key] = "skipped";
          records.push({ key: step.key, title: step.title, state: "skipped", checks: [] });
          await save();
          break;
        }
      }
      if (step.needsClient) await opts.loadClient(step);
      say(p.dim("Checking…"));
      // The consent flow stops on the signal by itself (listener closed, a grant it holds revoked): wait for it.
      const results = step.handlesSignal ? await step.check(ctx) : await untilAborted(step.check(ctx), ctx.signal);
      for (const r of results) say(resultLine(r, color));
      const failed = results.filter(blocking);
      if (failed.length === 0) {
        progress.steps[step.key] = "passed";
        records.push({ key: step.key, title: step.title, state: "passed", checks: results });
        await save();
        break;
      }
      if (ctx.signal.aborted)
        throw ctx.signal.reason instanceof SetupStopped ? ctx.signal.reason : new SetupStopped("ctrl-c");
      say("");
      say(p.red(`The check of step ${i + 1} did not pass:`));
      for (const line of explainLines(failed, color)) say(line);
      if (!term) {
        records.push({ key: step.key, title: step.title, state: "failed", checks: results });
        break;
      }
      const answer = await ask(
        term,
        "Fix it as above, then press Enter to check again (s skip this step anyway, q quit and resume later): ",
      );
      if (answer === "q") throw new SetupStopped("ctrl-c");
      if (answer === "s") {
        progress.steps[step.key] = "skipped";
        records.push({ key: step.key, title: step.title, state: "skipped", checks: results });
        await save();
        break;
      }
      attempt++;
    }
  }
  return records;
}

async function ask(term: Terminal, question: string): Promise<string> {
  return (await term.ask(question)).toLowerCase();
}

async function openLink(link: string, ctx: StepContext, say: (l: string) => void): Promise<void> {
  const opened = await openInBrowser(link, ctx.io.env);
  say(
    opened.ok ? `Opened with ${opened.how}.` : `Could not open a browser (${opened.reason}); open the link yourself.`,
  );
}

/**
 * A check runs to its end unless Ctrl-C comes first; then the wait stops (the check's HTTP requests are bounded by
 * their own timeouts). The consent flow listens to the same signal itself, so it closes its listener and revokes any
 * grant it already holds before it returns.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new SetupStopped("ctrl-c"));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
