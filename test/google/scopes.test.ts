import { describe, expect, it } from "vitest";
import {
  SCOPES,
  allowsGetProfile,
  allowsSend,
  canonicalScope,
  isGmailScope,
  missingScopes,
  needsVerification,
  onlyIdentityScopes,
  parseScopeList,
  scopeInfo,
  strictestClass,
} from "../../google/scopes";

const G = "https://www.googleapis.com/auth/";

describe("scope table", () => {
  it("classes the Gmail scopes as Google's Restricted Scopes page does", () => {
    for (const s of [
      "https://mail.google.com/",
      `${G}gmail.readonly`,
      `${G}gmail.metadata`,
      `${G}gmail.modify`,
      `${G}gmail.insert`,
      `${G}gmail.compose`,
      `${G}gmail.settings.basic`,
      `${G}gmail.settings.sharing`,
    ]) {
      expect(scopeInfo(s)?.class, s).toBe("restricted");
    }
    expect(scopeInfo(`${G}gmail.send`)?.class).toBe("sensitive");
    expect(scopeInfo(`${G}gmail.labels`)?.class).toBe("non-sensitive");
    expect(scopeInfo("openid")?.class).toBe("identity");
  });

  it("has no scope twice", () => {
    const names = SCOPES.map((s) => s.scope);
    expect(new Set(names).size).toBe(names.length);
  });

  it("maps Google's granted-scope aliases to their URLs", () => {
    expect(canonicalScope("email")).toBe(`${G}userinfo.email`);
    expect(canonicalScope("profile")).toBe(`${G}userinfo.profile`);
    expect(canonicalScope("https://example.com/x")).toBe("https://example.com/x");
    expect(parseScopeList("email openid https://mail.google.com/ email")).toEqual([
      `${G}userinfo.email`,
      "openid",
      "https://mail.google.com/",
    ]);
    expect(parseScopeList("a+b")).toEqual(["a", "b"]);
    expect(parseScopeList(undefined)).toEqual([]);
  });

  it("knows which scopes escape the Testing 7-day expiry", () => {
    expect(onlyIdentityScopes(["openid", "email", `${G}userinfo.profile`])).toBe(true);
    expect(onlyIdentityScopes(["openid", `${G}gmail.send`])).toBe(false);
    expect(onlyIdentityScopes(["https://unknown.example/"])).toBe(false);
  });

  it("answers verification, class and API questions from the table", () => {
    expect(needsVerification(`${G}gmail.send`)).toBe(true);
    expect(needsVerification(`${G}gmail.labels`)).toBe(false);
    expect(isGmailScope("openid")).toBe(false);
    expect(isGmailScope(`${G}gmail.labels`)).toBe(true);
    expect(strictestClass([`${G}gmail.labels`, `${G}gmail.send`])).toBe("sensitive");
    expect(strictestClass([])).toBeUndefined();
    // getProfile is not allowed for send-only, labels or insert (google-behaviour.md §5.1).
    expect(allowsGetProfile([`${G}gmail.send`, `${G}gmail.labels`, `${G}gmail.insert`])).toBe(false);
    expect(allowsGetProfile([`${G}gmail.metadata`])).toBe(true);
    expect(allowsSend([`${G}gmail.send`])).toBe(true);
    expect(allowsSend([`${G}gmail.readonly`])).toBe(false);
  });

  it("lists the requested scopes a grant lacks", () => {
    expect(missingScopes(["https://mail.google.com/", "email"], [`${G}userinfo.email`])).toEqual([
      "https://mail.google.com/",
    ]);
    expect(missingScopes(["openid"], ["openid", "email"])).toEqual([]);
  });
});
