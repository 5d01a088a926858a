import { describe, expect, it } from "vitest";
import { JsonSyntaxError, describeJsonError, parseJsonText } from "../../common/json";

const SECRET = "zzTopSecretValue123";

function errorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    return describeJsonError(text, e);
  }
  throw new Error("parsed");
}

describe("describeJsonError", () => {
  it("names the line and column, never the text (which may be a secret)", () => {
    const text = `{\n  "installed": {"client_secret": "${SECRET}", oops}\n}`;
    const problem = errorOf(text);
    expect(problem).toMatch(/^is not valid JSON \(syntax error at line 2, column \d+\)$/);
    expect(problem).not.toContain("zzTop");
  });

  it("says truncated for an input that ends early, and stays quiet about an unquoted value", () => {
    expect(errorOf('{"refresh_token": "1//0abc')).toBe("is not valid JSON (it ends too early: truncated?)");
    const unquoted = errorOf(`{"refresh_token": ${SECRET}}`);
    expect(unquoted).toMatch(/^is not valid JSON/);
    expect(unquoted).not.toContain("zzTop");
  });

  it("parseJsonText throws a typed error carrying only that description", () => {
    expect(parseJsonText('{"a":1}')).toEqual({ a: 1 });
    expect(() => parseJsonText(`["${SECRET}" x]`)).toThrow(JsonSyntaxError);
    expect(() => parseJsonText(`["${SECRET}" x]`)).not.toThrow(/zzTop/);
  });
});
