import { afterEach, describe, expect, it } from "vitest";
import { forgetSecrets, redact, redactValue, registerSecret } from "../../common/redact";

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
