// The metrics (issue 16 §2): the exact exposition, label escaping and secret masking, both of Prometheus' parsers
// through promtool (the classic text format node exporter reads: `promtool check metrics`, which also lints the
// names; the OpenMetrics parser: `promtool tsdb create-blocks-from openmetrics`), and the file written atomically.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { forgetSecrets, registerSecret } from "../../common/redact";
import { MetricsCollector, labelValue, metricsRow, writeMetricsFile, type MetricsRow } from "../../validator/metrics";
import { summarize, type CheckResult } from "../../validator/types";
import { missingPromtoolInCi, PROMTOOL, promtool } from "../support/promtool";

const CHECKED = Date.parse("2026-12-01T06:00:00Z");
const dir = mkdtempSync(join(tmpdir(), "metrics-"));
afterEach(() => forgetSecrets());

const checks: CheckResult[] = [
  { id: "token.refresh", status: "pass", title: "The refresh token works" },
  {
    id: "token.forecast",
    status: "warn",
    title: "The refresh token will expire soon",
    diagnosis: "refresh_token_expires_soon",
    expiresAt: "2026-12-02T09:00:00.000Z",
  },
  { id: "token.gmail", status: "fail", title: "Gmail", diagnosis: "gmail_api_disabled" },
  { id: "token.scopes", status: "warn", title: "Scopes", diagnosis: "gmail_api_disabled" },
];

function rows(): MetricsRow[] {
  return [
    metricsRow("flectra-prod", summarize(checks), CHECKED, 1.2345),
    metricsRow('odd "name"\\ with\nnewline', summarize([{ id: "a", status: "pass", title: "A" }]), CHECKED, 0.5),
  ];
}

function render(rs: readonly MetricsRow[]): string {
  const c = new MetricsCollector();
  for (const r of rs) c.add(r);
  return c.render();
}

describe("the exposition", () => {
  it("one family per fact, samples grouped, Prometheus names and base units, # EOF at the end", () => {
    expect(render(rows())).toBe(
      [
        "# HELP gmail_oauth_connection_up 1 when the connection works: no check failed and none was inconclusive (warnings allowed).",
        "# TYPE gmail_oauth_connection_up gauge",
        'gmail_oauth_connection_up{connection="flectra-prod"} 0',
        'gmail_oauth_connection_up{connection="odd \\"name\\"\\\\ with\\nnewline"} 1',
        "# HELP gmail_oauth_connection_status The connection's verdict, one series per status (ok, warn, fail, inconclusive); 1 marks the current one.",
        "# TYPE gmail_oauth_connection_status gauge",
        'gmail_oauth_connection_status{connection="flectra-prod",status="ok"} 0',
        'gmail_oauth_connection_status{connection="flectra-prod",status="warn"} 0',
        'gmail_oauth_connection_status{connection="flectra-prod",status="fail"} 1',
        'gmail_oauth_connection_status{connection="flectra-prod",status="inconclusive"} 0',
        'gmail_oauth_connection_status{connection="odd \\"name\\"\\\\ with\\nnewline",status="ok"} 1',
        'gmail_oauth_connection_status{connection="odd \\"name\\"\\\\ with\\nnewline",status="warn"} 0',
        'gmail_oauth_connection_status{connection="odd \\"name\\"\\\\ with\\nnewline",status="fail"} 0',
        'gmail_oauth_connection_status{connection="odd \\"name\\"\\\\ with\\nnewline",status="inconclusive"} 0',
        "# HELP gmail_oauth_connection_diagnosis 1 for each diagnosis the last run reported (docs/troubleshooting.md), with the status it was reported with.",
        "# TYPE gmail_oauth_connection_diagnosis gauge",
        'gmail_oauth_connection_diagnosis{connection="flectra-prod",diagnosis="refresh_token_expires_soon",status="warn"} 1',
        'gmail_oauth_connection_diagnosis{connection="flectra-prod",diagnosis="gmail_api_disabled",status="fail"} 1',
        "# HELP gmail_oauth_token_expiry_timestamp_seconds When the stored refresh token is forecast to expire (consent time + refresh_token_expires_in), Unix time.",
        "# TYPE gmail_oauth_token_expiry_timestamp_seconds gauge",
        "# UNIT gmail_oauth_token_expiry_timestamp_seconds seconds",
        'gmail_oauth_token_expiry_timestamp_seconds{connection="flectra-prod"} 1796202000',
        "# HELP gmail_oauth_last_check_timestamp_seconds When the connection was last checked, Unix time.",
        "# TYPE gmail_oauth_last_check_timestamp_seconds gauge",
        "# UNIT gmail_oauth_last_check_timestamp_seconds seconds",
        'gmail_oauth_last_check_timestamp_seconds{connection="flectra-prod"} 1796104800',
        'gmail_oauth_last_check_timestamp_seconds{connection="odd \\"name\\"\\\\ with\\nnewline"} 1796104800',
        "# HELP gmail_oauth_check_duration_seconds How long the connection's checks took.",
        "# TYPE gmail_oauth_check_duration_seconds gauge",
        "# UNIT gmail_oauth_check_duration_seconds seconds",
        'gmail_oauth_check_duration_seconds{connection="flectra-prod"} 1.235',
        'gmail_oauth_check_duration_seconds{connection="odd \\"name\\"\\\\ with\\nnewline"} 0.5',
        "# EOF",
        "",
      ].join("\n"),
    );
  });

  it("a label that holds a secret (registered, or by its shape) is masked whole", () => {
    registerSecret("opaque-secret-registered-value");
    expect(labelValue("conn-opaque-secret-registered-value")).toBe("[REDACTED]");
    expect(labelValue("1//0AbCdEfGhIjKlMnOp")).toBe("[REDACTED]");
    expect(labelValue("ana@example.com")).toBe("ana@example.com");
  });

  it("writes the file atomically: no temp file left, mode 0644, replaced whole", async () => {
    const file = join(dir, "gmail_oauth.prom");
    writeFileSync(file, "old");
    await writeMetricsFile(file, render(rows()));
    expect(readFileSync(file, "utf8")).toBe(render(rows()));
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe.skipIf(!PROMTOOL)("Prometheus' parsers (promtool)", () => {
  it("the text format node exporter's textfile collector reads: parsed and linted clean", async () => {
    const r = await promtool(["check", "metrics"], render(rows()));
    expect(r, r.stdout + r.stderr).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });

  it("the OpenMetrics parser reads every series with its labels back (timestamps added, as backfill needs them)", async () => {
    const work = mkdtempSync(join(tmpdir(), "metrics-om-"));
    // Only the samples get a timestamp: metadata, escapes and # EOF go to the parser as rendered.
    const stamped = render(rows()).replace(/^(gmail_oauth_.*)$/gm, "$1 1764568800");
    writeFileSync(join(work, "in.om"), stamped);
    const made = await promtool(["tsdb", "create-blocks-from", "openmetrics", "in.om", "blocks"], undefined, work);
    expect(made.code, made.stderr).toBe(0);
    mkdirSync(join(work, "blocks", "wal")); // dump opens the directory as a database, WAL included
    const dump = await promtool(["tsdb", "dump", "blocks"], undefined, work);
    expect(dump.code, dump.stderr).toBe(0);
    expect(dump.stdout).toContain(
      '{__name__="gmail_oauth_connection_diagnosis", connection="flectra-prod", diagnosis="gmail_api_disabled", status="fail"} 1 1764568800000',
    );
    expect(dump.stdout).toContain(
      '{__name__="gmail_oauth_token_expiry_timestamp_seconds", connection="flectra-prod"} 1.796202e+09 1764568800000',
    );
    expect(dump.stdout.trim().split("\n")).toHaveLength(stamped.split("\n").filter((l) => /^gmail/.test(l)).length);
  });

  it("the OpenMetrics parser refuses what we must never write (a unit that is not the name's suffix, no # EOF)", async () => {
    const work = mkdtempSync(join(tmpdir(), "metrics-om-bad-"));
    const stamped = render(rows()).replace(/^(gmail_oauth_.*)$/gm, "$1 1764568800");
    writeFileSync(join(work, "no-eof.om"), stamped.replace("# EOF\n", ""));
    const r = await promtool(["tsdb", "create-blocks-from", "openmetrics", "no-eof.om", "b"], undefined, work);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("data does not end with # EOF");
  });
});

it.runIf(missingPromtoolInCi)("CI has promtool (Debian's prometheus package, installed by .ci/run)", () => {
  expect(PROMTOOL, "promtool is missing: .ci/run installs the prometheus package").toBeDefined();
});
