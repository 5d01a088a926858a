// Domain-wide delegation (docs/google-behaviour.md §10): the JWT bearer grant a service account uses to act as
// a Workspace user, its JWT, and the admin console's Manage Domain Wide Delegation page. The validator signs and reads
// these; the emulator verifies them; the runbook prints the links. One definition each.
import { createPrivateKey, sign, type KeyObject } from "node:crypto";

export { DWD_CONSOLE_URL, dwdPrefilledLink, dwdScopeField } from "./delegationConsole";

export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** The JWT's `aud`: always Google's token URL, whatever host the request goes to (google-behaviour.md §10). */
export const TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
/** exp may be at most one hour after iat (google-behaviour.md §10). */
export const MAX_ASSERTION_LIFETIME_S = 3600;
/** The IAM role that lets a principal call signJwt as the service account (google-behaviour.md §10). */
export const TOKEN_CREATOR_ROLE = "roles/iam.serviceAccountTokenCreator";
/** The scope the keyless signer's own credential needs for IAM Credentials. */
export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

export interface DwdClaims {
  readonly iss: string;
  readonly sub?: string;
  readonly scope: string;
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
}

/** The claims of one token request: act as `subject` (none: as the service account itself) for `scopes`. */
export function dwdClaims(
  serviceAccount: string,
  subject: string | undefined,
  scopes: readonly string[],
  nowMs: number,
): DwdClaims {
  const iat = Math.floor(nowMs / 1000);
  return {
    iss: serviceAccount,
    ...(subject !== undefined && { sub: subject }),
    scope: scopes.join(" "),
    aud: TOKEN_AUDIENCE,
    iat,
    exp: iat + MAX_ASSERTION_LIFETIME_S,
  };
}

const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

/** An RS256 JWT signed with a key file's private key (PEM). */
export function signJwtRs256(claims: object, privateKey: string | KeyObject, keyId?: string): string {
  const key = typeof privateKey === "string" ? createPrivateKey(privateKey) : privateKey;
  const input = `${enc({ alg: "RS256", typ: "JWT", ...(keyId && { kid: keyId }) })}.${enc(claims)}`;
  return `${input}.${sign("RSA-SHA256", Buffer.from(input), key).toString("base64url")}`;
}

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  /** `header.payload`, the bytes the signature covers. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

/** The parts of a compact JWT, or undefined when it is not one (three base64url parts, JSON objects). */
/** The three base64url parts of a compact JWT, typed as three: undefined when the text has another shape. */
function jwtParts(token: string): readonly [string, string, string] | undefined {
  const parts = token.split(".");
  if (parts.some((x) => !/^[A-Za-z0-9_-]*$/.test(x))) return undefined;
  const [header, payload, signature, ...rest] = parts;
  return header !== undefined && payload !== undefined && signature !== undefined && rest.length === 0
    ? [header, payload, signature]
    : undefined;
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = jwtParts(token);
  if (!parts) return undefined;
  const [encodedHeader, encodedClaims, encodedSignature] = parts;
  try {
    const header = JSON.parse(Buffer.from(encodedHeader, "base64url").toString("utf8"));
    const claims = JSON.parse(Buffer.from(encodedClaims, "base64url").toString("utf8"));
    if (!isObject(header) || !isObject(claims)) return undefined;
    return {
      header,
      claims,
      signingInput: `${encodedHeader}.${encodedClaims}`,
      signature: Buffer.from(encodedSignature, "base64url"),
    };
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
