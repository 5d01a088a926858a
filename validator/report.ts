// The report: one line per check, then each problem with its cause, fix and links (human), or one JSON document.
// Everything leaves through redact(): a secret quoted in a detail is masked here at the latest.
import type { CliIo } from "../common/io";
import { paint, useColor } from "../common/terminal";
import { redact, redactValue } from "../common/redact";
import { DIAGNOSES } from "./diagnoses";
import { exitCodeFor, summarize, type CheckResult, type CheckStatus, type Report } from "./types";

const SYMBOL: Record<CheckStatus, string> = { pass: "✔", warn: "⚠", fail: "✖", skip: "–", inconclusive: "?" };
const WORD: Record<CheckStatus, string> = {
  pass: "PASS",
  warn: "WARN",
  fail: "FAIL",
  skip: "SKIP",
  inconclusive: "INCONCLUSIVE",
};

function line(c: CheckResult, color: boolean): string {
  const p = paint(color);
  const tint = { pass: p.green, warn: p.yellow, fail: p.red, skip: p.dim, inconclusive: p.cyan }[c.status];
  const mark = color ? tint(SYMBOL[c.status]) : `${WORD[c.status]}:`.padEnd(14);
  const code = c.diagnosis ? ` [${c.diagnosis}]` : "";
  const detail = c.detail ? ` — ${c.detail}` : "";
  return `${mark} ${c.title}${code}${c.inferred ? " (inferred)" : ""}${detail}`;
}

function problem(c: CheckResult, color: boolean): string[] {
  const p = paint(color);
  const out = [`${p.bold(`${WORD[c.status]} ${c.title}`)}${c.diagnosis ? ` [${c.diagnosis}]` : ""}  (${c.id})`];
  if (c.detail) out.push(`  Seen:  ${c.detail}`);
  const cause = c.diagnosis ? DIAGNOSES[c.diagnosis].cause : undefined;
  if (cause) out.push(`  Cause: ${cause}${c.inferred ? " (inferred)" : ""}`);
  if (c.fix) {
    out.push("  Fix:");
    c.fix.split("\n").forEach((step, i) => {
      out.push(`    ${i + 1}. ${step}`);
    });
  }
  for (const link of c.links ?? []) out.push(`  Link:  ${link}`);
  return out;
}

export function renderHuman(report: Report, opts: { color: boolean }): string {
  const lines = report.checks.map((c) => line(c, opts.color));
  const problems = report.checks.filter(
    (c) => c.status === "fail" || c.status === "warn" || c.status === "inconclusive",
  );
  if (problems.length > 0) {
    lines.push("", "Problems:");
    for (const c of problems) lines.push("", ...problem(c, opts.color));
  }
  const s = report.summary;
  const verdict =
    s.fail > 0
      ? "will not work as declared"
      : report.unproven.length > 0
        ? `is not proven: ${report.unproven.join(", ")} could not be checked (see the skipped checks for what to pass)`
        : s.inconclusive > 0
          ? "could not be fully checked"
          : s.warn > 0
            ? "should work, with warnings"
            : "should work";
  lines.push(
    "",
    `${s.pass} passed, ${s.warn} warnings, ${s.fail} failed, ${s.inconclusive} inconclusive, ${s.skip} skipped: the connection ${verdict}.`,
  );
  return redact(`${lines.join("\n")}\n`);
}

/** The report as `--json` prints it, as an object: no empty fields, every secret masked. */
export function reportDocument(report: Report): Report {
  const checks = report.checks.map((c) => ({
    id: c.id,
    status: c.status,
    title: c.title,
    ...(c.diagnosis ? { diagnosis: c.diagnosis } : {}),
    ...(c.detail ? { detail: c.detail } : {}),
    ...(c.fix ? { fix: c.fix } : {}),
    ...(c.links?.length ? { links: c.links } : {}),
    ...(c.inferred ? { inferred: true } : {}),
    ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}),
  }));
  return redactValue({ ok: report.ok, summary: report.summary, unproven: report.unproven, checks });
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(reportDocument(report), null, 2)}\n`;
}

/** Summarises the checks, prints the report (JSON or human) to stdout and returns the exit code validate, check-token and fleet share. */
export function writeReport(checks: readonly CheckResult[], opts: { json: boolean; io: CliIo }): number {
  const { io } = opts;
  const report = summarize(checks);
  io.stdout.write(opts.json ? renderJson(report) : renderHuman(report, { color: useColor(io.stdout, io.env) }));
  return exitCodeFor(report);
}
