// `gmail-oauth explain`: whatever a user copied from a failing app → the diagnosis, its cause and fix, and the
// details the input carried. Structured forms are read first (authError URL, JSON body, callback URL), then
// client-library lines and page text are matched against the catalogue's patterns.
import { authErrorFromUrl, decodeAuthError } from "../google/authError";
import { redact } from "../common/redact";
import { classifyApiError, classifyAuthError, classifyCallbackError, classifyTokenError, isApiErrorBody, type TokenErrorBody } from "./classify";
import { DIAGNOSES, DIAGNOSIS_LIST, diagnosisLink } from "./diagnoses";
import type { DiagnosisCode } from "./types";

export interface ExplainResult {
  readonly diagnosis: DiagnosisCode | null;
  readonly title?: string;
  readonly cause?: string;
  readonly fix?: readonly string[];
  readonly details: Record<string, string>;
}

type Found = { code?: DiagnosisCode; details: Record<string, string> };

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
    return { code: classifyAuthError(e), details };
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
    return { code: classifyTokenError(body), details };
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

const BARE_CODES = /\b(invalid_grant|invalid_client|deleted_client|unauthorized_client|redirect_uri_mismatch|invalid_request|invalid_scope|access_denied|invalid_token)\b/;

/** Page text, client-library lines: catalogue phrases first, then a bare OAuth error code in its context. */
function fromText(text: string): Found {
  const details = textDetails(text);
  for (const d of DIAGNOSIS_LIST) {
    if (d.match?.some((re) => re.test(text))) return { code: d.code, details };
  }
  const bare = BARE_CODES.exec(text)?.[1];
  if (bare) {
    details.error ??= bare;
    // Google's rendered pages say "Error 400: code"; client libraries quote the token endpoint.
    const onPage = /Error \d{3}:|Access blocked|That.s an error/i.test(text);
    const code = onPage ? classifyAuthError({ error: bare, message: text }) : classifyTokenError({ error: bare, error_description: text });
    return { code, details };
  }
  return { details };
}

/** The specifics a pasted text carries: the rejected redirect URI, the activation URL and project number, scopes. */
function textDetails(text: string): Record<string, string> {
  const details: Record<string, string> = {};
  const pageCode = /Error (\d{3}):\s*([a-z_]+)/.exec(text);
  if (pageCode) {
    details.http_code = pageCode[1]!;
    details.error = pageCode[2]!;
  }
  const redirect = /redirect_uri=(\S+)/.exec(text)?.[1] ?? /The redirect URI in the request,\s*(\S+?),\s*does not match/.exec(text)?.[1];
  if (redirect) details.redirect_uri = safeDecode(redirect);
  const activation = /https:\/\/console\.developers\.google\.com\/apis\/api\/[^\s"')]+/.exec(text)?.[0];
  if (activation) details.activation_url = activation;
  const project = /in project (\d+)/.exec(text)?.[1] ?? (activation ? /[?&]project=(\d+)/.exec(activation)?.[1] : undefined);
  if (project) details.project_number = project;
  const invalid = /invalid=\[([^\]]*)\]/.exec(text)?.[1] ?? /scopes cannot be shown:\s*\[([^\]]*)\]/.exec(text)?.[1];
  if (invalid) details.invalid_scopes = invalid;
  const clientId = /\b[0-9]+-[a-z0-9]+\.apps\.googleusercontent\.com\b/.exec(text)?.[0];
  if (clientId) details.client_id = clientId;
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
    found = { code: viaText.code, details: { ...viaText.details, ...(found?.details ?? {}) } };
  }
  if (!found.code) return { diagnosis: null, details: found.details };
  const d = DIAGNOSES[found.code];
  return { diagnosis: d.code, title: d.title, cause: d.cause, fix: d.fix, details: found.details };
}

export function renderExplainJson(result: ExplainResult): string {
  return redact(JSON.stringify({ diagnosis: result.diagnosis, title: result.title, cause: result.cause, fix: result.fix, details: result.details }, null, 2));
}

export function renderExplainHuman(result: ExplainResult): string {
  const lines: string[] = [];
  if (result.diagnosis === null) {
    lines.push("Not recognized: no diagnosis in the catalogue matches this input.");
    lines.push("Paste the whole error (the address bar URL, the page text or the JSON body); see docs/troubleshooting.md.");
  } else {
    const d = DIAGNOSES[result.diagnosis];
    lines.push(`${d.title} [${d.code}]${d.inferred ? " (inferred)" : ""}`, "", `Cause: ${d.cause}`, "", "Fix:");
    d.fix.forEach((step, i) => lines.push(`  ${i + 1}. ${step}`));
    const link = diagnosisLink(d.code, { project: result.details.project_number, clientId: result.details.client_id });
    if (link) lines.push("", `Console: ${link}`);
  }
  const entries = Object.entries(result.details);
  if (entries.length > 0) {
    lines.push("", "Details from the input:");
    for (const [k, v] of entries) lines.push(`  ${k}: ${v}`);
  }
  return redact(lines.join("\n") + "\n");
}
