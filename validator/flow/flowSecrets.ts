// PKCE (RFC 7636) and state for the consent flow. S256 only: "plain" would hand the verifier to anyone who sees the
// authorize URL, and Google accepts S256 for every client type (google-behaviour.md §1.5).
import { randomBytes } from "node:crypto";
import { constantTimeEqual, s256Challenge } from "../../google/pkce";

export interface FlowSecrets {
  /** 43 characters of [A-Za-z0-9-_]: within Google's 43–128 from the unreserved set. */
  readonly verifier: string;
  readonly challenge: string;
  readonly method: "S256";
  /** Binds the callback to this run; compared in constant time. */
  readonly state: string;
}

export function newFlowSecrets(): FlowSecrets {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: s256Challenge(verifier), method: "S256", state: randomBytes(24).toString("base64url") };
}

/** The callback's state against this run's, in constant time. */
export function stateMatches(expected: string, received: string | null | undefined): boolean {
  return constantTimeEqual(expected, received);
}
