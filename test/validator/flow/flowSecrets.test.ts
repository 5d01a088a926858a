import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isValidVerifier, s256Challenge } from "../../../google/pkce";
import { newFlowSecrets, stateMatches } from "../../../validator/flow/flowSecrets";

describe("PKCE and state", () => {
  it("matches RFC 7636's S256 example", () => {
    expect(s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("makes a fresh, valid verifier, its S256 challenge and a state every time", () => {
    const a = newFlowSecrets();
    const b = newFlowSecrets();
    expect(a.method).toBe("S256");
    expect(isValidVerifier(a.verifier)).toBe(true);
    expect(a.challenge).toBe(createHash("sha256").update(a.verifier).digest("base64url"));
    expect(a.challenge).not.toContain("=");
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.state).not.toBe(b.state);
    expect(a.state.length).toBeGreaterThanOrEqual(32);
  });

  it("rejects verifiers outside Google's 43–128 unreserved characters", () => {
    expect(isValidVerifier("a".repeat(42))).toBe(false);
    expect(isValidVerifier("a".repeat(129))).toBe(false);
    expect(isValidVerifier(`${"a".repeat(42)}/`)).toBe(false);
    expect(isValidVerifier("a".repeat(43))).toBe(true);
  });

  it("accepts only the exact state", () => {
    expect(stateMatches("abc", "abc")).toBe(true);
    expect(stateMatches("abc", "abd")).toBe(false);
    expect(stateMatches("abc", "abcd")).toBe(false);
    expect(stateMatches("abc", null)).toBe(false);
    expect(stateMatches("abc", "")).toBe(false);
  });
});
