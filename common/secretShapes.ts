// The shapes of Google's secrets and the names that carry secrets, masked wherever they appear: the half of redact()
// that needs no registered value, so it serves where nothing was registered (a pasted error in the browser page,
// web/explain) exactly as in the CLI. No Node module here: the page bundles it.

const SHAPES: readonly RegExp[] = [
  /GOCSPX-[A-Za-z0-9_-]{4,}/g, // client secrets
  /\bya29\.[A-Za-z0-9._-]{8,}/g, // access tokens
  /\b1\/\/0[A-Za-z0-9._-]{8,}/g, // refresh tokens
  /\b1\\\/\\\/0[A-Za-z0-9._-]{8,}/g, // the same in PHP's json_encode ("1\/\/0…")
  // A private key (a service-account key file pasted whole), escaped newlines and all.
  /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]*?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/g,
  // The XOAUTH2 initial response (base64 of "user=…\x01auth=Bearer <token>"): it carries the access token.
  /\bdXNlcj[A-Za-z0-9+/]{12,}={0,2}/g,
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
  // A mail login's argument in a protocol log: AUTH PLAIN's base64 holds the password, AUTH XOAUTH2's the token.
  [
    /\b(AUTH(?:ENTICATE)? (?:PLAIN|LOGIN|XOAUTH2|OAUTHBEARER) )(?!\[REDACTED\])[A-Za-z0-9+/]{8,}={0,2}/g,
    "$1[REDACTED]",
  ],
  // The password in a URL's user info (a proxy URL pasted or quoted in an error), however short; the placeholder
  // PASSWORD of the catalogue's own advice is left readable.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)(?!\[REDACTED\]@|PASSWORD@)[^\s@/]+@/gi, "$1[REDACTED]@"],
];

/** Masks every secret found by its shape or by the name that carries it. */
export function redactByShape(text: string): string {
  let out = text;
  for (const re of SHAPES) out = out.replace(re, "[REDACTED]");
  for (const [re, keep] of NAMED) out = out.replace(re, keep);
  return out;
}
