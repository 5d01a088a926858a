// Secrets never leave the process: every line the kit prints or writes passes through redact().
// Two layers: values registered at run time (the client secret, codes and tokens we handled), and the shapes of
// Google's secrets, so that a secret we never saw (one quoted in an error body) is masked too.

const registered = new Set<string>();
/**
 * The registered secrets with their URL-encoded forms, longest first so a secret that contains another is masked
 * whole. Rebuilt on registration, not on every redact(): a fleet run registers hundreds and redacts thousands of lines.
 */
let ordered: readonly string[] = [];

/** Register a secret value so that every later output masks it. Short values are ignored: masking "a" breaks text. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== "string" || value.length < 8 || registered.has(value)) return;
  registered.add(value);
  const forms = new Set<string>();
  for (const s of registered) {
    forms.add(s);
    forms.add(encodeURIComponent(s));
  }
  ordered = [...forms].sort((a, b) => b.length - a.length);
}

export function forgetSecrets(): void {
  registered.clear();
  ordered = [];
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
];

export function redact(text: string): string {
  let out = text;
  for (const s of ordered) if (out.includes(s)) out = out.split(s).join("[REDACTED]");
  for (const re of SHAPES) out = out.replace(re, "[REDACTED]");
  for (const [re, keep] of NAMED) out = out.replace(re, keep);
  return out;
}

/** Deep-redact a JSON-able value (reports) without changing its shape. */
export function redactValue<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}
