// The report: symbols or words, problems with cause/fix/link, the JSON shape, and no secret in either.
import { afterEach, expect, test } from "vitest";
import { forgetSecrets, registerSecret } from "../../common/redact";
import { diagnosisResult } from "../../validator/diagnoses";
import { renderHuman, renderJson } from "../../validator/report";
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
    detail: "Testing",
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
    detail: "outside",
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
