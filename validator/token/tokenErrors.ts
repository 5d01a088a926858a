// The flow's and check-token's view of Google's Gmail error bodies, shaped for the token checks. Token-endpoint
// errors go straight to the one classifier in validator/classify.ts (classifyTokenError, told the grant).
import { gmailActivationUrl } from "../../google/consoleLinks";
import { classifyApiError, isApiErrorBody } from "../classify";
import type { DiagnosisCode } from "../types";
import type { OAuthError } from "./calls";

export type TokenPhase = "exchange" | "refresh";

export function describeOAuthError(err: OAuthError): string {
  return `HTTP ${err.status} ${err.error}${err.description ? ` ("${err.description}")` : ""}${err.subtype ? ` subtype ${err.subtype}` : ""}`;
}

export type GmailErrorReading =
  | {
      readonly kind: "api_disabled";
      readonly activationUrl?: string;
      readonly projectNumber?: string;
      readonly message: string;
    }
  | { readonly kind: "mail_service_not_enabled"; readonly message: string }
  | { readonly kind: "insufficient_scope"; readonly message: string }
  | { readonly kind: "invalid_credentials"; readonly message: string }
  | {
      readonly kind: "rate_limited";
      readonly code: "gmail_rate_limited" | "gmail_quota_exceeded";
      readonly message: string;
    }
  | { readonly kind: "other"; readonly message: string };

const KIND_BY_CODE: Partial<Record<DiagnosisCode, GmailErrorReading["kind"]>> = {
  gmail_api_disabled: "api_disabled",
  mail_service_not_enabled: "mail_service_not_enabled",
  scope_not_granted: "insufficient_scope",
  access_token_invalid: "invalid_credentials",
  gmail_rate_limited: "rate_limited",
  gmail_quota_exceeded: "rate_limited",
};

/** A Gmail API error read through the shared classifier, shaped for the token checks. */
export function classifyGmailError(status: number, body: unknown): GmailErrorReading {
  if (!isApiErrorBody(body))
    return status === 401
      ? { kind: "invalid_credentials", message: `HTTP ${status}` }
      : { kind: "other", message: `HTTP ${status}: HTTP ${status}` };
  const info = classifyApiError(body);
  const message = info.message ?? `HTTP ${status}`;
  const kind = (info.code && KIND_BY_CODE[info.code]) ?? (status === 401 ? "invalid_credentials" : "other");
  if (kind === "api_disabled") {
    const activationUrl =
      info.activationUrl ?? (info.projectNumber ? gmailActivationUrl(info.projectNumber) : undefined);
    return { kind, activationUrl, projectNumber: info.projectNumber, message };
  }
  if (kind === "rate_limited")
    return {
      kind,
      code: info.code === "gmail_quota_exceeded" ? "gmail_quota_exceeded" : "gmail_rate_limited",
      message,
    };
  return kind === "other" ? { kind, message: `HTTP ${status}: ${message}` } : { kind, message };
}
