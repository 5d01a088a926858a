// Token shapes as Google issues them (google-behaviour.md §1.1, §2.1, §8.1). Every shape matches a pattern in common/redact.ts, so
// a token the server mints is masked in any output even though the hot path does not register each one.
import { createHash, randomBytes } from "node:crypto";

export const ACCESS_TOKEN_TTL_S = 3599;
/** Testing apps: 7 days from consent; Google reports one second less (google-behaviour.md §2.2, §3). */
export const TESTING_REFRESH_TTL_S = 604_800;
export const TESTING_REFRESH_EXPIRES_IN = 604_799;
/** Google documents no code lifetime; 10 minutes is the common OAuth choice (inferred). */
export const CODE_TTL_MS = 10 * 60_000;
/** "a limit of 100 refresh tokens per Google Account per OAuth 2.0 client ID" (google-behaviour.md §3). */
export const MAX_REFRESH_TOKENS_PER_CLIENT = 100;

const b64 = (n: number) => randomBytes(n).toString("base64url");

/** `4/0A…`, well under the 256-byte limit. */
export const newCode = () => `4/0A${b64(54)}`;
/** `ya29.…`, under the 2048-byte limit. */
export const newAccessToken = () => `ya29.a0${b64(120)}`;
/** `1//0…`, under the 512-byte limit. */
export const newRefreshToken = () => `1//0${b64(75)}`;
export const newClientSecret = () => `GOCSPX-${b64(21)}`;

/** Codes we issued look like this; anything else is "Malformed auth code." (google-behaviour.md §2.3). */
export const CODE_SHAPE = /^4\/0A[A-Za-z0-9_-]{20,250}$/;

function digits(seed: string, n: number): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return BigInt(`0x${hex}`).toString().slice(0, n);
}

/** A stable 12-digit project number for a project id when the scenario gives none. */
export const derivedProjectNumber = (projectId: string) => digits(`p:${projectId}`, 12);
/** Google's `sub`: 21 digits starting with 1. */
export const derivedSub = (email: string) => `1${digits(`s:${email}`, 20)}`;

export function newClientId(projectNumber: string): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes(32);
  let tail = "";
  for (const b of bytes) tail += alphabet[b % alphabet.length];
  return `${projectNumber}-${tail}.apps.googleusercontent.com`;
}

/** The last four characters, as the console shows an existing secret (google-behaviour.md §8.1). */
export const secretHint = (secret: string) => `****${secret.slice(-4)}`;
