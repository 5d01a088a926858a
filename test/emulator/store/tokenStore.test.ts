// The token store's lifecycle rules, without HTTP (google-behaviour.md §2, §3): 7-day Testing expiry, the per-client cap, password
// change, revocation.
import { describe, expect, it } from "vitest";
import { DESKTOP as CLIENT, frozenStore, MAIL } from "../helpers";

const state = frozenStore;

const refreshOf = (s: ReturnType<typeof state>, token: string) => s.tokens.refreshProblem(s.tokens.findRefresh(token)!);

describe("refresh token rules", () => {
  it("External + Testing + a Gmail scope: 604799 and death at 7 days; identity-only and production: no expiry", () => {
    const s = state();
    const gmail = s.mintGrant({ clientId: CLIENT, account: "ana@example.com", scopes: [MAIL] });
    const identity = s.mintGrant({ clientId: CLIENT, account: "ana@example.com", scopes: ["openid", "email"] });
    expect(gmail.refresh_token_expires_in).toBe(604_799);
    expect(identity.refresh_token_expires_in).toBeUndefined();
    s.advanceClock(7 * 86_400_000);
    expect(refreshOf(s, gmail.refresh_token!)).toMatch(/^expired/);
    expect(refreshOf(s, identity.refresh_token!)).toBeUndefined();
    const prod = state({ publishingStatus: "production" });
    expect(
      prod.mintGrant({ clientId: CLIENT, account: "ana@example.com", scopes: [MAIL] }).refresh_token_expires_in,
    ).toBeUndefined();
  });

  it("at most 100 live refresh tokens per account and client: the oldest is dropped", () => {
    const s = state({ publishingStatus: "production" });
    const tokens = Array.from(
      { length: 101 },
      () => s.mintGrant({ clientId: CLIENT, account: "ana@example.com", scopes: [MAIL] }).refresh_token!,
    );
    expect(refreshOf(s, tokens[0]!)).toMatch(/^dropped/);
    expect(tokens.slice(1).every((t) => refreshOf(s, t) === undefined)).toBe(true);
  });

  it("a password change kills refresh tokens with Gmail scopes only, and not later ones", () => {
    const s = state({ publishingStatus: "production" });
    const gmail = s.mintGrant({ clientId: CLIENT, account: "ana@example.com", scopes: [MAIL] }).refresh_token!;
    const identity = s.mintGrant({ clientId: CLIENT, account: "ana@example.com", scopes: ["openid"] }).refresh_token!;
    s.advanceClock(1000);
    s.updateAccount("ana@example.com", { passwordChanged: true });
    expect(refreshOf(s, gmail)).toMatch(/password changed/);
    expect(refreshOf(s, identity)).toBeUndefined();
    s.advanceClock(1000);
    const later = s.mintGrant({ clientId: CLIENT, account: "ana@example.com", scopes: [MAIL] }).refresh_token!;
    expect(refreshOf(s, later)).toBeUndefined();
  });

  it("revoking by refresh token kills the grant's access tokens; a dead token cannot be revoked again", () => {
    const s = state();
    const g = s.mintGrant({ clientId: CLIENT, account: "ana@example.com", scopes: [MAIL] });
    expect(s.tokens.findAccess(g.access_token)).toBeDefined();
    expect(s.tokens.revoke(g.refresh_token!)).toBe(true);
    expect(s.tokens.findAccess(g.access_token)).toBeUndefined();
    expect(s.tokens.revoke(g.refresh_token!)).toBe(false);
    expect(s.tokens.revoke("ya29.never-issued")).toBe(false);
  });
});
