// Google's APIs: Gmail first (its error bodies and reasons, docs/google-behaviour.md §5), then the Cloud APIs a
// connection meets (Service Usage, the project itself, Application Default Credentials). Another API's trouble is
// recognised and left alone (code null), and so is a request the app built wrong: neither is the connection's setup.
import { gmailOrUnnamed, precondition, reason, says, type Family, type Rule, type VocabularyEntry } from "../rule";
import type { Signals } from "../types";

const GMAIL_ERRORS = "https://developers.google.com/workspace/gmail/api/guides/handle-errors";
const ERROR_REASONS = "https://github.com/googleapis/googleapis/blob/master/google/api/error_reason.proto";
const CLOUD_ERRORS = "https://cloud.google.com/apis/design/errors";

const disabledService = (s: Signals) =>
  reason(s, "SERVICE_DISABLED", "accessNotConfigured") ||
  says(s, /has not been used in project|Access Not Configured|Service\/App not enabled/i);
const rateLimited = (s: Signals) =>
  reason(s, "userRateLimitExceeded", "rateLimitExceeded", "RATE_LIMIT_EXCEEDED") ||
  says(
    s,
    /User-?rate limit exceeded|User Rate Limit Exceeded|Queries per minute per user|Resource has been exhausted|Too many concurrent requests for user/i,
  ) ||
  (s.httpStatus === 429 && s.endpoint === "api");
/** "(Mail sending)" after "User-rate limit exceeded" is the daily sending limit (Gmail API guide, "Resolve a 429"). */
const dailyLimited = (s: Signals) =>
  reason(s, "dailyLimitExceeded") ||
  says(
    s,
    /Daily user sending (?:quota|limit) exceeded|Daily Limit Exceeded|Queries per day|sending limit exceeded|\(Mail sending\)/i,
  );
/** Gmail's answers to a request the app built wrong (Gmail API guide: 400 Bad Request, 413). */
const APP_REQUEST =
  /RFC822 payload|Invalid To header|Invalid (?:From|Cc|Bcc) header|Recipient address required|Invalid label(?:Id)?\b|Invalid id value|Invalid message id|Request payload size exceeds the limit|Request Entity Too Large/i;

const vocabulary: readonly VocabularyEntry[] = [
  {
    says: '{"error":{"code":403,"message":"Gmail API has not been used in project 861228239640 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=861228239640 then retry.","errors":[{"domain":"usageLimits","reason":"accessNotConfigured"}],"status":"PERMISSION_DENIED"}}',
    code: "gmail_api_disabled",
    channel: "api",
    source: ERROR_REASONS,
  },
  {
    says: 'Encountered 403 Forbidden with reason "accessNotConfigured"',
    code: "gmail_api_disabled",
    channel: "api",
    source: GMAIL_ERRORS,
  },
  {
    says: '{"error":{"code":403,"message":"Google Drive API has not been used in project 123 before or it is disabled.","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED","metadata":{"service":"drive.googleapis.com"}}],"status":"PERMISSION_DENIED"}}',
    code: null,
    channel: "api",
    source: ERROR_REASONS,
    why: "another Google API is disabled: the Gmail connection is not involved",
  },
  {
    says: '{"error":{"code":400,"message":"Mail service not enabled","errors":[{"message":"Mail service not enabled","domain":"global","reason":"failedPrecondition"}],"status":"FAILED_PRECONDITION"}}',
    code: "mail_service_not_enabled",
    channel: "api",
    source: GMAIL_ERRORS,
  },
  {
    says: '{"error":{"code":403,"message":"Request had insufficient authentication scopes.","errors":[{"message":"Insufficient Permission","domain":"global","reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT"}]}}',
    code: "scope_not_granted",
    channel: "api",
    source: ERROR_REASONS,
  },
  {
    says: '{"error":{"code":403,"message":"Metadata scope doesn\'t allow format FULL","errors":[{"reason":"forbidden"}],"status":"PERMISSION_DENIED"}}',
    code: "metadata_scope_restriction",
    channel: "api",
    source: "https://developers.google.com/workspace/gmail/api/auth/scopes",
  },
  {
    says: '{"error":{"code":401,"message":"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.","errors":[{"message":"Invalid Credentials","domain":"global","reason":"authError","location":"Authorization","locationType":"header"}],"status":"UNAUTHENTICATED"}}',
    code: "access_token_invalid",
    channel: "api",
    source: GMAIL_ERRORS,
  },
  {
    says: '{"error":{"code":429,"message":"User-rate limit exceeded.  Retry after 2026-01-01T00:00:00.000Z","errors":[{"reason":"rateLimitExceeded"}],"status":"RESOURCE_EXHAUSTED"}}',
    code: "gmail_rate_limited",
    channel: "api",
    source: GMAIL_ERRORS,
  },
  {
    says: '{"error":{"code":403,"message":"User-rate limit exceeded (Mail sending)","errors":[{"reason":"dailyLimitExceeded"}]}}',
    code: "gmail_quota_exceeded",
    channel: "api",
    source: GMAIL_ERRORS,
  },
  {
    says: '{"error":{"code":403,"message":"The domain administrators have disabled Gmail apps.","errors":[{"domain":"global","reason":"domainPolicy"}],"status":"PERMISSION_DENIED"}}',
    code: "admin_policy_enforced",
    channel: "api",
    source: GMAIL_ERRORS,
  },
  {
    says: '{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_EXPIRED","domain":"googleapis.com"}]}}',
    code: "access_token_invalid",
    channel: "api",
    source: ERROR_REASONS,
  },
  {
    says: '{"error":{"code":403,"message":"Permission denied to enable service [gmail.googleapis.com]","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"AUTH_PERMISSION_DENIED","domain":"serviceusage.googleapis.com"}]}}',
    code: "cloud_permission_denied",
    channel: "api",
    source: "https://cloud.google.com/service-usage/docs/access-control",
  },
  {
    says: "Your application is authenticating by using local Application Default Credentials. The gmail.googleapis.com API requires a quota project, which is not set by default.",
    code: "quota_project_missing",
    channel: "api",
    source: "https://cloud.google.com/docs/authentication/troubleshoot-adc#user-creds-client-based",
  },
  {
    says: "Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.",
    code: "cloud_credentials_missing",
    channel: "local",
    source: "https://cloud.google.com/docs/authentication/application-default-credentials",
  },
  {
    says: '{"error":{"code":500,"message":"Backend Error","errors":[{"reason":"backendError"}],"status":"INTERNAL"}}',
    code: "google_unavailable",
    channel: "api",
    source: GMAIL_ERRORS,
  },
  {
    says: '{"error":{"code":404,"message":"Requested entity was not found.","errors":[{"message":"Requested entity was not found.","domain":"global","reason":"notFound"}],"status":"NOT_FOUND"}}',
    code: null,
    channel: "api",
    source: GMAIL_ERRORS,
    why: "the message, thread or label the app asked for does not exist: the app's request, not the connection",
  },
  {
    says: '{"error":{"code":400,"message":"Invalid label: INBOXX","errors":[{"message":"Invalid label: INBOXX","domain":"global","reason":"invalidArgument"}],"status":"INVALID_ARGUMENT"}}',
    code: null,
    channel: "api",
    source: GMAIL_ERRORS,
    why: "the app named a label that does not exist: its own request",
  },
  {
    says: '{"error":{"code":400,"message":"Invalid To header","errors":[{"message":"Invalid To header","domain":"global","reason":"invalidArgument"}],"status":"INVALID_ARGUMENT"}}',
    code: null,
    channel: "api",
    source: GMAIL_ERRORS,
    why: "the message the app built has a malformed recipient: its own bug",
  },
  {
    says: '{"error":{"code":403,"message":"Project 123 is not found and cannot be used for API calls.","status":"PERMISSION_DENIED"}}',
    code: null,
    channel: "api",
    source: CLOUD_ERRORS,
    why: "the project the credential belongs to was deleted: a new project and client are needed, beyond one connection's repair",
  },
];

const rules: readonly Rule[] = [
  {
    id: "other-api-disabled",
    precedence: 510,
    code: null,
    holds: (s) => disabledService(s) && s.api !== undefined && s.api !== "gmail",
    note: "a Google API other than Gmail is disabled in the project",
  },
  {
    id: "project-gone",
    precedence: 515,
    code: null,
    holds: (s) => says(s, /Project \d+ is not found and cannot be used for API calls/i),
    note: "the project the credentials belong to no longer exists",
  },
  {
    id: "gmail-disabled",
    precedence: 520,
    code: "gmail_api_disabled",
    // accessNotConfigured with no API named (googleapiclient's one-line log) is read as Gmail's: this kit's connections
    // call Gmail, and another API named in the text was decided by the rule above.
    holds: (s) => disabledService(s) && gmailOrUnnamed(s),
    inferred: (s) => s.api === undefined,
    note: "the text does not name the API: if the app also calls another Google API, enable that one instead",
  },
  {
    id: "no-mailbox",
    precedence: 525,
    code: "mail_service_not_enabled",
    holds: (s) => says(s, /Mail service not enabled/i),
  },
  {
    id: "precondition-user",
    precedence: 530,
    code: "mail_service_not_enabled",
    holds: (s) => precondition(s) && s.grant !== "jwt_bearer" && says(s, /OAuth2Client|refresh_token|oauth2client/),
    inferred: true,
    note: "Gmail's 'Precondition check failed' for a user's own token: the account has no Gmail mailbox",
  },
  {
    id: "metadata-scope",
    precedence: 545,
    code: "metadata_scope_restriction",
    holds: (s) => says(s, /Metadata scope does not support|Metadata scope doesn.t allow/i),
  },
  {
    id: "scope-missing",
    precedence: 550,
    code: "scope_not_granted",
    holds: (s) =>
      reason(s, "insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT") ||
      says(s, /insufficient authentication scopes|Insufficient Permission/i),
  },
  {
    id: "cloud-permission",
    precedence: 555,
    code: "cloud_permission_denied",
    holds: (s) =>
      reason(s, "AUTH_PERMISSION_DENIED") ||
      says(s, /Permission denied to (?:enable|get) service|serviceusage\.services\.(?:enable|get|use)\b/i) ||
      (says(s, /serviceusage\.googleapis\.com/) && says(s, /\b403\b|PERMISSION_DENIED|does not have permission/i)),
  },
  {
    id: "gmail-daily",
    precedence: 560,
    code: "gmail_quota_exceeded",
    holds: (s) => dailyLimited(s) && gmailOrUnnamed(s),
  },
  { id: "gmail-rate", precedence: 565, code: "gmail_rate_limited", holds: (s) => rateLimited(s) && gmailOrUnnamed(s) },
  {
    id: "other-api-rate",
    precedence: 570,
    code: "google_unavailable",
    holds: (s) => (rateLimited(s) || dailyLimited(s)) && !gmailOrUnnamed(s),
  },
  {
    id: "domain-policy",
    precedence: 572,
    code: "admin_policy_enforced",
    // Gmail's reason domainPolicy: the Workspace admin turned off Gmail API access for the domain's users.
    holds: (s) => reason(s, "domainPolicy") || says(s, /domain administrators have disabled Gmail apps/i),
  },
  {
    id: "access-token",
    precedence: 575,
    code: "access_token_invalid",
    holds: (s) =>
      s.endpoint !== "smtp" &&
      s.endpoint !== "imap" &&
      (reason(s, "authError", "UNAUTHENTICATED", "CREDENTIALS_MISSING", "ACCESS_TOKEN_EXPIRED") ||
        says(
          s,
          /Request had invalid authentication credentials|missing required authentication credential|Invalid Credentials|(?<!Web )Login Required/i,
        ) ||
        (s.httpStatus === 401 && s.endpoint === "api")),
    alternatives: [
      {
        code: "refresh_token_invalid",
        when: "if the app could not refresh its token first (its log shows invalid_grant): the refresh token is dead",
      },
    ],
  },
  {
    id: "not-found",
    precedence: 580,
    code: null,
    holds: (s) => reason(s, "notFound", "NOT_FOUND") || says(s, /Requested entity was not found/i),
    note: "Google answered that what the app asked for does not exist: the app's request, not the connection",
  },
  {
    id: "app-request",
    precedence: 585,
    code: null,
    holds: (s) =>
      says(s, APP_REQUEST) ||
      (s.endpoint === "api" &&
        (s.httpStatus === 400 || s.httpStatus === 413) &&
        (reason(s, "invalidArgument", "badRequest", "INVALID_ARGUMENT") ||
          says(s, /Invalid value for|Invalid argument/i))),
    note: "Gmail refused the request the app built: the app's own bug",
  },
  {
    id: "google-5xx",
    precedence: 590,
    code: "google_unavailable",
    holds: (s) =>
      reason(s, "backendError", "internalError", "UNAVAILABLE") ||
      says(s, /Backend Error|The service is currently unavailable|Authentication backend unavailable/i) ||
      (s.httpStatus !== undefined && s.httpStatus >= 500 && s.endpoint === "api"),
  },
  {
    id: "quota-project",
    precedence: 518,
    code: "quota_project_missing",
    holds: (s) =>
      says(
        s,
        /requires a quota project|quota project(?:, which)? is not set|USER_PROJECT_DENIED|x-goog-user-project|Caller does not have required permission to use project/i,
      ),
  },
  {
    id: "no-adc",
    precedence: 620,
    code: "cloud_credentials_missing",
    holds: (s) =>
      says(
        s,
        /Could not load the default credentials|default credentials were not found|Could not automatically determine credentials/i,
      ),
  },
];

export const GOOGLE_APIS: Family = {
  id: "google-apis",
  title: "Gmail and the Google Cloud APIs",
  vocabulary,
  rules,
};
