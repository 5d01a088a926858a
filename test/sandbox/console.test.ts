// The console steps through the emulator's admin API, with and without the walkthrough's two mistakes, and importSpec.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  addTestUser,
  configureConsentScreen,
  createClients,
  downloadClientJson,
  importSpec,
  replaceRedirectUri,
} from "../../sandbox/console";
import { loadStack } from "../../sandbox/stackConfig";
import type { ConnectionSpec } from "../../connection/types";

const APP_URI = "http://127.0.0.1:7073/google_gmail/confirm";
const LOOPBACK = "http://127.0.0.1:8085/";

describe("console steps", () => {
  let emu: RunningEmulator;
  let spec: ConnectionSpec;
  beforeEach(async () => {
    emu = await startEmulator();
    spec = (await loadStack(undefined, process.cwd())).parsed.spec;
    emu.admin.addProject({ id: spec.project.id, number: "123456789012" });
  });
  afterEach(async () => emu.close());

  it("done right: consent screen as the spec says, the client with exact URIs, the validator's loopback first", () => {
    const actions = configureConsentScreen(emu.admin, spec);
    const { clients } = createClients(emu.admin, spec, "123456789012", { flectra: [LOOPBACK] });
    expect(actions.every((a) => a.mistake === undefined)).toBe(true);
    const state = emu.admin.state();
    expect(state.projects[0]).toMatchObject({
      appName: "Sandbox Mail",
      userType: "external",
      publishingStatus: "testing",
      testUsers: ["ana@example.com", "mailbox@example.com"],
      scopes: ["https://mail.google.com/"],
    });
    expect(clients[0]?.clientId).toMatch(/^123456789012-[a-z0-9]+\.apps\.googleusercontent\.com$/);
    expect(clients[0]?.secret).toMatch(/^GOCSPX-/);
    expect(state.clients[0]).toMatchObject({ type: "web", name: "flectra", redirectUris: [LOOPBACK, APP_URI] });
  });

  it("with the two mistakes, then the two fixes", () => {
    const mistakes = { forgetTestUser: "mailbox@example.com", trailingSlashOnClient: "flectra" };
    const actions = [
      ...configureConsentScreen(emu.admin, spec, mistakes),
      ...createClients(emu.admin, spec, "123456789012", {}, mistakes).actions,
    ];
    expect(actions.flatMap((a) => (a.mistake ? [a.mistake] : []))).toEqual([
      "forgot test user mailbox@example.com",
      `registered ${APP_URI}/ with a trailing slash`,
    ]);
    const id = emu.admin.state().clients[0]!.id;
    expect(emu.admin.state().projects[0]?.testUsers).toEqual(["ana@example.com"]);
    expect(emu.admin.state().clients[0]?.redirectUris).toEqual([`${APP_URI}/`]);

    addTestUser(emu.admin, spec, "mailbox@example.com");
    const fix = replaceRedirectUri(emu.admin, spec.project.id, id, `${APP_URI}/`, APP_URI);
    expect(fix.page).toContain(encodeURIComponent(id));
    expect(emu.admin.state().projects[0]?.testUsers).toEqual(["ana@example.com", "mailbox@example.com"]);
    expect(emu.admin.state().clients[0]?.redirectUris).toEqual([APP_URI]);
  });

  it("no action text carries the secret; the downloaded JSON does, with the URIs as registered", () => {
    const { clients, actions } = createClients(
      emu.admin,
      spec,
      "123456789012",
      { flectra: [LOOPBACK] },
      { trailingSlashOnClient: "flectra" },
    );
    const secret = clients[0]!.secret;
    expect(JSON.stringify(actions)).not.toContain(secret);
    const file = JSON.parse(downloadClientJson(emu.admin, spec, clients[0]!)) as { web: Record<string, unknown> };
    expect(file.web).toMatchObject({
      client_id: clients[0]!.clientId,
      client_secret: secret,
      project_id: spec.project.id,
      redirect_uris: [LOOPBACK, `${APP_URI}/`],
    });
  });
});

describe("importSpec (the console steps from a provisioned spec)", () => {
  const spec: ConnectionSpec = {
    version: 1,
    project: { mode: "create", id: "mail-connect", number: "555566667777", deletionProtection: true },
    branding: {
      appName: "Mail Connect",
      supportEmail: "ops@example.com",
      developerContacts: ["ops@example.com"],
      authorizedDomains: ["example.com"],
    },
    audience: {
      userType: "external",
      publishingStatus: "testing",
      testUsers: ["ana@example.com", "ben@example.com"],
      verification: "not-submitted",
    },
    dataAccess: { scopes: ["https://mail.google.com/"] },
    clients: [
      {
        name: "odoo",
        type: "web",
        redirectUris: ["https://odoo.example.com/auth_oauth/signin"],
        javascriptOrigins: [],
        clientId: "555566667777-odoo.apps.googleusercontent.com",
      },
      { name: "cli", type: "desktop", redirectUris: [], javascriptOrigins: [] },
    ],
    oauthAdmins: [],
  };

  it("builds the project, consent screen, clients and accounts", async () => {
    const emu = await startEmulator();
    const s = emu.admin;
    const r = importSpec(s, spec, { clientSecret: "GOCSPX-importedSecret000000000000" });
    expect(r.projectNumber).toBe("555566667777");
    expect(r.clients.map((c) => [c.name, c.type])).toEqual([
      ["odoo", "web"],
      ["cli", "installed"],
    ]);
    expect(r.clients[0]!.clientId).toBe("555566667777-odoo.apps.googleusercontent.com");
    expect(r.clients[1]!.clientId).toMatch(/^555566667777-[a-z0-9]{32}\.apps\.googleusercontent\.com$/);
    expect(r.accounts.sort()).toEqual(["ana@example.com", "ben@example.com", "ops@example.com"]);
    const p = s.state().projects[0]!;
    expect(p).toMatchObject({
      appName: "Mail Connect",
      supportEmail: "ops@example.com",
      userType: "external",
      publishingStatus: "testing",
      testUsers: ["ana@example.com", "ben@example.com"],
      verified: false,
      scopes: ["https://mail.google.com/"],
    });
    expect(s.state().clients.find((c) => c.id === r.clients[0]!.clientId)!.redirectUris).toEqual([
      "https://odoo.example.com/auth_oauth/signin",
    ]);
    // Importing again updates in place.
    expect(() =>
      importSpec(s, { ...spec, audience: { ...spec.audience, publishingStatus: "production" } }),
    ).not.toThrow();
    expect(s.state().projects[0]!.publishingStatus).toBe("production");
    await emu.close();
  });

  it("an invalid redirect URI in the spec names the spec field", async () => {
    const emu = await startEmulator();
    const bad = { ...spec, clients: [{ ...spec.clients[0]!, redirectUris: ["http://odoo.example.com/cb"] }] };
    expect(() => importSpec(emu.admin, bad)).toThrow(
      /spec\.clients\[0\]\.redirectUris\[0\]: .*http is only allowed for localhost/,
    );
    await emu.close();
  });
});
