// The report: symbols or words, problems with cause/fix/link, the JSON shape, and no secret in either.
import { afterEach, expect, test } from "vitest";
import { forgetSecrets, registerSecret } from "../../common/redact";
import { diagnosisResult } from "../../validator/diagnoses";
import { renderHuman, renderJson } from "../../validator/report";
import { inSection } from "../../validator/sections";
import { summarize, type CheckResult } from "../../validator/types";

afterEach(() => forgetSecrets());

const checks: CheckResult[] = [
  {
    id: "offline.scopes",
    status: "pass",
    title: "Scopes known and classified",
    detail: "https://mail.google.com/ (restricted)",
  },
  diagnosisResult("testing_refresh_token_expiry", {
    id: "offline.audience.refresh-expiry",
    status: "warn",
    detail: "External app in Testing requesting Gmail scopes",
  }),
  diagnosisResult("redirect_uri_not_registered", {
    id: "live.authorize[x]",
    status: "fail",
    detail: "x: redirect_uri_mismatch",
    project: "acme",
    clientId: "1-a.apps.googleusercontent.com",
  }),
  diagnosisResult("org_internal", {
    id: "offline.audience.account",
    status: "fail",
    inferred: true,
    detail: "ana@other.example is outside the organization",
  }),
  { id: "live.gmail-api", status: "skip", title: "Gmail API enabled in the project", detail: "no project" },
];

test("human, no colour: plain words, then each problem with cause, fix and link", () => {
  const out = renderHuman(summarize(checks), { color: false });
  expect(out).not.toMatch(/\u001b\[/);
  expect(out).toMatch(/^PASS: +Scopes known and classified — https:\/\/mail\.google\.com\/ \(restricted\)$/m);
  expect(out).toMatch(/^WARN: +Testing status/m);
  expect(out).toMatch(/^FAIL: +The redirect URI is not registered on the client \[redirect_uri_not_registered\]/m);
  expect(out).toMatch(/^SKIP: +Gmail API/m);
  expect(out).toContain("Cause: Google compares the redirect URI exactly");
  expect(out).toContain("    1. Open the client in Google Auth Platform");
  expect(out).toContain(
    "  Link:  https://console.cloud.google.com/auth/clients/1-a.apps.googleusercontent.com?project=acme",
  );
  expect(out).toMatch(/\[org_internal\] \(inferred\)/);
  expect(out).toContain(
    "1 passed, 1 warnings, 2 failed, 0 inconclusive, 1 skipped: the connection will not work as declared.",
  );
});

/** How often `needle` occurs in `haystack`. */
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

test("human: each check is one summary line, and each finding's evidence is said once, below", () => {
  const out = renderHuman(summarize(checks), { color: false });
  const summary = out.slice(0, out.indexOf("\nProblems:"));
  expect(summary.trim().split("\n")).toHaveLength(checks.length);
  for (const c of checks) expect(count(out, c.detail!), c.id).toBe(1);
  // A problem's line names its check; its evidence is under Problems, a passed or skipped check's on its line.
  expect(summary).toMatch(
    /^FAIL: +The redirect URI is not registered on the client \[redirect_uri_not_registered\] +\(live\.authorize\[x\]\)$/m,
  );
  expect(out).toContain("  Seen:  x: redirect_uri_mismatch");
  expect(summary).toContain("Gmail API enabled in the project — no project");
});

test("human: checks that reached one diagnosis share its cause, fix and link; each keeps its own evidence", () => {
  const rows = ["ana", "bob", "carol"].map((u) =>
    diagnosisResult("dwd_scope_not_authorized", {
      id: `sa.token[${u}@acme.com][gmail.modify]`,
      status: "fail",
      detail: `${u}@acme.com × gmail.modify: HTTP 401 unauthorized_client`,
      links: ["https://admin.google.com/ac/owl/domainwidedelegation?clientIdToAdd=1"],
    }),
  );
  const out = renderHuman(summarize(rows), { color: false });
  for (const r of rows) {
    expect(count(out, r.detail!)).toBe(1);
    expect(count(out, `(${r.id})`)).toBe(1);
  }
  expect(count(out, "Cause: The service account's client ID is delegated")).toBe(1);
  expect(count(out, "1. Open the prefilled link")).toBe(1);
  expect(count(out, "Link:  https://admin.google.com/ac/owl/domainwidedelegation?clientIdToAdd=1")).toBe(1);
});

test("human: a combined report prints each connection in its own section; the JSON keeps the flat list", () => {
  const combined = [
    ...inSection("flectra", [checks[0]!, checks[2]!]),
    ...inSection("relay@p.iam.gserviceaccount.com", [checks[4]!]),
  ];
  const out = renderHuman(summarize(combined), { color: false });
  expect(out).toMatch(/^flectra\n {2}PASS: +Scopes known and classified — /m);
  expect(out).toMatch(
    /^ {2}FAIL: +The redirect URI is not registered on the client \[redirect_uri_not_registered\] +\(live\.authorize\[x\]\)$/m,
  );
  expect(out).toMatch(
    /^relay@p\.iam\.gserviceaccount\.com\n {2}SKIP: +Gmail API enabled in the project — no project$/m,
  );
  // Problems say whose they are.
  expect(out).toContain("FAIL flectra: The redirect URI is not registered on the client");
  const doc = JSON.parse(renderJson(summarize(combined)));
  expect(doc.checks.map((c: { id: string }) => c.id)).toEqual([
    "flectra/offline.scopes",
    "flectra/live.authorize[x]",
    "relay@p.iam.gserviceaccount.com/live.gmail-api",
  ]);
  expect(doc.checks[0].title).toBe("flectra: Scopes known and classified");
});

test("human, colour: ✔ ⚠ ✖ symbols", () => {
  const out = renderHuman(summarize(checks), { color: true });
  for (const s of ["✔", "⚠", "✖"]) expect(out).toContain(s);
  expect(out).toMatch(/\u001b\[3\dm/);
});

test("JSON: the issue's shape, plus inferred", () => {
  const doc = JSON.parse(renderJson(summarize(checks)));
  expect(doc.ok).toBe(false);
  expect(doc.summary).toEqual({ pass: 1, warn: 1, fail: 2, skip: 1, inconclusive: 0 });
  expect(doc.checks[0]).toEqual({
    id: "offline.scopes",
    status: "pass",
    title: "Scopes known and classified",
    detail: "https://mail.google.com/ (restricted)",
  });
  expect(Object.keys(doc.checks[2])).toEqual(["id", "status", "title", "diagnosis", "detail", "fix", "links"]);
  expect(doc.checks[3].inferred).toBe(true);
});

test("a secret quoted in a detail is masked in both forms", () => {
  registerSecret("my-registered-secret-value");
  const leaky: CheckResult[] = [
    {
      id: "x",
      status: "fail",
      title: "t",
      detail: "saw my-registered-secret-value and GOCSPX-abcdefghij and ya29.a0AfH6SMBxyz123",
    },
  ];
  for (const out of [renderHuman(summarize(leaky), { color: false }), renderJson(summarize(leaky))]) {
    expect(out).not.toContain("my-registered-secret-value");
    expect(out).not.toContain("GOCSPX-abcdefghij");
    expect(out).not.toContain("ya29.a0AfH6SMBxyz123");
  }
});
