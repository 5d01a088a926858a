import { describe, expect, it } from "vitest";
import { noCallbackDetail } from "../../../validator/flow/hints";

const first = (detail: string) => /1\. ([^;]+)/.exec(detail)?.[1] ?? "";

describe("noCallbackDetail", () => {
  it("puts 'not a test user' first for a Testing app whose test users lack the account", () => {
    const d = noCallbackDetail({
      account: "bob@example.com",
      audience: { userType: "external", publishingStatus: "testing", testUsers: ["ana@example.com"] },
      waitedMs: 5000,
      refused: [],
    });
    expect(first(d)).toMatch(/^not a test user/);
    expect(d).toContain("Error 403: access_denied");
    expect(d).toContain("do not list bob@example.com");
    expect(d).toContain("No callback within 5s");
  });

  it("still suspects the console's test users first when the spec lists the account: the declaration is not proof", () => {
    const d = noCallbackDetail({
      account: "ana@example.com",
      audience: { userType: "external", publishingStatus: "testing", testUsers: ["ana@example.com"] },
      waitedMs: 5000,
      refused: [],
    });
    expect(first(d)).toMatch(/^not a test user/);
    expect(d).toContain("the spec lists ana@example.com, but no API can read the console's list");
  });

  it("puts org_internal first for an Internal app", () => {
    const d = noCallbackDetail({
      account: "x@other.com",
      audience: { userType: "internal" },
      waitedMs: 1000,
      refused: [],
    });
    expect(first(d)).toMatch(/^org_internal/);
    expect(d).not.toMatch(/not a test user/);
  });

  it("drops the test-user cause for a published app and mentions refused callbacks", () => {
    const d = noCallbackDetail({
      audience: { publishingStatus: "production" },
      waitedMs: 1000,
      refused: ["refused: wrong Host header", "refused: wrong Host header"],
    });
    expect(d).not.toMatch(/not a test user/);
    expect(first(d)).toMatch(/^admin policy/);
    expect(d).toContain("2 request(s) were refused: refused: wrong Host header.");
  });

  it("lists every cause when nothing is declared", () => {
    const d = noCallbackDetail({ waitedMs: 1000, refused: [] });
    for (const cause of ["not a test user", "org_internal", "admin policy", "left open"]) expect(d).toContain(cause);
  });
});
