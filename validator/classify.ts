// Google's structured errors → diagnosis codes. The live checks and `explain` both classify here, so an error
// seen by a check and the same error pasted by a user always get the same diagnosis.
import type { AuthError } from "../google/authError";
import type { DiagnosisCode } from "./types";

/** The authError payload of /signin/oauth/error (facts §1.2). */
export function classifyAuthError(e: Pick<AuthError, "error" | "message">): DiagnosisCode | undefined {
  const msg = e.message ?? "";
  switch (e.error) {
    case "invalid_client":
      return "client_not_found";
    case "deleted_client":
      return "client_deleted";
    case "redirect_uri_mismatch":
      return /out-of-band|\boob\b/i.test(msg) ? "oob_flow_blocked" : "redirect_uri_not_registered";
    case "invalid_scope":
      return "invalid_scope";
    case "org_internal":
      return "org_internal";
    case "admin_policy_enforced":
      return "admin_policy_enforced";
    case "disallowed_useragent":
      return "disallowed_useragent";
    case "rate_limit_exceeded":
      return "rate_limit_exceeded";
    case "access_denied":
      // Shown by Google (not redirected) when a non-tester meets an app in Testing (facts §1.2).
      return /being tested|developer-approved testers|verification process|hasn.t given you access/i.test(msg) ? "account_not_test_user" : "consent_denied";
    case "invalid_request":
      if (/out-of-band|\boob\b/i.test(msg)) return "oob_flow_blocked";
      if (/custom scheme/i.test(msg)) return "custom_scheme_on_web_client";
      return undefined;
    default:
      return undefined;
  }
}

export interface TokenErrorBody {
  readonly error: string;
  readonly error_description?: string;
  readonly error_subtype?: string;
}

/** A token-endpoint JSON error (facts §2.3). Google documents `error` only: descriptions refine, never decide alone. */
export function classifyTokenError(body: TokenErrorBody, grant: "authorization_code" | "refresh_token" | "unknown" = "unknown"): DiagnosisCode | undefined {
  const desc = body.error_description ?? "";
  switch (body.error) {
    case "invalid_client":
      return /not found/i.test(desc) ? "client_not_found" : "client_secret_invalid";
    case "deleted_client":
      return "client_deleted";
    case "unauthorized_client":
      // Only a refresh can present another client's grant; at code exchange the error names no known cause.
      return grant === "authorization_code" ? undefined : "refresh_token_wrong_client";
    case "redirect_uri_mismatch":
      return "code_exchange_redirect_mismatch";
    case "invalid_scope":
      return "invalid_scope";
    case "invalid_request":
      if (/client_secret is missing/i.test(desc)) return "client_secret_missing";
      if (/code[_ ]verifier|code[_ ]challenge/i.test(desc)) return "pkce_verifier_invalid";
      return undefined;
    case "invalid_grant":
      if (body.error_subtype === "invalid_rapt") return "invalid_rapt";
      if (/malformed auth code/i.test(desc)) return "malformed_auth_code";
      if (/code[_ ]verifier|code[_ ]challenge|pkce/i.test(desc)) return "pkce_verifier_invalid";
      if (/expired or revoked/i.test(desc)) return "refresh_token_invalid";
      if (grant === "refresh_token") return "refresh_token_invalid";
      if (/already redeemed|bad request/i.test(desc) || grant === "authorization_code") return "auth_code_reused";
      return undefined;
    case "access_denied":
      return "consent_denied";
    case "invalid_token":
      // tokeninfo and revoke (facts §4): a dead access token, or a refresh token already revoked.
      return /expired or revoked/i.test(desc) ? "refresh_token_invalid" : "access_token_invalid";
    default:
      return undefined;
  }
}

/** A Google API error body `{"error":{"code","message","status","errors":[{reason}],"details":[…]}}` (facts §5, §6). */
export interface ApiErrorInfo {
  readonly code?: DiagnosisCode;
  readonly httpCode?: number;
  readonly message?: string;
  readonly projectNumber?: string;
  readonly activationUrl?: string;
  readonly service?: string;
}

interface ApiErrorShape {
  code?: number;
  message?: string;
  status?: string;
  errors?: { reason?: string; message?: string }[];
  details?: { "@type"?: string; reason?: string; metadata?: Record<string, string>; links?: { url?: string }[] }[];
}

export function isApiErrorBody(value: unknown): value is { error: ApiErrorShape } {
  const e = (value as { error?: unknown } | null)?.error;
  return typeof e === "object" && e !== null && !Array.isArray(e);
}

export function classifyApiError(body: { error: ApiErrorShape }): ApiErrorInfo {
  const e = body.error;
  const reasons = new Set<string>([...(e.errors ?? []).map((x) => x.reason ?? ""), ...(e.details ?? []).map((d) => d.reason ?? "")]);
  const message = e.message ?? "";
  const info = (e.details ?? []).find((d) => d.reason === "SERVICE_DISABLED")?.metadata;
  const activationUrl = info?.activationUrl ?? /https:\/\/console\.developers\.google\.com\/apis\/api\/[^\s"]+/.exec(message)?.[0];
  const projectNumber = info?.consumer?.replace(/^projects\//, "") ?? /in project (\d+)/.exec(message)?.[1] ?? (activationUrl ? /[?&]project=(\d+)/.exec(activationUrl)?.[1] : undefined);
  let code: DiagnosisCode | undefined;
  if (reasons.has("SERVICE_DISABLED") || reasons.has("accessNotConfigured") || /has not been used in project|Access Not Configured/i.test(message)) code = "gmail_api_disabled";
  else if (/Mail service not enabled/i.test(message)) code = "mail_service_not_enabled";
  else if (reasons.has("ACCESS_TOKEN_SCOPE_INSUFFICIENT") || reasons.has("insufficientPermissions") || /insufficient authentication scopes/i.test(message)) code = "scope_not_granted";
  else if (reasons.has("AUTH_PERMISSION_DENIED") || /Permission denied to (?:enable|get) service/i.test(message)) code = "cloud_permission_denied";
  else if (e.code === 401 || e.status === "UNAUTHENTICATED") code = "access_token_invalid";
  else if (e.code !== undefined && (e.code >= 500 || e.status === "UNAVAILABLE")) code = "google_unavailable";
  return {
    code,
    httpCode: e.code,
    message: message || undefined,
    ...(projectNumber ? { projectNumber } : {}),
    ...(activationUrl ? { activationUrl } : {}),
    ...(info?.service ? { service: info.service } : {}),
  };
}

/** The `error=` of a redirect back to the app (facts §1.3). */
export function classifyCallbackError(error: string): DiagnosisCode | undefined {
  if (error === "access_denied") return "consent_denied";
  return classifyAuthError({ error });
}
