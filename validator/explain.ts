// `gmail-oauth explain`: whatever a user copied from a failing app → the diagnosis, its cause and fix, and the
// details the input carried. Structured forms are read first (authError URL, JSON body, callback URL), then
// client-library lines and page text are matched against the catalogue's patterns.
import { authErrorFromUrl, decodeAuthError } from "../google/authError";
import { redact, redactValue } from "../common/redact";
import { findXoauth2Challenge } from "../google/mail";
import { scopeInfo } from "../google/scopes";
import { CLIENT_ID_IN_TEXT } from "../google/identifiers";
import {
  classifyApiError,
  classifyCallbackError,
  classifyTokenError,
  isApiErrorBody,
  readAuthError,
  type TokenErrorBody,
} from "./classify";
import { DIAGNOSES, DIAGNOSIS_LIST, diagnosisLink } from "./diagnoses";
import type { DiagnosisCode } from "./types";

export interface ExplainResult {
  readonly diagnosis: DiagnosisCode | null;
  readonly title?: string;
  readonly cause?: string;
  readonly fix?: readonly string[];
  /** The diagnosis rests on undocumented behaviour: the catalogue entry's own, or how this input was read. */
  readonly inferred?: boolean;
  readonly details: Record<string, string>;
}

type Found = { code?: DiagnosisCode; inferred?: boolean; details: Record<string, string> };

function fromAuthError(text: string): Found | undefined {
  if (!/authError=/.test(text)) return undefined;
  const url = /\S*authError=\S+/.exec(text)?.[0] ?? text;
  const encoded = authErrorFromUrl(url);
  if (!encoded) return undefined;
  const details: Record<string, string> = {};
  const clientId = /[?&]client_id=([^&#\s]+)/.exec(url)?.[1];
  if (clientId) details.client_id = safeDecode(clientId);
  try {
    const e = decodeAuthError(encoded);
    details.error = e.error;
    if (e.message) details.message = e.message;
    if (e.helpUrl) details.help_url = e.helpUrl;
    if (e.httpCode !== undefined) details.http_code = String(e.httpCode);
    for (const [k, v] of Object.entries(e.details)) details[k] = v;
    const reading = readAuthError(e);
    return { code: reading.code, ...(reading.inferred ? { inferred: true } : {}), details };
  } catch (err) {
    // A truncated copy still tells the user something: say the value is damaged rather than guessing.
    details.authError = `could not be decoded (${(err as Error).message}); copy the whole address again`;
    return { details };
  }
}

function parseJsonSomewhere(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return undefined;
  for (const candidate of [text, text.slice(start, end + 1)]) {
    try {
      return JSON.parse(candidate);
    } catch {
      /* try the next candidate */
    }
  }
  return undefined;
}

function fromJson(text: string): Found | undefined {
  const value = parseJsonSomewhere(text);
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.error === "string") {
    const body = v as unknown as TokenErrorBody;
    const details: Record<string, string> = { error: body.error };
    if (body.error_description) details.error_description = body.error_description;
    if (body.error_subtype) details.error_subtype = body.error_subtype;
    const code = classifyTokenError(body);
    noteTokenCause(code, `${body.error} ${body.error_description ?? ""}`, details);
    return { code, details };
  }
  if (isApiErrorBody(v)) {
    const info = classifyApiError(v);
    const details: Record<string, string> = {};
    if (info.httpCode !== undefined) details.http_code = String(info.httpCode);
    if (info.message) details.message = info.message;
    if (info.projectNumber) details.project_number = info.projectNumber;
    if (info.activationUrl) details.activation_url = info.activationUrl;
    if (info.service) details.service = info.service;
    return { code: info.code, details };
  }
  return undefined;
}

function fromCallback(text: string): Found | undefined {
  const m = /(?:^|\s)(\S*[?&#]error=([^&#\s]+)\S*)/.exec(text);
  if (!m || /authError=/.test(m[1]!)) return undefined;
  const params = new URLSearchParams(m[1]!.replace(/^[^?#]*[?#]/, "").replace(/#/g, "&"));
  const error = params.get("error") ?? safeDecode(m[2]!);
  const details: Record<string, string> = { error };
  for (const key of ["error_description", "error_subtype", "error_uri"]) {
    const value = params.get(key);
    if (value) details[key] = value;
  }
  return { code: classifyCallbackError(error), details };
}

const BARE_CODES =
  /\b(invalid_grant|invalid_client|deleted_client|unauthorized_client|redirect_uri_mismatch|invalid_request|invalid_scope|access_denied|invalid_token)\b/;

/** Google's rendered error pages: "Error 400: code" today, "Error: code" / "400. That's an error." on older ones. */
const ON_PAGE = /Error \d{3}:|Access blocked|That.s an error/i;
const OLD_PAGE = /\bError:\s*[a-z_]+\b/;

/** Page text, client-library lines: catalogue phrases first, then a bare OAuth error code in its context. */
function fromText(text: string): Found {
  const details = textDetails(text);
  for (const d of DIAGNOSIS_LIST) {
    if (d.match?.some((re) => re.test(text))) return { code: d.code, details };
    if (d.inferredMatch?.some((re) => re.test(text)))
      return { code: refineInferred(d.code, text), inferred: true, details };
  }
  const bare = BARE_CODES.exec(text)?.[1];
  if (bare) {
    details.error ??= bare;
    // Google's rendered pages name the code after "Error 400:" or, on older pages, "Error:"; client libraries quote
    // the token endpoint, whose redirect_uri_mismatch says "Bad Request" (facts §2.3).
    const strongPage = ON_PAGE.test(text);
    const tokenContext = /Bad Request/i.test(text) || /["']error["']\s*:/.test(text);
    const onPage = strongPage || OLD_PAGE.test(text) || (bare === "redirect_uri_mismatch" && !tokenContext);
    let found: Found | undefined;
    if (onPage) {
      const reading = readAuthError({ error: bare, message: text, details });
      if (reading.code) found = { code: reading.code, ...(reading.inferred ? { inferred: true } : {}), details };
    }
    // "Error: invalid_grant" is as often a library's exception text as an old page: the token reading is the fallback.
    if (!found && !strongPage) {
      const code = classifyTokenError({ error: bare, error_description: text });
      noteTokenCause(code, text, details);
      found = { code, details };
    }
    return found ?? { details };
  }
  return { details };
}

/**
 * The unverified-app warning does not say which scopes caused it: a send-only request is gmail_send_unverified, any
 * other (or none named) the restricted-scope case most Gmail apps meet.
 */
function refineInferred(code: DiagnosisCode, text: string): DiagnosisCode {
  if (code !== "production_unverified_restricted_scope") return code;
  const scopes = text.match(/https:\/\/(?:mail\.google\.com\/|www\.googleapis\.com\/auth\/[a-z.]+)/g) ?? [];
  const classes = new Set(scopes.map((s) => scopeInfo(s)?.class));
  return classes.has("sensitive") && !classes.has("restricted") ? "gmail_send_unverified" : code;
}

/** The cause a token error's words name, when the diagnosis covers several. */
function noteTokenCause(code: DiagnosisCode | undefined, text: string, details: Record<string, string>): void {
  if (code === "refresh_token_invalid" && /account has been deleted/i.test(text))
    details.cause = "the Google account has been deleted";
  if (code === "access_token_invalid" && /Token expired or revoked/i.test(text))
    details.token = "the revoke endpoint gives this answer for access and refresh tokens alike";
}

/** The specifics a pasted text carries: the rejected redirect URI, the activation URL and project number, scopes. */
function textDetails(text: string): Record<string, string> {
  const details: Record<string, string> = {};
  const pageCode = /Error (\d{3}):\s*([a-z_]+)/.exec(text);
  if (pageCode) {
    details.http_code = pageCode[1]!;
    details.error = pageCode[2]!;
  } else {
    const oldCode = /\bError:\s*([a-z_]+)\b/.exec(text)?.[1];
    if (oldCode && BARE_CODES.test(oldCode)) details.error = oldCode;
  }
  const redirect =
    /redirect_uri=(\S+)/.exec(text)?.[1] ??
    /The redirect URI in the request,\s*(\S+?),\s*does not match/.exec(text)?.[1];
  if (redirect) details.redirect_uri = safeDecode(redirect);
  const activation = /https:\/\/console\.developers\.google\.com\/apis\/api\/[^\s"')]+/.exec(text)?.[0];
  if (activation) details.activation_url = activation;
  const project =
    /in project (\d+)/.exec(text)?.[1] ?? (activation ? /[?&]project=(\d+)/.exec(activation)?.[1] : undefined);
  if (project) details.project_number = project;
  const invalid = /invalid=\[([^\]]*)\]/.exec(text)?.[1] ?? /scopes cannot be shown:\s*\[([^\]]*)\]/.exec(text)?.[1];
  if (invalid) details.invalid_scopes = invalid;
  const clientId = CLIENT_ID_IN_TEXT.exec(text)?.[0];
  if (clientId) details.client_id = clientId;
  // SMTP/IMAP's XOAUTH2 failure challenge, decoded (facts §11): status 401 is a dead token.
  const challenge = findXoauth2Challenge(text);
  if (challenge) {
    details.xoauth2_status = challenge.status;
    details.xoauth2_scope = challenge.scope;
  }
  return details;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function explain(input: string): ExplainResult {
  const text = input.trim();
  let found: Found | undefined;
  for (const reader of [fromAuthError, fromJson, fromCallback]) {
    found = reader(text);
    if (found) break;
  }
  // A structured body with an error we do not classify may still carry a catalogue phrase.
  if (!found?.code) {
    const viaText = fromText(text);
    found = {
      code: viaText.code,
      ...(viaText.inferred ? { inferred: true } : {}),
      details: { ...viaText.details, ...(found?.details ?? {}) },
    };
  }
  if (!found.code) return { diagnosis: null, details: found.details };
  const d = DIAGNOSES[found.code];
  const inferred = d.inferred === true || found.inferred === true;
  return {
    diagnosis: d.code,
    title: d.title,
    cause: d.cause,
    fix: d.fix,
    ...(inferred ? { inferred: true } : {}),
    details: found.details,
  };
}

/** The result as `explain --json` prints it, as an object: no empty fields, every secret masked. */
export function explainDocument(result: ExplainResult): ExplainResult {
  return redactValue({
    diagnosis: result.diagnosis,
    ...(result.title !== undefined ? { title: result.title } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
    ...(result.fix !== undefined ? { fix: result.fix } : {}),
    ...(result.inferred ? { inferred: true } : {}),
    details: result.details,
  });
}

export function renderExplainJson(result: ExplainResult): string {
  return redact(JSON.stringify(explainDocument(result), null, 2));
}

export function renderExplainHuman(result: ExplainResult): string {
  const lines: string[] = [];
  if (result.diagnosis === null) {
    lines.push("Not recognized: no diagnosis in the catalogue matches this input.");
    lines.push(
      "Paste the whole error (the address bar URL, the page text or the JSON body); see docs/troubleshooting.md.",
    );
  } else {
    const d = DIAGNOSES[result.diagnosis];
    lines.push(`${d.title} [${d.code}]${result.inferred ? " (inferred)" : ""}`, "", `Cause: ${d.cause}`, "", "Fix:");
    d.fix.forEach((step, i) => {
      lines.push(`  ${i + 1}. ${step}`);
    });
    const link = diagnosisLink(d.code, { project: result.details.project_number, clientId: result.details.client_id });
    if (link) lines.push("", `Console: ${link}`);
  }
  const entries = Object.entries(result.details);
  if (entries.length > 0) {
    lines.push("", "Details from the input:");
    for (const [k, v] of entries) lines.push(`  ${k}: ${v}`);
  }
  return redact(`${lines.join("\n")}\n`);
}
