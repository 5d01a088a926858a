// THE rule table: which diagnosis an error's signals (validator/signals.ts) mean. Order is precedence: the first rule
// that holds decides, and the later ones that also hold are offered as alternatives. The order follows one idea:
// what Google says explicitly beats what the context suggests. A code named on Google's own page beats the request
// details under it; a description beats the bare code; a refresh or a code exchange read from the wrapper decides
// what a bare invalid_grant means; an answer from Google beats a network failure; causes come before consequences
// (the token refresh that failed before the API's 401). Every code's words live here and only here.
import { PKCE_WORDING } from "../google/pkce";
import { XOAUTH2_CHALLENGE_B64 } from "../google/mail";
import { scopeInfo } from "../google/scopes";
import type { DiagnosisCode } from "./catalogue";
import { requestedOob, type Signals } from "./signals";

export interface Alternative {
  readonly code: DiagnosisCode;
  /** When this other reading is the right one. */
  readonly when: string;
}

export interface Rule {
  readonly id: string;
  /**
   * The diagnosis, or null: recognised, but not a connection problem this kit diagnoses (another Google API, the
   * app's own request, or a case whose code another part of the kit owns). A null rule still stops lower rules.
   */
  readonly code: DiagnosisCode | null;
  readonly holds: (s: Signals) => boolean;
  /** The reading rests on context or undocumented behaviour rather than on Google's own words. */
  readonly inferred?: boolean | ((s: Signals) => boolean);
  /** Other readings of the same signals, ranked, for an ambiguous input. */
  readonly alternatives?: readonly Alternative[];
  /** What the rule recognised, said to the user when the code is null or the reading needs a word. */
  readonly note?: string;
  /** The code to give instead, from the same signals (e.g. the unverified screen for a send-only request). */
  readonly refine?: (s: Signals) => DiagnosisCode;
  /**
   * Keyed on an OAuth error code alone: the reading when nothing more specific holds, and never offered as another
   * reading of a text that a more specific rule explained ("Malformed auth code" is not also a dead refresh token).
   */
  readonly generic?: boolean;
}

const says = (s: Signals, re: RegExp) => re.test(s.text);
const saysAny = (s: Signals, res: readonly RegExp[]) => res.some((re) => re.test(s.text));
const reason = (s: Signals, ...names: string[]) => names.some((n) => s.reasons.includes(n));
const gmailOrUnnamed = (s: Signals) => s.api === undefined || s.api === "gmail";
const onPage = (s: Signals) => s.errorFrom === "page" || s.endpoint === "authorize";
const fromTokenEndpoint = (s: Signals) => s.endpoint === "token" || s.grant !== undefined;
/** A stack trace or an exception name: the text came from code that called the token endpoint, not from a page. */
const fromCode = (s: Signals) =>
  /\bat [\w.$<>[\] ]+ \([^)\n]*:\d+(?::\d+)?\)|Traceback|\w+Exception|\bcode: \d{3}/.test(s.text);
/** The sentences of Google's redirect_uri_mismatch page, old and new (facts §1.2). */
const REDIRECT_PAGE =
  /does not match the ones authorized for the OAuth client|did not match a registered redirect URI|register the redirect URI in the Google Cloud Console|authorization-errors-redirect-uri-mismatch/i;
const disabledService = (s: Signals) =>
  reason(s, "SERVICE_DISABLED", "accessNotConfigured") ||
  says(s, /has not been used in project|Access Not Configured|Service\/App not enabled/i);
const rateLimited = (s: Signals) =>
  reason(s, "userRateLimitExceeded", "rateLimitExceeded", "RATE_LIMIT_EXCEEDED") ||
  says(
    s,
    /User-?rate limit exceeded|User Rate Limit Exceeded|Queries per minute per user|Resource has been exhausted/i,
  ) ||
  (s.httpStatus === 429 && s.endpoint === "api");
/** "(Mail sending)" after "User-rate limit exceeded" is the daily sending limit (Gmail API guide, "Resolve a 429"). */
const dailyLimited = (s: Signals) =>
  reason(s, "dailyLimitExceeded") ||
  says(
    s,
    /Daily user sending (?:quota|limit) exceeded|Daily Limit Exceeded|Queries per day|sending limit exceeded|\(Mail sending\)/i,
  );
const precondition = (s: Signals) =>
  reason(s, "failedPrecondition", "FAILED_PRECONDITION") || says(s, /Precondition check failed/i);
/** Gmail's SMTP or IMAP refused a login (facts §11): 535-5.7.8 BadCredentials, or IMAP's AUTHENTICATIONFAILED. */
const mailLoginRefused = (s: Signals) =>
  ((s.endpoint === "smtp" || s.endpoint === "imap") && s.smtpCode === 535) ||
  says(s, /5\.7\.8 Username and Password not accepted|AUTHENTICATIONFAILED|Invalid credentials \(Failure\)/i);
/** The login was an OAuth one: XOAUTH2 named, its challenge shown, or a SASL mechanism/token handed to the client. */
const oauthLogin = (s: Signals) =>
  says(s, /XOAUTH2|OAUTHBEARER|SaslMechanism|OAuth|Bearer|access[_ ]token|eyJzdGF0dXMi/i);
const MAIL_PORTS = new Set(["25", "465", "587", "993", "995"]);

const REFRESH_DIED: Alternative = {
  code: "auth_code_reused",
  when: "if this happened right after sign-in, the authorization code was used twice or too late",
};

export const RULES: readonly Rule[] = [
  // 1. A code or a sentence on Google's page or in its answer that names the cause outright.
  { id: "rapt-subtype", code: "invalid_rapt", holds: (s) => s.subtype === "invalid_rapt" },
  {
    id: "org-internal",
    code: "org_internal",
    holds: (s) => s.error === "org_internal" || says(s, /restricted to users within its organization/i),
  },
  {
    id: "admin-policy",
    code: "admin_policy_enforced",
    holds: (s) =>
      s.error === "admin_policy_enforced" ||
      says(s, /restricted by policies within your organization|policies of their Google Workspace administrator/i),
  },
  {
    id: "embedded-browser",
    code: "disallowed_useragent",
    holds: (s) =>
      s.error === "disallowed_useragent" ||
      says(s, /classified as an embedded user-agent|can't sign you in safely inside this app/i),
  },
  {
    id: "sign-in-rate",
    code: "rate_limit_exceeded",
    holds: (s) =>
      s.error === "rate_limit_exceeded" ||
      says(
        s,
        /(?:reached|exceeded) its (?:sign-in|login) rate limit|login count limit|maximum allowable (?:login|sign-in) request rate|sign-in rate limit increase/i,
      ),
  },
  {
    id: "client-deleted",
    code: "client_deleted",
    holds: (s) => s.error === "deleted_client" || says(s, /The OAuth client was deleted/i),
  },
  {
    id: "client-disabled",
    code: "app_sign_in_disabled",
    holds: (s) =>
      s.error === "disabled_client" ||
      says(
        s,
        /Sign in with Google temporarily disabled|not been verified yet by Google in order to use Google Sign.?In/i,
      ),
  },
  {
    id: "app-blocked",
    code: "app_blocked",
    holds: (s) => says(s, /This app is blocked|tried to access sensitive info in your Google Account/i),
  },
  { id: "oob-blocked", code: "oob_flow_blocked", holds: (s) => says(s, /out-of-band \(OOB\) flow has been blocked/i) },
  // Before the OOB inference: "Missing required parameter: client_id" is the error, whatever the details list.
  {
    id: "malformed-authorize",
    code: "authorization_request_malformed",
    holds: (s) =>
      (s.error === "invalid_request" || onPage(s)) &&
      says(
        s,
        /Missing required parameter|Required parameter is missing|Invalid parameter value for|Parameter not allowed for this message type/i,
      ),
  },
  {
    id: "custom-scheme",
    code: "custom_scheme_on_web_client",
    holds: (s) => says(s, /Custom scheme URIs are not allowed for 'WEB' client type/i),
  },

  // 2. The token endpoint's descriptions: each names one cause whatever the grant.
  { id: "secret-missing", code: "client_secret_missing", holds: (s) => says(s, /client_secret is missing/i) },
  {
    id: "pkce",
    code: "pkce_verifier_invalid",
    holds: (s) => PKCE_WORDING.test(s.text) || says(s, /code_verifier or verifier is not needed/i),
  },
  { id: "malformed-code", code: "malformed_auth_code", holds: (s) => says(s, /Malformed (?:auth )?code/i) },
  {
    id: "clock",
    code: "clock_skew",
    holds: (s) => says(s, /Token used too (?:early|late)|Invalid JWT: Token must be a short-lived token/i),
  },
  { id: "code-redeemed", code: "auth_code_reused", holds: (s) => says(s, /Code was already redeemed/i) },
  {
    id: "token-revoked",
    code: "refresh_token_invalid",
    holds: (s) => says(s, /Token has been expired or revoked|The account has been deleted/i),
  },
  {
    id: "client-not-found",
    code: "client_not_found",
    // From the authorization step (its page, or the error it redirects back with) invalid_client is an unknown client;
    // at the token endpoint it is usually the secret.
    holds: (s) =>
      says(s, /The OAuth client was not found/i) ||
      (s.error === "invalid_client" && (onPage(s) || s.errorFrom === "callback")),
  },
  {
    id: "client-secret",
    generic: true,
    code: "client_secret_invalid",
    holds: (s) => s.error === "invalid_client",
    alternatives: [{ code: "client_not_found", when: "if Google's description says the client was not found" }],
    inferred: (s) => !/^Unauthorized/i.test(s.description ?? ""),
  },
  {
    id: "invalid-scope",
    code: "invalid_scope",
    holds: (s) => s.error === "invalid_scope" || says(s, /Some requested scopes (?:were invalid|cannot be shown)/i),
  },
  // Service accounts with domain-wide delegation (facts §10): the JWT bearer grant's and IAM Credentials' words.
  {
    id: "dwd-not-authorized",
    code: "dwd_client_not_authorized",
    holds: (s) =>
      says(
        s,
        /Client is unauthorized to retrieve access tokens using this method|Unauthorized client or scope in request|client not authorized for any of the scopes requested/i,
      ),
    note: "from the text alone all scopes and some scopes read the same; validate --service-account tells them apart per scope",
    alternatives: [
      { code: "dwd_scope_not_authorized", when: "if other scopes of the same client work for the mailbox" },
    ],
  },
  {
    id: "dwd-user",
    code: "dwd_user_not_found",
    holds: (s) => says(s, /Invalid email or User ID|invalid_grant\W+(?:error_description\W+)?Not a valid email/i),
  },
  { id: "sa-key-invalid", code: "service_account_key_invalid", holds: (s) => says(s, /Invalid JWT Signature/i) },
  {
    id: "sign-jwt-denied",
    code: "sign_jwt_permission_denied",
    holds: (s) => says(s, /Permission '?iam\.serviceAccounts\.signJwt'? denied/i),
  },
  {
    id: "wrong-client",
    code: "refresh_token_wrong_client",
    holds: (s) => s.error === "unauthorized_client" && s.grant !== "authorization_code" && s.grant !== "jwt_bearer",
  },
  {
    id: "token-endpoint-down",
    code: "token_endpoint_unavailable",
    holds: (s) =>
      s.error === "internal_failure" ||
      (fromTokenEndpoint(s) &&
        s.error === undefined &&
        ((s.httpStatus !== undefined && s.httpStatus >= 500) ||
          says(s, /We're sorry\.\.\.|sending automated queries|\/sorry\/|Error 50\d \(Server Error\)/i))),
  },

  // 3. redirect_uri_mismatch means three things: the exchange's URI, the OOB flow, or an unregistered URI.
  {
    id: "redirect-exchange",
    code: "code_exchange_redirect_mismatch",
    holds: (s) =>
      s.error === "redirect_uri_mismatch" &&
      !onPage(s) &&
      !says(s, REDIRECT_PAGE) &&
      (s.grant === "authorization_code" ||
        s.errorFrom === "field" ||
        s.errorFrom === "library" ||
        says(s, /Bad Request/i) ||
        fromCode(s)),
  },
  {
    id: "oob-requested",
    code: "oob_flow_blocked",
    holds: (s) => (s.error === "redirect_uri_mismatch" || s.error === "invalid_request") && requestedOob(s),
    inferred: true,
    note: "the request used the out-of-band redirect (urn:ietf:wg:oauth:2.0:oob), which Google blocks for every client",
  },
  {
    id: "redirect-page",
    generic: true,
    code: "redirect_uri_not_registered",
    holds: (s) => s.error === "redirect_uri_mismatch" || says(s, REDIRECT_PAGE),
  },

  // 4. access_denied: rendered by Google it is the Testing block; redirected to the app it is a refusal.
  {
    id: "consent-refused",
    code: "consent_denied",
    holds: (s) => s.error === "access_denied" && (s.errorFrom === "callback" || (!onPage(s) && s.errorFrom !== "bare")),
  },
  {
    id: "not-a-tester",
    code: "account_not_test_user",
    holds: (s) =>
      says(
        s,
        /developer-approved testers|hasn.t given you access to this app|has not completed the Google verification process/i,
      ) ||
      (s.error === "access_denied" && onPage(s)),
    inferred: (s) => !says(s, /developer-approved testers|hasn.t given you access|verification process/i),
  },
  {
    id: "unverified-app",
    code: "production_unverified_restricted_scope",
    holds: (s) =>
      says(s, /Google hasn.t verified this app|This app isn.t verified|hasn.t been verified by Google yet/i),
    inferred: true,
    // The warning does not say which scopes caused it: a send-only request is the sensitive-scope case.
    refine: (s) => {
      const classes = new Set(s.scopes.map((x) => scopeInfo(x)?.class));
      return classes.has("sensitive") && !classes.has("restricted")
        ? "gmail_send_unverified"
        : "production_unverified_restricted_scope";
    },
  },

  // 5. invalid_grant without a description: the grant the wrapper names decides.
  {
    id: "grant-exchange",
    generic: true,
    code: "auth_code_reused",
    holds: (s) => s.error === "invalid_grant" && s.grant === "authorization_code",
    alternatives: [{ code: "malformed_auth_code", when: "if the code was not URL-decoded or was cut off" }],
  },
  {
    id: "grant-refresh",
    generic: true,
    code: "refresh_token_invalid",
    holds: (s) => s.error === "invalid_grant" && s.grant === "refresh_token",
  },
  {
    id: "grant-jwt",
    code: null,
    holds: (s) => s.error === "invalid_grant" && s.grant === "jwt_bearer",
    note: "a service account's signed assertion was refused (clock, key or subject)",
  },
  {
    id: "grant-unknown",
    generic: true,
    code: "refresh_token_invalid",
    holds: (s) => s.error === "invalid_grant",
    alternatives: [REFRESH_DIED],
  },
  // tokeninfo and revoke (facts §4): revoke's "Token expired or revoked" is given for access and refresh tokens alike.
  {
    id: "token-invalid",
    code: "access_token_invalid",
    holds: (s) => s.error === "invalid_token" || says(s, /\bToken expired or revoked/i),
  },

  // 6. Google API answers, Gmail's first. Another API's trouble is recognised and left alone.
  {
    id: "other-api-disabled",
    code: null,
    holds: (s) => disabledService(s) && s.api !== undefined && s.api !== "gmail",
    note: "a Google API other than Gmail is disabled in the project",
  },
  {
    id: "project-gone",
    code: null,
    holds: (s) => says(s, /Project \d+ is not found and cannot be used for API calls/i),
    note: "the project the credentials belong to no longer exists",
  },
  { id: "gmail-disabled", code: "gmail_api_disabled", holds: (s) => disabledService(s) && s.api === "gmail" },
  { id: "no-mailbox", code: "mail_service_not_enabled", holds: (s) => says(s, /Mail service not enabled/i) },
  {
    id: "precondition-user",
    code: "mail_service_not_enabled",
    holds: (s) => precondition(s) && s.grant !== "jwt_bearer" && says(s, /OAuth2Client|refresh_token|oauth2client/),
    inferred: true,
    note: "Gmail's 'Precondition check failed' for a user's own token: the account has no Gmail mailbox",
  },
  {
    id: "precondition",
    code: "service_account_no_subject",
    holds: (s) => precondition(s),
    note: "Gmail's 'Precondition check failed': a service account calling Gmail without impersonating a mailbox, or an account without Gmail",
    alternatives: [
      {
        code: "mail_service_not_enabled",
        when: "if the call used a person's own OAuth token: that account has no Gmail",
      },
    ],
  },
  {
    id: "delegation-denied",
    code: "delegation_denied",
    holds: (s) => says(s, /Delegation denied for/i),
    note: "the call named a mailbox other than the authenticated (or impersonated) one",
  },
  {
    id: "metadata-scope",
    code: "metadata_scope_restriction",
    holds: (s) => says(s, /Metadata scope does not support|Metadata scope doesn.t allow/i),
  },
  {
    id: "scope-missing",
    code: "scope_not_granted",
    holds: (s) =>
      reason(s, "insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT") ||
      says(s, /insufficient authentication scopes|Insufficient Permission/i),
  },
  {
    id: "cloud-permission",
    code: "cloud_permission_denied",
    holds: (s) => reason(s, "AUTH_PERMISSION_DENIED") || says(s, /Permission denied to (?:enable|get) service/i),
  },
  { id: "gmail-daily", code: "gmail_quota_exceeded", holds: (s) => dailyLimited(s) && gmailOrUnnamed(s) },
  { id: "gmail-rate", code: "gmail_rate_limited", holds: (s) => rateLimited(s) && gmailOrUnnamed(s) },
  {
    id: "other-api-rate",
    code: "google_unavailable",
    holds: (s) => (rateLimited(s) || dailyLimited(s)) && !gmailOrUnnamed(s),
  },
  {
    id: "access-token",
    code: "access_token_invalid",
    holds: (s) =>
      s.endpoint !== "smtp" &&
      s.endpoint !== "imap" &&
      (reason(s, "authError", "UNAUTHENTICATED", "CREDENTIALS_MISSING") ||
        says(
          s,
          /Request had invalid authentication credentials|missing required authentication credential|Invalid Credentials|Login Required/i,
        ) ||
        (s.httpStatus === 401 && s.endpoint === "api")),
  },
  {
    id: "not-found",
    code: null,
    holds: (s) => reason(s, "notFound", "NOT_FOUND") || says(s, /Requested entity was not found/i),
    note: "Google answered that what the app asked for does not exist: the app's request, not the connection",
  },
  {
    id: "app-request",
    code: null,
    holds: (s) =>
      s.endpoint === "api" &&
      s.httpStatus === 400 &&
      (reason(s, "invalidArgument", "badRequest") || says(s, /RFC822 payload|Invalid To header|Invalid value for/i)),
    note: "Gmail refused the request the app built: the app's own bug",
  },
  {
    id: "google-5xx",
    code: "google_unavailable",
    holds: (s) =>
      reason(s, "backendError", "internalError", "UNAVAILABLE") ||
      says(s, /Backend Error|The service is currently unavailable/i) ||
      (s.httpStatus !== undefined && s.httpStatus >= 500 && s.endpoint === "api"),
  },

  // 7. The app's own setup, read from library messages.
  {
    id: "client-file",
    code: "client_file_invalid",
    holds: (s) =>
      says(
        s,
        /Client secrets must be for a web or installed app|At least one client secrets \(Installed or Web\)|Missing property "\w+" in a client type|InvalidClientSecretsError/i,
      ),
  },
  { id: "desktop-client-file", code: "client_file_desktop_type", holds: (s) => says(s, /"installed"\s*:\s*\{/) },
  {
    id: "no-adc",
    code: "cloud_credentials_missing",
    holds: (s) =>
      says(
        s,
        /Could not load the default credentials|default credentials were not found|Could not automatically determine credentials/i,
      ),
  },
  {
    id: "redirect-invalid",
    code: "redirect_uri_invalid",
    holds: (s) =>
      says(
        s,
        /Invalid redirect: |must end (?:in|with) a (?:top-level )?public (?:top-level )?domain|Hosts cannot be raw IP addresses/i,
      ),
  },
  { id: "no-refresh-token", code: "refresh_token_missing", holds: (s) => says(s, /\bNo refresh token is set\b/i) },
  {
    id: "testing-expiry",
    code: "testing_refresh_token_expiry",
    holds: (s) => says(s, /refresh_token_expires_in"?\s*[:=]\s*60479\d\b/),
    inferred: true,
  },

  // 8. Mail protocols and the network: no answer from Google's OAuth or APIs at all. SMTP and IMAP with XOAUTH2
  // (facts §11): the admin's switch and the wrong-fix advice first, then what the failure challenge says.
  {
    id: "imap-disabled",
    code: "imap_disabled",
    holds: (s) => saysAny(s, [/IMAP access is disabled for your domain/i, /Your account is not enabled for IMAP use/i]),
  },
  {
    id: "xoauth2-scope",
    code: "xoauth2_scope_insufficient",
    holds: (s) =>
      saysAny(s, [
        /(?:gmail\.(?:send|modify|readonly|compose))[\s\S]*(?:535[- ]5\.7\.8|AUTHENTICATIONFAILED)/,
        /(?:535[- ]5\.7\.8|AUTHENTICATIONFAILED)[\s\S]*gmail\.(?:send|modify|readonly|compose)/,
      ]),
  },
  {
    id: "xoauth2-user",
    code: "xoauth2_user_mismatch",
    holds: (s) => saysAny(s, [/\buser=\S+ is not the token'?s account/i]),
  },
  {
    id: "app-password-advice",
    code: "smtp_app_password_advice",
    // A refused login with no sign of OAuth (no XOAUTH2, no challenge, no SASL token) is a password login: the app is
    // not using the OAuth connection at all, and "use an app password" is the advice threads give (catalogue).
    holds: (s) =>
      saysAny(s, [
        /5\.7\.9 Application-specific password required/i,
        /InvalidSecondFactor/i,
        /less secure app/i,
        /AUTH (?:PLAIN|LOGIN)\b[\s\S]*535[- ]5\.7\.8/,
        /535[- ]5\.7\.8[\s\S]*command['"]?\s*:\s*['"]AUTH (?:PLAIN|LOGIN)/,
      ]) ||
      (mailLoginRefused(s) && !oauthLogin(s)),
    alternatives: [
      {
        code: "xoauth2_invalid_credentials",
        when: "if the app was set up for OAuth (XOAUTH2): Google refused its token",
      },
    ],
  },
  {
    id: "xoauth2-refused",
    code: "xoauth2_invalid_credentials",
    holds: (s) =>
      (mailLoginRefused(s) && oauthLogin(s)) ||
      saysAny(s, [
        XOAUTH2_CHALLENGE_B64,
        /\{"status":"40[01]","schemes":"Bearer"/,
        /AUTH XOAUTH2[\s\S]*53[45][- ]5\.7\.[0-9]/,
        /XOAUTH2[\s\S]*AUTHENTICATIONFAILED|AUTHENTICATIONFAILED[\s\S]*XOAUTH2/,
        /\[AUTHENTICATIONFAILED\] Invalid credentials \(Failure\)/,
        /535[- ]5\.7\.8 Username and Password not accepted/,
      ]),
  },
  {
    id: "mail-port",
    code: "mail_port_blocked",
    holds: (s) =>
      (s.network !== undefined &&
        (MAIL_PORTS.has(s.target?.split(":")[1] ?? "") || says(s, /smtp\.gmail\.com|imap\.gmail\.com/i))) ||
      saysAny(s, [
        /(?:ETIMEDOUT|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH)\s+[\d.:a-f]+:(?:587|465|993)\b/i,
        /(?:smtp|imap)\.gmail\.com[\s\S]{0,200}(?:Connection timeout|Greeting never received|timed out)/i,
      ]),
    note: "the connection to Gmail's SMTP or IMAP port never opened: the network blocks it",
  },
  // The network between the kit (or the app) and Google (docs/networks.md): the proxy, a TLS-inspecting proxy's CA, DNS.
  {
    id: "proxy-auth",
    code: "proxy_auth_required",
    holds: (s) => saysAny(s, [/statusCode=407\b/, /\b407 Proxy Authentication Required\b/i]),
  },
  {
    id: "proxy-unreachable",
    code: "proxy_unreachable",
    holds: (s) =>
      s.network === "proxy" ||
      saysAny(s, [
        /tunneling socket could not be established, cause=connect/i,
        /Proxy connection ended before receiving CONNECT/i,
      ]),
  },
  {
    id: "tls-interception",
    code: "tls_interception",
    holds: (s) =>
      s.network === "tls" ||
      saysAny(s, [
        /self[- ]signed certificate in certificate chain/i,
        /unable to get local issuer certificate/i,
        /\b(?:SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\b/,
      ]),
  },
  {
    id: "dns",
    code: "dns_failure",
    holds: (s) =>
      s.network === "dns" ||
      saysAny(s, [
        /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) [\w.-]*(?:google\.com|googleapis\.com)\b/i,
        /Unable to find the server at [\w.-]*(?:google\.com|googleapis\.com)\b/i,
      ]),
  },
  { id: "network", code: "google_unavailable", holds: (s) => s.network !== undefined },
];

/** What the table decided for one set of signals. */
export interface Decision {
  readonly rule?: Rule;
  readonly code: DiagnosisCode | null;
  readonly inferred: boolean;
  readonly alternatives: readonly Alternative[];
}

export function decide(s: Signals): Decision {
  const held = RULES.filter((r) => r.holds(s));
  const rule = held[0];
  if (!rule) return { code: null, inferred: false, alternatives: [] };
  const code = rule.code && rule.refine ? rule.refine(s) : rule.code;
  const inferred = typeof rule.inferred === "function" ? rule.inferred(s) : rule.inferred === true;
  const alternatives: Alternative[] = [...(rule.alternatives ?? [])];
  // Lower rules that also hold are the other readings of an ambiguous text; after a recognised out-of-scope answer
  // (code null) they would only be the generic fallbacks, so they are not offered.
  for (const other of code ? held.slice(1) : []) {
    if (other.generic && !rule.generic) continue;
    if (other.code && other.code !== code && !alternatives.some((a) => a.code === other.code))
      alternatives.push({ code: other.code, when: other.note ?? "the same text also carries its signs" });
  }
  return { rule, code, inferred, alternatives: alternatives.filter((a) => a.code !== code) };
}
