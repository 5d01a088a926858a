// The report: one line per check, then each problem with its cause, fix and links (human), or one JSON document.
// Each connection of a combined report is a section (sections.ts). Everything leaves through redact(): a secret quoted in a detail is masked here at the latest.
import type { CliIo } from "../common/io";
import { paint, useColor } from "../common/terminal";
import { redact, redactValue } from "../common/redact";
import { DIAGNOSES } from "./diagnoses";
import { sectionOf, withinSection } from "./sections";
import { exitCodeFor, summarize, type CheckResult, type CheckStatus, type Report } from "./types";

const SYMBOL: Record<CheckStatus, string> = { pass: "✔", warn: "⚠", fail: "✖", skip: "–", inconclusive: "?" };
const WORD: Record<CheckStatus, string> = {
  pass: "PASS",
  warn: "WARN",
  fail: "FAIL",
  skip: "SKIP",
  inconclusive: "INCONCLUSIVE",
};

const isProblem = (c: CheckResult) => c.status === "fail" || c.status === "warn" || c.status === "inconclusive";

/**
 * One line per check. A passed or skipped check's detail is said here, the only place it appears; a problem's line
 * names the check, and its evidence, cause and fix are said once, below.
 */
function line(c: CheckResult, section: string | undefined, color: boolean): string {
  const p = paint(color);
  const tint = { pass: p.green, warn: p.yellow, fail: p.red, skip: p.dim, inconclusive: p.cyan }[c.status];
  const mark = color ? tint(SYMBOL[c.status]) : `${WORD[c.status]}:`.padEnd(14);
  const { id, title } = withinSection(c, section);
  const code = c.diagnosis ? ` [${c.diagnosis}]` : "";
  const tail = isProblem(c) ? `  ${p.dim(`(${id})`)}` : c.detail ? ` — ${c.detail}` : "";
  return `${mark} ${title}${code}${c.inferred ? " (inferred)" : ""}${tail}`;
}

const RANK: Record<CheckStatus, number> = { fail: 0, inconclusive: 1, warn: 2, skip: 3, pass: 4 };

/**
 * The problems, each diagnosis once: checks of one section that reached the same diagnosis (the client file and
 * Google both saying redirect_uri_not_registered, one missing scope on every mailbox) share one cause, fix and set of
 * links, with each check's own evidence listed under it in report order.
 */
function problems(checks: readonly CheckResult[], color: boolean): string[] {
  const p = paint(color);
  const groups = new Map<string, CheckResult[]>();
  for (const c of checks.filter(isProblem)) {
    const key = c.diagnosis ? `${sectionOf(c) ?? ""}\u0000${c.diagnosis}\u0000${c.fix ?? ""}` : `\u0001${c.id}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const out: string[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const worst = group.reduce((a, b) => (RANK[b.status] < RANK[a.status] ? b : a)).status;
    const inferred = group.some((c) => c.inferred);
    out.push("", `${p.bold(`${WORD[worst]} ${first.title}`)}${first.diagnosis ? ` [${first.diagnosis}]` : ""}`);
    for (const c of group) if (c.detail) out.push(`  Seen:  ${c.detail}`);
    const cause = first.diagnosis ? DIAGNOSES[first.diagnosis].cause : undefined;
    if (cause) out.push(`  Cause: ${cause}${inferred ? " (inferred)" : ""}`);
    if (first.fix) {
      out.push("  Fix:");
      first.fix.split("\n").forEach((step, i) => {
        out.push(`    ${i + 1}. ${step}`);
      });
    }
    for (const link of new Set(group.flatMap((c) => c.links ?? []))) out.push(`  Link:  ${link}`);
  }
  return out;
}

export function renderHuman(report: Report, opts: { color: boolean }): string {
  const p = paint(opts.color);
  const lines: string[] = [];
  let current: string | undefined;
  for (const c of report.checks) {
    const section = sectionOf(c);
    if (section !== undefined && section !== current) lines.push(...(lines.length > 0 ? [""] : []), p.bold(section));
    current = section;
    lines.push(`${section === undefined ? "" : "  "}${line(c, section, opts.color)}`);
  }
  const found = problems(report.checks, opts.color);
  if (found.length > 0) lines.push("", "Problems:", ...found);
  const s = report.summary;
  const several = report.checks.some((c) => sectionOf(c) !== undefined);
  const verdict =
    s.fail > 0
      ? "will not work as declared"
      : report.unproven.length > 0
        ? `${several ? "are" : "is"} not proven: ${report.unproven.join(", ")} could not be checked (see the skipped checks for what to pass)`
        : s.inconclusive > 0
          ? "could not be fully checked"
          : s.warn > 0
            ? "should work, with warnings"
            : "should work";
  lines.push(
    "",
    `${s.pass} passed, ${s.warn} warnings, ${s.fail} failed, ${s.inconclusive} inconclusive, ${s.skip} skipped: the connection${several ? "s" : ""} ${verdict}.`,
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
