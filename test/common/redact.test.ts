import { afterEach, describe, expect, it } from "vitest";
import { redactByShape } from "../../common/secretShapes";
import {
  forgetSecretScope,
  forgetSecrets,
  inSecretScope,
  newSecretScope,
  redact,
  redactValue,
  registerRunSecret,
  registerSecret,
} from "../../common/redact";

afterEach(() => forgetSecrets());

describe("redact", () => {
  it("masks registered secrets, also when URL-encoded", () => {
    registerSecret("s3cret-value/with+chars");
    expect(redact("secret=s3cret-value/with+chars&x=1")).toBe("secret=[REDACTED]&x=1");
    expect(redact(`code=${encodeURIComponent("s3cret-value/with+chars")}`)).toBe("code=[REDACTED]");
  });

  it("masks Google secret shapes it was never told about", () => {
    expect(redact("GOCSPX-abcdEFGH1234_-xy")).toBe("[REDACTED]");
    expect(redact("Bearer ya29.a0AfH6SMBxyz123")).toBe("Bearer [REDACTED]");
    expect(redact('"refresh_token":"1//0gAbCdEfGh-Ij"')).toBe('"refresh_token":"[REDACTED]"');
    expect(redact("?code=4/0AeanS0abcdefghij&scope=x")).toBe("?code=[REDACTED]&scope=x");
    expect(redact("?code=4%2F0AeanS0abcdefghij&scope=x")).toBe("?code=[REDACTED]&scope=x");
  });

  it("leaves ordinary text and short values alone", () => {
    registerSecret("abc");
    expect(redact("abc client_id=123.apps.googleusercontent.com")).toBe("abc client_id=123.apps.googleusercontent.com");
  });

  it("redacts inside structured values without changing their shape", () => {
    registerSecret("the-client-secret");
    expect(redactValue({ a: ["the-client-secret", 1], b: { c: "ok" } })).toEqual({
      a: ["[REDACTED]", 1],
      b: { c: "ok" },
    });
  });
});

describe("redact with thousands of registered secrets (a fleet of stored tokens)", () => {
  it("masks every registered secret, its URL-encoded form and the longest of overlapping ones, in one pass", () => {
    forgetSecrets();
    for (let i = 0; i < 3000; i++) registerSecret(`opaque-fleet-token-${String(i).padStart(5, "0")}/x`);
    registerSecret("opaque-fleet-token-00042/x-and-longer");
    const text =
      "a opaque-fleet-token-00007/x b opaque-fleet-token-02999%2Fx c opaque-fleet-token-00042/x-and-longer d opaque-fleet-token-99999/x";
    expect(redact(text)).toBe("a [REDACTED] b [REDACTED] c [REDACTED] d opaque-fleet-token-99999/x");
    expect(redact("short")).toBe("short");
    forgetSecrets();
  });
});

describe("secret scopes (a fleet connection's tokens, forgotten once its report is written)", () => {
  const secret = (i: number) => `opaque-secret-${String(i).padStart(5, "0")}-value`;

  it("masks a scope's secrets while it lives, forgets them after, and keeps those registered outside any scope", async () => {
    registerSecret("run-wide-client-secret");
    const scope = newSecretScope();
    await inSecretScope(scope, async () => {
      await Promise.resolve();
      registerSecret("per-connection-access-token"); // in a callback of the scope, as an HTTP answer would be
      registerSecret("run-wide-client-secret"); // already the run's: stays the run's
      registerRunSecret("shared-cloud-token"); // the run's even though registered inside the scope
    });
    expect(redact("per-connection-access-token run-wide-client-secret shared-cloud-token")).toBe(
      "[REDACTED] [REDACTED] [REDACTED]",
    );
    forgetSecretScope(scope);
    expect(redact("per-connection-access-token run-wide-client-secret shared-cloud-token")).toBe(
      "per-connection-access-token [REDACTED] [REDACTED]",
    );
  });

  it("a secret two live scopes registered stays masked until both are forgotten", () => {
    const a = newSecretScope();
    const b = newSecretScope();
    inSecretScope(a, () => registerSecret("shared-by-two-connections"));
    inSecretScope(b, () => registerSecret("shared-by-two-connections"));
    forgetSecretScope(a);
    expect(redact("shared-by-two-connections")).toBe("[REDACTED]");
    forgetSecretScope(b);
    expect(redact("shared-by-two-connections")).toBe("shared-by-two-connections");
  });

  it("stays correct across the switch between the two scans, as scopes come and go around the limit", () => {
    const scopes = Array.from({ length: 6 }, () => newSecretScope());
    // 6 × 50 secrets × 2 forms: past the ordered scan's limit, then back under it as scopes are forgotten.
    for (const [s, scope] of scopes.entries())
      inSecretScope(scope, () => {
        for (let i = 0; i < 50; i++) registerSecret(secret(s * 50 + i));
      });
    for (let s = 0; s < scopes.length; s++) {
      const live = Array.from({ length: 300 }, (_, i) => i).filter((i) => Math.floor(i / 50) >= s);
      const gone = Array.from({ length: 300 }, (_, i) => i).filter((i) => Math.floor(i / 50) < s);
      for (const i of live) expect(redact(`x ${secret(i)} y`)).toBe("x [REDACTED] y");
      for (const i of gone) expect(redact(`x ${secret(i)} y`)).toBe(`x ${secret(i)} y`);
      forgetSecretScope(scopes[s]!);
    }
    registerSecret(secret(7));
    expect(redact(`${secret(7)} ${secret(8)}`)).toBe(`[REDACTED] ${secret(8)}`);
  });
});

describe("secrets found by their shape alone (the browser page redacts with this half only)", () => {
  it.each([
    ["a refresh token in PHP's json_encode", '{"refresh_token":"1\\/\\/0gABCDEFGHIJKLMNOP"}', "1\\/\\/0gABC"],
    ["a refresh token escaped, without its name", "token 1\\/\\/0gABCDEFGHIJKLMNOP expired", "0gABCDEF"],
    [
      "a service account's private key",
      '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n"',
      "MIIEvQIBADAN",
    ],
    [
      "AUTH XOAUTH2's initial response (user and access token)",
      "C: AUTH XOAUTH2 dXNlcj1hbmFAZXhhbXBsZS5jb20BYXV0aD1CZWFyZXIgeWEyOS5hYmNkZWYBAQ==",
      "dXNlcj1hbmFA",
    ],
    ["AUTH PLAIN's password", "C: AUTH PLAIN AGFuYUBleGFtcGxlLmNvbQBodW50ZXIy", "AGFuYUBleGFt"],
  ])("%s", (_what, text, secret) => {
    const out = redactByShape(text);
    expect(out).not.toContain(secret);
    expect(out).toContain("[REDACTED]");
    expect(redact(text)).toBe(out);
  });
});
