// What normalize.ts undoes, and what it must leave alone (issue 24): cases found in review, each a way a paste arrives.
import { describe, expect, test } from "vitest";
import { joinWrappedLines, normalizeText } from "../../../validator/diagnosis/normalize";
import { explain } from "../../../validator/explain";

describe("normalizeText", () => {
  test("a percent-encoded redirect URI keeps its own query: & and # stay encoded, the value is read whole", () => {
    const r = explain(
      "Error 400: redirect_uri_mismatch\nRequest details: redirect_uri=https%3A%2F%2Ferp.example.com%2Fcb%3Fdb%3Dprod%26lang%3Den flowName=GeneralOAuthFlow",
    );
    expect(r.diagnosis).toBe("redirect_uri_not_registered");
    expect(r.details.redirect_uri).toBe("https://erp.example.com/cb?db=prod&lang=en");
  });

  test("an address in angle brackets is not an HTML tag", () => {
    expect(normalizeText("RCPT TO:<a@example.com>")).toBe("RCPT TO:<a@example.com>");
    expect(normalizeText('<a href="https://accounts.google.com/x">error details</a>')).toContain(
      "https://accounts.google.com/x",
    );
  });

  test("only the typographic apostrophe's octal escapes are rewritten, not other UTF-8 in a bytes repr", () => {
    expect(normalizeText("doesn\\342\\200\\231t comply")).toBe("doesn't comply");
    expect(normalizeText("b'\\351\\224\\231\\350\\257\\257'")).toBe("b'\\351\\224\\231\\350\\257\\257'");
  });

  test("a hard-wrapped code is joined in the fallback view, a short line is left alone", () => {
    const wrapped = `${"x".repeat(70)}redirect_uri_mis\nmatch`;
    expect(joinWrappedLines(wrapped)).toContain("redirect_uri_mismatch");
    expect(joinWrappedLines("short line\nnext")).toBe("short line\nnext");
  });
});
