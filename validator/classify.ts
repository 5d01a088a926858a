// Google's structured errors → diagnosis codes. The live checks and `explain` both classify here, so an error
// seen by a check and the same error pasted by a user always get the same diagnosis.
import type { AuthError } from "../google/authError";
import { GMAIL_SERVICE } from "../google/endpoints";
import { PKCE_WORDING } from "../google/pkce";
import { OOB_REDIRECT_URI } from "../google/redirectUris";
import type { DiagnosisCode } from "./types";

/** What a classification concluded, and whether it rests on an inference (an UNCONFIRMED fact or missing wording). */
export interface Reading {
  readonly code?: DiagnosisCode;
  readonly inferred?: boolean;
}

type AuthErrorInput = Pick<AuthError, "error" | "message"> & { readonly details?: Readonly<Record<string, string>> };

const OOB_WORDING = /out-of-band|\boob\b/i;
const TESTER_WORDING = /being tested|developer-approved testers|verification process|hasn.t given you access/i;

function requestedOob(e: AuthErrorInput): boolean {
  return e.details?.redirect_uri?.startsWith(OOB_REDIRECT_URI) === true;
}

/**
 * The authError payload of /signin/oauth/error, or the text of the page Google renders (facts §1.2). Everything here
 * was SHOWN by Google, never redirected: a Cancel on the consent screen comes back to the app as error=access_denied
 * (facts §1.3, classifyCallbackError), so a rendered access_denied is the Testing/test-user block.
 */
export function readAuthError(e: AuthErrorInput): Reading {
  const msg = e.message ?? "";
  switch (e.error) {
    case "invalid_client":
      return { code: "client_not_found" };
    case "deleted_client":
      return { code: "client_deleted" };
    case "redirect_uri_mismatch":
      // "redirect_uri_mismatch can also mean the request used the OOB flow" (facts §1.2).
      return { code: OOB_WORDING.test(msg) || requestedOob(e) ? "oob_flow_blocked" : "redirect_uri_not_registered" };
    case "invalid_scope":
      return { code: "invalid_scope" };
    case "org_internal":
      return { code: "org_internal" };
    case "admin_policy_enforced":
      return { code: "admin_policy_enforced" };
    case "disallowed_useragent":
      return { code: "disallowed_useragent" };
    case "rate_limit_exceeded":
      return { code: "rate_limit_exceeded" };
    case "access_denied":
      // Google renders access_denied only for a non-tester meeting an app in Testing (facts §1.2); without the
      // tester wording that reading is inferred.
      return TESTER_WORDING.test(msg)
        ? { code: "account_not_test_user" }
        : { code: "account_not_test_user", inferred: true };
    case "invalid_request":
      if (OOB_WORDING.test(msg) || requestedOob(e)) return { code: "oob_flow_blocked" };
      if (/custom scheme/i.test(msg)) return { code: "custom_scheme_on_web_client" };
      return {};
    default:
      return {};
  }
}

/** The authError payload of /signin/oauth/error (facts §1.2); readAuthError also says whether it is inferred. */
export function classifyAuthError(e: AuthErrorInput): DiagnosisCode | undefined {
  return readAuthError(e).code;
}

/**
 * Google's wording for a wrong or missing PKCE verifier (facts §1.5: "the code_challenge parameter is invalid or
 * missing"; "Invalid/Missing code verifier."). Never the bare parameter names: a pasted authorize URL carries those.
 */

export interface TokenErrorBody {
  readonly error: string;
  readonly error_description?: string;
  readonly error_subtype?: string;
}

/** A token-endpoint JSON error (facts §2.3). Google documents `error` only: descriptions refine, never decide alone. */
export function classifyTokenError(
  body: TokenErrorBody,
  grant: "authorization_code" | "refresh_token" | "unknown" = "unknown",
): DiagnosisCode | undefined {
  const desc = body.error_description ?? "";
  switch (body.error) {
    case "invalid_client":
      return /not found/i.test(desc) ? "client_not_found" : "client_secret_invalid";
    case "deleted_client":
      return "client_deleted";
    case "unauthorized_client":
      // The JWT bearer grant's wording (facts §10): a service account's delegation, not a refresh token.
      if (/not authorized for any of the scopes requested/i.test(desc)) return "dwd_client_not_authorized";
      // Only a refresh can present another client's grant; at code exchange the error names no known cause.
      return grant === "authorization_code" ? undefined : "refresh_token_wrong_client";
    case "redirect_uri_mismatch":
      return "code_exchange_redirect_mismatch";
    case "invalid_scope":
      return "invalid_scope";
    case "invalid_request":
      if (/client_secret is missing/i.test(desc)) return "client_secret_missing";
      if (PKCE_WORDING.test(desc)) return "pkce_verifier_invalid";
      return undefined;
    case "invalid_grant":
      if (body.error_subtype === "invalid_rapt") return "invalid_rapt";
      if (/malformed auth code/i.test(desc)) return "malformed_auth_code";
      if (PKCE_WORDING.test(desc)) return "pkce_verifier_invalid";
      if (/expired or revoked/i.test(desc)) return "refresh_token_invalid";
      // "invalid_grant: The account has been deleted" (facts §2.3): the grant died with the account.
      if (/account has been deleted/i.test(desc)) return "refresh_token_invalid";
      if (grant === "refresh_token") return "refresh_token_invalid";
      if (/already redeemed|bad request/i.test(desc) || grant === "authorization_code") return "auth_code_reused";
      return undefined;
    case "access_denied":
      return "consent_denied";
    case "invalid_token":
      // tokeninfo and revoke (facts §4). Revoke's "Token expired or revoked" is given for access and refresh tokens
      // alike, so it never proves a refresh token was involved: read it as a dead token, not a dead grant.
      return "access_token_invalid";
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
  const reasons = new Set<string>([
    ...(e.errors ?? []).map((x) => x.reason ?? ""),
    ...(e.details ?? []).map((d) => d.reason ?? ""),
  ]);
  const message = e.message ?? "";
  const info = (e.details ?? []).find((d) => d.reason === "SERVICE_DISABLED")?.metadata;
  const activationUrl =
    info?.activationUrl ?? /https:\/\/console\.developers\.google\.com\/apis\/api\/[^\s"]+/.exec(message)?.[0];
  const projectNumber =
    info?.consumer?.replace(/^projects\//, "") ??
    /in project (\d+)/.exec(message)?.[1] ??
    (activationUrl ? /[?&]project=(\d+)/.exec(activationUrl)?.[1] : undefined);
  let code: DiagnosisCode | undefined;
  const disabled =
    reasons.has("SERVICE_DISABLED") ||
    reasons.has("accessNotConfigured") ||
    /has not been used in project|Access Not Configured/i.test(message);
  // Every Google API answers SERVICE_DISABLED the same way (facts §5.2): only Gmail's is a Gmail diagnosis.
  const namesGmail =
    info?.service !== undefined
      ? info.service === GMAIL_SERVICE
      : /\bGmail API\b|gmail\.googleapis\.com/i.test(message);
  const limited =
    e.code === 429 || e.status === "RESOURCE_EXHAUSTED" || [...reasons].some((r) => /rateLimitExceeded/i.test(r));
  if (disabled) code = namesGmail ? "gmail_api_disabled" : undefined;
  else if (/Mail service not enabled/i.test(message)) code = "mail_service_not_enabled";
  else if (
    reasons.has("ACCESS_TOKEN_SCOPE_INSUFFICIENT") ||
    reasons.has("insufficientPermissions") ||
    /insufficient authentication scopes/i.test(message)
  )
    code = "scope_not_granted";
  else if (reasons.has("AUTH_PERMISSION_DENIED") || /Permission denied to (?:enable|get) service/i.test(message))
    code = "cloud_permission_denied";
  else if (e.code === 401 || e.status === "UNAUTHENTICATED") code = "access_token_invalid";
  else if (limited) code = "google_unavailable";
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
