// The fleet's combined report, written piece by piece as connections finish (so memory stays flat): plain text,
// one JSON document, or JUnit XML (one testsuite per connection, one testcase per check). Every piece goes through
// redact() before it is written (renderHuman and renderJson redact the reports they render).
import { paint } from "../../common/terminal";
import { redact, redactValue } from "../../common/redact";
import { DIAGNOSES } from "../diagnoses";
import { renderHuman, renderJson } from "../report";
import type { CheckResult, Report, ReportSummary } from "../types";

export type FleetFormat = "text" | "json" | "jsonl" | "junit" | "openmetrics";
export const FLEET_FORMATS: readonly FleetFormat[] = ["text", "json", "jsonl", "junit", "openmetrics"];

export interface ConnectionResult {
  readonly name: string;
  readonly report: Report;
  readonly seconds: number;
  /** When its checks ended (ms since epoch), for the metrics. */
  readonly checkedAt?: number;
}

export type ConnectionVerdict = "ok" | "warn" | "fail" | "inconclusive";

/** A connection's verdict, by the same rule as one validate run's exit code (validator/verdict.ts). */
export function verdictOf({ summary, unproven }: Pick<Report, "summary" | "unproven">): ConnectionVerdict {
  if (summary.fail > 0) return "fail";
  if (summary.inconclusive > 0 || unproven.length > 0) return "inconclusive";
  return summary.warn > 0 ? "warn" : "ok";
}

/** What the whole run found; its exit code comes from `checks` exactly as for one validate run. */
export class FleetTotals {
  readonly connections: Record<ConnectionVerdict, number> = { ok: 0, warn: 0, fail: 0, inconclusive: 0 };
  readonly checks: Record<keyof ReportSummary, number> = { pass: 0, warn: 0, fail: 0, skip: 0, inconclusive: 0 };
  count = 0;
  /** Connections whose essentials could not all be checked (validator/verdict.ts). */
  unproven = 0;

  add(report: Report): void {
    this.count++;
    this.connections[verdictOf(report)]++;
    if (report.unproven.length > 0) this.unproven++;
    for (const k of Object.keys(this.checks) as (keyof ReportSummary)[]) this.checks[k] += report.summary[k];
  }

  /** As a Report without its checks (they were streamed out), for exitCodeFor(). */
  asReport(): Report {
    const unproven = this.unproven > 0 ? [`${this.unproven} connection(s) not proven`] : [];
    return {
      ok: this.checks.fail === 0 && this.checks.inconclusive === 0 && unproven.length === 0,
      summary: { ...this.checks },
      unproven,
      checks: [],
    };
  }

  line(seconds: number): string {
    const c = this.connections;
    const k = this.checks;
    return `${this.count} connection${this.count === 1 ? "" : "s"}: ${c.ok} ok, ${c.warn} with warnings, ${c.fail} failing, ${c.inconclusive} inconclusive; ${k.pass} checks passed, ${k.warn} warnings, ${k.fail} failed, ${k.inconclusive} inconclusive, ${k.skip} skipped (${seconds.toFixed(1)} s).`;
  }
}

export interface FleetWriter {
  begin(): string;
  connection(result: ConnectionResult): string;
  end(totals: FleetTotals, seconds: number): string;
}

const WORD: Record<ConnectionVerdict, string> = { ok: "OK", warn: "WARN", fail: "FAIL", inconclusive: "INCONCLUSIVE" };

function counts(s: ReportSummary): string {
  return `${s.pass} passed, ${s.warn} warnings, ${s.fail} failed, ${s.inconclusive} inconclusive, ${s.skip} skipped`;
}

/** One line per connection; a connection with anything to say gets its full report, indented, below its line. */
export function textWriter(color: boolean): FleetWriter {
  const p = paint(color);
  const tint: Record<ConnectionVerdict, (s: string) => string> = {
    ok: p.green,
    warn: p.yellow,
    fail: p.red,
    inconclusive: p.cyan,
  };
  return {
    begin: () => "",
    connection({ name, report }) {
      const v = verdictOf(report);
      // renderHuman redacts the report; only the name is new here (redact is not free with hundreds of secrets).
      const head = `${tint[v](WORD[v].padEnd(12))} ${p.bold(redact(name))}: ${counts(report.summary)}\n`;
      if (v === "ok") return head;
      const body = renderHuman(report, { color })
        .trimEnd()
        .split("\n")
        .map((l) => (l ? `    ${l}` : l))
        .join("\n");
      return `${head}${body}\n\n`;
    },
    end: (totals, seconds) => redact(`${totals.line(seconds)}\n`),
  };
}

/** One connection as JSON: renderJson's report (the one shape, redacted) with the name, time and when it ended. */
function connectionObject({ name, report, seconds, checkedAt }: ConnectionResult): Record<string, unknown> {
  const body = JSON.parse(renderJson(report)) as Record<string, unknown>;
  const at = checkedAt === undefined ? {} : { checkedAt: new Date(checkedAt).toISOString() };
  return { name: redact(name), seconds: Math.round(seconds * 1000) / 1000, ...at, ...body };
}

function summaryObject(totals: FleetTotals, seconds: number): Record<string, unknown> {
  return {
    connections: totals.count,
    ...Object.fromEntries(Object.entries(totals.connections).map(([k, v]) => [`connections_${k}`, v])),
    checks: totals.checks,
    seconds: Math.round(seconds * 1000) / 1000,
  };
}

/** One JSON document: `{"connections":[…one object per line…],"summary":{…},"ok":…}`, streamed. */
export function jsonWriter(): FleetWriter {
  let first = true;
  return {
    begin: () => '{"connections":[\n',
    connection(result) {
      const line = `${first ? "" : ",\n"}${JSON.stringify(connectionObject(result))}`;
      first = false;
      return line;
    },
    end: (totals, seconds) =>
      `\n],"summary":${JSON.stringify(summaryObject(totals, seconds))},"ok":${totals.asReport().ok}}\n`,
  };
}

/**
 * JSON lines: one object per connection, written as it finishes, then one summary line. What `--resume` reads back
 * (validator/fleet/resume.ts), and what a log pipeline ingests line by line.
 */
export function jsonLinesWriter(): FleetWriter {
  return {
    begin: () => "",
    connection: (result) => `${JSON.stringify(connectionObject(result))}\n`,
    end: (totals, seconds) =>
      `${JSON.stringify({ summary: summaryObject(totals, seconds), ok: totals.asReport().ok })}\n`,
  };
}

// XML 1.0 forbids most control characters even when escaped; a detail quoting a binary body must not break the file.
const XML_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

function escapeXml(value: string): string {
  return value.replace(XML_INVALID, "\uFFFD").replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** Redacts first (escaping would hide a secret from redact), then escapes for text and attribute values. */
export function xmlText(value: string): string {
  return escapeXml(redact(value));
}

function checkBody(c: CheckResult): string {
  const lines: string[] = [];
  if (c.detail) lines.push(`Seen: ${c.detail}`);
  const cause = c.diagnosis ? DIAGNOSES[c.diagnosis].cause : undefined;
  if (cause) lines.push(`Cause: ${cause}${c.inferred ? " (inferred)" : ""}`);
  if (c.fix) lines.push(`Fix: ${c.fix}`);
  for (const link of c.links ?? []) lines.push(`Link: ${link}`);
  return lines.join("\n");
}

/** `suite` and `c` are already redacted: escaping is all that is left. */
function testcase(suite: string, c: CheckResult): string {
  const x = escapeXml;
  const open = `    <testcase classname="${x(suite)}" name="${x(`${c.title} (${c.id})`)}"`;
  const message = x(c.detail ?? c.title);
  const type = x(c.diagnosis ?? c.status);
  switch (c.status) {
    case "fail":
      return `${open}>\n      <failure message="${message}" type="${type}">${x(checkBody(c))}</failure>\n    </testcase>\n`;
    case "inconclusive":
      return `${open}>\n      <error message="${message}" type="${type}">${x(checkBody(c))}</error>\n    </testcase>\n`;
    case "skip":
      return `${open}>\n      <skipped message="${message}"/>\n    </testcase>\n`;
    case "warn":
      return `${open}>\n      <system-out>${x(`WARNING ${checkBody(c)}`)}</system-out>\n    </testcase>\n`;
    default:
      return `${open}/>\n`;
  }
}

/**
 * JUnit XML as CI systems read it: a testsuite per connection, a testcase per check; fail → <failure>,
 * inconclusive → <error>, skip → <skipped>, warn → a passing case with the warning in <system-out>.
 * The root carries no totals because it is written before the first connection finishes; a comment at the end does.
 */
export function junitWriter(): FleetWriter {
  return {
    begin: () => '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="gmail-oauth fleet">\n',
    connection({ name, report, seconds }) {
      const s = report.summary;
      // One redaction pass over the connection's checks (the catalogue's cause texts hold no secret).
      const suite = redact(name);
      const head = `  <testsuite name="${escapeXml(suite)}" tests="${report.checks.length}" failures="${s.fail}" errors="${s.inconclusive}" skipped="${s.skip}" time="${seconds.toFixed(3)}">\n`;
      return `${head}${redactValue(report.checks)
        .map((c) => testcase(suite, c))
        .join("")}  </testsuite>\n`;
    },
    end: (totals, seconds) => `  <!-- ${xmlText(totals.line(seconds)).replace(/--/g, "- -")} -->\n</testsuites>\n`,
  };
}

/** The report writers; openmetrics is validator/metrics.ts's (it collects rather than streams). */
export function fleetWriter(format: Exclude<FleetFormat, "openmetrics">, color: boolean): FleetWriter {
  if (format === "jsonl") return jsonLinesWriter();
  return format === "json" ? jsonWriter() : format === "junit" ? junitWriter() : textWriter(color);
}
