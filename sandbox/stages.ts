// The walkthrough's record: each stage with what was expected and what happened, rendered as a short section for
// people or as data for --json. Pure: no I/O here.
import { redact, redactValue } from "../common/redact";
import { paint } from "../common/terminal";
import type { KitRun } from "./kit";
import { diagnosesOf } from "./kit";

/** One expectation of a stage and what was seen. */
export interface StageCheck {
  readonly expected: string;
  readonly actual: string;
  readonly ok: boolean;
}

export interface Stage {
  readonly id: string;
  readonly title: string;
  /** Every check held, and nothing threw. */
  readonly ok: boolean;
  readonly checks: readonly StageCheck[];
  /** The CLI command the stage ran, as typed, with its exit code and the diagnosis codes of its report. */
  readonly command?: string;
  readonly exitCode?: number;
  readonly diagnoses?: readonly string[];
  /** What the section shows a person (already redacted). */
  readonly lines: readonly string[];
  /** Set when the stage could not finish. */
  readonly error?: string;
}

export function stage(
  id: string,
  title: string,
  lines: readonly string[],
  checks: readonly StageCheck[],
  run?: KitRun,
): Stage {
  return {
    id,
    title,
    ok: checks.every((c) => c.ok),
    checks,
    ...(run ? { command: run.command, exitCode: run.exitCode, diagnoses: diagnosesOf(run.report) } : {}),
    lines: lines.map(redact),
  };
}

export function failedStage(id: string, title: string, lines: readonly string[], error: string): Stage {
  return {
    id,
    title,
    ok: false,
    checks: [{ expected: "the stage completes", actual: redact(error), ok: false }],
    lines: lines.map(redact),
    error: redact(error),
  };
}

export const expect = (expected: string, actual: string, ok: boolean): StageCheck => ({ expected, actual, ok });

export function expectExit(run: KitRun, code: number): StageCheck {
  const why = run.exitCode === 2 ? ` (${run.stderr.trim().split("\n").pop() ?? "input error"})` : "";
  return expect(`exit code ${code}`, `exit code ${run.exitCode}${why}`, run.exitCode === code);
}

/** The report carries each code (any status). */
export function expectDiagnoses(run: KitRun, codes: readonly string[]): StageCheck[] {
  const seen = diagnosesOf(run.report);
  return codes.map((code) =>
    expect(
      `diagnosis ${code}`,
      seen.includes(code) ? `${code} reported` : `not reported (seen: ${seen.join(", ") || "none"})`,
      seen.includes(code),
    ),
  );
}

/** No check of the report failed. */
export function expectNoFailure(run: KitRun): StageCheck {
  const failed = (run.report?.checks ?? []).filter((c) => c.status === "fail" || c.status === "inconclusive");
  return expect(
    "no failed or inconclusive check",
    failed.length === 0
      ? "none"
      : failed.map((c) => `${c.status} ${c.id}${c.diagnosis ? ` [${c.diagnosis}]` : ""}`).join(", "),
    failed.length === 0,
  );
}

export function renderStage(s: Stage, index: number, color: boolean): string {
  const p = paint(color);
  const out = ["", p.bold(`── ${index}. ${s.title} ${"─".repeat(Math.max(3, 70 - s.title.length))}`), ""];
  out.push(...s.lines);
  if (s.lines.length > 0) out.push("");
  for (const c of s.checks)
    out.push(`${c.ok ? p.green("✔ expected") : p.red("✖ expected")} ${c.expected}${c.ok ? "" : `, got ${c.actual}`}`);
  return redact(`${out.join("\n")}\n`);
}

export function renderSummary(stages: readonly Stage[], total: number, color: boolean): string {
  const p = paint(color);
  const deviated = stages.find((s) => !s.ok);
  const notRun = total - stages.length;
  if (!deviated) return `\n${p.green("✔")} Sandbox: all ${stages.length} stages behaved as expected.\n`;
  const first = deviated.checks.find((c) => !c.ok);
  return redact(
    `\n${p.red("✖")} Sandbox: stage ${stages.indexOf(deviated) + 1} (${deviated.title}) deviated${first ? `: expected ${first.expected}, got ${first.actual}` : ""}${notRun > 0 ? `; ${notRun} later stage(s) did not run` : ""}.\n`,
  );
}

export interface SandboxDocument {
  readonly ok: boolean;
  readonly emulator: { readonly origin: string };
  readonly project?: { readonly id: string; readonly number: string };
  readonly clients: readonly { readonly name: string; readonly clientId: string }[];
  readonly stages: readonly Stage[];
}

export function renderJson(doc: SandboxDocument): string {
  return `${JSON.stringify(redactValue(doc), null, 2)}\n`;
}
