// What the declared transports change in the other checks: the Gmail API is required for Gmail-API apps and only
// informational for SMTP/IMAP-only ones (google-behaviour.md §11: IMAP/SMTP are not Cloud APIs; UNCONFIRMED, so inferred), and
// SMTP/IMAP need https://mail.google.com/ among the requested scopes (google-behaviour.md §7, §11).
import { allowsMailProtocols, MAIL_PROTOCOL_SCOPE, usesMailProtocols, type MailTransport } from "../../google/mail";
import { diagnosisResult } from "../diagnoses";
import type { CheckResult, ValidationInput } from "../types";

const INFORMATIONAL = new Set(["gmail_api_disabled", "scope_not_granted"]);

function mailOnly(transports: readonly MailTransport[] | undefined): transports is readonly MailTransport[] {
  return transports !== undefined && !transports.includes("gmail-api");
}

/** A Gmail API result as it counts for an app that never calls the Gmail API. */
export function gmailApiForTransports(
  transports: readonly MailTransport[] | undefined,
  result: CheckResult,
): CheckResult {
  if (!mailOnly(transports)) return result;
  const over = transports.map((t) => t.toUpperCase()).join(" and ");
  const note = `Informational: the app reaches Gmail over ${over}, which do not use the Gmail API (inferred), so this does not decide the connection.`;
  if (result.status === "fail" && result.diagnosis && INFORMATIONAL.has(result.diagnosis))
    return { ...result, status: "warn", inferred: true, detail: `${result.detail ?? ""} ${note}`.trim() };
  if (result.status === "inconclusive")
    return { ...result, status: "skip", detail: `${result.detail ?? ""} ${note}`.trim() };
  return result;
}

/** Declared SMTP/IMAP with requested scopes that lack the full-mail scope: refused before any token exists. */
export function mailScopeCheck(input: ValidationInput): CheckResult | undefined {
  if (!input.transports || !usesMailProtocols(input.transports)) return undefined;
  const id = "offline.mail-scope";
  if (allowsMailProtocols(input.scopes))
    return {
      id,
      status: "pass",
      title: "SMTP/IMAP's scope is requested",
      detail: `${MAIL_PROTOCOL_SCOPE} is among the requested scopes (${input.transports.join(", ")})`,
    };
  return diagnosisResult("xoauth2_scope_insufficient", {
    id,
    status: "fail",
    project: input.project,
    clientId: input.clientId,
    detail: `The app uses ${input.transports.filter((t) => t !== "gmail-api").join(" and ")}, but the requested scopes (${input.scopes.join(" ")}) lack ${MAIL_PROTOCOL_SCOPE}.`,
  });
}
