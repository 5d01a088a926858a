import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  explainMismatch,
  isLoopbackUri,
  javascriptOriginProblems,
  redirectUriMatches,
  redirectUriProblems,
} from "../../google/redirectUris";

const codes = (uri: string, kind: "web" | "desktop" = "web") => redirectUriProblems(uri, kind).map((p) => p.code);
const messages = (uri: string) =>
  redirectUriProblems(uri)
    .map((p) => p.message)
    .join(" | ");

describe("redirect URI registration rules", () => {
  it.each([
    "https://mydb.flectra.com/google_gmail/confirm",
    "http://localhost:8069/google_gmail/confirm",
    "http://127.0.0.1:53682/",
    "http://[::1]:8080/cb",
    "https://example.co.uk/oauth/callback?tenant=a",
  ])("accepts %s", (uri) => {
    expect(redirectUriProblems(uri)).toEqual([]);
  });

  it.each([
    ["http://mydb.flectra.com/google_gmail/confirm", /http is only allowed for localhost/],
    ["https://203.0.113.5/cb", /raw IP/],
    ["https://odoo.local/google_gmail/confirm", /public top-level domain/],
    ["https://intranet/cb", /public top-level domain/],
    ["https://app.localhost/cb", /public top-level domain/],
    ["https://x.example.com/cb#frag", /fragment/],
    ["https://*.example.com/cb", /wildcard/],
    ["https://user:pw@example.com/cb", /user info/],
    ["https://example.com/a/../b", /path traversal/],
    ["https://example.com/a%zz", /percent-encoding/],
    ["https://foo.googleusercontent.com/cb", /googleusercontent/],
    ["https://bit.ly/abc", /shortener/],
    ["not a url", /absolute URL/],
    ["https://example.com/\u0000", /control/],
  ])("rejects %s", (uri, why) => {
    expect(codes(uri)).toContain("redirect_uri_invalid");
    expect(messages(uri)).toMatch(why);
  });

  it("tells a custom scheme on a Web client apart from a generic invalid URI", () => {
    expect(codes("com.example.app:/oauth2redirect")).toEqual(["custom_scheme_on_web_client"]);
    expect(codes("com.example.app:/oauth2redirect", "desktop")).toEqual(["redirect_uri_invalid"]);
  });

  it("recognises the blocked OOB flow", () => {
    expect(codes("urn:ietf:wg:oauth:2.0:oob")).toEqual(["oob_flow_blocked"]);
    expect(codes("urn:ietf:wg:oauth:2.0:oob:auto")).toEqual(["oob_flow_blocked"]);
  });

  it("suggests the https form in the fix", () => {
    const [p] = redirectUriProblems("http://mydb.flectra.com/google_gmail/confirm");
    expect(p?.fix).toBe("use https://mydb.flectra.com/google_gmail/confirm");
  });

  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const problems = redirectUriProblems(s);
        expect(Array.isArray(problems)).toBe(true);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.webUrl({ withFragments: true, withQueryParameters: true }), (u) => {
        for (const p of redirectUriProblems(u)) expect(p.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe("JavaScript origins", () => {
  it("take no path and no query", () => {
    expect(javascriptOriginProblems("https://app.example.com")).toEqual([]);
    expect(
      javascriptOriginProblems("https://app.example.com/")
        .map((p) => p.message)
        .join(),
    ).toMatch(/no path/);
    expect(
      javascriptOriginProblems("https://app.example.com/x")
        .map((p) => p.message)
        .join(),
    ).toMatch(/no path/);
    expect(
      javascriptOriginProblems("http://app.example.com")
        .map((p) => p.message)
        .join(),
    ).toMatch(/http is only allowed/);
  });
});

describe("exact matching", () => {
  it("is exact for Web clients: scheme, case, trailing slash and port all count", () => {
    const reg = ["https://mydb.flectra.com/google_gmail/confirm"];
    expect(redirectUriMatches("https://mydb.flectra.com/google_gmail/confirm", reg, "web")).toBe(true);
    expect(redirectUriMatches("https://mydb.flectra.com/google_gmail/confirm/", reg, "web")).toBe(false);
    expect(redirectUriMatches("https://MYDB.flectra.com/google_gmail/confirm", reg, "web")).toBe(false);
    expect(redirectUriMatches("http://mydb.flectra.com/google_gmail/confirm", reg, "web")).toBe(false);
  });

  it("takes any loopback port for Desktop clients, and nothing else", () => {
    expect(redirectUriMatches("http://127.0.0.1:41234/", [], "desktop")).toBe(true);
    expect(redirectUriMatches("http://localhost:9/cb", [], "desktop")).toBe(true);
    expect(redirectUriMatches("https://mydb.flectra.com/google_gmail/confirm", [], "desktop")).toBe(false);
    expect(isLoopbackUri("https://127.0.0.1/")).toBe(false);
  });

  it("names the difference to the nearest registered URI", () => {
    expect(
      explainMismatch("https://a.example.com/cb", ["https://a.example.com/cb/", "https://b.example.com/other"]),
    ).toEqual({
      nearest: "https://a.example.com/cb/",
      difference: "the registered URI has a trailing slash",
    });
    expect(explainMismatch("http://a.example.com/cb", ["https://a.example.com/cb"])?.difference).toMatch(
      /scheme differs/,
    );
    expect(explainMismatch("https://a.example.com:8443/cb", ["https://a.example.com/cb"])?.difference).toMatch(
      /port differs/,
    );
    expect(explainMismatch("https://a.example.com/cb", [])).toBeUndefined();
  });
});
