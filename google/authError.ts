// The `authError` parameter of https://accounts.google.com/signin/oauth/error: a base64url protobuf (google-behaviour.md §1.1).
// Field 1 error code, 2 message (a string, or a nested message whose field 1 is the string), 3 help URL,
// 4 HTTP-style code (varint), 5 repeated key/value "Request details".
// The emulator encodes with this module and the validator decodes with it, so both speak one format.
import { base64ToBytes, bytesToBase64Url } from "../common/base64";

export interface AuthError {
  readonly error: string;
  readonly message?: string;
  readonly helpUrl?: string;
  readonly httpCode?: number;
  readonly details: Readonly<Record<string, string>>;
}

export class AuthErrorDecodeError extends Error {
  override name = "AuthErrorDecodeError";
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

const UTF8_ENCODER = new TextEncoder();
const utf8 = (text: string) => UTF8_ENCODER.encode(text);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  return concat([Uint8Array.from([(field << 3) | 2, ...varint(payload.length)]), payload]);
}

export interface EncodeOptions {
  /** Encode the message as a nested message instead of a plain string; Google has been seen doing both. */
  readonly nestedMessage?: boolean;
}

export function encodeAuthError(e: AuthError, opts: EncodeOptions = {}): string {
  const parts: Uint8Array[] = [lengthDelimited(1, utf8(e.error))];
  if (e.message !== undefined) {
    const text = utf8(e.message);
    parts.push(lengthDelimited(2, opts.nestedMessage ? lengthDelimited(1, text) : text));
  }
  if (e.helpUrl !== undefined) parts.push(lengthDelimited(3, utf8(e.helpUrl)));
  if (e.httpCode !== undefined) parts.push(Uint8Array.from([(4 << 3) | 0, ...varint(e.httpCode)]));
  for (const [k, v] of Object.entries(e.details)) {
    parts.push(lengthDelimited(5, concat([lengthDelimited(1, utf8(k)), lengthDelimited(2, utf8(v))])));
  }
  return bytesToBase64Url(concat(parts));
}

interface Field {
  readonly field: number;
  readonly wire: number;
  readonly bytes?: Uint8Array;
  readonly value?: number;
}

function readFields(buf: Uint8Array): Field[] {
  const fields: Field[] = [];
  let i = 0;
  const readVarint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (i >= buf.length) throw new AuthErrorDecodeError("truncated varint");
      const b = buf[i++];
      if (shift < 28) result |= (b & 0x7f) << shift;
      else result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result >>> 0 === result ? result : result;
      shift += 7;
      if (shift > 63) throw new AuthErrorDecodeError("varint too long");
    }
  };
  while (i < buf.length) {
    const tag = readVarint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) throw new AuthErrorDecodeError("field number 0");
    if (wire === 0) fields.push({ field, wire, value: readVarint() });
    else if (wire === 2) {
      const len = readVarint();
      if (i + len > buf.length) throw new AuthErrorDecodeError(`field ${field} runs past the end (truncated)`);
      fields.push({ field, wire, bytes: buf.subarray(i, i + len) });
      i += len;
    } else if (wire === 1) {
      if (i + 8 > buf.length) throw new AuthErrorDecodeError("truncated fixed64");
      i += 8;
    } else if (wire === 5) {
      if (i + 4 > buf.length) throw new AuthErrorDecodeError("truncated fixed32");
      i += 4;
    } else throw new AuthErrorDecodeError(`unsupported wire type ${wire}`);
  }
  return fields;
}

const PRINTABLE = /^[\P{Cc}\n\t\r]*$/u;

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The bytes as text when they are valid UTF-8 and printable (a nested message is not). */
function asText(bytes: Uint8Array): string | undefined {
  let s: string;
  try {
    s = UTF8.decode(bytes);
  } catch {
    return undefined;
  }
  return PRINTABLE.test(s) ? s : undefined;
}

/**
 * A string field, or a nested message whose field 1 is the text. A nested message starts with tag 0x0a (field 1,
 * length-delimited); a human message never starts with a newline, so that byte decides.
 */
function stringOrNested(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x0a) {
    try {
      const inner = readFields(bytes);
      const first = inner.find((f) => f.field === 1 && f.bytes);
      const text = first?.bytes && asText(first.bytes);
      if (text !== undefined) return text;
    } catch {
      /* not a nested message: fall back to text */
    }
  }
  return asText(bytes);
}

export function decodeAuthError(encoded: string): AuthError {
  const clean = encoded.trim();
  if (!/^[A-Za-z0-9_\-+/]*={0,2}$/.test(clean) || clean.length === 0) throw new AuthErrorDecodeError("not base64url");
  // Decoded with the Web platform's atob (common/base64.ts): the browser page reads authError addresses too.
  const buf = base64ToBytes(clean);
  if (buf.length === 0) throw new AuthErrorDecodeError("empty");
  const fields = readFields(buf);
  let error: string | undefined;
  let message: string | undefined;
  let helpUrl: string | undefined;
  let httpCode: number | undefined;
  const details: Record<string, string> = {};
  for (const f of fields) {
    if (f.field === 1 && f.bytes) error = asText(f.bytes);
    else if (f.field === 2 && f.bytes) message = stringOrNested(f.bytes);
    else if (f.field === 3 && f.bytes) helpUrl = asText(f.bytes);
    else if (f.field === 4 && f.value !== undefined) httpCode = f.value;
    else if (f.field === 5 && f.bytes) {
      const kv = readFields(f.bytes);
      const k = kv.find((x) => x.field === 1)?.bytes;
      const v = kv.find((x) => x.field === 2)?.bytes;
      const key = k && asText(k);
      // defineProperty, not assignment: a key such as "__proto__" must stay a key, not reach the prototype.
      if (key !== undefined)
        Object.defineProperty(details, key, {
          value: (v && asText(v)) ?? "",
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
  }
  if (!error) throw new AuthErrorDecodeError("no error code (field 1)");
  return { error, message, helpUrl, httpCode, details };
}

/** Pull authError out of a full /signin/oauth/error URL (or return undefined when there is none). */
export function authErrorFromUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.searchParams.get("authError") ?? undefined;
  } catch {
    // A bare `authError=…` (copied without the page address) counts too; a broken %-escape is kept as copied.
    const m = /(?:^|[?&\s])authError=([^&#\s]+)/.exec(url);
    if (!m) return undefined;
    try {
      return decodeURIComponent(m[1]);
    } catch {
      return m[1];
    }
  }
}
