// Regressions from the review of the validator's classification and wording against the facts file.
import { describe, expect, test } from "vitest";
import { encodeAuthError } from "../../google/authError";
import {
  classifyApiError,
  classifyAuthError,
  classifyCallbackError,
  classifyTokenError,
  readAuthError,
} from "../../validator/classify";
import { DIAGNOSES } from "../../validator/diagnoses";
import { explain } from "../../validator/explain";
import { renderExplainHuman, renderExplainJson } from "../../validator/explainReport";
import { offlineChecks } from "../../validator/offline";
import type { ValidationInput } from "../../validator/types";

const authErrorUrl = (
  error: string,
  message: string | undefined,
  details: Record<string, string> = {},
  httpCode = 400,
) =>
  `https://accounts.google.com/signin/oauth/error?authError=${encodeAuthError({ error, ...(message !== undefined ? { message } : {}), httpCode, details })}&client_id=123-abc.apps.googleusercontent.com`;

describe("1. a rendered access_denied is the Testing block, a redirected one is a Cancel (google-behaviour.md §1.2-1.3)", () => {
  test("page text without the tester wording: account_not_test_user, inferred", () => {
    const r = explain("Error 403: access_denied");
    expect(r.diagnosis).toBe("account_not_test_user");
    expect(r.inferred).toBe(true);
    expect(renderExplainHuman(r)).toContain("[account_not_test_user] (inferred)");
    expect(JSON.parse(renderExplainJson(r)).inferred).toBe(true);
  });

  test("with the tester wording it is not inferred", () => {
    const r = explain(
      "The app is currently being tested, and can only be accessed by developer-approved testers.\nError 403: access_denied",
    );
    expect(r).toMatchObject({ diagnosis: "account_not_test_user" });
    expect(r.inferred).toBeUndefined();
  });

  test("classifyAuthError and the authError URL", () => {
    expect(classifyAuthError({ error: "access_denied" })).toBe("account_not_test_user");
    expect(readAuthError({ error: "access_denied" })).toEqual({ code: "account_not_test_user", inferred: true });
    expect(explain(authErrorUrl("access_denied", "Access blocked", {}, 403))).toMatchObject({
      diagnosis: "account_not_test_user",
      inferred: true,
    });
  });

  test("the callback's error=access_denied stays consent_denied", () => {
    expect(classifyCallbackError("access_denied")).toBe("consent_denied");
    expect(explain("https://mail.example.com/cb?error=access_denied&state=x").diagnosis).toBe("consent_denied");
  });
});

describe("2. SERVICE_DISABLED is a Gmail diagnosis only for Gmail (google-behaviour.md §5.2)", () => {
  const disabled = (service: string, title: string) => ({
    error: {
      code: 403,
      message: `${title} has not been used in project 42 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/${service}/overview?project=42 then retry.`,
      status: "PERMISSION_DENIED",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "SERVICE_DISABLED",
          domain: "googleapis.com",
          metadata: {
            service,
            consumer: "projects/42",
            activationUrl: `https://console.developers.google.com/apis/api/${service}/overview?project=42`,
          },
        },
      ],
    },
  });

  test("People API disabled: no Gmail diagnosis, in the classifier and in explain", () => {
    expect(classifyApiError(disabled("people.googleapis.com", "People API")).code).toBeUndefined();
    const r = explain(JSON.stringify(disabled("people.googleapis.com", "People API")));
    expect(r.diagnosis).toBeNull();
    expect(r.details.service).toBe("people.googleapis.com");
  });

  test("a legacy accessNotConfigured for another API, and the bare reason in text", () => {
    expect(
      classifyApiError({
        error: {
          code: 403,
          message: "Access Not Configured. Drive API has not been used in project 1 before or it is disabled.",
          errors: [{ reason: "accessNotConfigured" }],
        },
      }).code,
    ).toBeUndefined();
    expect(explain('reason: "SERVICE_DISABLED" for service people.googleapis.com').diagnosis).toBeNull();
  });

  test("Gmail's still is, by metadata.service or by the message", () => {
    expect(classifyApiError(disabled("gmail.googleapis.com", "Gmail API")).code).toBe("gmail_api_disabled");
    expect(
      classifyApiError({
        error: {
          code: 403,
          message: "Gmail API has not been used in project 1 before or it is disabled.",
          errors: [{ reason: "accessNotConfigured" }],
        },
      }).code,
    ).toBe("gmail_api_disabled");
    expect(explain('"reason": "SERVICE_DISABLED", "service": "gmail.googleapis.com"').diagnosis).toBe(
      "gmail_api_disabled",
    );
  });
});

describe("3. OOB reported as redirect_uri_mismatch (google-behaviour.md §1.2)", () => {
  test("authError with redirect_uri=urn:ietf:wg:oauth:2.0:oob in the request details", () => {
    const url = authErrorUrl(
      "redirect_uri_mismatch",
      "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.",
      { redirect_uri: "urn:ietf:wg:oauth:2.0:oob" },
    );
    expect(explain(url).diagnosis).toBe("oob_flow_blocked");
    expect(
      classifyAuthError({
        error: "redirect_uri_mismatch",
        details: { redirect_uri: "urn:ietf:wg:oauth:2.0:oob:auto" },
      }),
    ).toBe("oob_flow_blocked");
    expect(
      classifyAuthError({ error: "redirect_uri_mismatch", details: { redirect_uri: "https://a.example.com/cb" } }),
    ).toBe("redirect_uri_not_registered");
  });

  test("page text: the OOB URI wins over the redirect_uri_mismatch wording", () => {
    const page =
      "Access blocked: This app's request is invalid\nError 400: redirect_uri_mismatch\nIf you're the app developer, register the redirect URI in the Google Cloud Console.\nRequest details: redirect_uri=urn:ietf:wg:oauth:2.0:oob flowName=GeneralOAuthFlow";
    expect(explain(page).diagnosis).toBe("oob_flow_blocked");
    expect(explain(page.replace("urn:ietf:wg:oauth:2.0:oob", "urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob")).diagnosis).toBe(
      "oob_flow_blocked",
    );
  });
});

describe("4. the old page format 'Error: redirect_uri_mismatch'", () => {
  test("is the authorization page, not the token endpoint", () => {
    expect(explain("Error: redirect_uri_mismatch").diagnosis).toBe("redirect_uri_not_registered");
    expect(explain("Error: redirect_uri_mismatch").details.error).toBe("redirect_uri_mismatch");
    expect(explain("400. That's an error.\nError: redirect_uri_mismatch").diagnosis).toBe(
      "redirect_uri_not_registered",
    );
  });

  test("a bare redirect_uri_mismatch defaults to the authorization side; Bad Request or JSON means the token endpoint", () => {
    expect(explain("redirect_uri_mismatch").diagnosis).toBe("redirect_uri_not_registered");
    expect(explain("OAuthError redirect_uri_mismatch (Bad Request)").diagnosis).toBe("code_exchange_redirect_mismatch");
    expect(explain(`{'error': 'redirect_uri_mismatch'}`).diagnosis).toBe("code_exchange_redirect_mismatch");
    expect(explain('{"error":"redirect_uri_mismatch","error_description":"Bad Request"}').diagnosis).toBe(
      "code_exchange_redirect_mismatch",
    );
  });

  test("'Error: invalid_grant' from a library still reads as the token endpoint's", () => {
    expect(explain("Error: invalid_grant Token has been expired or revoked.").diagnosis).toBe("refresh_token_invalid");
  });
});

describe("5. PKCE only on Google's error wording (google-behaviour.md §1.5)", () => {
  const authorizeUrl =
    "https://accounts.google.com/o/oauth2/v2/auth?client_id=1-a.apps.googleusercontent.com&redirect_uri=http%3A%2F%2F127.0.0.1%3A8085%2F&response_type=code&scope=https%3A%2F%2Fmail.google.com%2F&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";

  test("a pasted authorize URL using PKCE is not a PKCE error", () => {
    expect(explain(authorizeUrl).diagnosis).not.toBe("pkce_verifier_invalid");
    expect(explain(`${authorizeUrl}\ninvalid_grant`).diagnosis).not.toBe("pkce_verifier_invalid");
    expect(
      classifyTokenError({ error: "invalid_request", error_description: "Invalid code_challenge_method" }),
    ).toBeUndefined();
  });

  test("Google's wording is", () => {
    expect(explain("invalid_grant: the code_challenge parameter is invalid or missing").diagnosis).toBe(
      "pkce_verifier_invalid",
    );
    expect(explain("Invalid code verifier.").diagnosis).toBe("pkce_verifier_invalid");
    expect(explain('{"error":"invalid_grant","error_description":"Missing code verifier."}').diagnosis).toBe(
      "pkce_verifier_invalid",
    );
  });
});

describe("6. refresh_token_expires_in 604799 is an undocumented sign (google-behaviour.md §2.2)", () => {
  test("explain marks it inferred", () => {
    const r = explain('"refresh_token_expires_in": 604799');
    expect(r).toMatchObject({ diagnosis: "testing_refresh_token_expiry", inferred: true });
    expect(renderExplainHuman(r)).toContain("[testing_refresh_token_expiry] (inferred)");
  });
});

describe("7. rate limits from Google APIs", () => {
  // Issue 11: Gmail's per-user rate limit is its own diagnosis, distinct from the sign-in rate limit and from an outage.
  test("429, RESOURCE_EXHAUSTED and rateLimitExceeded from Gmail (or an unnamed API) are gmail_rate_limited", () => {
    expect(
      classifyApiError({ error: { code: 429, message: "Quota exceeded", status: "RESOURCE_EXHAUSTED" } }).code,
    ).toBe("gmail_rate_limited");
    expect(
      classifyApiError({
        error: { code: 403, message: "User Rate Limit Exceeded", errors: [{ reason: "userRateLimitExceeded" }] },
      }).code,
    ).toBe("gmail_rate_limited");
    expect(
      classifyApiError({
        error: { code: 403, message: "Rate Limit Exceeded", errors: [{ reason: "rateLimitExceeded" }] },
      }).code,
    ).toBe("gmail_rate_limited");
    expect(
      explain('{"error":{"code":429,"message":"Too many requests","status":"RESOURCE_EXHAUSTED"}}').diagnosis,
    ).toBe("gmail_rate_limited");
    expect(explain("HttpError 403: rateLimitExceeded").diagnosis).toBe("gmail_rate_limited");
  });

  test("another API's rate limit says only that Google did not answer", () => {
    expect(
      explain(
        '<HttpError 403 when requesting https://www.googleapis.com/drive/v3/files returned "User Rate Limit Exceeded">',
      ).diagnosis,
    ).toBe("google_unavailable");
  });

  test("the authorization endpoint's own rate limit stays rate_limit_exceeded", () => {
    expect(explain("Error 403: rate_limit_exceeded").diagnosis).toBe("rate_limit_exceeded");
  });
});

describe("8. wording follows the facts file", () => {
  test("restricted scopes: the assessment's scope and the exemptions (§7)", () => {
    const c = DIAGNOSES.production_unverified_restricted_scope.cause;
    expect(c).toContain("Apps accessing restricted data from or through a third-party server");
    expect(c).toMatch(/personal use \(fewer than 100 users/);
    expect(c).toMatch(/internal use/);
    expect(DIAGNOSES.gmail_send_unverified.cause).not.toContain("lighter");
  });

  test("exact quotes of the admin setting and the Internal user type", () => {
    expect(DIAGNOSES.admin_policy_enforced.fix.join(" ")).toContain(
      '"Let Internal apps access restricted Google Workspace APIs"',
    );
    expect(DIAGNOSES.internal_without_organization.cause).toContain(
      '"Projects associated with a Google Cloud Organization"',
    );
  });

  test("the loopback port rule on Web clients is inferred (§8.1)", () => {
    expect(DIAGNOSES.redirect_uri_not_registered.cause).toContain("on a Web client the port rule is inferred");
    const input: ValidationInput = {
      clientId: "1-a.apps.googleusercontent.com",
      clientSecret: "GOCSPX-x",
      clientType: "web",
      redirectUris: ["http://127.0.0.1:8086/"],
      registeredRedirectUris: ["http://127.0.0.1:8085/"],
      scopes: ["https://mail.google.com/"],
      deadline: 0,
      provenance: { clientSecret: "env" },
    };
    const c = offlineChecks(input).find((x) => x.id === "offline.redirect-uri[http://127.0.0.1:8086/]");
    expect(c).toMatchObject({ status: "warn", diagnosis: "redirect_uri_not_registered", inferred: true });
    expect(c?.detail).toContain("inferred");
    const trailing = offlineChecks({ ...input, redirectUris: ["http://127.0.0.1:8085"] }).find(
      (x) => x.id === "offline.redirect-uri[http://127.0.0.1:8085]",
    );
    expect(trailing?.inferred).toBeUndefined();
  });

  test("consent_denied also names Back to safety and unticking every scope, as inferred", () => {
    expect(DIAGNOSES.consent_denied.cause).toMatch(/Back to safety[^.]*\(inferred\)/);
    expect(DIAGNOSES.consent_denied.cause).toMatch(/unticking every permission \(inferred/);
  });

  test("revoke's 'Token expired or revoked' does not claim a refresh token (§4.2)", () => {
    const r = explain('{"error":"invalid_token","error_description":"Token expired or revoked"}');
    expect(r.diagnosis).not.toBe("refresh_token_invalid");
    expect(r.diagnosis).toBe("access_token_invalid");
    expect(r.details.token).toMatch(/access and refresh tokens alike/);
    expect(explain("revoke failed: Token expired or revoked").diagnosis).toBe("access_token_invalid");
    expect(classifyTokenError({ error: "invalid_token", error_description: "Token expired or revoked" })).toBe(
      "access_token_invalid",
    );
    // The token endpoint's refresh answer still is a dead refresh token.
    expect(
      explain('{"error":"invalid_grant","error_description":"Token has been expired or revoked."}').diagnosis,
    ).toBe("refresh_token_invalid");
  });
});

describe("9. the unverified-app screen and a deleted account", () => {
  test("'Google hasn't verified this app' is the unverified-app diagnosis, inferred", () => {
    expect(
      explain(
        "Google hasn’t verified this app\nThe app is requesting access to sensitive info in your Google Account.",
      ),
    ).toMatchObject({ diagnosis: "production_unverified_restricted_scope", inferred: true });
    expect(explain("Google hasn't verified this app\nhttps://www.googleapis.com/auth/gmail.send")).toMatchObject({
      diagnosis: "gmail_send_unverified",
      inferred: true,
    });
    expect(
      explain("Google hasn't verified this app\nhttps://www.googleapis.com/auth/gmail.send https://mail.google.com/")
        .diagnosis,
    ).toBe("production_unverified_restricted_scope");
  });

  test("invalid_grant 'The account has been deleted' (google-behaviour.md §2.3)", () => {
    const r = explain('{"error":"invalid_grant","error_description":"The account has been deleted"}');
    expect(r.diagnosis).toBe("refresh_token_invalid");
    expect(r.details.cause).toBe("the Google account has been deleted");
    expect(explain("invalid_grant: The account has been deleted").diagnosis).toBe("refresh_token_invalid");
    expect(
      classifyTokenError(
        { error: "invalid_grant", error_description: "The account has been deleted" },
        "authorization_code",
      ),
    ).toBe("refresh_token_invalid");
  });
});
