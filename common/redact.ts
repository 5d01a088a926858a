// Secrets never leave the process: every line the kit prints or writes passes through redact().
// Two layers: values registered at run time (the client secret, codes and tokens we handled), and the shapes of
// Google's secrets, so that a secret we never saw (one quoted in an error body) is masked too.

const registered = new Set<string>();
/** Every registered secret and its URL-encoded form. */
const forms = new Set<string>();
/**
 * The forms longest first, so a secret that contains another is masked whole: the scan used while they are few.
 * Kept up to date on registration, not on every redact(): a fleet run registers many and redacts many more lines.
 */
let ordered: string[] = [];
/**
 * Past a few hundred secrets (a fleet of thousands of stored tokens), forms are found by their first PREFIX
 * characters in one pass over the text instead of one search per secret: redact() stays linear in the text.
 */
const PREFIX = 8;
const byPrefix = new Map<string, string[]>();
const SCAN_LIMIT = 256;

function addForm(form: string): void {
  if (forms.has(form)) return;
  forms.add(form);
  const key = form.slice(0, PREFIX);
  const list = byPrefix.get(key);
  if (!list) byPrefix.set(key, [form]);
  else {
    const at = list.findIndex((f) => f.length < form.length);
    list.splice(at === -1 ? list.length : at, 0, form);
  }
  if (forms.size <= SCAN_LIMIT) {
    const at = ordered.findIndex((f) => f.length < form.length);
    ordered.splice(at === -1 ? ordered.length : at, 0, form);
  } else ordered = [];
}

/** Register a secret value so that every later output masks it. Short values are ignored: masking "a" breaks text. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== "string" || value.length < PREFIX || registered.has(value)) return;
  registered.add(value);
  addForm(value);
  addForm(encodeURIComponent(value));
}

export function forgetSecrets(): void {
  registered.clear();
  forms.clear();
  byPrefix.clear();
  ordered = [];
}

/** One pass: at each position, the longest registered form starting there is masked. */
function maskIndexed(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i + PREFIX <= text.length; ) {
    const list = byPrefix.get(text.slice(i, i + PREFIX));
    const hit = list?.find((f) => text.startsWith(f, i));
    if (hit) {
      out += `${text.slice(from, i)}[REDACTED]`;
      i += hit.length;
      from = i;
    } else i++;
  }
  return from === 0 ? text : out + text.slice(from);
}

const SHAPES: readonly RegExp[] = [
  /GOCSPX-[A-Za-z0-9_-]{4,}/g, // client secrets
  /\bya29\.[A-Za-z0-9._-]{8,}/g, // access tokens
  /\b1\/\/0[A-Za-z0-9._-]{8,}/g, // refresh tokens
  /\b4\/0A[A-Za-z0-9._-]{8,}/g, // authorization codes
  /\b4%2F0A[A-Za-z0-9._%-]{8,}/g, // the same, URL-encoded
];

/**
 * Secrets by the name that carries them (form bodies, JSON, library error lines, pasted curl commands): catches values
 * of any shape, e.g. an older client secret without the GOCSPX- prefix that nobody registered.
 */
const NAMED: readonly [RegExp, string][] = [
  [
    /\b(client_secret|refresh_token|access_token|id_token)(\\?["']?\s*[:=]\s*\\?["']?)(?!\[REDACTED\])[^\s"'&,;}\\]{4,}/g,
    "$1$2[REDACTED]",
  ],
  [/\b(Bearer\s+)(?!\[REDACTED\])[A-Za-z0-9._~+/-]{8,}=*/g, "$1[REDACTED]"],
  // The password in a URL's user info (a proxy URL pasted or quoted in an error), however short; the placeholder
  // PASSWORD of the catalogue's own advice is left readable.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)(?!\[REDACTED\]@|PASSWORD@)[^\s@/]+@/gi, "$1[REDACTED]@"],
];

export function redact(text: string): string {
  let out = text;
  if (forms.size > SCAN_LIMIT) out = maskIndexed(out);
  else for (const s of ordered) if (out.includes(s)) out = out.split(s).join("[REDACTED]");
  for (const re of SHAPES) out = out.replace(re, "[REDACTED]");
  for (const [re, keep] of NAMED) out = out.replace(re, keep);
  return out;
}

/** Deep-redact a JSON-able value (reports) without changing its shape. */
export function redactValue<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}
