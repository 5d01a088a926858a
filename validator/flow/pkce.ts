// PKCE (RFC 7636) and state for the consent flow. S256 only: "plain" would hand the verifier to anyone who sees the
// authorize URL, and Google accepts S256 for every client type (facts §1.5).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export interface FlowSecrets {
  /** 43 characters of [A-Za-z0-9-_]: within Google's 43–128 from the unreserved set. */
  readonly verifier: string;
  readonly challenge: string;
  readonly method: "S256";
  /** Binds the callback to this run; compared in constant time. */
  readonly state: string;
}

export function s256Challenge(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

export function isValidVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(verifier);
}

export function newFlowSecrets(): FlowSecrets {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: s256Challenge(verifier), method: "S256", state: randomBytes(24).toString("base64url") };
}

/** Constant-time comparison, so response timing does not leak how much of a guessed state was right. */
export function stateMatches(expected: string, received: string | null | undefined): boolean {
  if (typeof received !== "string") return false;
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(received, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
