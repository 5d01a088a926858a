// The diagnosis catalogue: the one source of truth for what each problem is called, why it happens, how to fix it, and
// where in the console to fix it. The words Google uses for each live in the diagnosis families' vocabularies
// (validator/diagnosis/families/), each with its primary source.
// Checks, `explain`, the report and docs/troubleshooting.md all read this table; nothing else carries this text.
// The codes are the table's keys: `DiagnosisCode` is derived from them, so a code cannot exist without its entry.
import { clientLink, consoleLink, gmailActivationUrl, type ConsolePage } from "../google/consoleLinks";
import { ENV } from "../common/env";
import { DWD_CONSOLE_URL } from "../google/delegationConsole";
import { XOAUTH2_DOC } from "../google/mail";

/** How bad a diagnosis is when it applies: `error` blocks the connection, `warning` degrades it, `unknown` stops a verdict. */
export type Severity = "error" | "warning" | "unknown";

export interface DiagnosisEntry {
  readonly title: string;
  readonly cause: string;
  readonly fix: readonly string[];
  /**
   * A console deep-link template with `{project}` and `{clientId}` placeholders (google/consoleLinks.ts); for a problem
   * no console page fixes (the network in between), the reference page that explains the fix.
   */
  readonly link?: string;
  /** The diagnosis rests on behaviour nobody could confirm (an UNCONFIRMED fact): reports say "inferred". */
  readonly inferred?: boolean;
  readonly severity: Severity;
}

// Templates built from the link helpers, so the console paths are defined once (google/consoleLinks.ts).
const page = (p: ConsolePage) => decodeURIComponent(consoleLink(p, "{project}"));
const CLIENT = decodeURIComponent(clientLink("{clientId}", "{project}"));
const GMAIL_QUOTAS = page("gmailApiQuotas");
const ACTIVATE_GMAIL = decodeURIComponent(gmailActivationUrl("{project}"));

/** In catalogue order. Which entry an error text gets is decided by the families' rules (validator/diagnosis/). */
export const CATALOGUE = {
  client_file_invalid: {
    title: "The client file is not a usable OAuth client JSON",
    cause:
      "The file given as the OAuth client is missing fields Google puts in every download (client_id, client_secret, the endpoints), or it was edited by hand.",
    fix: [
      "Download the client JSON again from Google Auth Platform → Clients → your client → Download JSON.",
      "Pass it unchanged with --client-secret-file.",
    ],
    link: page("clients"),
    severity: "error",
  },
  client_file_desktop_type: {
    title: 'A Desktop ("installed") client cannot serve a web app\'s redirect URI',
    cause:
      'The client JSON\'s top-level key is "installed": it is a Desktop app client. Desktop clients have no registered redirect URIs and accept only loopback redirects, so a web app (Flectra, Odoo, n8n …) sending its https callback gets redirect_uri_mismatch.',
    fix: [
      'Create a client of type "Web application" in Google Auth Platform → Clients → Create client.',
      'Add the app\'s redirect URI under "Authorized redirect URIs".',
      "Put the new client ID and secret into the app and the spec (clients[].clientId).",
    ],
    link: page("createClient"),
    severity: "error",
  },
  client_not_found: {
    title: "Google does not know this OAuth client ID",
    cause:
      "The client ID is mistyped, belongs to another project, or the client was created moments ago (new clients can take from 5 minutes to a few hours to work).",
    fix: [
      "Copy the client ID again from Google Auth Platform → Clients (it ends in .apps.googleusercontent.com).",
      "If the client was just created, wait and run the check again.",
    ],
    link: page("clients"),
    severity: "error",
  },
  client_deleted: {
    title: "The OAuth client was deleted",
    cause:
      "Someone deleted the client, or Google deleted it automatically after 6 months without use (after a warning email). Deleted clients can be restored for 30 days.",
    fix: [
      "Restore it from APIs & Services → Credentials → Deleted credentials (within 30 days).",
      "Otherwise create a new Web application client and update the app and the spec.",
    ],
    link: page("deletedClients"),
    severity: "error",
  },
  client_secret_invalid: {
    title: "The client secret is wrong for this client ID",
    cause:
      "The secret does not belong to this client: it was mistyped, rotated or disabled, or it comes from another client.",
    fix: [
      "Open the client in Google Auth Platform → Clients; the console shows only the last 4 characters of each secret.",
      "If you no longer have the full secret, add a new secret, put it in the app, then disable and delete the old one.",
    ],
    link: CLIENT,
    severity: "error",
  },
  client_secret_missing: {
    title: "No client secret was provided",
    cause:
      "Google requires the client secret at the token endpoint for Web and Desktop clients, even with PKCE. Without it every code exchange and refresh fails.",
    fix: [
      `Pass the downloaded client JSON with --client-secret-file, or set ${ENV.clientSecret} with --client-id.`,
      "In the app, fill in the client secret field next to the client ID.",
    ],
    link: CLIENT,
    severity: "error",
  },
  javascript_origin_not_allowed: {
    title: "The page's origin is not an Authorized JavaScript origin of the client",
    cause:
      'A browser sign-in (Google Identity Services, gapi) starts from an origin the Web client does not list under Authorized JavaScript origins, or from one Google never accepts (file://, an extension\'s origin on a Web client). Google answers origin_mismatch, "not a valid origin for the client", or invalid_request with origin= in the details.',
    fix: [
      "Add the exact origin (scheme, host and port, no path) under Authorized JavaScript origins of the Web client.",
      "Serve the page over http://localhost or https, not from file://.",
    ],
    link: CLIENT,
    severity: "error",
  },
  custom_scheme_disabled: {
    title: "Custom URI scheme redirects are turned off for this Android or iOS client",
    cause:
      'Google disables custom URI scheme redirects (com.example.app:/oauth2redirect) for new Android and Chrome app clients: "Custom URI scheme is not enabled for your Android client". The app needs another redirect method or the setting turned on.',
    fix: [
      "Prefer the platform's sign-in library (Credential Manager / Google Sign-In) or an app link.",
      "Or open the client in Google Auth Platform → Clients → Advanced settings and enable Custom URI scheme.",
    ],
    link: CLIENT,
    severity: "error",
  },
  consent_screen_incomplete: {
    title: "The consent screen is missing a required field (support email)",
    cause:
      'The project\'s branding lacks a field Google requires before anyone can sign in, most often the user support email; the sign-in fails with invalid_client "no support email".',
    fix: ["Open Google Auth Platform → Branding, fill in the user support email (and the app name), and save."],
    link: page("branding"),
    severity: "error",
  },
  oob_flow_blocked: {
    title: "The out-of-band (OOB) flow is blocked",
    cause:
      "redirect_uri=urn:ietf:wg:oauth:2.0:oob (copy-paste the code) was turned off by Google for every client type. Old tools and old client files still use it.",
    fix: [
      "Update the tool to a version that uses a loopback redirect (Desktop client) or an https redirect (Web client).",
      "Download a fresh client JSON: old Desktop files listed urn:ietf:wg:oauth:2.0:oob among redirect_uris.",
    ],
    severity: "error",
  },
  redirect_uri_not_registered: {
    title: "The redirect URI is not registered on the client",
    cause:
      "Google compares the redirect URI exactly with the client's Authorized redirect URIs: the http or https scheme, letter case, path and trailing slash must all match, and so must the port. For a loopback URI (http://127.0.0.1:PORT/) on a Web client the port rule is inferred: Google documents no loopback-port exception for Web clients, but has not confirmed the refusal either. Changes in the console can take 5 minutes to a few hours to apply.",
    fix: [
      'Open the client in Google Auth Platform → Clients and add the exact URI under "Authorized redirect URIs".',
      "Keep the URI identical to what the app sends (check http vs https behind a proxy, and the trailing slash).",
      "Wait a few minutes after saving, then run the check again.",
    ],
    link: CLIENT,
    severity: "error",
  },
  authorization_request_malformed: {
    title: "The sign-in request is missing a parameter or has a malformed one",
    cause:
      "Google's authorization endpoint refused the request itself before looking at the account: a required parameter (client_id, response_type, scope, redirect_uri) is missing or empty, or a value is not one Google accepts. The app built the sign-in address wrongly, often because its client ID setting is empty or named differently than the library expects.",
    fix: [
      "Fill in the app's Google client ID (and the other OAuth settings) and start the sign-in again.",
      "If the address is built by code, send client_id, redirect_uri, response_type=code and scope, each URL-encoded once.",
    ],
    link: page("clients"),
    severity: "error",
  },
  redirect_uri_invalid: {
    title: "The redirect URI breaks Google's registration rules",
    cause:
      "Google refuses redirect URIs that use http outside localhost, raw IP hosts, non-public top-level domains (.local, .lan), fragments, wildcards, user info, path traversal or bad percent-encodings.",
    fix: [
      "Serve the app's callback on an https URL under a public domain (localhost is allowed over http for development).",
      "Register and use that exact URI.",
    ],
    link: CLIENT,
    severity: "error",
  },
  custom_scheme_on_web_client: {
    title: "A custom-scheme redirect URI on a Web client",
    cause:
      "Web application clients accept only http(s) redirect URIs; a custom scheme (com.example.app:/…) means the app was built for another client type.",
    fix: [
      "Use the app's https callback URL, or",
      "for a native/desktop app, create a Desktop client and use a loopback redirect (http://127.0.0.1:PORT/).",
    ],
    link: page("createClient"),
    severity: "error",
  },
  code_exchange_redirect_mismatch: {
    title: "The code exchange used a different redirect URI than the sign-in",
    cause:
      "The token request's redirect_uri must be the very one used at the authorization endpoint. Apps behind a proxy often build one with http and the other with https.",
    fix: [
      "Make the app send the same redirect URI in both requests (fix the proxy headers or set the public URL in the app).",
      "Register that URI on the client.",
    ],
    link: CLIENT,
    severity: "error",
  },
  invalid_scope: {
    title: "Google rejected a requested scope",
    cause: "A scope is misspelled, not a Google scope, or not available to this client.",
    fix: [
      "Use the exact scope URL, e.g. https://mail.google.com/ or https://www.googleapis.com/auth/gmail.send.",
      "Declare the scopes the app requests under Google Auth Platform → Data access.",
    ],
    link: page("dataAccess"),
    severity: "error",
  },
  unknown_scope: {
    title: "A scope this kit does not know",
    cause:
      "The scope is not in the kit's table of Gmail and sign-in scopes, so its class (restricted, sensitive) and what it allows are unknown. It may be misspelled.",
    fix: [
      "Check the spelling against Google's Gmail scope list.",
      "If it is a valid non-Gmail scope, ignore this warning.",
    ],
    link: page("dataAccess"),
    severity: "warning",
  },
  gmail_api_disabled: {
    title: "The Gmail API is not enabled in the project",
    cause:
      "Every Gmail API call is refused until the Gmail API is enabled in the project that owns the OAuth client. After enabling it takes a minute or two to apply.",
    fix: [
      "Enable the Gmail API in the project (the link opens it).",
      "Wait a couple of minutes, then retry.",
      "Or let the Pulumi program enable it (google_project_service gmail.googleapis.com) and run `pulumi up`.",
    ],
    link: ACTIVATE_GMAIL,
    severity: "error",
  },
  mail_service_not_enabled: {
    title: "The account has no Gmail mailbox",
    cause:
      "The Google account exists but has no Gmail service: a Workspace user without a Gmail licence, or a Google account made with a non-Gmail address.",
    fix: [
      "Connect an account that has Gmail, or",
      "in the Workspace admin console, assign a licence with Gmail and turn Gmail on for the user's organizational unit.",
    ],
    severity: "error",
  },
  no_test_users: {
    title: "The app is in Testing with no test users",
    cause:
      'An External app in Testing can only be authorized by listed test users; with none, every sign-in ends in "Error 403: access_denied".',
    fix: [
      "Add the mailbox's address under Google Auth Platform → Audience → Test users (or in the spec's audience.testUsers and `pulumi up`).",
    ],
    link: page("audience"),
    severity: "error",
  },
  account_not_test_user: {
    title: "The account is not a test user of an app in Testing",
    cause:
      "The app's publishing status is Testing, so Google lets only the listed test users authorize it. Test users must be individual Google accounts: group addresses are not expanded.",
    fix: [
      "Add the account under Google Auth Platform → Audience → Test users.",
      "Or publish the app (Audience → Publish app) if it is meant for everyone.",
    ],
    link: page("audience"),
    severity: "error",
  },
  test_user_limit_exceeded: {
    title: "More than 100 test users",
    cause: "Google limits an app in Testing to 100 test users, and a test user uses up the quota once added.",
    fix: [
      "Keep only the accounts that need access (at most 100).",
      "For more users, publish the app and complete verification.",
    ],
    link: page("audience"),
    severity: "error",
  },
  production_unverified_restricted_scope: {
    title: "In production with restricted Gmail scopes but not verified",
    cause:
      'Restricted scopes (https://mail.google.com/, gmail.readonly, gmail.modify …) in a published, unverified app show the "unverified app" screen and stop at 100 new users for the project\'s whole lifetime (the cap cannot be reset). Verification is not required for personal use (fewer than 100 users, who click through the warning) or for internal use within an organization. Apps accessing restricted data from or through a third-party server must also pass an annual security assessment (CASA) by a Google-approved third party.',
    fix: [
      "For your own or a few mailboxes: accept the warning (Advanced → Go to <project> (unsafe)); stay under 100 users.",
      "Or switch to Testing and list the users as test users (tokens then expire every 7 days).",
      "For a public app: submit verification in the Verification Center and plan the annual security assessment.",
      "Workspace organizations can use an Internal app instead (no verification).",
    ],
    link: page("verification"),
    severity: "warning",
  },
  gmail_send_unverified: {
    title: "In production with the sensitive gmail.send scope but not verified",
    cause:
      "Sensitive scopes in a published, unverified app show the unverified-app screen and count against the 100-user lifetime cap, until the app is verified. Verification is not required for personal use (fewer than 100 users, who click through the warning) or for internal use within an organization.",
    fix: [
      "For a few users: accept the warning and stay under 100 users.",
      "For a public app: submit the app for verification in the Verification Center.",
    ],
    link: page("verification"),
    severity: "warning",
  },
  testing_refresh_token_expiry: {
    title: "Testing status: refresh tokens expire after 7 days",
    cause:
      'An External app in Testing gets refresh tokens that expire 7 days after consent whenever it requests Gmail scopes. The connection "breaks every week" with invalid_grant.',
    fix: [
      "Publish the app (Audience → Publish app) to stop the weekly expiry; see the verification notes for restricted scopes.",
      "Or, for a Workspace organization, make the app Internal, or have the admin mark it Trusted.",
      "Until then, reconnect the mailbox every week.",
    ],
    link: page("audience"),
    severity: "warning",
  },
  publishing_status_mismatch: {
    title: "Google's answer contradicts the declared publishing status",
    cause:
      "The refresh token came with refresh_token_expires_in ≈ 7 days, which apps in Testing get, while the spec says Production (or the reverse). Google documents this field only for time-based access, so the reading is inferred.",
    fix: ["Check Google Auth Platform → Audience and make the spec's audience.publishingStatus match it."],
    link: page("audience"),
    inferred: true,
    severity: "warning",
  },
  org_internal: {
    title: "Internal app, account outside the organization",
    cause:
      "The app's user type is Internal, so only accounts of the organization that owns the project can authorize it. Google shows the error and never calls back the app.",
    fix: [
      "Connect an account of the organization, or",
      "set the user type to External (Audience → Make external) and follow the Testing/verification rules.",
    ],
    link: page("audience"),
    severity: "error",
  },
  internal_without_organization: {
    title: "Internal user type without a Cloud organization",
    cause:
      'Only "Projects associated with a Google Cloud Organization" (Workspace or Cloud Identity) can use the Internal user type; a project owned by a @gmail.com account cannot.',
    fix: [
      "Use the External user type, or",
      "create the project under the organization (set orgId or folderId in the spec).",
    ],
    link: page("audience"),
    severity: "error",
  },
  admin_policy_enforced: {
    title: "The Workspace admin blocks this app or its scopes",
    cause:
      "The account's Google Workspace administrator restricts access to Gmail for third-party apps (API controls), so the account cannot grant the scopes.",
    fix: [
      "Ask the Workspace admin to trust the app's client ID in Admin console → Security → API controls → App access control.",
      'For Internal apps with restricted scopes, the admin may need to turn on "Let Internal apps access restricted Google Workspace APIs".',
    ],
    severity: "error",
  },
  consent_denied: {
    title: "The user refused consent",
    cause:
      'Google redirected back to the app with error=access_denied: the person clicked Cancel on Google\'s consent screen. "Back to safety" on the unverified-app warning ends the same way (inferred), and so, possibly, does unticking every permission (inferred: Google does not say whether that denies or grants only the sign-in scopes).',
    fix: ["Start the connection again and click Allow, ticking every requested permission."],
    severity: "error",
  },
  consent_not_completed: {
    title: "The sign-in was not completed",
    cause:
      "No callback arrived before the time limit: the browser window was closed, the consent screen was left open, or the redirect could not reach the listener.",
    fix: [
      "Run the flow again and finish the consent screen.",
      "With --no-browser, paste the whole address of the page the browser landed on.",
    ],
    severity: "unknown",
  },
  metadata_scope_restriction: {
    title: "The gmail.metadata scope forbids this request",
    cause:
      "The token carries https://www.googleapis.com/auth/gmail.metadata. Gmail then refuses search queries (the q parameter) and the FULL and RAW message formats, even when broader Gmail scopes were granted alongside it.",
    fix: [
      "Stop requesting gmail.metadata when the app also needs search or message bodies: request gmail.readonly (or gmail.modify) instead.",
      "Revoke the app at https://myaccount.google.com/permissions and connect again, so the new token no longer carries gmail.metadata.",
    ],
    link: page("dataAccess"),
    severity: "error",
  },
  scope_not_granted: {
    title: "A requested scope was not granted",
    cause:
      "With granular consent the person can untick permissions, so the token covers fewer scopes than requested; Gmail calls needing the missing ones get 403 insufficient scopes.",
    fix: [
      "Reconnect and tick every permission on the consent screen.",
      "Make the app request only the scopes it needs.",
    ],
    severity: "error",
  },
  refresh_token_missing: {
    title: "No refresh token was issued",
    cause:
      "Google returns a refresh token only with access_type=offline, and only on the first authorization; repeat sign-ins without prompt=consent get none.",
    fix: [
      "Request access_type=offline and prompt=consent, or revoke the app at https://myaccount.google.com/permissions and connect again.",
    ],
    severity: "error",
  },
  refresh_token_invalid: {
    title: "The refresh token has expired or was revoked",
    cause:
      "Refresh tokens stop working when the app is in Testing (7 days), the user revokes access or changes the password (Gmail scopes), the token is unused for 6 months, more than 100 tokens exist for the account and client, or the Google account was deleted.",
    fix: [
      "Reconnect the mailbox to get a new refresh token.",
      "If it happens weekly, the app is in Testing: publish it.",
    ],
    link: page("audience"),
    severity: "error",
  },
  refresh_token_wrong_client: {
    title: "The refresh token belongs to another client",
    cause:
      "A refresh token works only with the client ID that obtained it; the app now uses a different client (e.g. after recreating the client).",
    fix: ["Reconnect the mailbox with the current client, or configure the app with the client that issued the token."],
    link: page("clients"),
    severity: "error",
  },
  token_audience_mismatch: {
    title: "The access token was issued to another client",
    cause: "Google's tokeninfo reports an aud (client ID) different from the configured client.",
    fix: ["Use tokens minted by this client, or configure the app with the client that issued them."],
    link: page("clients"),
    severity: "error",
  },
  wrong_account: {
    title: "A different account was connected",
    cause:
      "The account that granted access is not the mailbox that was meant to be connected; often the browser picked another signed-in account.",
    fix: [
      "Reconnect and choose the intended account on Google's account chooser (sign out of the others, or use a private window).",
    ],
    severity: "error",
  },
  app_redirect_endpoint_unreachable: {
    title: "The app's redirect endpoint does not answer",
    cause:
      "Google will send the browser to this URI after consent, but nothing serves it: connection refused, DNS failure or 404. Often the app's Gmail/Google module is not installed or not updated (Flectra, Odoo), or the public URL is wrong.",
    fix: [
      "Install or update the app's Gmail/Google integration module and restart the app.",
      "Check that the URI's host resolves and points at the app, and that the path exists.",
    ],
    severity: "error",
  },
  loopback_redirect_missing: {
    title: "No loopback redirect URI for the local sign-in",
    cause:
      "A Web client accepts only registered redirect URIs, so a local sign-in needs a loopback URI such as http://127.0.0.1:8085/ registered on it.",
    fix: ["Add http://127.0.0.1:8085/ under the client's Authorized redirect URIs, or use a Desktop client."],
    link: CLIENT,
    severity: "error",
  },
  rate_limit_exceeded: {
    title: "Too many new users authorized the app",
    cause: "Google limits how fast new users can authorize an app; when exceeded, consent shows the rate-limit error.",
    fix: ["Wait and retry later.", "If the app needs more, request a quota increase from the Google Auth Platform."],
    link: page("overview"),
    severity: "error",
  },
  invalid_rapt: {
    title: "Reauthentication required by a session policy",
    cause:
      "A Workspace or Cloud session-control policy limits how long a grant lasts (1 to 24 hours) for apps using the Cloud Platform scope; the refresh then fails with invalid_rapt.",
    fix: [
      "Sign in again, or ask the admin to exempt the app from Google Cloud session control.",
      "A Gmail-only app should not request the cloud-platform scope.",
    ],
    severity: "error",
  },
  app_blocked: {
    title: "Google blocked the app from reaching the account's data",
    cause:
      "Google refused the sign-in outright: the app asks for sensitive or restricted data and is not verified, and Google judges it unsafe for this account (typically a shared OAuth client of a public tool, used by accounts that are not its developers' test users). Clicking through is not offered.",
    fix: [
      "Use your own OAuth client in your own Google Cloud project (add yourself as a test user, or make it Internal in a Workspace organization), and configure the app with its client ID and secret.",
      "If you are the app's developer: complete verification in the Verification Center.",
    ],
    link: page("verification"),
    inferred: true,
    severity: "error",
  },
  app_sign_in_disabled: {
    title: "Google disabled sign-in for this OAuth client",
    cause:
      'Google turned off sign-in for the client until its app is verified ("Error 401: disabled_client"). It happens to unverified apps that many accounts use, such as the built-in client of an open-source tool.',
    fix: [
      "Use your own OAuth client in your own project and configure the app with it.",
      "If you are the app's developer: submit the app for verification in the Verification Center, then wait for Google to re-enable the client.",
    ],
    link: page("verification"),
    severity: "error",
  },
  clock_skew: {
    title: "The computer's clock is off",
    cause:
      "The local clock differs from Google's by minutes. Token and ID-token timestamps (iat, exp) are then judged too early or expired. Detected from the Date header of Google's answers; its effect on a given library is inferred.",
    fix: ["Enable time synchronization (NTP), e.g. `timedatectl set-ntp true`, and retry."],
    inferred: true,
    severity: "warning",
  },
  malformed_auth_code: {
    title: "The authorization code was damaged",
    cause: "The code was truncated, not URL-decoded (4%2F0A… instead of 4/0A…), or is not a code at all.",
    fix: ["Pass the code exactly as Google sent it, URL-decoded once.", "Start the sign-in again to get a fresh code."],
    severity: "error",
  },
  auth_code_reused: {
    title: "The authorization code was already used or has expired",
    cause:
      'A code can be exchanged once and only shortly after it was issued; a reload of the callback page, or a second exchange, gets invalid_grant "Bad Request".',
    fix: ["Start the sign-in again; make sure the app exchanges each code once."],
    severity: "error",
  },
  pkce_verifier_invalid: {
    title: "The PKCE code verifier does not match",
    cause:
      "The code_verifier sent to the token endpoint does not hash to the code_challenge sent at sign-in, or is missing.",
    fix: [
      "Send the same verifier that produced the challenge (S256 = BASE64URL(SHA256(verifier))).",
      "Keep the verifier in the session between the sign-in and the callback.",
    ],
    severity: "error",
  },
  disallowed_useragent: {
    title: "Sign-in from an embedded browser",
    cause: "Google refuses OAuth inside embedded web views (WKWebView, in-app browsers).",
    fix: ["Open the sign-in in the system browser."],
    severity: "error",
  },
  quota_project_missing: {
    title: "No quota project: the call carries user credentials without a project to bill",
    cause:
      'The app calls Gmail with user credentials from gcloud (Application Default Credentials) or sets a quota project (x-goog-user-project) where the Gmail API is not enabled or the caller lacks serviceusage.services.use. Google answers "requires a quota project, which is not set by default" or SERVICE_DISABLED/USER_PROJECT_DENIED for the wrong project.',
    fix: [
      "For a connection to a mailbox, use the app's own OAuth client (client ID and secret) rather than gcloud's credentials.",
      "With ADC: `gcloud auth application-default set-quota-project PROJECT_ID`, where the Gmail API is enabled and you hold roles/serviceusage.serviceUsageConsumer.",
    ],
    link: "https://cloud.google.com/docs/authentication/troubleshoot-adc#user-creds-client-based",
    severity: "error",
  },
  cloud_credentials_missing: {
    title: "No Google Cloud credential to read the project",
    cause: `Reading whether the Gmail API is enabled needs a Cloud credential: ${ENV.cloudAccessToken}, or Application Default Credentials.`,
    fix: [
      "Run `gcloud auth application-default login`, or",
      `set ${ENV.cloudAccessToken}=$(gcloud auth print-access-token).`,
    ],
    severity: "unknown",
  },
  cloud_permission_denied: {
    title: "The Cloud credential may not read the project's services",
    cause: "The credential lacks serviceusage.services.get on the project (or the project ID is wrong).",
    fix: [
      "Use an account with Service Usage Viewer (roles/serviceusage.serviceUsageViewer) or Viewer on the project.",
      "Check --project.",
    ],
    link: page("iam"),
    severity: "unknown",
  },
  gmail_rate_limited: {
    title: "Gmail's per-user rate limit was hit",
    cause:
      "Gmail limits how fast one mailbox may be used through the API (queries per minute per user, and short bursts of some methods such as sending or creating filters). The app sent requests faster than that: Google answers 429, or 403 with reason rateLimitExceeded or userRateLimitExceeded, often with a time to retry after. This is not the sign-in limit for new users (rate_limit_exceeded).",
    fix: [
      'Slow the app down: smaller batches, fewer parallel requests, and a backoff that waits until the "Retry after" time.',
      "See the project's Gmail API quotas before asking for a higher per-user limit.",
    ],
    link: GMAIL_QUOTAS,
    severity: "unknown",
  },
  gmail_quota_exceeded: {
    title: "A daily Gmail limit was reached",
    cause:
      "A limit that resets daily is used up: the mailbox's sending limit (Gmail answers SMTP with 550 5.4.5 and the API with a sending-limit error), or the project's daily Gmail API quota. Retries before the reset fail the same way.",
    fix: [
      "Wait for the daily reset (a rolling 24 hours for sending limits).",
      "Send less per day, or use a Workspace account for higher sending limits; for API quotas, see the project's Gmail API quotas page.",
    ],
    link: GMAIL_QUOTAS,
    severity: "warning",
  },
  access_token_invalid: {
    title: "The access token is invalid or expired",
    cause:
      'Google refused the access token: it expired (they last about an hour), was revoked, or is not an OAuth access token, or the request carried none at all ("Login Required", CREDENTIALS_MISSING: the app sent no Authorization header). The revoke endpoint\'s "Token expired or revoked" is given for access and refresh tokens alike, so it does not say which kind was dead.',
    fix: [
      "Refresh the access token with the refresh token, or reconnect the mailbox.",
      "If Google says the credentials are missing, check that the app sends the header `Authorization: Bearer <access token>` on every API call.",
      "If the revoked token was a refresh token, reconnect the mailbox to get a new one.",
    ],
    severity: "error",
  },
  // Issue 16: expiry forecasts from the consent record --keep-token writes (validator/token/forecast.ts).
  refresh_token_expires_soon: {
    title: "The refresh token will expire soon",
    cause:
      "Google announced a limited lifetime for this refresh token when it was issued (refresh_token_expires_in: 7 days for an External app in Testing, or the time-based access the person chose), and that time is close. After it, every refresh fails with invalid_grant.",
    fix: [
      "Reconnect the mailbox before the forecast time (run the app's Gmail connect again, or `gmail-oauth validate --flow --keep-token FILE`).",
      "To stop the weekly expiry, publish the app (Audience → Publish app), or make it Internal for a Workspace organization.",
    ],
    link: page("audience"),
    severity: "warning",
  },
  refresh_token_expired: {
    title: "The refresh token has passed the lifetime Google announced",
    cause:
      "The consent record kept with the token says it was issued with refresh_token_expires_in, and that time has passed by Google's clock. Google expires such tokens (the 7-day Testing limit counts from consent; refreshing does not reset it).",
    fix: [
      "Reconnect the mailbox now, and keep the new token (`gmail-oauth validate --flow --keep-token FILE`).",
      "To stop this from recurring, publish the app (Audience → Publish app), or make it Internal for a Workspace organization.",
    ],
    link: page("audience"),
    severity: "error",
  },
  // --- Service accounts with domain-wide delegation (google-behaviour.md §10) -------------------------------------------------
  dwd_client_not_authorized: {
    title: "Domain-wide delegation is missing for the service account's client ID",
    cause:
      "No scope works for this client ID in the mailbox's domain: the Workspace admin has not added the service account's unique ID (its OAuth2 Client ID, 21 digits) under Manage Domain Wide Delegation, typed another ID (the key ID or the email instead), or added it in another Workspace. Google answers the same for a consumer account and for a missing scope, so from a pasted error alone it may also be one of those.",
    fix: [
      `In the Admin console open Security → Access and data control → API controls → Manage Domain Wide Delegation (${DWD_CONSOLE_URL}), or open the prefilled link the report gives.`,
      "Add new: Client ID = the service account's unique ID; OAuth scopes = the comma-separated list the report or runbook gives (no spaces).",
      "A change can take some minutes to apply (inferred); then run validate again.",
    ],
    severity: "error",
  },
  dwd_scope_not_authorized: {
    title: "Domain-wide delegation lacks some of the requested scopes",
    cause:
      "The service account's client ID is delegated in the domain, but not for every scope requested: a scope was left out, typed differently, or the list was entered with spaces instead of commas. A token request naming any missing scope fails as a whole.",
    fix: [
      "Open the prefilled link: it edits the client ID's entry with the full declared scope list (overwriting the old list).",
      `Or edit the entry under Manage Domain Wide Delegation (${DWD_CONSOLE_URL}) and add the named scopes, comma-separated.`,
    ],
    severity: "error",
  },
  dwd_user_not_found: {
    title: "The mailbox is not a user of the delegating domain",
    cause:
      "The service account asked to act as an address the Workspace does not have: mistyped, deleted, an alias or group address, or a user of another organization. (The exact wording is widely reported but not confirmed by Google.)",
    fix: [
      "Check the address in the Admin console → Directory → Users; use the user's primary address, not an alias or a group.",
    ],
    inferred: true,
    severity: "error",
  },
  dwd_consumer_account: {
    title: "A consumer Google account cannot be impersonated",
    cause:
      "Domain-wide delegation lets a service account act only as users of a Workspace domain; @gmail.com and @googlemail.com accounts belong to none. Google answers unauthorized_client.",
    fix: [
      "Connect consumer mailboxes through an OAuth client with the consent screen instead, or use a Workspace address.",
    ],
    severity: "error",
  },
  service_account_key_invalid: {
    title: "The service account key is disabled, deleted or not this account's",
    cause:
      "Google could not verify the JWT's signature with any live key of the service account: the key was disabled or deleted in the console, or the key file belongs to another service account.",
    fix: [
      "Prefer keyless signing (IAM Credentials signJwt with roles/iam.serviceAccountTokenCreator): nothing to rotate or leak.",
      "Otherwise create a new key for this service account (IAM → Service accounts → Keys) and store it where the app reads it.",
    ],
    link: page("serviceAccounts"),
    inferred: true,
    severity: "error",
  },
  service_account_not_found: {
    title: "Google does not know this service account",
    cause:
      "The JWT's issuer (the service account's email) names no service account: mistyped, deleted, or the email of another project.",
    fix: ["Copy the service account's email from IAM → Service accounts (NAME@PROJECT.iam.gserviceaccount.com)."],
    link: page("serviceAccounts"),
    severity: "error",
  },
  sign_jwt_permission_denied: {
    title: "The credential may not sign as the service account (keyless)",
    cause:
      "Keyless signing calls IAM Credentials signJwt as the service account; the caller needs roles/iam.serviceAccountTokenCreator on that service account (iam.serviceAccounts.signJwt), and the IAM Credentials API must be enabled.",
    fix: [
      "Grant roles/iam.serviceAccountTokenCreator on the service account to the app's identity (the Pulumi program does this for appServiceAccount) and to whoever runs validate.",
      "Or sign with a key: --service-account-key-file (and signing: key in the spec).",
    ],
    link: page("serviceAccounts"),
    severity: "error",
  },
  service_account_no_subject: {
    title: "Gmail was called as the service account itself (no impersonation)",
    cause:
      "A service account has no mailbox. Its token must be requested with sub = the mailbox to act as (subject / with_subject / clientOptions.subject in the client libraries); without it Gmail answers Precondition check failed.",
    fix: [
      "Set the subject to the mailbox when building the credentials, e.g. new JWT({ email, key, scopes, subject: 'billing@acme.com' }) or credentials.with_subject('billing@acme.com').",
    ],
    severity: "error",
  },
  delegation_denied: {
    title: "The token acts as one user, but the call names another",
    cause:
      "A domain-wide delegation token impersonates exactly one user (its sub). Calling Gmail for a different userId than that user is refused.",
    fix: ["Request a token with sub = the mailbox you call (one token per mailbox), or call users/me."],
    severity: "error",
  },
  token_endpoint_unavailable: {
    title: "Google's token endpoint failed on its side",
    cause:
      'The token endpoint answered a refresh or code exchange with a server error (HTTP 5xx, {"error":"internal_failure"}) or with its automated-traffic block page instead of a token. Nothing is wrong with the grant or the client; the same request usually works minutes later.',
    fix: [
      "Retry with exponential backoff; do not delete the stored refresh token over this answer.",
      "If it lasts, check the Google Cloud status page, and whether the machine sends unusual volumes of requests (the block page).",
    ],
    severity: "unknown",
  },
  // SMTP and IMAP with XOAUTH2 (google-behaviour.md §11): how Flectra, Odoo and mail clients use the token. Google's answer to any
  // refused token is the same sequence (a base64 JSON challenge, then 535-5.7.8 or [AUTHENTICATIONFAILED]); the
  // checks tell the causes apart from what else they know (tokeninfo, the granted scopes, the mailbox address).
  imap_disabled: {
    title: "IMAP is turned off for the mailbox's domain",
    cause:
      "The Google Workspace admin disabled IMAP access for the organisation or the user's group. The token is fine: Google accepted the login, then refused IMAP. SMTP is not affected.",
    fix: [
      "Ask the Workspace admin to enable IMAP: Admin console (https://admin.google.com) → Apps → Google Workspace → Gmail → End User Access → POP and IMAP access.",
      "Or fetch mail through the Gmail API (transports: [gmail-api]) if the app can.",
    ],
    inferred: true,
    severity: "error",
  },
  smtp_app_password_advice: {
    title: 'Username and Password not accepted: an app password or "less secure apps" is not the fix',
    cause:
      '535-5.7.8 "Username and Password not accepted" reads like a password problem, and threads answer it with "turn on less secure apps" or "use an app password". Google removed less secure app access in 2022, and an app password bypasses the OAuth connection this kit sets up (many Workspace domains forbid them). When the app was set up for OAuth, the 535 means Google refused the XOAUTH2 token; when the log shows AUTH PLAIN or AUTH LOGIN, the app is not using OAuth at all.',
    fix: [
      'Set the app\'s outgoing server to OAuth (Flectra/Odoo: Authenticate with "Gmail OAuth Authentication"), not a password.',
      "Check the token: `gmail-oauth check-token … --account MAILBOX` names the cause (token, scope, user=).",
      "Do not turn on 2-Step Verification just to create an app password for an OAuth app.",
    ],
    link: CLIENT,
    severity: "error",
  },
  app_password_required: {
    title: "Google refused the account password: the account has 2-Step Verification",
    cause:
      'The app logged in to SMTP or IMAP with the account\'s normal password (AUTH LOGIN/PLAIN), and the account has 2-Step Verification: Google answers 534-5.7.9 "Application-specific password required" (IMAP: [ALERT] Application-specific password required). The app is not using OAuth at all.',
    fix: [
      'Best: switch the app to OAuth (Flectra/Odoo: the outgoing and incoming server\'s Authenticate with "Gmail OAuth Authentication"), the connection this kit sets up and checks.',
      "Only if OAuth is impossible: an app password (https://support.google.com/accounts/answer/185833). It needs 2-Step Verification, is not offered to Advanced Protection accounts or when a Workspace admin turned app passwords off, and stops working when the account password changes.",
      "Never turn 2-Step Verification off to get the password login back: Google refuses plain passwords either way.",
    ],
    link: "https://support.google.com/accounts/answer/185833",
    severity: "error",
  },
  web_login_required: {
    title: "Google refused a password sign-in from the app (web login required)",
    cause:
      'The app logged in to SMTP or IMAP with a password and Google wants the person to sign in in a browser first: 534-5.7.14 "Please log in via your web browser" (WebLoginRequired; IMAP: [ALERT] Please log in via your web browser). Google gives it for a sign-in it finds suspicious and for password logins it no longer allows (less secure app access ended in 2022 for consumer accounts and in 2025 for Workspace).',
    fix: [
      'Switch the app to OAuth (Flectra/Odoo: Authenticate with "Gmail OAuth Authentication"): Google does not refuse an OAuth token this way.',
      "If a password login is the only option and the account has 2-Step Verification, use an app password (https://support.google.com/accounts/answer/185833); signing in once in a browser from the app's network clears a suspicious-sign-in block for a while but not for good.",
    ],
    link: "https://support.google.com/accounts/answer/6010255",
    inferred: true,
    severity: "error",
  },
  mail_too_many_logins: {
    title: "Too many SMTP/IMAP login attempts: Google is refusing logins for a while",
    cause:
      'Gmail answered 454 4.7.0 "Too many login attempts, please try again later" (FailedLoginAttempts): the app (or several apps on the mailbox) failed or opened logins too often. It clears by itself; repeated failures behind it (a wrong password, a dead token) keep it going.',
    fix: [
      "Stop the app's retries for an hour, then fix what made the logins fail (run `gmail-oauth check-token … --account MAILBOX` for an OAuth connection).",
      "Make the app reuse one authenticated connection instead of logging in for every message.",
    ],
    link: "https://support.google.com/a/answer/3726730",
    severity: "warning",
  },
  imap_connection_limit: {
    title: "Too many IMAP connections or too much IMAP traffic for the mailbox",
    cause:
      'Gmail allows each account a limited number of simultaneous IMAP connections (15) and a daily bandwidth; past them it answers "[ALERT] Too many simultaneous connections" or "Account exceeded command or bandwidth limits". The login itself is fine.',
    fix: [
      "Close the IMAP sessions other apps and devices hold on the mailbox, or lower the app's connection pool.",
      "Wait for the bandwidth limit to reset (up to a day); fetch incrementally instead of resyncing whole folders.",
    ],
    link: "https://support.google.com/a/answer/1071518",
    severity: "warning",
  },
  smtp_auth_required: {
    title: "The app sent mail to smtp.gmail.com without logging in",
    cause:
      'Gmail answered 530-5.7.0 "Authentication Required" (WantAuthError): the app sent MAIL FROM before any AUTH. Its outgoing server has no authentication set (or the login step failed silently and the app went on).',
    fix: [
      'Set the app\'s outgoing server to authenticate (Flectra/Odoo: Authenticate with "Gmail OAuth Authentication"; elsewhere: SMTP authentication on, port 587 with STARTTLS or 465 with TLS).',
      "Check the app's log for an earlier AUTH failure it ignored.",
    ],
    link: "https://support.google.com/a/answer/3726730",
    severity: "error",
  },
  smtp_starttls_required: {
    title: "The app logged in to smtp.gmail.com:587 before starting TLS",
    cause:
      'Port 587 starts in plain text and needs STARTTLS before AUTH; Gmail answers 530 5.7.0 "Must issue a STARTTLS command first", and some libraries report "SMTP AUTH extension not supported by server" because Gmail offers AUTH only after STARTTLS.',
    fix: [
      "Port 587: turn STARTTLS on (Flectra/Odoo: Connection Encryption TLS (STARTTLS); nodemailer: secure: false with requireTLS: true; Python: starttls() before login()).",
      "Or port 465 with implicit TLS (SSL/TLS).",
    ],
    link: "https://support.google.com/a/answer/3726730",
    severity: "error",
  },
  mail_tls_mode_mismatch: {
    title: "The app speaks the wrong TLS mode for the port (465/993 versus 587)",
    cause:
      'Ports 465 (SMTP) and 993 (IMAP) expect TLS from the first byte; port 587 starts in plain text and upgrades with STARTTLS. A client that starts TLS on 587, or plain text on 465/993, fails in the handshake ("wrong version number", "Greeting never received", "unexpected EOF") before Google says anything about the login.',
    fix: [
      "465 or 993: implicit TLS (nodemailer secure: true; Flectra/Odoo: SSL/TLS).",
      "587: STARTTLS (nodemailer secure: false; Flectra/Odoo: TLS (STARTTLS)).",
    ],
    link: XOAUTH2_DOC,
    severity: "error",
  },
  smtp_ehlo_rejected: {
    title: "smtp.gmail.com closed the session at the greeting (EHLO)",
    cause:
      'Gmail answered the EHLO with 421 4.7.0 "Try again later, closing connection. (EHLO)": the name the client greets with is missing or invalid (a container\'s bare hostname, an empty or local name), or a relay is not set up for the sending address. Nothing about the login was tried.',
    fix: [
      "Give the mail library a valid fully qualified name to greet with (nodemailer: name; Python: local_hostname; PHPMailer: Hostname).",
      "For smtp-relay.gmail.com: add the sending IP or domain in the Admin console's SMTP relay service.",
    ],
    link: "https://support.google.com/a/answer/3726730",
    severity: "error",
  },
  xoauth2_scope_insufficient: {
    title: "The token lacks https://mail.google.com/, the only scope SMTP and IMAP accept",
    cause:
      'SMTP and IMAP with XOAUTH2 accept only https://mail.google.com/ (it "includes any usage of IMAP, SMTP, and POP3 protocols"). A token with gmail.send, gmail.modify or gmail.readonly works for the Gmail API but is refused by smtp.gmail.com and imap.gmail.com with the failure challenge.',
    fix: [
      "Request https://mail.google.com/ (add it to the spec's scopes and to Data access in the console).",
      "Reconnect the mailbox so the new token carries it.",
      "If the app really only calls the Gmail API, declare transports: [gmail-api] instead.",
    ],
    link: page("dataAccess"),
    severity: "error",
  },
  xoauth2_user_mismatch: {
    title: "The app logs in as another mailbox than the token's (user=)",
    cause:
      "XOAUTH2 sends user=<mailbox> with the token. Google accepts it only when that is the account that consented; another address (an alias, a shared mailbox, a typo in the app's username field) gets the failure challenge and 535-5.7.8 / [AUTHENTICATIONFAILED]. Google does not say which part was wrong: the kit concludes it from tokeninfo or the Gmail profile naming another account.",
    fix: [
      "Set the app's username (Flectra/Odoo: the outgoing and incoming server's Username) to the address that consented.",
      "Or reconnect, signing in as the mailbox the app logs in as.",
    ],
    link: CLIENT,
    severity: "error",
  },
  xoauth2_invalid_credentials: {
    title: "SMTP/IMAP refused the OAuth token (XOAUTH2)",
    cause:
      'Google answered AUTH XOAUTH2 with its failure sequence: a base64 JSON challenge such as {"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}, then 535-5.7.8 (SMTP) or NO [AUTHENTICATIONFAILED] (IMAP). Status 401 means the access token is invalid or expired (documented); 400 is what threads show for a token without https://mail.google.com/ or a user= that is not the token\'s account too (which status means which is unconfirmed).',
    fix: [
      "Refresh the access token (they last about an hour) and retry; if the refresh fails, reconnect the mailbox.",
      "Make sure the token was granted https://mail.google.com/: SMTP and IMAP accept no narrower Gmail scope.",
      "Make sure the app logs in (user=) as the very mailbox that consented.",
      "Run `gmail-oauth check-token … --account MAILBOX` to tell these apart.",
      `Google's protocol page: ${XOAUTH2_DOC}`,
    ],
    severity: "error",
  },
  mail_port_blocked: {
    title: "The network blocks Gmail's SMTP/IMAP ports (587, 465, 993)",
    cause:
      "The connection to smtp.gmail.com or imap.gmail.com timed out or was refused before Google said anything. That is the network (a firewall, a cloud provider's egress rule, a proxy-only network), not Google and not the token: nothing can be concluded about the OAuth setup.",
    fix: [
      "From the app's host, test the port: `openssl s_client -starttls smtp -connect smtp.gmail.com:587` (or :465, imap.gmail.com:993).",
      "Open outbound 587 (or 465) and 993 in the firewall or the provider's egress rules; many providers block port 25 only.",
      "SMTP and IMAP do not go through an HTTP(S) proxy: the host needs direct outbound access to these ports.",
      `Hosts and ports: ${XOAUTH2_DOC}`,
    ],
    severity: "unknown",
  },
  // The network between the kit and Google (issue 18). Inconclusive for the connection: nothing reached Google.
  // The `match` texts are what users paste, verbatim from public reports: npm/npm#14459 ("tunneling socket could not be
  // established, cause=connect ECONNREFUSED 127.0.0.1:8888"), postmanlabs/postman-app-support#8862 ("tunneling socket
  // could not be established, statusCode=407"), cubewise-code/tm1py#531 ("Tunnel connection failed: 407 Proxy
  // Authentication Required"), google/clasp#1071 and google-gemini/gemini-cli#13914 ("request to
  // https://oauth2.googleapis.com/token failed, reason: self-signed certificate in certificate chain" / "unable to get
  // local issuer certificate"), levz0r/gmail-tester#92 ("getaddrinfo ENOTFOUND gmail.googleapis.com") and
  // GAM-team/GAM#1851 ("Unable to find the server at oauth2.googleapis.com").
  ca_bundle_missing: {
    title: "This machine has no trusted CA certificates for Google's certificate",
    cause:
      "The HTTP client could not verify Google's genuine certificate because it has no CA bundle to verify against: PHP with curl.cainfo unset (common on Windows/WAMP), Python on macOS before \"Install Certificates\" ran, a minimal container or router image without the ca-certificates package, an old OS. Go, Python and PHP read the system's store (or none); a TLS-inspecting proxy gives the same words and is the other reading.",
    fix: [
      "Install the CA bundle: Debian/Ubuntu `apt-get install ca-certificates`, Alpine `apk add ca-certificates`, RHEL `dnf install ca-certificates`; in a Dockerfile FROM scratch, copy /etc/ssl/certs/ca-certificates.crt in.",
      "PHP: download cacert.pem (https://curl.se/docs/caextract.html) and set curl.cainfo and openssl.cafile in php.ini.",
      'Python on macOS: run "Install Certificates.command" from the Python folder, or `pip install certifi`.',
      "If a corporate proxy inspects TLS, trust its CA instead (see tls_interception).",
    ],
    link: "https://curl.se/docs/sslcerts.html",
    severity: "unknown",
  },
  proxy_unreachable: {
    title: "The proxy could not be reached or would not pass the request on",
    cause:
      "HTTPS_PROXY / HTTP_PROXY names a proxy for Google's hosts, but the connection to the proxy was refused, the proxy's host did not resolve, it hung up, or it refused to open a tunnel (CONNECT) to Google. Nothing reached Google, so nothing about the connection can be concluded.",
    fix: [
      "Check the proxy variables the kit saw: `env | grep -i _proxy` (a lower-case name wins over the upper-case one). The report names the proxy it used.",
      "Try the proxy by hand: `curl -sS -o /dev/null -w '%{http_code}\\n' -x \"$HTTPS_PROXY\" https://oauth2.googleapis.com/token` (any code from Google, such as 404 or 405, shows the proxy works).",
      "If this machine reaches Google without a proxy, put Google's hosts in NO_PROXY (NO_PROXY=.googleapis.com,accounts.google.com) or unset the variable.",
      "If the proxy refused the tunnel (HTTP 403), ask its administrators to allow CONNECT to accounts.google.com, oauth2.googleapis.com, gmail.googleapis.com and serviceusage.googleapis.com on port 443.",
    ],
    link: "https://github.com/Rob--W/proxy-from-env#environment-variables",
    severity: "unknown",
  },
  proxy_auth_required: {
    title: "The proxy asks for credentials (HTTP 407)",
    cause:
      "The proxy answered 407 Proxy Authentication Required: the proxy URL carries no user and password, or the proxy refused them. The kit sends the credentials of the proxy URL as Basic authentication; a proxy that accepts only NTLM or Kerberos (Negotiate) cannot be used directly.",
    fix: [
      "Put the credentials in the proxy URL: HTTPS_PROXY=http://USER:PASSWORD@proxy.example.com:3128 (percent-encode special characters: @ as %40, : as %3A). The kit never prints them.",
      "If the proxy accepts only NTLM or Kerberos, run a local relay that speaks it (cntlm, px) and point HTTPS_PROXY at the relay.",
      "Check by hand: `curl -sS -o /dev/null -w '%{http_code}\\n' -x \"$HTTPS_PROXY\" https://oauth2.googleapis.com/token` (407 means the credentials are still refused).",
    ],
    link: "https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/407",
    severity: "unknown",
  },
  tls_interception: {
    title: "Google's certificate is signed by a CA this machine does not trust (TLS interception)",
    cause:
      'Node could not verify the certificate presented for Google\'s host ("self-signed certificate in certificate chain", "unable to get local issuer certificate"). Google\'s certificates verify against the CAs Node ships with, so something in between re-signed the traffic: usually a TLS-inspecting corporate proxy or security agent whose CA Node was not given. Node does not read the operating system\'s certificate store.',
    fix: [
      "Get the corporate CA certificate as PEM: from the IT or security team; from the system store (Debian/Ubuntu /usr/local/share/ca-certificates, RHEL /etc/pki/ca-trust/source/anchors, macOS Keychain Access → System, Windows certmgr.msc → Trusted Root Certification Authorities → export as Base-64); or from the chain itself: `openssl s_client -showcerts -proxy proxy.example.com:3128 -connect oauth2.googleapis.com:443 </dev/null` (the last certificate shown).",
      "Give it to Node: `export NODE_EXTRA_CA_CERTS=/path/to/corporate-ca.pem` before running gmail-oauth (Node reads it once, at start-up).",
      "Do not set NODE_TLS_REJECT_UNAUTHORIZED=0: it turns verification off for every host, Google included.",
    ],
    link: "https://nodejs.org/api/cli.html#node_extra_ca_certsfile",
    severity: "unknown",
  },
  dns_failure: {
    title: "A Google host name did not resolve",
    cause:
      "The DNS lookup of Google's host failed on this machine (getaddrinfo ENOTFOUND or EAI_AGAIN), so no request was sent. Common in locked-down networks where only the proxy may resolve outside names, and then HTTPS_PROXY must be set; a mistyped --google-origin gives the same.",
    fix: [
      "Check the lookup: `getent hosts oauth2.googleapis.com` (or `nslookup oauth2.googleapis.com`).",
      "If only a proxy may reach outside, set HTTPS_PROXY=http://proxy.example.com:3128: the proxy then resolves Google's names.",
      `Check --google-origin or ${ENV.googleOrigin} if one is set.`,
    ],
    link: "https://developers.google.com/speed/public-dns/docs/troubleshooting",
    severity: "unknown",
  },
  google_unavailable: {
    title: "Google did not answer",
    cause:
      "The request failed with a server error, a rate limit or a network problem even after retries, so nothing can be concluded.",
    fix: ["Check the network (and the proxy), then run the check again."],
    severity: "unknown",
  },
} satisfies Record<string, DiagnosisEntry>;

/** Every diagnosis code. Names are public: users and scripts rely on them. */
export type DiagnosisCode = keyof typeof CATALOGUE;
export const DIAGNOSIS_CODES = Object.keys(CATALOGUE) as DiagnosisCode[];
