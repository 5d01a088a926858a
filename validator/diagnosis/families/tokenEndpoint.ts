// Google's token endpoint (oauth2.googleapis.com/token): the JSON answers of the code exchange and the refresh
// (RFC 6749 §5.2 codes, Google's descriptions), however a client library wraps them, and the libraries' own words for
// a credential that cannot be refreshed. A bare code's meaning depends on the grant the wrapper names (signals.ts).
import { REDIRECT_PAGE } from "./authorizationPage";
import {
  fromCode,
  fromTokenEndpoint,
  onPage,
  says,
  type Alternative,
  type Family,
  type Rule,
  type VocabularyEntry,
} from "../rule";

const RFC6749 = "https://www.rfc-editor.org/rfc/rfc6749#section-5.2";
const WEB_SERVER = "https://developers.google.com/identity/protocols/oauth2/web-server";

/** Google's words for a missing or wrong PKCE verifier or challenge (RFC 7636 §4.6), in a token error or on a page. */
const PKCE_WORDING = /(?:invalid|missing)\s+code[_ ]verifier|code_challenge parameter is invalid or missing/i;

/** A stored credential without its refresh token, in each client library's words (the vocabulary below). */
const NO_REFRESH_TOKEN =
  /\bNo refresh token is set\b|KeyError: ['"]refresh_token['"]|missing fields refresh_token|do not contain the necessary fields need to refresh the access token|refresh token is not set|refresh token must be passed in or set as part of setAccessToken|Missing required parameter: refresh_token|no refresh token (?:was )?(?:returned|received|available|found)|No refresh_token found|["']refresh_token["']\s*:\s*(?:null|None)\b/i;

/** A dead refresh token's likeliest cause for a new connection: the app is still in Testing (7-day lifetime). */
const TESTING_EXPIRY: Alternative = {
  code: "testing_refresh_token_expiry",
  when: "if the consent screen is in Testing and the token died about 7 days after sign-in (Google's Testing lifetime)",
};

const REFRESH_DIED: Alternative = {
  code: "auth_code_reused",
  when: "if this happened right after sign-in, the authorization code was used twice or too late",
};

const vocabulary: readonly VocabularyEntry[] = [
  {
    says: '{"error":"invalid_grant","error_description":"Token has been expired or revoked."}',
    code: "refresh_token_invalid",
    channel: "token",
    source: "https://developers.google.com/identity/protocols/oauth2#expiration",
  },
  {
    says: '{"error":"invalid_grant","error_description":"Malformed auth code."}',
    code: "malformed_auth_code",
    channel: "token",
    source: `${WEB_SERVER}#exchange-authorization-code`,
  },
  {
    says: '{"error":"invalid_grant","error_description":"Invalid code verifier."}',
    code: "pkce_verifier_invalid",
    channel: "token",
    source: "https://www.rfc-editor.org/rfc/rfc7636#section-4.6",
  },
  {
    says: '{"error":"invalid_grant","error_description":"Missing code verifier."}',
    code: "pkce_verifier_invalid",
    channel: "token",
    source: "https://www.rfc-editor.org/rfc/rfc7636#section-4.5",
  },
  {
    says: '{"error":"invalid_grant","error_description":"Code was already redeemed."}',
    code: "auth_code_reused",
    channel: "token",
    source: RFC6749,
  },
  {
    says: '{"error":"invalid_grant","error_description":"reauth related error (invalid_rapt)","error_uri":"https://support.google.com/a/answer/9368756","error_subtype":"invalid_rapt"}',
    code: "invalid_rapt",
    channel: "token",
    source: "https://support.google.com/a/answer/9368756",
  },
  {
    says: '{"error":"invalid_client","error_description":"Unauthorized"}',
    code: "client_secret_invalid",
    channel: "token",
    source: RFC6749,
  },
  {
    says: '{"error":"invalid_client","error_description":"The OAuth client was not found."}',
    code: "client_not_found",
    channel: "token",
    source: `${WEB_SERVER}#authorization-errors-invalid-client`,
  },
  {
    says: '{"error":"deleted_client","error_description":"The OAuth client was deleted."}',
    code: "client_deleted",
    channel: "token",
    source: `${WEB_SERVER}#authorization-errors-deleted-client`,
  },
  {
    says: '{"error":"invalid_request","error_description":"client_secret is missing."}',
    code: "client_secret_missing",
    channel: "token",
    source: RFC6749,
  },
  {
    says: '{"error":"unauthorized_client","error_description":"Unauthorized"}',
    code: "refresh_token_wrong_client",
    channel: "token",
    source: RFC6749,
  },
  {
    says: '{"error":"redirect_uri_mismatch","error_description":"Bad Request"}',
    code: "code_exchange_redirect_mismatch",
    channel: "token",
    source: `${WEB_SERVER}#exchange-authorization-code`,
  },
  {
    says: '{"error":"invalid_scope","error_description":"Some requested scopes were invalid. {invalid=[https://www.googleapis.com/auth/gmail]}"}',
    code: "invalid_scope",
    channel: "token",
    source: RFC6749,
  },
  {
    says: '{"error":"internal_failure","error_description":"Backend Error"}',
    code: "token_endpoint_unavailable",
    channel: "token",
    source: RFC6749,
  },
  {
    says: '{"error":"invalid_token","error_description":"Token expired or revoked"}',
    code: "access_token_invalid",
    channel: "token",
    source: "https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke",
  },
  {
    says: '{"access_token":"ya29.XXXX","expires_in":3599,"refresh_token":"1//XXXX","refresh_token_expires_in":604799,"scope":"https://mail.google.com/","token_type":"Bearer"}',
    code: "testing_refresh_token_expiry",
    channel: "local",
    source: "https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code",
  },
  // A credential without its refresh token, in the client libraries' own words.
  {
    says: "Error: No refresh token is set.",
    code: "refresh_token_missing",
    channel: "local",
    source: "https://github.com/googleapis/google-auth-library-nodejs/blob/main/src/auth/oauth2client.ts",
  },
  {
    says: "ValueError: Authorized user info was not in the expected format, missing fields refresh_token.",
    code: "refresh_token_missing",
    channel: "local",
    source: "https://github.com/googleapis/google-auth-library-python/blob/main/google/oauth2/credentials.py",
  },
  {
    says: "google.auth.exceptions.RefreshError: The credentials do not contain the necessary fields need to refresh the access token. You must specify refresh_token, token_uri, client_id, and client_secret.",
    code: "refresh_token_missing",
    channel: "local",
    source: "https://github.com/googleapis/google-auth-library-python/blob/main/google/oauth2/credentials.py",
  },
  {
    says: "oauth2: token expired and refresh token is not set",
    code: "refresh_token_missing",
    channel: "local",
    source: "https://pkg.go.dev/golang.org/x/oauth2",
  },
  {
    says: "LogicException: refresh token must be passed in or set as part of setAccessToken",
    code: "refresh_token_missing",
    channel: "local",
    source: "https://github.com/googleapis/google-api-php-client/blob/main/src/Client.php",
  },
];

const rules: readonly Rule[] = [
  { id: "rapt-subtype", precedence: 110, code: "invalid_rapt", holds: (s) => s.subtype === "invalid_rapt" },
  {
    id: "secret-missing",
    precedence: 210,
    code: "client_secret_missing",
    holds: (s) => says(s, /client_secret is missing/i),
  },
  {
    id: "pkce",
    precedence: 215,
    code: "pkce_verifier_invalid",
    holds: (s) => PKCE_WORDING.test(s.text) || says(s, /code_verifier or verifier is not needed/i),
  },
  {
    id: "malformed-code",
    precedence: 220,
    code: "malformed_auth_code",
    holds: (s) => says(s, /Malformed (?:auth )?code/i),
  },
  {
    id: "clock",
    precedence: 225,
    code: "clock_skew",
    holds: (s) => says(s, /Token used too (?:early|late)|Invalid JWT: Token must be a short-lived token/i),
  },
  {
    id: "code-redeemed",
    precedence: 230,
    code: "auth_code_reused",
    holds: (s) => says(s, /Code was already redeemed/i),
  },
  {
    id: "token-revoked",
    precedence: 235,
    code: "refresh_token_invalid",
    holds: (s) => says(s, /Token has been expired or revoked|The account has been deleted/i),
    alternatives: [TESTING_EXPIRY],
  },
  {
    id: "client-not-found",
    precedence: 240,
    code: "client_not_found",
    // From the authorization step (its page, or the error it redirects back with) invalid_client is an unknown client;
    // at the token endpoint it is usually the secret.
    holds: (s) =>
      says(s, /The OAuth client was not found/i) ||
      (s.error === "invalid_client" && (onPage(s) || s.errorFrom === "callback")),
    alternatives: [{ code: "consent_screen_incomplete", when: 'if Google\'s page also says "no support email"' }],
  },
  {
    id: "client-secret",
    precedence: 245,
    generic: true,
    code: "client_secret_invalid",
    holds: (s) => s.error === "invalid_client",
    alternatives: [{ code: "client_not_found", when: "if Google's description says the client was not found" }],
    inferred: (s) => !/^Unauthorized/i.test(s.description ?? ""),
  },
  {
    id: "invalid-scope",
    precedence: 250,
    code: "invalid_scope",
    holds: (s) => s.error === "invalid_scope" || says(s, /Some requested scopes (?:were invalid|cannot be shown)/i),
  },
  {
    id: "wrong-client",
    precedence: 275,
    code: "refresh_token_wrong_client",
    holds: (s) => s.error === "unauthorized_client" && s.grant !== "authorization_code" && s.grant !== "jwt_bearer",
  },
  {
    id: "token-endpoint-down",
    precedence: 280,
    code: "token_endpoint_unavailable",
    holds: (s) =>
      s.error === "internal_failure" ||
      (fromTokenEndpoint(s) &&
        s.error === undefined &&
        ((s.httpStatus !== undefined && s.httpStatus >= 500) ||
          says(s, /We're sorry\.\.\.|sending automated queries|\/sorry\/|Error 50\d \(Server Error\)/i))),
  },
  {
    id: "redirect-exchange",
    precedence: 310,
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
    id: "grant-exchange",
    precedence: 410,
    generic: true,
    code: "auth_code_reused",
    holds: (s) => s.error === "invalid_grant" && s.grant === "authorization_code",
    alternatives: [{ code: "malformed_auth_code", when: "if the code was not URL-decoded or was cut off" }],
  },
  {
    id: "grant-refresh",
    precedence: 415,
    generic: true,
    code: "refresh_token_invalid",
    holds: (s) => s.error === "invalid_grant" && s.grant === "refresh_token",
    alternatives: [TESTING_EXPIRY],
  },
  {
    id: "grant-unknown",
    precedence: 425,
    generic: true,
    code: "refresh_token_invalid",
    holds: (s) => s.error === "invalid_grant",
    alternatives: [REFRESH_DIED],
  },
  {
    id: "token-invalid",
    precedence: 430,
    code: "access_token_invalid",
    holds: (s) => s.error === "invalid_token" || says(s, /\bToken expired or revoked/i),
  },
  {
    id: "no-refresh-token",
    precedence: 630,
    code: "refresh_token_missing",
    // Each client library's own words for a credential stored without its refresh token (the vocabulary above).
    holds: (s) => says(s, NO_REFRESH_TOKEN),
  },
  {
    id: "testing-expiry",
    precedence: 635,
    code: "testing_refresh_token_expiry",
    holds: (s) => says(s, /refresh_token_expires_in"?\s*[:=]\s*60479\d\b/i),
    inferred: true,
  },
];

export const TOKEN_ENDPOINT: Family = {
  id: "token-endpoint",
  title: "The token endpoint: code exchange and refresh",
  vocabulary,
  rules,
};
