// The verdict rule (issue 14 §2): a verdict rests on what was checked, for validate, check-token and fleet rows.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../validator/fleet/output";
import { renderHuman, renderJson } from "../../validator/report";
import { inSection } from "../../validator/sections";
import { exitCodeFor, summarize, type CheckResult } from "../../validator/types";
import { cli } from "./helpers";

const check = (id: string, status: CheckResult["status"]): CheckResult => ({ id, status, title: id });

/** What `validate --client-id X` alone checks: everything that proves a connection skipped, one offline pass. */
const barePreflight = [
  check("offline.client-file", "skip"),
  check("offline.scopes", "pass"),
  check("offline.audience.test-users", "skip"),
  check("live.gmail-api", "skip"),
  check("live.authorize", "skip"),
  check("live.token", "skip"),
  check("live.clock", "skip"),
];

describe("the verdict rule", () => {
  it("nothing to validate is a usage error that says what to pass (exit 2)", async () => {
    const r = await cli(["validate"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "gmail-oauth: validate: nothing to validate: no spec, client, redirect URI, project or account was given; pass --spec FILE (the JSON of `pulumi stack output --json`) or --stack NAME, or --client-secret-file FILE (the client JSON from Google), or --client-id with --redirect-uri\n",
    );
  });

  it("a preflight whose proving checks all skipped names them and exits 3, never 'should work'", () => {
    const report = summarize(barePreflight);
    expect(report.unproven).toEqual(["the client", "its secret", "a redirect URI", "the Gmail API", "the audience"]);
    expect(report.ok).toBe(false);
    expect(exitCodeFor(report)).toBe(3);
    const human = renderHuman(report, { color: false });
    expect(human).not.toContain("should work");
    expect(human.trimEnd().split("\n").at(-1)).toBe(
      "1 passed, 0 warnings, 0 failed, 0 inconclusive, 6 skipped: the connection is not proven: the client, its secret, a redirect URI, the Gmail API, the audience could not be checked (see the skipped checks for what to pass).",
    );
    expect(JSON.parse(renderJson(report))).toMatchObject({ ok: false, unproven: report.unproven });
  });

  it("an inconclusive proof is no proof; a failed one is a finding (exit 1)", () => {
    const proven = barePreflight.map((c) =>
      c.id.startsWith("live.") || c.id.startsWith("offline.audience") ? { ...c, status: "pass" as const } : c,
    );
    expect(exitCodeFor(summarize(proven))).toBe(0);
    const gmailUnknown = proven.map((c) => (c.id === "live.gmail-api" ? { ...c, status: "inconclusive" as const } : c));
    expect(summarize(gmailUnknown).unproven).toEqual(["the Gmail API"]);
    const gmailOff = proven.map((c) => (c.id === "live.gmail-api" ? { ...c, status: "fail" as const } : c));
    expect(summarize(gmailOff).unproven).toEqual([]);
    expect(exitCodeFor(summarize(gmailOff))).toBe(1);
  });

  it("check-token is judged on what it can prove: a refresh that worked but no Gmail call is not 'should work'", () => {
    const token = [check("token.source", "pass"), check("token.refresh", "pass"), check("token.gmail", "skip")];
    const report = summarize(token);
    expect(report.unproven).toEqual(["the Gmail API"]);
    expect(exitCodeFor(report)).toBe(3);
    expect(summarize([...token.slice(0, 2), check("token.gmail", "pass")]).unproven).toEqual([]);
  });

  it("a fleet row with unproven essentials is inconclusive, not OK", () => {
    expect(verdictOf(summarize(barePreflight))).toBe("inconclusive");
  });

  it("a combined report is judged per section: a proven service account does not prove the client", () => {
    const combined = [
      ...inSection("flectra", barePreflight),
      ...inSection("relay@acme-mail.iam.gserviceaccount.com", [check("sa.token[ana@acme.com][x]", "pass")]),
    ];
    const report = summarize(combined);
    expect(report.unproven).toEqual([
      "flectra: the client",
      "flectra: its secret",
      "flectra: a redirect URI",
      "flectra: the Gmail API",
      "flectra: the audience",
    ]);
    expect(exitCodeFor(report)).toBe(3);
    const proven = summarize([
      ...inSection(
        "flectra",
        barePreflight.map((c) => ({ ...c, status: "pass" as const })),
      ),
      ...inSection("relay@acme-mail.iam.gserviceaccount.com", [check("sa.token[ana@acme.com][x]", "pass")]),
    ]);
    expect(proven.unproven).toEqual([]);
    expect(renderHuman(proven, { color: false })).toContain("the connections should work.");
  });
});
