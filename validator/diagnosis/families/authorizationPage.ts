// Google's authorization pages: what accounts.google.com renders instead of the consent screen (the "Access blocked"
// and "Error 400/401/403" pages, in any language the page is shown in), and the error it redirects back to the app.
// The page's prose is localized; the code after "Error 400:" stays in English, so the code decides (signals.ts).
import { scopeInfo } from "../../../google/scopes";
import { requestedOob } from "../signals";
import { onPage, says, type Family, type Rule, type VocabularyEntry } from "../rule";

const WEB_SERVER = "https://developers.google.com/identity/protocols/oauth2/web-server";

/** The sentences of Google's redirect_uri_mismatch page, old and new (docs/google-behaviour.md §1.2). */
export const REDIRECT_PAGE =
  /does not match the ones authorized for the OAuth client|did not match a registered redirect URI|register the redirect URI in the Google Cloud Console|authorization-errors-redirect-uri-mismatch/i;
/** Other OAuth providers' endpoints and error formats (Microsoft's AADSTS codes, VK, GitHub, Facebook, …). */
const OTHER_PROVIDER =
  /\bAADSTS\d+|login\.microsoftonline\.com|login\.live\.com|oauth\.vk\.com|api\.vk\.com|VKontakte|github\.com\/login\/oauth|graph\.facebook\.com|facebook\.com\/[\w.]*\/?dialog\/oauth|slack\.com\/api\/oauth|zoom\.us\/oauth|api\.login\.yahoo\.com|oauth\.yandex\.|api\.weibo\.com|dropbox\.com\/oauth2|login\.salesforce\.com|appleid\.apple\.com|api\.netatmo\.com|id\.twitch\.tv|api\.twitter\.com\/oauth|login\.xero\.com/i;
/** Anything of Google's in a text: its hosts, its products, its client IDs. */
const GOOGLE_SIGN = /google|gmail|gserviceaccount|googleusercontent|\bgsmtp\b/i;
/** An installed app's loopback redirect: a loopback host with a port and no path of its own. */
const LOOPBACK_ROOT = /^http:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?\/?$/;
/** The policy page Google shows for a request its rules refuse, whatever the code under it. */
const POLICY_PAGE = /doesn.t comply with Google.s OAuth 2\.0 polic|does not comply with Google.s OAuth 2\.0 polic/i;

const vocabulary: readonly VocabularyEntry[] = [
  {
    says: "Error 400: redirect_uri_mismatch\nYou can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.\nIf you're the app developer, register the redirect URI in the Google Cloud Console.\nRequest details: redirect_uri=https://erp.example.com/google_gmail/confirm flowName=GeneralOAuthFlow",
    code: "redirect_uri_not_registered",
    channel: "page",
    source: `${WEB_SERVER}#authorization-errors-redirect-uri-mismatch`,
  },
  {
    says: "Error 400: invalid_request\nYou can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy for keeping apps secure.\nRequest details: redirect_uri=urn:ietf:wg:oauth:2.0:oob flowName=GeneralOAuthFlow",
    code: "oob_flow_blocked",
    channel: "page",
    source: "https://developers.google.com/identity/protocols/oauth2/resources/oob-migration",
  },
  {
    says: "Error 400: invalid_request\nThe out-of-band (OOB) flow has been blocked in order to keep users secure.",
    code: "oob_flow_blocked",
    channel: "page",
    source: "https://developers.google.com/identity/protocols/oauth2/resources/oob-migration",
  },
  {
    says: "Error 400: invalid_request\nMissing required parameter: client_id",
    code: "authorization_request_malformed",
    channel: "page",
    source: `${WEB_SERVER}#authorization-errors-invalid-request`,
  },
  {
    says: "Error 400: invalid_request\nCustom scheme URIs are not allowed for 'WEB' client type.",
    code: "custom_scheme_on_web_client",
    channel: "page",
    source: "https://developers.google.com/identity/protocols/oauth2/native-app#redirect-uri_custom-scheme",
  },
  {
    says: "Error 401: invalid_client\nThe OAuth client was not found.",
    code: "client_not_found",
    channel: "page",
    source: `${WEB_SERVER}#authorization-errors-invalid-client`,
  },
  {
    says: "Error 401: deleted_client\nThe OAuth client was deleted.",
    code: "client_deleted",
    channel: "page",
    source: `${WEB_SERVER}#authorization-errors-deleted-client`,
  },
  {
    says: "Error 401: disabled_client\nThe OAuth client was disabled.",
    code: "app_sign_in_disabled",
    channel: "page",
    source: "https://support.google.com/cloud/answer/15549257",
  },
  {
    says: "Error 403: access_denied\nThe app is currently being tested, and can only be accessed by developer-approved testers. If you think you should have access, contact the developer.",
    code: "account_not_test_user",
    channel: "page",
    source: "https://support.google.com/cloud/answer/15549945",
  },
  {
    says: "Error 403: org_internal\nThis client is restricted to users within its organization.",
    code: "org_internal",
    channel: "page",
    source: `${WEB_SERVER}#authorization-errors-org-internal`,
  },
  {
    says: "Error 400: admin_policy_enforced\nThe Google Account is unable to authorize one or more scopes requested due to the policies of their Google Workspace administrator.",
    code: "admin_policy_enforced",
    channel: "page",
    source: `${WEB_SERVER}#authorization-errors-admin-policy-enforced`,
  },
  {
    says: "Error 403: disallowed_useragent\nThis user-agent is not permitted to make an OAuth authorization request to Google as it is classified as an embedded user-agent (also known as a web-view).",
    code: "disallowed_useragent",
    channel: "page",
    source: `${WEB_SERVER}#authorization-errors-disallowed-useragent`,
  },
  {
    says: "Error 400: origin_mismatch\nYou can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.\nRequest details: origin=http://localhost:55591 flowName=GeneralOAuthFlow",
    code: "javascript_origin_not_allowed",
    channel: "page",
    source: "https://developers.google.com/identity/gsi/web/guides/get-google-api-clientid",
  },
  {
    says: "Error 400: invalid_request\nCustom URI scheme is not enabled for your Android client.",
    code: "custom_scheme_disabled",
    channel: "page",
    source: "https://developers.google.com/identity/protocols/oauth2/native-app#android",
  },
  {
    says: "Error 401: invalid_client\nno support email",
    code: "consent_screen_incomplete",
    channel: "page",
    source: "https://support.google.com/cloud/answer/15549049",
  },
  {
    says: "Error 403: rate_limit_exceeded",
    code: "rate_limit_exceeded",
    channel: "page",
    source: "https://support.google.com/cloud/answer/9028764",
  },
  {
    says: "Error 400: invalid_scope\nSome requested scopes cannot be shown: [https://www.googleapis.com/auth/gmail.fake]",
    code: "invalid_scope",
    channel: "page",
    source: "https://developers.google.com/identity/protocols/oauth2/scopes",
  },
  {
    says: "Google hasn't verified this app\nThe app is requesting access to sensitive info in your Google Account. Until the developer verifies this app with Google, you shouldn't use it.",
    code: "production_unverified_restricted_scope",
    channel: "page",
    source: "https://support.google.com/cloud/answer/7454865",
  },
  {
    says: "This app is blocked\nThis app tried to access sensitive info in your Google Account. To keep your account safe, Google blocked this access.",
    code: "app_blocked",
    channel: "page",
    source: "https://support.google.com/cloud/answer/7454865",
  },
  {
    says: "https://erp.example.com/google_gmail/confirm?error=access_denied&state=abc",
    code: "consent_denied",
    channel: "page",
    source: `${WEB_SERVER}#handlingresponse`,
  },
];

const rules: readonly Rule[] = [
  {
    id: "no-support-email",
    precedence: 105,
    code: "consent_screen_incomplete",
    holds: (s) => says(s, /no support email|support email is (?:missing|required)/i),
  },
  {
    id: "other-provider",
    precedence: 100,
    code: null,
    // The same OAuth codes come from every provider: a text that names another provider's endpoint or error format
    // and nothing of Google's is that provider's answer.
    holds: (s) => says(s, OTHER_PROVIDER) && !says(s, GOOGLE_SIGN),
    note: "the error comes from another OAuth provider (its endpoint or error format is named), not from Google",
  },
  {
    id: "org-internal",
    precedence: 115,
    code: "org_internal",
    holds: (s) => s.error === "org_internal" || says(s, /restricted to users within its organization/i),
  },
  {
    id: "admin-policy",
    precedence: 120,
    code: "admin_policy_enforced",
    holds: (s) =>
      s.error === "admin_policy_enforced" ||
      says(s, /restricted by policies within your organization|policies of their Google Workspace administrator/i),
  },
  {
    id: "embedded-browser",
    precedence: 125,
    code: "disallowed_useragent",
    holds: (s) =>
      s.error === "disallowed_useragent" ||
      says(
        s,
        /classified as an embedded user-agent|can't sign you in safely inside this app|This browser or app may not be secure|(?:此浏览器或应用|此应用或浏览器)可能不安全/i,
      ),
  },
  {
    id: "sign-in-rate",
    precedence: 130,
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
    precedence: 135,
    code: "client_deleted",
    holds: (s) => s.error === "deleted_client" || says(s, /The OAuth client was deleted/i),
  },
  {
    id: "client-disabled",
    precedence: 140,
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
    precedence: 145,
    code: "app_blocked",
    holds: (s) =>
      says(
        s,
        /This app is blocked|tried to access sensitive info in your Google Account|此应用已被阻止|此应用试图访问您 Google 帐号中的敏感信息/i,
      ),
  },
  {
    id: "oob-blocked",
    precedence: 150,
    code: "oob_flow_blocked",
    holds: (s) => says(s, /out-of-band \(OOB\) flow has been blocked/i),
  },
  {
    id: "malformed-authorize",
    precedence: 155,
    code: "authorization_request_malformed",
    holds: (s) =>
      (s.error === "invalid_request" || onPage(s)) &&
      says(
        s,
        /Missing required parameter|Required parameter is missing|Invalid parameter value for|Parameter not allowed for this message type/i,
      ),
  },
  {
    id: "js-origin",
    precedence: 157,
    code: "javascript_origin_not_allowed",
    holds: (s) =>
      s.error === "origin_mismatch" ||
      // The details of a browser flow always carry origin=; it is the cause only when nothing else is named.
      (s.requestDetails.origin !== undefined && (s.error === undefined || s.error === "invalid_request")) ||
      says(
        s,
        /did not match a registered JavaScript origin|Not a valid origin for the client|idpiframe_initialization_failed|origin_mismatch/i,
      ),
  },
  {
    id: "custom-scheme-disabled",
    precedence: 158,
    code: "custom_scheme_disabled",
    holds: (s) => says(s, /Custom URI scheme is not enabled for your (?:Android|Chrome app|iOS) client/i),
  },
  {
    id: "custom-scheme",
    precedence: 160,
    code: "custom_scheme_on_web_client",
    holds: (s) => says(s, /Custom scheme URIs are not allowed for ["']?WEB["']? client type/i),
  },
  {
    id: "oob-requested",
    precedence: 315,
    code: "oob_flow_blocked",
    holds: (s) =>
      (s.error === "redirect_uri_mismatch" ||
        s.error === "invalid_request" ||
        onPage(s) ||
        says(s, POLICY_PAGE) ||
        says(s, /The redirect URI in the request/i)) &&
      requestedOob(s),
    inferred: true,
    note: "the request used the out-of-band redirect (urn:ietf:wg:oauth:2.0:oob), which Google blocks for every client",
  },
  {
    id: "redirect-page",
    precedence: 320,
    generic: true,
    code: "redirect_uri_not_registered",
    holds: (s) => s.error === "redirect_uri_mismatch" || says(s, REDIRECT_PAGE),
    // A bare loopback address (http://localhost:PORT/) is an installed app's local sign-in, whose fix is a Desktop
    // client or the exact loopback URI; an app's own path on localhost (n8n's /rest/oauth2-credential/callback) is a
    // web app served locally, registered like any other URI.
    refine: (s) =>
      LOOPBACK_ROOT.test(s.redirectUri ?? "") ? "loopback_redirect_missing" : "redirect_uri_not_registered",
    // Without the Request details the page does not say which URI was refused, and these are its other causes.
    alternatives: [
      {
        code: "loopback_redirect_missing",
        when: "if the app signs in through a local address (http://localhost:PORT/)",
      },
      { code: "client_file_desktop_type", when: "if the client is a Desktop one while the app is a web app" },
      {
        code: "oob_flow_blocked",
        when: "if the app shows a code to copy back (redirect_uri urn:ietf:wg:oauth:2.0:oob)",
      },
    ],
  },
  {
    id: "policy-page-redirect",
    precedence: 322,
    code: "redirect_uri_not_registered",
    // Google's policy page in a language not read for its code: "OAuth 2.0" stays in every translation, and its
    // Request details name the redirect URI that was refused.
    holds: (s) => s.error === undefined && says(s, /OAuth 2\.0/) && s.requestDetails.redirect_uri !== undefined,
    inferred: true,
    alternatives: [
      { code: "oob_flow_blocked", when: "if the refused redirect URI is urn:ietf:wg:oauth:2.0:oob" },
      { code: "loopback_redirect_missing", when: "if it is a local address (http://localhost:PORT/)" },
    ],
  },
  {
    id: "invalid-request-page",
    precedence: 340,
    generic: true,
    code: "authorization_request_malformed",
    // "Error 400: invalid_request" with nothing more: the Request details would say which parameter Google refused.
    holds: (s) => s.error === "invalid_request" && onPage(s),
    inferred: true,
    note: "Google's page names no parameter: the Request details under it (click 'error details') tell which one",
    alternatives: [
      {
        code: "oob_flow_blocked",
        when: "if the app shows a code to copy and paste back (the out-of-band flow, blocked since 2022)",
      },
      { code: "custom_scheme_on_web_client", when: "if the redirect URI is a custom scheme (com.example.app:/…)" },
      { code: "custom_scheme_disabled", when: "if it is an Android or iOS client using a custom URI scheme" },
      {
        code: "javascript_origin_not_allowed",
        when: "if the Request details show origin= (a sign-in started in a browser page)",
      },
    ],
  },
  {
    id: "consent-refused",
    precedence: 325,
    code: "consent_denied",
    holds: (s) => s.error === "access_denied" && (s.errorFrom === "callback" || (!onPage(s) && s.errorFrom !== "bare")),
  },
  {
    id: "not-a-tester",
    precedence: 330,
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
    precedence: 335,
    code: "production_unverified_restricted_scope",
    holds: (s) =>
      says(s, /Google hasn.?t verified this app|This app isn.?t verified|hasn.?t been verified by Google yet/i),
    inferred: true,
    // The warning does not say which scopes caused it: a send-only request is the sensitive-scope case.
    refine: (s) => {
      const classes = new Set(s.scopes.map((x) => scopeInfo(x)?.class));
      return classes.has("sensitive") && !classes.has("restricted")
        ? "gmail_send_unverified"
        : "production_unverified_restricted_scope";
    },
  },
];

export const AUTHORIZATION_PAGE: Family = {
  id: "authorization-page",
  title: "Google's authorization pages and the redirect back to the app",
  vocabulary,
  rules,
};
