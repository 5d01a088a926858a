// Pure readings of Google's error bodies into diagnosis codes (facts §2.3, §5.2, §5.3). Match on `error` first;
// descriptions only split codes Google overloads (invalid_client, invalid_grant), and the split says so.
import { gmailActivationUrl } from "../../google/consoleLinks";
import type { DiagnosisCode } from "../types";
import type { OAuthError } from "./calls";

export type TokenPhase = "exchange" | "refresh";

export function classifyTokenError(err: OAuthError, phase: TokenPhase): DiagnosisCode | undefined {
  const desc = err.description ?? "";
  switch (err.error) {
    case "invalid_client":
      // Same error for an unknown client and a wrong secret; only the description tells them apart.
      return /not found/i.test(desc) ? "client_not_found" : "client_secret_invalid";
    case "deleted_client":
      return "client_deleted";
    case "unauthorized_client":
      return phase === "refresh" ? "refresh_token_wrong_client" : undefined;
    case "redirect_uri_mismatch":
      return "code_exchange_redirect_mismatch";
    case "invalid_request":
      return /client_secret/i.test(desc) ? "client_secret_missing" : undefined;
    case "invalid_grant":
      if (err.subtype === "invalid_rapt") return "invalid_rapt";
      if (phase === "refresh") return "refresh_token_invalid";
      if (/malformed/i.test(desc)) return "malformed_auth_code";
      if (/code[_ ]verifier|code[_ ]challenge|pkce/i.test(desc)) return "pkce_verifier_invalid";
      return "auth_code_reused";
    default:
      return undefined;
  }
}

export function describeOAuthError(err: OAuthError): string {
  return `HTTP ${err.status} ${err.error}${err.description ? ` ("${err.description}")` : ""}${err.subtype ? ` subtype ${err.subtype}` : ""}`;
}

export type GmailErrorReading =
  | { readonly kind: "api_disabled"; readonly activationUrl?: string; readonly projectNumber?: string; readonly message: string }
  | { readonly kind: "mail_service_not_enabled"; readonly message: string }
  | { readonly kind: "insufficient_scope"; readonly message: string }
  | { readonly kind: "invalid_credentials"; readonly message: string }
  | { readonly kind: "other"; readonly message: string };

interface GoogleApiError {
  code?: number;
  message?: string;
  status?: string;
  errors?: { reason?: string; message?: string }[];
  details?: { "@type"?: string; reason?: string; metadata?: Record<string, string>; links?: { url?: string }[] }[];
}

const ACTIVATION_RE = /https:\/\/console\.developers\.google\.com\/apis\/api\/gmail\.googleapis\.com\/overview\?project=(\d+|[a-z][a-z0-9-]+)/;

export function classifyGmailError(status: number, body: unknown): GmailErrorReading {
  const e = ((body as { error?: GoogleApiError } | undefined)?.error ?? {}) as GoogleApiError;
  const message = e.message ?? `HTTP ${status}`;
  const reasons = new Set([...(e.errors ?? []).map((x) => x.reason), ...(e.details ?? []).map((d) => d.reason)].filter(Boolean));
  if (reasons.has("SERVICE_DISABLED") || reasons.has("accessNotConfigured") || /has not been used in project .* or it is disabled/i.test(message)) {
    const info = (e.details ?? []).find((d) => d.reason === "SERVICE_DISABLED")?.metadata;
    const fromText = ACTIVATION_RE.exec(message);
    const projectNumber = info?.containerInfo ?? info?.consumer?.replace(/^projects\//, "") ?? fromText?.[1];
    const activationUrl = info?.activationUrl ?? fromText?.[0] ?? (projectNumber ? gmailActivationUrl(projectNumber) : undefined);
    return { kind: "api_disabled", activationUrl, projectNumber, message };
  }
  if (reasons.has("failedPrecondition") && /mail service not enabled/i.test(message)) return { kind: "mail_service_not_enabled", message };
  if (/mail service not enabled/i.test(message)) return { kind: "mail_service_not_enabled", message };
  if (reasons.has("insufficientPermissions") || reasons.has("ACCESS_TOKEN_SCOPE_INSUFFICIENT")) return { kind: "insufficient_scope", message };
  if (status === 401) return { kind: "invalid_credentials", message };
  return { kind: "other", message: `HTTP ${status}: ${message}` };
}
