// Base64 (and base64url) decoding with the Web platform's atob, so the modules the browser page bundles decode the
// same way Node does: lenient on padding and on a dangling last character, as Buffer.from(…, "base64") is.

/** The bytes of a base64 or base64url text; characters outside the alphabet are dropped, padding is optional. */
export function base64ToBytes(text: string): Uint8Array {
  let b64 = text
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .replace(/[^A-Za-z0-9+/]/g, "");
  if (b64.length % 4 === 1) b64 = b64.slice(0, -1);
  b64 += "=".repeat((4 - (b64.length % 4)) % 4);
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The UTF-8 text of a base64 text (invalid sequences become U+FFFD, as Buffer's toString does). */
export function base64ToUtf8(text: string): string {
  return new TextDecoder().decode(base64ToBytes(text));
}

/** Base64url without padding (RFC 4648 §5), as Google writes authError. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Standard base64 (with padding) of a text's UTF-8 bytes, as Buffer's toString("base64") writes it. */
export function utf8ToBase64(text: string): string {
  let binary = "";
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}
