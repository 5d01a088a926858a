// PKCE (RFC 7636) as Google applies it (google-behaviour.md §1.5), and the constant-time comparison both sides of the kit use:
// the validator's flow makes verifiers and checks its state, the emulator checks verifiers, secrets and challenges.
import { createHash, timingSafeEqual } from "node:crypto";

export function s256Challenge(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** 43–128 characters from the unreserved set (google-behaviour.md §1.5). */
export function isValidVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(verifier);
}

/** Constant-time comparison, so response timing does not leak how much of a guessed value was right. */
export function constantTimeEqual(expected: string, received: string | null | undefined): boolean {
  if (typeof received !== "string") return false;
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(received, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
