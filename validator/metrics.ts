// Prometheus metrics of a run (issue 16 §2): `--format openmetrics` on stdout and `--metrics-file FILE` for node
// exporter's textfile collector, for `validate`, `check-token` and `fleet`. One series set per connection: whether it
// works, its verdict, its diagnoses as labels, the forecast expiry, when it was checked and how long that took.
// Only gauges and the text both parsers read: OpenMetrics (Prometheus' scrape parser, `# EOF`) and the classic text
// format node exporter reads (it ignores `# UNIT` and `# EOF` as comments). No sample timestamps: their unit differs
// between the two formats, so times are values (`…_timestamp_seconds`, Prometheus' naming for Unix times).
import { checkWritableTarget, writeFileAtomically } from "../common/files";
import type { CliIo } from "../common/io";
import { redact } from "../common/redact";
import { writeReport } from "./report";
import { exitCodeFor, summarize } from "./types";
import { verdictOf, type ConnectionResult, type ConnectionVerdict, type FleetWriter } from "./fleet/output";
import type { CheckResult, Report } from "./types";

export const METRIC_PREFIX = "gmail_oauth";
const VERDICTS: readonly ConnectionVerdict[] = ["ok", "warn", "fail", "inconclusive"];

/** What metrics keep of one connection's run: a few numbers and labels, not the report (memory stays flat). */
export interface MetricsRow {
  readonly connection: string;
  readonly verdict: ConnectionVerdict;
  /** Distinct diagnosis codes with the worst status each was reported with. */
  readonly diagnoses: readonly { readonly code: string; readonly status: string }[];
  /** ms since epoch, from the token.forecast check. */
  readonly expiresAt?: number;
  readonly checkedAt: number;
  readonly seconds: number;
}

const RANK: Record<string, number> = { fail: 4, inconclusive: 3, warn: 2, skip: 1, pass: 0 };

export function metricsRow(connection: string, report: Report, checkedAt: number, seconds: number): MetricsRow {
  const worst = new Map<string, string>();
  let expiresAt: number | undefined;
  for (const c of report.checks as readonly CheckResult[]) {
    if (c.diagnosis && c.status !== "pass" && c.status !== "skip") {
      const seen = worst.get(c.diagnosis);
      if (!seen || RANK[c.status] > RANK[seen]) worst.set(c.diagnosis, c.status);
    }
    if (c.expiresAt) expiresAt = Date.parse(c.expiresAt);
  }
  return {
    connection,
    verdict: verdictOf(report),
    diagnoses: [...worst].map(([code, status]) => ({ code, status })),
    ...(expiresAt !== undefined && Number.isFinite(expiresAt) ? { expiresAt } : {}),
    checkedAt,
    seconds,
  };
}

/**
 * A label value as both formats quote it (backslash, double quote, newline escaped). A value that redact() would
 * change holds a secret (or its shape) and is replaced whole: no secret in any label.
 */
export function labelValue(value: string): string {
  const safe = redact(value) === value ? value : "[REDACTED]";
  return safe.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labels(pairs: Record<string, string>): string {
  return `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${labelValue(v)}"`)
    .join(",")}}`;
}

/** Seconds with millisecond precision, without exponent notation for the usual magnitudes. */
function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly unit?: string;
  readonly samples: (row: MetricsRow) => readonly string[];
}

const n = (suffix: string) => `${METRIC_PREFIX}_${suffix}`;

export const FAMILIES: readonly Family[] = [
  {
    name: n("connection_up"),
    help: "1 when the connection works: no check failed and none was inconclusive (warnings allowed).",
    samples: (r) => [
      `${n("connection_up")}${labels({ connection: r.connection })} ${r.verdict === "ok" || r.verdict === "warn" ? 1 : 0}`,
    ],
  },
  {
    name: n("connection_status"),
    help: "The connection's verdict, one series per status (ok, warn, fail, inconclusive); 1 marks the current one.",
    samples: (r) =>
      VERDICTS.map(
        (v) => `${n("connection_status")}${labels({ connection: r.connection, status: v })} ${r.verdict === v ? 1 : 0}`,
      ),
  },
  {
    name: n("connection_diagnosis"),
    help: "1 for each diagnosis the last run reported (docs/troubleshooting.md), with the status it was reported with.",
    samples: (r) =>
      r.diagnoses.map(
        (d) =>
          `${n("connection_diagnosis")}${labels({ connection: r.connection, diagnosis: d.code, status: d.status })} 1`,
      ),
  },
  {
    name: n("token_expiry_timestamp_seconds"),
    help: "When the stored refresh token is forecast to expire (consent time + refresh_token_expires_in), Unix time.",
    unit: "seconds",
    samples: (r) =>
      r.expiresAt === undefined
        ? []
        : [`${n("token_expiry_timestamp_seconds")}${labels({ connection: r.connection })} ${seconds(r.expiresAt)}`],
  },
  {
    name: n("last_check_timestamp_seconds"),
    help: "When the connection was last checked, Unix time.",
    unit: "seconds",
    samples: (r) => [
      `${n("last_check_timestamp_seconds")}${labels({ connection: r.connection })} ${seconds(r.checkedAt)}`,
    ],
  },
  {
    name: n("check_duration_seconds"),
    help: "How long the connection's checks took.",
    unit: "seconds",
    samples: (r) => [
      `${n("check_duration_seconds")}${labels({ connection: r.connection })} ${Math.round(r.seconds * 1000) / 1000}`,
    ],
  },
];

/**
 * Collects rows as connections finish and renders them once at the end: a metric family's samples must be
 * contiguous, so nothing can be written before the last connection. Each row is a few short strings.
 */
export class MetricsCollector {
  private readonly rows: MetricsRow[] = [];

  add(row: MetricsRow): void {
    this.rows.push(row);
  }

  render(): string {
    const out: string[] = [];
    for (const f of FAMILIES) {
      out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} gauge`);
      if (f.unit) out.push(`# UNIT ${f.name} ${f.unit}`);
      for (const r of this.rows) out.push(...f.samples(r));
    }
    out.push("# EOF");
    return `${out.join("\n")}\n`;
  }
}

/** `fleet --format openmetrics`: nothing per connection (families must be contiguous), everything at the end. */
export function openMetricsWriter(collector: MetricsCollector): FleetWriter {
  return {
    begin: () => "",
    connection: () => "",
    end: () => collector.render(),
  };
}

export function fleetMetricsRow(result: ConnectionResult): MetricsRow {
  return metricsRow(result.name, result.report, result.checkedAt ?? Date.now(), result.seconds);
}

/** --metrics-file's directory must be writable: said before the run (exit 2), not after an hour of checks. */
export function checkMetricsTarget(file: string, cwd: string): Promise<string> {
  return checkWritableTarget("--metrics-file", file, cwd);
}

export interface RunOutputOptions {
  readonly io: CliIo;
  readonly format: "text" | "json" | "openmetrics";
  /** Already checked with checkMetricsTarget. */
  readonly metricsFile?: string;
  /** The `connection` label: the client's or the mailbox's name, never a secret (labelValue masks one). */
  readonly connection: string;
  readonly startedAt: number;
}

/** The report of one validate / check-token run, in the chosen format, plus the metrics file; returns the exit code. */
export function writeRunOutput(checks: readonly CheckResult[], opts: RunOutputOptions): Promise<number> {
  const now = Date.now();
  const row = metricsRow(opts.connection, summarize(checks), now, (now - opts.startedAt) / 1000);
  return writeCombinedOutput(checks, [row], opts);
}

/**
 * One report over several connections (`validate --all`: every client's checks, prefixed), with a metrics row per
 * connection: the combined report in text or JSON, or the rows as OpenMetrics; the metrics file either way.
 */
export async function writeCombinedOutput(
  checks: readonly CheckResult[],
  rows: readonly MetricsRow[],
  opts: Pick<RunOutputOptions, "io" | "format" | "metricsFile">,
): Promise<number> {
  const collector = new MetricsCollector();
  for (const row of rows) collector.add(row);
  if (opts.metricsFile) await writeMetricsFile(opts.metricsFile, collector.render());
  if (opts.format !== "openmetrics") return writeReport(checks, { json: opts.format === "json", io: opts.io });
  opts.io.stdout.write(collector.render());
  return exitCodeFor(summarize(checks));
}

/** The textfile collector never reads half a file; mode 0644: no secret is in it, and node exporter is another user. */
export function writeMetricsFile(file: string, text: string): Promise<void> {
  return writeFileAtomically(file, text, 0o644);
}
