// Google's errors → diagnosis codes. Every reader of an error comes here: the live checks with the structured bodies
// they received, the flow, check-token and fleet with token and Gmail answers, and `explain` with whatever a person
// pasted. Each builds signals (validator/diagnosis/signals.ts) and asks the families' rules (validator/diagnosis/), so
// an error seen by a check and the same error pasted by a user always get the same diagnosis.
import type { AuthError } from "../google/authError";
import { GMAIL_SERVICE } from "../google/endpoints";
import type { DiagnosisCode } from "./catalogue";
import { decide, type Decision } from "./diagnosis/decide";
import type { Alternative } from "./diagnosis/rule";
import { readSignals, type Evidence, type Grant, type Signals } from "./diagnosis/signals";

/** What a classification concluded, and whether it rests on an inference (an UNCONFIRMED fact or missing wording). */
export interface Reading {
  readonly code?: DiagnosisCode;
  readonly inferred?: boolean;
}

type AuthErrorInput = Pick<AuthError, "error" | "message"> & { readonly details?: Readonly<Record<string, string>> };

function signals(partial: Partial<Signals> & { readonly text: string }): Signals {
  return { reasons: [], requestDetails: {}, scopes: [], evidence: [], ...partial };
}

function reading(d: Decision): Reading {
  return { ...(d.code ? { code: d.code } : {}), ...(d.code && d.inferred ? { inferred: true } : {}) };
}

/** The authError payload of /signin/oauth/error, or the page Google renders (google-behaviour.md §1.2): shown by Google, never redirected. */
export function readAuthError(e: AuthErrorInput): Reading {
  const details = e.details ?? {};
  const text = [e.error, e.message ?? "", ...Object.entries(details).map(([k, v]) => `${k}=${v}`)].join("\n");
  const scopes = (details.scope ?? "").split(/\s+/).filter(Boolean);
  return reading(
    decide(
      signals({
        error: e.error,
        errorFrom: "page",
        endpoint: "authorize",
        requestDetails: details,
        scopes,
        ...(details.redirect_uri ? { redirectUri: details.redirect_uri } : {}),
        text,
      }),
    ),
  );
}

export function classifyAuthError(e: AuthErrorInput): DiagnosisCode | undefined {
  return readAuthError(e).code;
}

/** A token-endpoint JSON error as Google sends it (`error_description`) or as the kit's calls hold it (`description`). */
export interface TokenErrorBody {
  readonly error: string;
  readonly error_description?: string;
  readonly error_subtype?: string;
  readonly description?: string;
  readonly subtype?: string;
}

/** Which grant the error answered: the flow and check-token know it; a pasted body may not. */
export type TokenGrant = "authorization_code" | "refresh_token" | "exchange" | "refresh" | "unknown";

/**
 * The one token-error classifier (docs/google-behaviour.md §2.3): the flow, check-token, the live checks and the
 * emulator's tests all read Google's token answers here, told which grant it answered when the caller knows.
 */
export function classifyTokenError(body: TokenErrorBody, grant: TokenGrant = "unknown"): DiagnosisCode | undefined {
  const description = body.error_description ?? body.description ?? "";
  const subtype = body.error_subtype ?? body.subtype;
  const g: Grant | undefined =
    grant === "exchange" || grant === "authorization_code"
      ? "authorization_code"
      : grant === "refresh" || grant === "refresh_token"
        ? "refresh_token"
        : undefined;
  const text = `${body.error}: ${description}${subtype ? ` (${subtype})` : ""}`;
  const s = signals({
    error: body.error,
    errorFrom: "field",
    endpoint: "token",
    ...(description ? { description } : {}),
    ...(subtype ? { subtype } : {}),
    ...(g ? { grant: g } : {}),
    text,
  });
  return decide(s).code ?? undefined;
}

/** A Google API error body `{"error":{"code","message","status","errors":[{reason}],"details":[…]}}` (google-behaviour.md §5, §6). */
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
  const message = e.message ?? "";
  const reasons = [
    ...(e.errors ?? []).map((x) => x.reason ?? ""),
    ...(e.details ?? []).map((d) => d.reason ?? ""),
    e.status ?? "",
  ].filter(Boolean);
  const info = (e.details ?? []).find((d) => d.reason === "SERVICE_DISABLED")?.metadata;
  const fromText = readSignals(message);
  const service = info?.service;
  // The service named in the error's metadata decides which API it is (google-behaviour.md §5.2); the message names it otherwise.
  const api =
    service !== undefined
      ? service === GMAIL_SERVICE
        ? "gmail"
        : service.replace(/\.googleapis\.com$/, "")
      : fromText.api;
  const activationUrl = info?.activationUrl ?? fromText.activationUrl;
  const projectNumber = info?.consumer?.replace(/^projects\//, "") ?? fromText.projectNumber;
  const d = decide(
    signals({
      reasons,
      ...(e.code !== undefined ? { httpStatus: e.code } : {}),
      endpoint: "api",
      ...(api ? { api } : {}),
      text: message,
    }),
  );
  return {
    ...(d.code ? { code: d.code } : {}),
    httpCode: e.code,
    message: message || undefined,
    ...(projectNumber ? { projectNumber } : {}),
    ...(activationUrl ? { activationUrl } : {}),
    ...(service ? { service } : {}),
  };
}

/** The `error=` of a redirect back to the app (google-behaviour.md §1.3). */
export function classifyCallbackError(error: string): DiagnosisCode | undefined {
  return (
    decide(signals({ error, errorFrom: "callback", endpoint: "callback", text: `error=${error}` })).code ?? undefined
  );
}

/** One error a text carries, as the table read it. */
export interface ErrorSeen {
  readonly code: DiagnosisCode | null;
  readonly rule: string;
  readonly note?: string;
  readonly line?: string;
}

export interface Classification {
  readonly code: DiagnosisCode | null;
  readonly inferred: boolean;
  /** The rule that decided, and what it recognised when the code is null. */
  readonly rule?: string;
  readonly note?: string;
  readonly evidence: readonly Evidence[];
  readonly alternatives: readonly Alternative[];
  /** Every distinct error found in the text (a log holds several; retries of one error count once). */
  readonly errors: readonly ErrorSeen[];
  readonly signals: Signals;
}

/** Where one log record ends and the next begins: a timestamp, a level, a traceback, or a blank line. */
const RECORD_START =
  /^(?:\[?\d{4}[-/]\d\d[-/]\d\d|\d\d:\d\d(?::\d\d)?|\[?(?:ERROR|WARN(?:ING)?|INFO|DEBUG|CRITICAL)\b|Traceback \(most recent call last\)|During handling of the above exception|\[\d+-\d+\]|[\w-]+\[\d+\]:|\d+\|)/;

function records(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.some((l) => l.trim())) out.push(current.join("\n"));
    current = [];
  };
  for (const line of text.split("\n")) {
    if (!line.trim() || (RECORD_START.test(line) && current.length > 0 && !/^\s/.test(line))) flush();
    current.push(line);
  }
  flush();
  return out;
}

/** Classify any text a person pasted: the whole decides; its records say how many distinct errors it holds. */
export function classifyText(input: string): Classification {
  const s = readSignals(input);
  const d = decide(s);
  const seen = new Map<string, ErrorSeen>();
  const parts = records(s.text);
  if (parts.length > 1) {
    for (const part of parts) {
      const ps = readSignals(part);
      const pd = decide(ps);
      if (!pd.rule) continue;
      const key = pd.code ?? pd.rule.id;
      if (!seen.has(key))
        seen.set(key, {
          code: pd.code,
          rule: pd.rule.id,
          ...(pd.rule.note ? { note: pd.rule.note } : {}),
          line: ps.evidence.find((e) => e.line)?.line ?? part.split("\n")[0]!.trim(),
        });
    }
  }
  if (d.rule) {
    const key = d.code ?? d.rule.id;
    if (!seen.has(key)) seen.set(key, { code: d.code, rule: d.rule.id, ...(d.rule.note ? { note: d.rule.note } : {}) });
  }
  return {
    code: d.code,
    inferred: d.inferred,
    ...(d.rule ? { rule: d.rule.id } : {}),
    ...(d.rule?.note ? { note: d.rule.note } : {}),
    evidence: s.evidence,
    alternatives: d.alternatives,
    errors: [...seen.values()],
    signals: s,
  };
}
