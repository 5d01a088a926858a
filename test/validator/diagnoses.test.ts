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
  // The codes are public (scripts match on them, docs/troubleshooting.md anchors them): written out here, so removing or
  // renaming one fails this test, and adding one is a deliberate edit of this list as well as of the catalogue.
  test("the public code names, exactly", () => {
    expect([...DIAGNOSIS_CODES].sort()).toEqual([
      "access_token_invalid",
      "account_not_test_user",
      "admin_policy_enforced",
      "app_blocked",
      "app_password_required",
      "app_redirect_endpoint_unreachable",
      "app_sign_in_disabled",
      "auth_code_reused",
      "authorization_request_malformed",
      "ca_bundle_missing",
      "client_deleted",
      "client_file_desktop_type",
      "client_file_invalid",
      "client_not_found",
      "client_secret_invalid",
      "client_secret_missing",
      "clock_skew",
      "cloud_credentials_missing",
      "cloud_permission_denied",
      "code_exchange_redirect_mismatch",
      "consent_denied",
      "consent_not_completed",
      "consent_screen_incomplete",
      "custom_scheme_disabled",
      "custom_scheme_on_web_client",
      "delegation_denied",
      "disallowed_useragent",
      "dns_failure",
      "dwd_client_not_authorized",
      "dwd_consumer_account",
      "dwd_scope_not_authorized",
      "dwd_user_not_found",
      "gmail_api_disabled",
      "gmail_quota_exceeded",
      "gmail_rate_limited",
      "gmail_send_unverified",
      "google_unavailable",
      "imap_connection_limit",
      "imap_disabled",
      "internal_without_organization",
      "invalid_rapt",
      "invalid_scope",
      "javascript_origin_not_allowed",
      "loopback_redirect_missing",
      "mail_port_blocked",
      "mail_service_not_enabled",
      "mail_tls_mode_mismatch",
      "mail_too_many_logins",
      "malformed_auth_code",
      "metadata_scope_restriction",
      "no_test_users",
      "oob_flow_blocked",
      "org_internal",
      "pkce_verifier_invalid",
      "production_unverified_restricted_scope",
      "proxy_auth_required",
      "proxy_unreachable",
      "publishing_status_mismatch",
      "quota_project_missing",
      "rate_limit_exceeded",
      "redirect_uri_invalid",
      "redirect_uri_not_registered",
      "refresh_token_expired",
      "refresh_token_expires_soon",
      "refresh_token_invalid",
      "refresh_token_missing",
      "refresh_token_wrong_client",
      "scope_not_granted",
      "service_account_key_invalid",
      "service_account_no_subject",
      "service_account_not_found",
      "sign_jwt_permission_denied",
      "smtp_app_password_advice",
      "smtp_auth_required",
      "smtp_ehlo_rejected",
      "smtp_starttls_required",
      "test_user_limit_exceeded",
      "testing_refresh_token_expiry",
      "tls_interception",
      "token_audience_mismatch",
      "token_endpoint_unavailable",
      "unknown_scope",
      "web_login_required",
      "wrong_account",
      "xoauth2_invalid_credentials",
      "xoauth2_scope_insufficient",
      "xoauth2_user_mismatch",
    ]);
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
