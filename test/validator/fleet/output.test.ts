import { afterEach, describe, expect, test } from "vitest";
import { forgetSecrets, registerSecret } from "../../../common/redact";
import {
  FleetTotals,
  jsonWriter,
  junitWriter,
  textWriter,
  verdictOf,
  xmlText,
  type ConnectionResult,
  type FleetWriter,
} from "../../../validator/fleet/output";
import { exitCodeFor, summarize, type CheckResult } from "../../../validator/types";
import { checkXml } from "./xml";

afterEach(() => forgetSecrets());

const SECRET = "GOCSPX-output-secret-0001";
const checks: CheckResult[] = [
  { id: "live.token", status: "pass", title: "Client ID and secret accepted" },
  {
    id: "live.authorize[https://a.example.com/cb?x=1&y=<2>]",
    status: "fail",
    title: "Google accepts the client",
    diagnosis: "client_not_found",
    detail: `said "no" & quoted ${SECRET} \u0001`,
    fix: "Create it.\nThen retry.",
    links: ["https://console.cloud.google.com/auth/clients?project=p&x=1"],
  },
  {
    id: "live.gmail-api",
    status: "inconclusive",
    title: "Gmail API enabled",
    diagnosis: "cloud_credentials_missing",
    detail: "no credential",
  },
  { id: "offline.client-file", status: "skip", title: "Client file", detail: "no --client-secret-file given" },
  { id: "offline.scopes", status: "warn", title: "Scopes known", diagnosis: "unknown_scope", detail: "x is unknown" },
];
const results: ConnectionResult[] = [
  { name: "healthy", report: summarize([checks[0]!]), seconds: 0.5 },
  { name: 'broken "one" <&>', report: summarize(checks), seconds: 1.25 },
];

function write(writer: FleetWriter): string {
  const totals = new FleetTotals();
  let out = writer.begin();
  for (const r of results) {
    totals.add(r.report);
    out += writer.connection(r);
  }
  return out + writer.end(totals, 2);
}

describe("the fleet report", () => {
  test("totals: verdicts per connection, check counts, and the exit code validate would give", () => {
    const totals = new FleetTotals();
    results.forEach((r) => {
      totals.add(r.report);
    });
    expect(totals.connections).toEqual({ ok: 1, warn: 0, fail: 1, inconclusive: 0 });
    expect(totals.checks).toEqual({ pass: 2, warn: 1, fail: 1, skip: 1, inconclusive: 1 });
    expect(exitCodeFor(totals.asReport())).toBe(1);
    expect(verdictOf(summarize([checks[2]!]))).toBe("inconclusive");
    expect(verdictOf(summarize([checks[4]!]))).toBe("warn");
  });

  test("JUnit: well-formed, one testsuite per connection with the right counts, and the right element per status", () => {
    registerSecret(SECRET);
    const xml = write(junitWriter());
    expect(xml).not.toContain(SECRET);
    const els = checkXml(xml);
    const suites = els.filter((e) => e.name === "testsuite");
    expect(suites.map((s) => s.attrs)).toEqual([
      { name: "healthy", tests: "1", failures: "0", errors: "0", skipped: "0", time: "0.500" },
      { name: 'broken "one" <&>', tests: "5", failures: "1", errors: "1", skipped: "1", time: "1.250" },
    ]);
    expect(els.filter((e) => e.name === "testcase")).toHaveLength(6);
    expect(els.filter((e) => e.depth === 3).map((e) => e.name)).toEqual(["failure", "error", "skipped", "system-out"]);
    const failure = els.find((e) => e.name === "failure")!;
    expect(failure.attrs.type).toBe("client_not_found");
    expect(failure.attrs.message).toBe('said "no" & quoted [REDACTED] \uFFFD');
  });

  test("xmlText redacts before escaping, so an escaped secret cannot slip through", () => {
    registerSecret("secret&value<1>");
    expect(xmlText("a secret&value<1> b")).toBe("a [REDACTED] b");
  });

  test("JSON: one document, a connection per line with its checks, and the fleet summary", () => {
    registerSecret(SECRET);
    const text = write(jsonWriter());
    expect(text).not.toContain(SECRET);
    const doc = JSON.parse(text);
    expect(doc.ok).toBe(false);
    expect(doc.summary).toEqual({
      connections: 2,
      connections_ok: 1,
      connections_warn: 0,
      connections_fail: 1,
      connections_inconclusive: 0,
      checks: { pass: 2, warn: 1, fail: 1, skip: 1, inconclusive: 1 },
      seconds: 2,
    });
    expect(doc.connections.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ["healthy", true],
      ['broken "one" <&>', false],
    ]);
    expect(doc.connections[1].checks[1]).toMatchObject({
      id: checks[1]!.id,
      status: "fail",
      diagnosis: "client_not_found",
    });
    expect(text.split("\n").filter((l) => l.startsWith('{"name"'))).toHaveLength(2);
  });

  test("text: one line per connection; the broken one's report indented below it; the totals last", () => {
    const text = write(textWriter(false));
    const lines = text.split("\n");
    expect(lines[0]).toBe("OK           healthy: 1 passed, 0 warnings, 0 failed, 0 inconclusive, 0 skipped");
    expect(lines[1]).toBe('FAIL         broken "one" <&>: 1 passed, 1 warnings, 1 failed, 1 inconclusive, 1 skipped');
    expect(lines[2]).toMatch(/^ {4}PASS: +Client ID and secret accepted$/);
    expect(text).toContain("    Problems:");
    expect(lines.at(-2)).toBe(
      "2 connections: 1 ok, 0 with warnings, 1 failing, 0 inconclusive; 2 checks passed, 1 warnings, 1 failed, 1 inconclusive, 1 skipped (2.0 s).",
    );
    expect(text).not.toMatch(/\u001b\[/);
    expect(textWriter(true).connection(results[0]!)).toMatch(/\u001b\[32m/);
  });
});
