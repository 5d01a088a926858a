// `gmail-oauth explain`: whatever a user copied from a failing app → the diagnosis, its cause and fix, the evidence it
// rests on (the lines and fields read), the other readings of an ambiguous text, and how many distinct errors a log
// held. An authError address is decoded first (Google's own structured answer); everything else goes through the one
// classifier (validator/classify.ts). No Node module here or below it: the browser page (web/explain) runs this very
// code, and a dependency rule keeps it so; the report renderers that mask secrets live in explainReport.ts.
import { authErrorFromUrl, decodeAuthError } from "../google/authError";
import { InputError } from "../common/errors";
import { findXoauth2Challenge } from "../google/mail";
import { classifyText, readAuthError, type ErrorSeen } from "./classify";
import { DIAGNOSES } from "./diagnoses";
import { safeDecode } from "./diagnosis/normalize";
import type { Alternative } from "./diagnosis/rule";
import type { Evidence, Signals } from "./diagnosis/signals";
import type { DiagnosisCode } from "./types";

export interface ExplainResult {
  readonly diagnosis: DiagnosisCode | null;
  readonly title?: string;
  readonly cause?: string;
  readonly fix?: readonly string[];
  /** The diagnosis rests on undocumented behaviour: the catalogue entry's own, or how this input was read. */
  readonly inferred?: boolean;
  readonly details: Record<string, string>;
  /** The facts read from the input and the lines they came from. */
  readonly evidence?: readonly Evidence[];
  /** Other readings, ranked, when the input alone cannot decide. */
  readonly alternatives?: readonly Alternative[];
  /** Each distinct error the input held (several in a log); the diagnosis answers for the one that explains the rest. */
  readonly errors?: readonly ErrorSeen[];
  /** What was recognised when no catalogue diagnosis applies (another API, the app's own request …). */
  readonly note?: string;
  /** With no diagnosis: the kit's command that finds out from the live setup, chosen from what the input showed. */
  readonly next?: NextStep;
}

/** A command to run when the text alone cannot tell, and why that one. */
export interface NextStep {
  readonly command: string;
  readonly why: string;
}

/** The check that would tell, from where the text came from: a stored token, a mail login, a sign-in, an API call. */
function nextStep(s: Signals): NextStep {
  if (s.endpoint === "token" || s.grant === "refresh_token" || s.grant === "authorization_code")
    return {
      command: "gmail-oauth check-token --client-secret-file client_secret.json --account MAILBOX",
      why: "the text came from the token endpoint: check-token refreshes the stored token and names what Google says",
    };
  if (s.endpoint === "smtp" || s.endpoint === "imap" || s.smtpCode !== undefined)
    return {
      command: "gmail-oauth check-token --client-secret-file client_secret.json --account MAILBOX",
      why: "the text came from a mail login: check-token logs in over SMTP and IMAP with XOAUTH2 the way the app does",
    };
  if (s.network)
    return {
      command: "gmail-oauth validate --client-secret-file client_secret.json",
      why: "the text shows a network failure: validate reaches each Google host and says which one fails, and how",
    };
  return {
    command: "gmail-oauth validate --client-secret-file client_secret.json --account MAILBOX",
    why: "validate checks the client, the redirect URI, the Gmail API and the consent screen against Google without a user",
  };
}

/** The specifics worth showing: the rejected redirect URI, the activation URL and project number, the scopes … */
function detailsOf(s: Signals): Record<string, string> {
  const details: Record<string, string> = {};
  if (s.httpStatus !== undefined) details.http_code = String(s.httpStatus);
  if (s.error) details.error = s.error;
  if (s.description) details.error_description = s.description;
  if (s.subtype) details.error_subtype = s.subtype;
  if (s.redirectUri) details.redirect_uri = s.redirectUri;
  if (s.activationUrl) details.activation_url = s.activationUrl;
  if (s.projectNumber) details.project_number = s.projectNumber;
  const invalid =
    /invalid=\[([^\]]*)\]/.exec(s.text)?.[1] ?? /scopes cannot be shown:\s*\[([^\]]*)\]/.exec(s.text)?.[1];
  if (invalid) details.invalid_scopes = invalid;
  if (s.clientId) details.client_id = s.clientId;
  const service = /"service"\s*:\s*"([a-z0-9.-]+\.googleapis\.com)"/.exec(s.text)?.[1];
  if (service) details.service = service;
  if (/account has been deleted/i.test(s.text)) details.cause = "the Google account has been deleted";
  if (s.error === "invalid_token" && /Token expired or revoked/i.test(s.text))
    details.token = "the revoke endpoint gives this answer for access and refresh tokens alike";
  // SMTP/IMAP's XOAUTH2 failure challenge, decoded (google-behaviour.md §11): status 401 is a dead token.
  const challenge = findXoauth2Challenge(s.text);
  if (challenge) {
    details.xoauth2_status = challenge.status;
    details.xoauth2_scope = challenge.scope;
  }
  return details;
}

/** Google's error page address: its authError is Google's own structured answer, so it decides when it decodes. */
function fromAuthError(text: string): ExplainResult | { readonly damaged: string } | undefined {
  if (!/authError=/.test(text)) return undefined;
  const url = /\S*authError=\S+/.exec(text)?.[0] ?? text;
  const encoded = authErrorFromUrl(url);
  if (!encoded) return undefined;
  try {
    const e = decodeAuthError(encoded);
    const details: Record<string, string> = {};
    const clientId = /[?&]client_id=([^&#\s]+)/.exec(url)?.[1];
    if (clientId) details.client_id = safeDecode(clientId);
    details.error = e.error;
    if (e.message) details.message = e.message;
    if (e.helpUrl) details.help_url = e.helpUrl;
    if (e.httpCode !== undefined) details.http_code = String(e.httpCode);
    for (const [k, v] of Object.entries(e.details)) details[k] = v;
    const r = readAuthError(e);
    const evidence: Evidence[] = [
      {
        signal: "authError",
        value: `${e.error}${e.message ? `: ${e.message}` : ""}`,
        line: "the decoded authError of Google's error page address",
      },
    ];
    return result(r.code ?? null, r.inferred === true, details, { evidence });
  } catch (err) {
    return { damaged: `could not be decoded (${(err as Error).message}); copy the whole address again` };
  }
}

function result(
  code: DiagnosisCode | null,
  inferred: boolean,
  details: Record<string, string>,
  extra: Partial<ExplainResult> = {},
): ExplainResult {
  const more = {
    ...(extra.evidence?.length ? { evidence: extra.evidence } : {}),
    ...(extra.alternatives?.length ? { alternatives: extra.alternatives } : {}),
    ...(extra.errors && extra.errors.length > 1 ? { errors: extra.errors } : {}),
    ...(extra.note ? { note: extra.note } : {}),
  };
  if (!code) return { diagnosis: null, details, ...more, ...(extra.next ? { next: extra.next } : {}) };
  const d = DIAGNOSES[code];
  const isInferred = d.inferred === true || inferred;
  return {
    diagnosis: d.code,
    title: d.title,
    cause: d.cause,
    fix: d.fix,
    ...(isInferred ? { inferred: true } : {}),
    details,
    ...more,
  };
}

export function explain(input: string): ExplainResult {
  const text = input.trim();
  const viaAuthError = fromAuthError(text);
  if (viaAuthError && !("damaged" in viaAuthError) && viaAuthError.diagnosis) return viaAuthError;
  const c = classifyText(text);
  const details = {
    ...detailsOf(c.signals),
    ...(viaAuthError && !("damaged" in viaAuthError) ? viaAuthError.details : {}),
  };
  // A damaged authError with nothing else to go on is the whole input in practice (a cut-off address).
  if (!c.code && viaAuthError && "damaged" in viaAuthError)
    return { diagnosis: null, details: { ...details, authError: viaAuthError.damaged } };
  return result(c.code, c.inferred, details, {
    evidence: c.evidence,
    alternatives: c.alternatives,
    errors: c.errors,
    ...(c.note && !c.code ? { note: c.note } : {}),
    ...(!c.code && !c.note ? { next: nextStep(c.signals) } : {}),
  });
}

/**
 * explain() for text a person handed over: an empty text, or an authError cut off or altered, is an input error
 * (exit 2) rather than "not recognised"; a damaged authError is the whole input in practice (a cut-off address).
 */
export function explainInput(text: string): ExplainResult {
  if (text.trim() === "") throw new InputError("INPUT", "is empty", "paste the whole error message");
  const result = explain(text);
  if (!result.diagnosis && result.details.authError)
    throw new InputError(
      "INPUT authError",
      result.details.authError.replace(/; copy.*$/, ""),
      "copy the whole address of Google's error page again (it was cut off or altered)",
    );
  return result;
}
