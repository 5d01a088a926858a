import { describe, expect, it } from "vitest";
import { matchesAnyPattern, stackFromUrn } from "../../policy/patterns";

describe("matchesAnyPattern", () => {
  it.each([
    ["dev", ["dev"], true],
    ["dev-ana", ["dev-*"], true],
    ["ana-dev", ["dev-*", "*-dev"], true],
    ["prod", ["dev", "dev-*"], false],
    ["devops", ["dev"], false],
    ["Dev", ["dev"], false],
    ["a.b", ["a*b"], true],
    ["axb", ["a.b"], false], // '.' is literal, not a regex wildcard
    ["x", [], false],
  ] as const)("%s against %j → %s", (value, patterns, expected) => {
    expect(matchesAnyPattern(value, patterns)).toBe(expected);
  });

  it("matches domains case-insensitively when asked", () => {
    expect(matchesAnyPattern("EU.Partner.io", ["*.partner.io"], true)).toBe(true);
    expect(matchesAnyPattern("partner.io", ["*.partner.io"], true)).toBe(false);
  });
});

describe("stackFromUrn", () => {
  it("reads the stack from a resource URN", () => {
    expect(stackFromUrn("urn:pulumi:dev-ana::gmail::gmail-oauth:index:GmailConnection::mail")).toBe("dev-ana");
    expect(
      stackFromUrn("urn:pulumi:prod::gmail::gmail-oauth:index:GmailConnection$gcp:organizations/project:Project::p"),
    ).toBe("prod");
  });
  it("returns undefined for anything else", () => {
    expect(stackFromUrn("")).toBeUndefined();
    expect(stackFromUrn("not-a-urn")).toBeUndefined();
  });
});
