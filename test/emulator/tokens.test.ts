// Token shapes: Google's prefixes and size limits, and every shape masked by redact() without registration.
import { describe, expect, it } from "vitest";
import { redact } from "../../common/redact";
import {
  CODE_SHAPE,
  derivedProjectNumber,
  derivedSub,
  newAccessToken,
  newClientId,
  newClientSecret,
  newCode,
  newRefreshToken,
} from "../../emulator/tokens";

describe("token shapes", () => {
  it("follow Google's prefixes and limits (google-behaviour.md §2.1)", () => {
    const code = newCode();
    expect(code).toMatch(CODE_SHAPE);
    expect(Buffer.byteLength(code)).toBeLessThanOrEqual(256);
    expect(newAccessToken()).toMatch(/^ya29\./);
    expect(Buffer.byteLength(newAccessToken())).toBeLessThanOrEqual(2048);
    expect(newRefreshToken()).toMatch(/^1\/\/0/);
    expect(Buffer.byteLength(newRefreshToken())).toBeLessThanOrEqual(512);
    expect(newClientSecret()).toMatch(/^GOCSPX-/);
    expect(newClientId("123456789012")).toMatch(/^123456789012-[a-z0-9]{32}\.apps\.googleusercontent\.com$/);
  });

  it("are all masked by redact() even when never registered (the hot path registers none)", () => {
    for (const secret of [
      newCode(),
      encodeURIComponent(newCode()),
      newAccessToken(),
      newRefreshToken(),
      newClientSecret(),
    ]) {
      expect(redact(`value=${secret} end`)).toBe("value=[REDACTED] end");
    }
  });

  it("derived numbers are stable", () => {
    expect(derivedProjectNumber("demo-project")).toMatch(/^[1-9]\d{11}$/);
    expect(derivedProjectNumber("demo-project")).toBe(derivedProjectNumber("demo-project"));
    expect(derivedSub("a@example.com")).toMatch(/^1\d{20}$/);
  });
});
