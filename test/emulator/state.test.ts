// Token lifecycle rules and admin operations of the state, without HTTP (facts §2, §3, §8).
import { describe, expect, it } from "vitest";
import { InputError } from "../../common/errors";
import { EmulatorState } from "../../emulator/state";
import type { ConnectionSpec } from "../../connection/types";

const MAIL = "https://mail.google.com/";
const CLIENT = "1111-desktop.apps.googleusercontent.com";

function state(over: { userType?: "internal" | "external"; publishingStatus?: "testing" | "production" } = {}) {
  return new EmulatorState({
    clock: { now: "2026-01-01T00:00:00Z", frozen: true },
    projects: [{ id: "demo-project", organization: "example.org", ...over }],
    clients: [{ id: CLIENT, projectId: "demo-project", type: "installed", secrets: ["GOCSPX-aaaaaaaaaaaaaaaaaaaaaaaaaaaa"] }],
    accounts: [{ email: "ana@example.com" }],
  });
}

const refreshOf = (s: EmulatorState, token: string) => s.refreshProblem(s.findRefresh(token)!);

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
    expect(prod.mintGrant({ clientId: CLIENT, account: "ana@example.com", scopes: [MAIL] }).refresh_token_expires_in).toBeUndefined();
  });

  it("at most 100 live refresh tokens per account and client: the oldest is dropped", () => {
    const s = state({ publishingStatus: "production" });
    const tokens = Array.from({ length: 101 }, () => s.mintGrant({ clientId: CLIENT, account: "ana@example.com", scopes: [MAIL] }).refresh_token!);
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
    expect(s.findAccess(g.access_token)).toBeDefined();
    expect(s.revoke(g.refresh_token!)).toBe(true);
    expect(s.findAccess(g.access_token)).toBeUndefined();
    expect(s.revoke(g.refresh_token!)).toBe(false);
    expect(s.revoke("ya29.never-issued")).toBe(false);
  });
});

describe("admin operations", () => {
  it("refuse what the console refuses, naming the field", () => {
    const s = state();
    expect(() => s.addClient({ id: "2-b.apps.googleusercontent.com", projectId: "demo-project", redirectUris: ["https://app.example.com/cb#x"] })).toThrow(/client.redirectUris\[0\]: .*fragment/);
    expect(() => s.addClient({ id: "2-b.apps.googleusercontent.com", projectId: "nope-project" })).toThrow(/client.projectId: no project 'nope-project'/);
    expect(() => s.addClient({ id: "2-b.apps.googleusercontent.com", projectId: "demo-project", secrets: ["a", "b", "c"] })).toThrow(/client.secrets: has 3 entries; at most 2/);
    expect(() => s.addProject({ id: "solo-project", userType: "internal" })).toThrow(/project.userType: internal needs the project to belong to an organisation/);
    expect(() => s.addAccount({ email: "ana@example.com" })).toThrow(/already exists/);
    expect(() => s.mintGrant({ clientId: CLIENT, account: "zed@example.com", scopes: [MAIL] })).toThrow(InputError);
    expect(() => s.advanceClock(-1)).toThrow(/ms: must be a non-negative/);
  });

  it("a generated secret is GOCSPX- and is returned once; the snapshot shows only its last four", () => {
    const s = state();
    const c = s.addClient({ id: "2-b.apps.googleusercontent.com", projectId: "demo-project" });
    expect(c.secrets[0]).toMatch(/^GOCSPX-[A-Za-z0-9_-]{28}$/);
    const snap = s.state().clients.find((x) => x.id === c.id)!;
    expect(snap.secretHints).toEqual([`****${c.secrets[0]!.slice(-4)}`]);
    expect(JSON.stringify(s.state())).not.toContain(c.secrets[0]);
  });

  it("the frozen clock moves only when advanced", () => {
    const s = state();
    expect(s.now()).toBe(Date.parse("2026-01-01T00:00:00Z"));
    expect(s.advanceClock(5000)).toBe(Date.parse("2026-01-01T00:00:05Z"));
  });
});

describe("importSpec (the console steps from a provisioned spec)", () => {
  const spec: ConnectionSpec = {
    version: 1,
    project: { mode: "create", id: "mail-connect", number: "555566667777", deletionProtection: true },
    branding: { appName: "Mail Connect", supportEmail: "ops@example.com", developerContacts: ["ops@example.com"], authorizedDomains: ["example.com"] },
    audience: { userType: "external", publishingStatus: "testing", testUsers: ["ana@example.com", "ben@example.com"], verification: "not-submitted" },
    dataAccess: { scopes: [MAIL] },
    clients: [
      { name: "odoo", type: "web", redirectUris: ["https://odoo.example.com/auth_oauth/signin"], javascriptOrigins: [], clientId: "555566667777-odoo.apps.googleusercontent.com" },
      { name: "cli", type: "desktop", redirectUris: [], javascriptOrigins: [] },
    ],
    oauthAdmins: [],
  };

  it("builds the project, consent screen, clients and accounts", () => {
    const s = new EmulatorState();
    const r = s.importSpec(spec, { clientSecret: "GOCSPX-importedSecret000000000000" });
    expect(r.projectNumber).toBe("555566667777");
    expect(r.clients.map((c) => [c.name, c.type])).toEqual([["odoo", "web"], ["cli", "installed"]]);
    expect(r.clients[0]!.clientId).toBe("555566667777-odoo.apps.googleusercontent.com");
    expect(r.clients[1]!.clientId).toMatch(/^555566667777-[a-z0-9]{32}\.apps\.googleusercontent\.com$/);
    expect(r.accounts.sort()).toEqual(["ana@example.com", "ben@example.com", "ops@example.com"]);
    const p = s.state().projects[0]!;
    expect(p).toMatchObject({ appName: "Mail Connect", supportEmail: "ops@example.com", userType: "external", publishingStatus: "testing", testUsers: ["ana@example.com", "ben@example.com"], verified: false, scopes: [MAIL] });
    expect(s.findClient(r.clients[0]!.clientId)!.redirectUris).toEqual(["https://odoo.example.com/auth_oauth/signin"]);
    // Importing again updates in place.
    expect(() => s.importSpec({ ...spec, audience: { ...spec.audience, publishingStatus: "production" } })).not.toThrow();
    expect(s.state().projects[0]!.publishingStatus).toBe("production");
  });

  it("a scenario supportEmail must be an email address", () => {
    expect(() => new EmulatorState({ projects: [{ id: "demo-project", supportEmail: "nope" }] })).toThrow(/projects\[0\]\.supportEmail/);
  });

  it("an invalid redirect URI in the spec names the spec field", () => {
    const s = new EmulatorState();
    const bad = { ...spec, clients: [{ ...spec.clients[0]!, redirectUris: ["http://odoo.example.com/cb"] }] };
    expect(() => s.importSpec(bad)).toThrow(/spec\.clients\[0\]\.redirectUris\[0\]: .*http is only allowed for localhost/);
  });
});
