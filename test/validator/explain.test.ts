// `explain` against a table of inputs per code, in every form users paste, plus the emulator's own error outputs.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { encodeAuthError } from "../../google/authError";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { DIAGNOSES } from "../../validator/diagnoses";
import { RULES, VOCABULARY } from "../../validator/diagnosis/decide";
import { explain } from "../../validator/explain";
import { renderExplainHuman, renderExplainJson } from "../../validator/explainReport";
import type { DiagnosisCode } from "../../validator/types";

const authErrorUrl = (error: string, message: string, details: Record<string, string> = {}, nested = false) =>
  `https://accounts.google.com/signin/oauth/error?authError=${encodeAuthError({ error, message, httpCode: 400, details }, { nestedMessage: nested })}&client_id=123-abc.apps.googleusercontent.com`;

const TABLE: readonly (readonly [DiagnosisCode, string, string])[] = [
  [
    "client_file_desktop_type",
    "client JSON",
    '{"installed":{"client_id":"1-a.apps.googleusercontent.com","redirect_uris":["http://localhost"]}}',
  ],
  ["client_not_found", "authError URL", authErrorUrl("invalid_client", "The OAuth client was not found.")],
  [
    "client_not_found",
    "page text",
    "Access blocked: authorisation error\nThe OAuth client was not found.\nError 401: invalid_client",
  ],
  [
    "client_not_found",
    "token JSON",
    '{"error":"invalid_client","error_description":"The OAuth client was not found."}',
  ],
  ["client_deleted", "page text", "Error 401: deleted_client\nThe OAuth client was deleted."],
  ["client_deleted", "token JSON", '{"error":"deleted_client","error_description":"The OAuth client was deleted."}'],
  ["client_secret_invalid", "token JSON", '{"error":"invalid_client","error_description":"Unauthorized"}'],
  [
    "client_secret_invalid",
    "Python line",
    "google.auth.exceptions.RefreshError: ('invalid_client: Unauthorized', {'error': 'invalid_client', 'error_description': 'Unauthorized'})",
  ],
  [
    "client_secret_missing",
    "token JSON",
    '{"error":"invalid_request","error_description":"client_secret is missing."}',
  ],
  [
    "redirect_uri_not_registered",
    "authError URL (plain message)",
    authErrorUrl(
      "redirect_uri_mismatch",
      "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.",
      { redirect_uri: "https://mail.example.com/cb", flowName: "GeneralOAuthFlow" },
    ),
  ],
  [
    "redirect_uri_not_registered",
    "authError URL (nested message)",
    authErrorUrl(
      "redirect_uri_mismatch",
      "If you're the app developer, register the redirect URI in the Google Cloud Console.",
      { redirect_uri: "https://mail.example.com/cb" },
      true,
    ),
  ],
  [
    "redirect_uri_not_registered",
    "page text",
    "Access blocked: This app's request is invalid\nError 400: redirect_uri_mismatch\nIf you're the app developer, register the redirect URI in the Google Cloud Console.\nRequest details: redirect_uri=https://mail.example.com/cb flowName=GeneralOAuthFlow",
  ],
  [
    "redirect_uri_not_registered",
    "old page text",
    "Error: redirect_uri_mismatch The redirect URI in the request, http://localhost:8080/cb, does not match the ones authorized for the OAuth client.",
  ],
  [
    "custom_scheme_on_web_client",
    "page text",
    "Error: invalid_request\nCustom scheme URIs are not allowed for 'WEB' client type.",
  ],
  [
    "oob_flow_blocked",
    "page text",
    "Error 400: invalid_request\nThe out-of-band (OOB) flow has been blocked in order to keep users secure.",
  ],
  [
    "oob_flow_blocked",
    "authError URL",
    authErrorUrl("invalid_request", "The out-of-band (OOB) flow has been blocked in order to keep users secure."),
  ],
  [
    "code_exchange_redirect_mismatch",
    "token JSON",
    '{"error":"redirect_uri_mismatch","error_description":"Bad Request"}',
  ],
  ["code_exchange_redirect_mismatch", "Node line", "GaxiosError: redirect_uri_mismatch: Bad Request"],
  [
    "invalid_scope",
    "page text",
    "Error 400: invalid_scope\nSome requested scopes were invalid. {valid=[openid], invalid=[gmail.readonly]}",
  ],
  [
    "invalid_scope",
    "newer page text",
    "Some requested scopes cannot be shown: [https://www.googleapis.com/auth/gmail.x]",
  ],
  [
    "gmail_api_disabled",
    "API JSON",
    JSON.stringify({
      error: {
        code: 403,
        message:
          "Gmail API has not been used in project 861228239640 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=861228239640 then retry.",
        errors: [{ reason: "accessNotConfigured", domain: "usageLimits" }],
        status: "PERMISSION_DENIED",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "SERVICE_DISABLED",
            domain: "googleapis.com",
            metadata: {
              service: "gmail.googleapis.com",
              consumer: "projects/861228239640",
              activationUrl:
                "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=861228239640",
            },
          },
        ],
      },
    }),
  ],
  [
    "gmail_api_disabled",
    "Python line",
    'googleapiclient.errors.HttpError: <HttpError 403 when requesting https://gmail.googleapis.com/gmail/v1/users/me/profile?alt=json returned "Access Not Configured. Gmail API has not been used in project 861228239640 before or it is disabled.">',
  ],
  [
    "mail_service_not_enabled",
    "API JSON",
    '{"error":{"code":400,"message":"Mail service not enabled","errors":[{"message":"Mail service not enabled","domain":"global","reason":"failedPrecondition"}],"status":"FAILED_PRECONDITION"}}',
  ],
  [
    "account_not_test_user",
    "page text",
    "Access blocked: Acme Mail has not completed the Google verification process\nThe app is currently being tested, and can only be accessed by developer-approved testers.\nError 403: access_denied",
  ],
  [
    "account_not_test_user",
    "old authError",
    authErrorUrl(
      "access_denied",
      "The developer hasn't given you access to this app. It's currently being tested and it hasn't been verified by Google.",
    ),
  ],
  ["testing_refresh_token_expiry", "token response", 'the token response had "refresh_token_expires_in": 604799'],
  ["org_internal", "page text", "Error 403: org_internal\nThis client is restricted to users within its organization."],
  [
    "admin_policy_enforced",
    "old page text",
    "Error: admin_policy_enforced\nAccess to your account data is restricted by policies within your organization.",
  ],
  ["admin_policy_enforced", "callback URL", "https://mail.example.com/cb?error=admin_policy_enforced&state=xyz"],
  ["consent_denied", "callback URL", "https://oauth2.example.com/auth?error=access_denied&state=abc"],
  ["client_not_found", "callback URL with invalid_client", "http://localhost:8080/?error=invalid_client&state=x"],
  [
    "consent_denied",
    "log line with a callback URL",
    "GET /google_gmail/confirm?state=x&error=access_denied HTTP/1.1 302",
  ],
  [
    "scope_not_granted",
    "API JSON",
    '{"error":{"code":403,"message":"Request had insufficient authentication scopes.","errors":[{"message":"Insufficient Permission","domain":"global","reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED"}}',
  ],
  ["refresh_token_missing", "Node line", "Error: No refresh token is set."],
  [
    "refresh_token_invalid",
    "token JSON",
    '{"error":"invalid_grant","error_description":"Token has been expired or revoked."}',
  ],
  [
    "refresh_token_invalid",
    "Python line",
    "google.auth.exceptions.RefreshError: ('invalid_grant: Token has been expired or revoked.', {'error': 'invalid_grant', 'error_description': 'Token has been expired or revoked.'})",
  ],
  ["refresh_token_wrong_client", "token JSON", '{"error":"unauthorized_client","error_description":"Unauthorized"}'],
  [
    "refresh_token_wrong_client",
    "Python line",
    "RefreshError: ('unauthorized_client: Unauthorized', {'error': 'unauthorized_client', 'error_description': 'Unauthorized'})",
  ],
  ["rate_limit_exceeded", "page text", "Error 403: rate_limit_exceeded"],
  [
    "invalid_rapt",
    "token JSON",
    '{"error":"invalid_grant","error_description":"reauth related error (invalid_rapt)","error_subtype":"invalid_rapt"}',
  ],
  ["clock_skew", "Node line", "Error: Token used too early, 1700000100 > 1700000000"],
  ["malformed_auth_code", "token JSON", '{"error":"invalid_grant","error_description":"Malformed auth code."}'],
  [
    "auth_code_reused",
    "token JSON from a code exchange",
    'Error exchanging code for tokens: {"error":"invalid_grant","error_description":"Bad Request"}',
  ],
  [
    "refresh_token_invalid",
    "token JSON without context (the likeliest reading)",
    '{"error":"invalid_grant","error_description":"Bad Request"}',
  ],
  ["auth_code_reused", "old wording", "invalid_grant: Code was already redeemed."],
  ["pkce_verifier_invalid", "token JSON", '{"error":"invalid_grant","error_description":"Invalid code verifier."}'],
  ["disallowed_useragent", "page text", "Error 403: disallowed_useragent"],
  [
    "cloud_credentials_missing",
    "Node line",
    "Error: Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.",
  ],
  [
    "cloud_permission_denied",
    "API JSON",
    '{"error":{"code":403,"message":"Permission denied to enable service [gmail.googleapis.com]\\nHelp Token: abc","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"AUTH_PERMISSION_DENIED","domain":"serviceusage.googleapis.com"}]}}',
  ],
  [
    "authorization_request_malformed",
    "page text",
    "Access blocked: Authorization Error\nRequired parameter is missing: response_type\nError 400: invalid_request",
  ],
  [
    "metadata_scope_restriction",
    "API JSON",
    '{"error":{"code":403,"message":"Metadata scope does not support \'q\' parameter","status":"PERMISSION_DENIED"}}',
  ],
  [
    "app_blocked",
    "page text",
    "This app is blocked\nThis app tried to access sensitive info in your Google Account. To keep your account safe, Google blocked this access.",
  ],
  [
    "app_sign_in_disabled",
    "page text",
    "Error 401: disabled_client\nSign in with Google temporarily disabled for this app.",
  ],
  [
    "gmail_rate_limited",
    "API JSON",
    '{"error":{"code":429,"message":"User-rate limit exceeded.  Retry after 2026-01-01T00:00:00.000Z","errors":[{"reason":"rateLimitExceeded"}],"status":"RESOURCE_EXHAUSTED"}}',
  ],
  ["gmail_quota_exceeded", "SMTP reply", "550 5.4.5 Daily user sending quota exceeded. x1sm1 - gsmtp"],
  [
    "gmail_quota_exceeded",
    "API 429 for the sending limit",
    '{"error":{"code":429,"message":"User-rate limit exceeded.  Retry after 2026-01-01T06:00:00.000Z (Mail sending)","errors":[{"message":"User-rate limit exceeded.  Retry after 2026-01-01T06:00:00.000Z (Mail sending)","domain":"usageLimits","reason":"rateLimitExceeded"}],"status":"RESOURCE_EXHAUSTED"}}',
  ],
  ["token_endpoint_unavailable", "token JSON", '{"error":"internal_failure"}'],
  ["client_file_invalid", "Python line", "ValueError: Client secrets must be for a web or installed app."],
  [
    "redirect_uri_invalid",
    "console message",
    "Invalid redirect: must end with a public top-level domain (such as .com or .org).",
  ],
  ["production_unverified_restricted_scope", "page text", "Google hasn't verified this app"],
  [
    "access_token_invalid",
    "API JSON",
    '{"error":{"code":401,"message":"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.","errors":[{"message":"Invalid Credentials","domain":"global","reason":"authError"}],"status":"UNAUTHENTICATED"}}',
  ],
  ["access_token_invalid", "tokeninfo JSON", '{"error":"invalid_token","error_description":"Invalid Value"}'],
  // SMTP/IMAP with XOAUTH2 (google-behaviour.md §11); real mail-client logs are in explain.mail.test.ts.
  [
    "imap_disabled",
    "IMAP reply",
    "A01 NO [ALERT] IMAP access is disabled for your domain. Please contact your domain administrator for questions about this feature. (Failure)",
  ],
  [
    "app_password_required",
    "SMTP reply",
    "534-5.7.9 Application-specific password required. Learn more at\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor x1 - gsmtp",
  ],
  [
    "xoauth2_scope_insufficient",
    "IMAP log",
    "scope https://www.googleapis.com/auth/gmail.send\nA01 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)",
  ],
  [
    "xoauth2_user_mismatch",
    "check-token detail",
    "user=other@example.com is not the token's account (sales@example.com).",
  ],
  [
    "xoauth2_invalid_credentials",
    "SMTP log",
    "334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==",
  ],
  ["mail_port_blocked", "nodemailer error", "Error: connect ETIMEDOUT 142.250.102.109:587"],
  // The network in between (issue 18), verbatim from the public reports cited in validator/catalogue.ts.
  [
    "proxy_unreachable",
    "npm line",
    "Error: tunneling socket could not be established, cause=connect ECONNREFUSED 127.0.0.1:8888",
  ],
  ["proxy_auth_required", "Node line", "Error: tunneling socket could not be established, statusCode=407"],
  ["proxy_auth_required", "Python line", "OSError('Tunnel connection failed: 407 Proxy Authentication Required')"],
  [
    "tls_interception",
    "Node line",
    "request to https://oauth2.googleapis.com/token failed, reason: self-signed certificate in certificate chain",
  ],
  [
    "tls_interception",
    "Node line",
    "Failed to exchange authorization code for tokens: request to https://oauth2.googleapis.com/token failed, reason: unable to get local issuer certificate",
  ],
  [
    "dns_failure",
    "Node line",
    "Error when getting recent emails: FetchError: request to https://gmail.googleapis.com/gmail/v1/users/me/messages/17a435042b0a2dd5?format=full failed, reason: getaddrinfo ENOTFOUND gmail.googleapis.com",
  ],
  ["dns_failure", "GAM line", "ERROR: Unable to find the server at oauth2.googleapis.com"],
  [
    "google_unavailable",
    "API JSON",
    '{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}',
  ],
  // Service accounts with domain-wide delegation: Google's words from google-behaviour.md §10 (GAM#1291, n8n#17465,
  // google-api-php-client#783, python-samples#336, google-api-nodejs-client#1751, hot-updater#291).
  [
    "dwd_client_not_authorized",
    "token JSON",
    '{"error":"unauthorized_client","error_description":"Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."}',
  ],
  ["dwd_user_not_found", "token JSON", '{"error":"invalid_grant","error_description":"Invalid email or User ID"}'],
  ["service_account_key_invalid", "library line", "invalid_grant: Invalid JWT Signature."],
  [
    "sign_jwt_permission_denied",
    "API JSON",
    '{"error":{"code":403,"message":"Permission \'iam.serviceAccounts.signJwt\' denied on resource (or it may not exist).","status":"PERMISSION_DENIED"}}',
  ],
  [
    "service_account_no_subject",
    "API JSON",
    '{"error":{"code":400,"message":"Precondition check failed.","errors":[{"message":"Precondition check failed.","domain":"global","reason":"failedPrecondition"}],"status":"FAILED_PRECONDITION"}}',
  ],
  ["delegation_denied", "library line", "GaxiosError: Delegation denied for ana@acme.com"],
  [
    "service_account_not_found",
    "IAM Credentials body",
    '{"error":{"code":404,"message":"Not found; Gaia id not found for email relay@p.iam.gserviceaccount.com","status":"NOT_FOUND"}}',
  ],
  [
    "smtp_app_password_advice",
    "nodemailer password login",
    "Error: Invalid login: 535-5.7.8 Username and Password not accepted. Learn more at\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials x1 - gsmtp\n  command: 'AUTH PLAIN'",
  ],
  [
    "web_login_required",
    "Python smtplib",
    "smtplib.SMTPAuthenticationError: (534, b'5.7.14 <https://accounts.google.com/signin/continue?sarp=1>\\n5.7.14 Please log in via your web browser and\\n5.7.14 then try again.\\n5.7.14  Learn more at\\n5.7.14  https://support.google.com/mail/answer/78754 x1 - gsmtp')",
  ],
  [
    "mail_too_many_logins",
    "SMTP reply",
    "454 4.7.0 Too many login attempts, please try again later. https://support.google.com/mail/?p=FailedLoginAttempts x1 - gsmtp",
  ],
  ["imap_connection_limit", "IMAP reply", "* NO [ALERT] Too many simultaneous connections. (Failure)"],
  [
    "smtp_auth_required",
    "SMTP reply",
    "530-5.7.0 Authentication Required. Learn more at\n530 5.7.0  https://support.google.com/mail/?p=WantAuthError x1 - gsmtp",
  ],
];

describe("a table of inputs per code", () => {
  test.each(TABLE)("%s from %s", (code, _form, input) => {
    const r = explain(input);
    expect(r.diagnosis).toBe(code);
    expect(r.title).toBe(DIAGNOSES[code].title);
    expect(r.fix).toEqual(DIAGNOSES[code].fix);
  });

  test("every code the rules can give has a row in the table or a vocabulary entry (vocabulary.test.ts)", () => {
    const covered = new Set<string | null>([...TABLE.map(([code]) => code), ...VOCABULARY.map((v) => v.code)]);
    const ruled = [...new Set(RULES.flatMap((r) => (r.code ? [r.code] : [])))];
    expect(ruled.filter((c) => !covered.has(c))).toEqual([]);
  });
});

describe("details the input carried", () => {
  test("the rejected redirect URI from a decoded authError", () => {
    const r = explain(
      authErrorUrl(
        "redirect_uri_mismatch",
        "register the redirect URI",
        { redirect_uri: "https://mail.example.com/cb" },
        true,
      ),
    );
    expect(r.details).toMatchObject({
      error: "redirect_uri_mismatch",
      message: "register the redirect URI",
      redirect_uri: "https://mail.example.com/cb",
      http_code: "400",
      client_id: "123-abc.apps.googleusercontent.com",
    });
  });

  test("the redirect URI from page text and from the old wording", () => {
    expect(
      explain(
        "Error 400: redirect_uri_mismatch\nRequest details: redirect_uri=https://a.example.com/x flowName=GeneralOAuthFlow",
      ).details.redirect_uri,
    ).toBe("https://a.example.com/x");
    expect(
      explain(
        "The redirect URI in the request, http://localhost:8080/cb, does not match the ones authorized for the OAuth client.",
      ).details.redirect_uri,
    ).toBe("http://localhost:8080/cb");
  });

  test("the activation URL and project number from a Gmail API error", () => {
    const r = explain(TABLE.find(([c, f]) => c === "gmail_api_disabled" && f === "API JSON")![2]);
    expect(r.details).toMatchObject({
      project_number: "861228239640",
      activation_url:
        "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=861228239640",
      service: "gmail.googleapis.com",
    });
    expect(renderExplainHuman(r)).toContain("overview?project=861228239640");
  });

  test("the invalid scopes", () => {
    expect(
      explain("Some requested scopes were invalid. {valid=[openid], invalid=[gmail.readonly]}").details.invalid_scopes,
    ).toBe("gmail.readonly");
  });

  test("a truncated authError says so instead of guessing", () => {
    const url = authErrorUrl("redirect_uri_mismatch", "x".repeat(40));
    const r = explain(url.slice(0, url.indexOf("authError=") + 30));
    expect(r.diagnosis).toBeNull();
    expect(r.details.authError).toMatch(/could not be decoded/);
  });
});

describe("evidence, other readings and distinct errors", () => {
  test("a bare invalid_grant is ambiguous: the likely reading first, the other one named with when it applies", () => {
    const r = explain('{"error": "invalid_grant", "error_description": "Bad Request"}');
    expect(r.diagnosis).toBe("refresh_token_invalid");
    expect(r.alternatives?.map((a) => a.code)).toEqual(["auth_code_reused"]);
    const human = renderExplainHuman(r);
    expect(human).toContain("Ambiguous: this is the most likely reading");
    expect(human).toMatch(/Other readings:\n {2}- auth_code_reused \(.+\): if this happened right after sign-in/);
    expect(JSON.parse(renderExplainJson(r)).alternatives[0]).toMatchObject({ diagnosis: "auth_code_reused" });
  });

  test("a specific reading is not padded with the generic one the same error code would give", () => {
    const malformed = explain('{"error":"invalid_grant","error_description":"Malformed auth code."}');
    expect(malformed.diagnosis).toBe("malformed_auth_code");
    expect(malformed.alternatives ?? []).toEqual([]);
    const quota =
      "<HttpError 403 when requesting https://gmail.googleapis.com/gmail/v1/users/me/messages?alt=json returned \"Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:1'.\">";
    expect(explain(quota).diagnosis).toBe("gmail_rate_limited");
    expect(explain(quota).alternatives ?? []).toEqual([]);
  });

  test("the evidence names each signal with the line it was read from", () => {
    const r = explain(
      "2024-05-01 10:00:00 ERROR sync failed\ngoogle.auth.exceptions.RefreshError: ('invalid_grant: Token has been expired or revoked.', {'error': 'invalid_grant', 'error_description': 'Token has been expired or revoked.'})",
    );
    expect(r.diagnosis).toBe("refresh_token_invalid");
    const json = JSON.parse(renderExplainJson(r));
    expect(json.evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ signal: "error", value: expect.stringContaining("invalid_grant") }),
        expect.objectContaining({ line: expect.stringContaining("RefreshError") }),
      ]),
    );
    expect(renderExplainHuman(r)).toMatch(/Evidence:\n {2}\w+: .+ ← .*RefreshError/);
  });

  test("a log with two different errors counts them, and retries of one error count once", () => {
    const log = [
      "2024-05-01 10:00:00 ERROR token refresh failed: invalid_grant: Token has been expired or revoked.",
      "2024-05-01 10:00:05 ERROR token refresh failed: invalid_grant: Token has been expired or revoked.",
      '2024-05-01 10:01:00 ERROR send failed: {"error":{"code":403,"message":"Request had insufficient authentication scopes.","errors":[{"reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED"}}',
    ].join("\n");
    const r = explain(log);
    expect(r.errors?.map((e) => e.code).sort()).toEqual(["refresh_token_invalid", "scope_not_granted"]);
    expect(JSON.parse(renderExplainJson(r)).distinct_errors).toBe(2);
    expect(renderExplainHuman(r)).toContain("Distinct errors in the input: 2");
    expect(JSON.parse(renderExplainJson(explain('{"error":"invalid_grant"}'))).distinct_errors).toBe(1);
  });
});

describe("unrecognized input and output forms", () => {
  test("an unrelated text is not recognized", () => {
    expect(explain("Segmentation fault (core dumped)")).toEqual({
      diagnosis: null,
      details: {},
      next: expect.objectContaining({ command: expect.stringMatching(/^gmail-oauth validate /) }),
    });
  });

  test("--json shape: diagnosis, title, cause, fix, details, evidence, alternatives, distinct_errors", () => {
    const parsed = JSON.parse(
      renderExplainJson(explain('{"error":"deleted_client","error_description":"The OAuth client was deleted."}')),
    );
    expect(Object.keys(parsed)).toEqual([
      "diagnosis",
      "title",
      "cause",
      "fix",
      "details",
      "evidence",
      "alternatives",
      "distinct_errors",
    ]);
    expect(parsed.diagnosis).toBe("client_deleted");
    expect(JSON.parse(renderExplainJson(explain("nothing here"))).diagnosis).toBeNull();
  });

  test("a code in a pasted callback URL never reaches the output", () => {
    const out = renderExplainHuman(
      explain("https://app.example.com/cb?state=s&code=4/0AdQt8qh-secret-code-value&error=access_denied"),
    );
    expect(out).not.toContain("4/0AdQt8qh-secret-code-value");
  });
});

describe("the emulator's own error outputs", () => {
  let emu: RunningEmulator;
  const CLIENT = "123456789012-abc123.apps.googleusercontent.com";
  const DISABLED = "123456789012-disabled.apps.googleusercontent.com";
  beforeAll(async () => {
    emu = await startEmulator({
      projects: [{ id: "acme-mail", number: "123456789012" }],
      clients: [
        {
          id: CLIENT,
          projectId: "acme-mail",
          type: "web",
          secrets: ["GOCSPX-explainsecret01"],
          redirectUris: ["https://mail.example.com/cb"],
        },
        { id: DISABLED, projectId: "acme-mail", type: "web", signInDisabled: true },
      ],
      accounts: [{ email: "ana@example.com" }],
    });
  });
  afterAll(() => emu.close());

  const authorizeLocation = async (params: Record<string, string>) => {
    const res = await fetch(
      `${emu.origin}/o/oauth2/v2/auth?${new URLSearchParams({ response_type: "code", scope: "https://mail.google.com/", ...params })}`,
      { redirect: "manual" },
    );
    return res.headers.get("location")!;
  };
  const tokenBody = async (form: Record<string, string>) =>
    (await fetch(`${emu.origin}/token`, { method: "POST", body: new URLSearchParams(form) })).text();

  test.each([
    [
      "client_not_found",
      { client_id: "999-x.apps.googleusercontent.com", redirect_uri: "https://mail.example.com/cb" },
    ],
    ["redirect_uri_not_registered", { client_id: CLIENT, redirect_uri: "https://mail.example.com/cb/" }],
    ["oob_flow_blocked", { client_id: CLIENT, redirect_uri: "urn:ietf:wg:oauth:2.0:oob" }],
    ["custom_scheme_on_web_client", { client_id: CLIENT, redirect_uri: "com.example:/cb" }],
    ["invalid_scope", { client_id: CLIENT, redirect_uri: "https://mail.example.com/cb", scope: "gmail.readonly" }],
    ["authorization_request_malformed", { client_id: CLIENT }],
    ["app_sign_in_disabled", { client_id: DISABLED, redirect_uri: "https://mail.example.com/cb" }],
  ] as const)("%s from the address bar after the emulator's redirect", async (code, params) => {
    const r = explain(await authorizeLocation(params));
    expect(r.diagnosis).toBe(code);
  });

  test.each([
    [
      "client_secret_invalid",
      { client_id: CLIENT, client_secret: "GOCSPX-wrongwrongwrong", grant_type: "authorization_code", code: "4/0Axyz" },
    ],
    ["client_secret_missing", { client_id: CLIENT, grant_type: "authorization_code", code: "4/0Axyz" }],
    [
      "malformed_auth_code",
      {
        client_id: CLIENT,
        client_secret: "GOCSPX-explainsecret01",
        grant_type: "authorization_code",
        code: "not-a-code",
      },
    ],
  ] as const)("%s from the token endpoint's JSON", async (code, form) => {
    expect(explain(await tokenBody(form)).diagnosis).toBe(code);
  });

  test("token_endpoint_unavailable from the token endpoint's 500", async () => {
    emu.admin.setFault("token", { status: 500, times: 1 });
    const body = await tokenBody({ client_id: CLIENT, grant_type: "refresh_token", refresh_token: "1//0x" });
    expect(JSON.parse(body)).toEqual({ error: "internal_failure" });
    expect(explain(body).diagnosis).toBe("token_endpoint_unavailable");
  });

  test("gmail_rate_limited from Gmail's per-user quota, gmail_quota_exceeded from the sending limit", async () => {
    const { access_token } = emu.admin.mintGrant({
      clientId: CLIENT,
      account: "ana@example.com",
      scopes: ["https://mail.google.com/"],
    });
    const auth = { authorization: `Bearer ${access_token}`, "content-type": "application/json" };
    const profile = () => fetch(`${emu.origin}/gmail/v1/users/me/profile`, { headers: auth });
    const send = () =>
      fetch(`${emu.origin}/gmail/v1/users/me/messages/send`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ raw: Buffer.from("To: bob@example.com\r\n\r\nhi").toString("base64url") }),
      });
    emu.admin.updateProject("acme-mail", { gmailUserQuotaPerMinute: 2 });
    expect((await profile()).status).toBe(200);
    expect((await profile()).status).toBe(200);
    const limited = await profile();
    expect(limited.status).toBe(403);
    expect(explain(await limited.text()).diagnosis).toBe("gmail_rate_limited");
    emu.admin.updateProject("acme-mail", { gmailUserQuotaPerMinute: 1e9 });
    emu.admin.updateAccount("ana@example.com", { dailySendLimit: 1 });
    expect((await send()).status).toBe(200);
    const over = await send();
    expect(over.status).toBe(429);
    expect(explain(await over.text()).diagnosis).toBe("gmail_quota_exceeded");
  });
});

describe("honest when unsure (issue 24)", () => {
  test("an unrecognized token-endpoint text says what it saw and suggests check-token", () => {
    const r = explain("POST https://oauth2.googleapis.com/token returned HTTP 400 (no body)");
    expect(r.diagnosis).toBeNull();
    expect(r.next?.command).toMatch(/^gmail-oauth check-token /);
    const text = renderExplainHuman(r);
    expect(text).toContain("What it saw: http_status 400");
    expect(text).toContain("gmail-oauth check-token");
  });

  test("a text with no signal at all says so and suggests validate", () => {
    const r = explain("it just does not work, please help");
    expect(r.diagnosis).toBeNull();
    expect(r.next?.command).toMatch(/^gmail-oauth validate /);
    expect(renderExplainHuman(r)).toContain("What it saw: no Google error code");
  });

  test("a bare 535-5.7.8 gives the likeliest reading and the ones it cannot rule out", () => {
    const r = explain(
      "535-5.7.8 Username and Password not accepted. Learn more at\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials x1 - gsmtp",
    );
    expect(r.diagnosis).toBe("smtp_app_password_advice");
    expect(r.alternatives?.map((a) => a.code)).toContain("xoauth2_invalid_credentials");
  });

  test("an XOAUTH2 challenge with status 400 lists the scope and the user= readings too", () => {
    const r = explain(
      "334 eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==",
    );
    expect(r.diagnosis).toBe("xoauth2_invalid_credentials");
    expect(r.alternatives?.map((a) => a.code)).toEqual(
      expect.arrayContaining(["xoauth2_scope_insufficient", "xoauth2_user_mismatch"]),
    );
  });

  test("the cases the issue names: OOB on the policy page, the accessNotConfigured log line, a password login Google refuses, the libraries' missing refresh token, an invalid code verifier, an unreachable IMAP port", () => {
    const cases: [string, string][] = [
      [
        "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy for keeping apps secure.\nRequest details: redirect_uri: urn:ietf:wg:oauth:2.0:oob",
        "oob_flow_blocked",
      ],
      [
        'WARNING:googleapiclient.http:Encountered 403 Forbidden with reason "accessNotConfigured"',
        "gmail_api_disabled",
      ],
      [
        "smtplib.SMTPAuthenticationError: (534, b'5.7.14 Please log in via your web browser and then try again.')",
        "web_login_required",
      ],
      [
        "imaplib.IMAP4.error: b'[ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)'",
        "app_password_required",
      ],
      ["KeyError: 'refresh_token'", "refresh_token_missing"],
      [
        "ValueError: Authorized user info was not in the expected format, missing fields refresh_token.",
        "refresh_token_missing",
      ],
      ['{"error":"invalid_grant","error_description":"Invalid code verifier."}', "pkce_verifier_invalid"],
      ["Error: connect EHOSTUNREACH 142.250.153.108:993 (imap.gmail.com)", "mail_port_blocked"],
      ["socket.timeout: timed out while connecting to imap.gmail.com:993", "mail_port_blocked"],
    ];
    for (const [text, code] of cases) expect(explain(text).diagnosis, text).toBe(code);
  });
});
