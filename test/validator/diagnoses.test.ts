// The catalogue: one entry for every code, complete, and the only source of check text.
import { describe, expect, test } from "vitest";
import { DIAGNOSES, DIAGNOSIS_LIST, diagnosisLink, diagnosisResult } from "../../validator/diagnoses";
import { DIAGNOSIS_CODES } from "../../validator/catalogue";

const ISSUE_CODES = [
  "client_file_desktop_type",
  "client_not_found",
  "client_deleted",
  "client_secret_invalid",
  "client_secret_missing",
  "redirect_uri_not_registered",
  "redirect_uri_invalid",
  "custom_scheme_on_web_client",
  "oob_flow_blocked",
  "code_exchange_redirect_mismatch",
  "invalid_scope",
  "gmail_api_disabled",
  "mail_service_not_enabled",
  "no_test_users",
  "account_not_test_user",
  "test_user_limit_exceeded",
  "production_unverified_restricted_scope",
  "testing_refresh_token_expiry",
  "org_internal",
  "admin_policy_enforced",
  "consent_denied",
  "scope_not_granted",
  "refresh_token_missing",
  "refresh_token_invalid",
  "refresh_token_wrong_client",
  "wrong_account",
  "app_redirect_endpoint_unreachable",
];

describe("catalogue", () => {
  test("an entry for every code, in DIAGNOSIS_CODES, and no other", () => {
    expect(DIAGNOSIS_LIST.map((d) => d.code).sort()).toEqual([...DIAGNOSIS_CODES].sort());
    for (const code of DIAGNOSIS_CODES) expect(DIAGNOSES[code].code).toBe(code);
  });

  test("the issue's codes are all there, with their exact names", () => {
    for (const code of ISSUE_CODES) expect(DIAGNOSES).toHaveProperty(code);
  });

  test.each(DIAGNOSIS_LIST.map((d) => [d.code, d] as const))("%s is complete", (_code, d) => {
    expect(d.title.length).toBeGreaterThan(5);
    expect(d.cause.length).toBeGreaterThan(20);
    expect(d.fix.length).toBeGreaterThan(0);
    for (const step of d.fix) expect(step.trim()).not.toBe("");
    // A console page for what the console fixes; a reference page for what it cannot (the network in between).
    if (d.link)
      expect(d.link).toMatch(
        /^https:\/\/console\.(cloud|developers)\.google\.com\/\S*\{project\}|^https:\/\/[^{}\s]+$/,
      );
  });
});

describe("diagnosisResult", () => {
  test("fills title, fix and the console link from the catalogue", () => {
    const r = diagnosisResult("redirect_uri_not_registered", {
      id: "x",
      status: "fail",
      detail: "d",
      project: "acme-mail",
      clientId: "1-a.apps.googleusercontent.com",
    });
    expect(r).toEqual({
      id: "x",
      status: "fail",
      title: DIAGNOSES.redirect_uri_not_registered.title,
      diagnosis: "redirect_uri_not_registered",
      detail: "d",
      fix: DIAGNOSES.redirect_uri_not_registered.fix.join("\n"),
      links: ["https://console.cloud.google.com/auth/clients/1-a.apps.googleusercontent.com?project=acme-mail"],
    });
  });

  test("unknown project and client: the link still opens the right page", () => {
    expect(diagnosisLink("redirect_uri_not_registered", {})).toBe("https://console.cloud.google.com/auth/clients");
    expect(diagnosisLink("no_test_users", {})).toBe("https://console.cloud.google.com/auth/audience");
    expect(diagnosisLink("gmail_api_disabled", { project: "861228239640" })).toBe(
      "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=861228239640",
    );
    expect(diagnosisLink("consent_denied", { project: "p" })).toBeUndefined();
  });

  test("inferred comes from the entry or the caller; run-specific links come first", () => {
    expect(diagnosisResult("clock_skew", { id: "c", status: "warn" }).inferred).toBe(true);
    expect(diagnosisResult("org_internal", { id: "o", status: "fail" }).inferred).toBeUndefined();
    expect(diagnosisResult("org_internal", { id: "o", status: "fail", inferred: true }).inferred).toBe(true);
    expect(
      diagnosisResult("gmail_api_disabled", { id: "g", status: "fail", project: "1", links: ["https://a.example/x"] })
        .links?.[0],
    ).toBe("https://a.example/x");
  });
});
