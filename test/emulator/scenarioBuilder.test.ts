// The scenario builder (emulator/scenarioBuilder.ts) and the library form of startEmulator: typed scenarios in code,
// checked like a scenario file, and several emulators at once, each with its own state.
import { describe, expect, test } from "vitest";
import { InputError } from "../../common/errors";
import { scenario, startEmulator } from "../../emulator/index";
import { MAIL } from "./helpers";

describe("scenario()", () => {
  test("fills in the client's project, ID and secret, and builds a plain scenario", () => {
    const s = scenario()
      .seed(7)
      .project({ id: "acme-mail", number: "123456789012", publishingStatus: "testing", testUsers: ["ana@acme.com"] })
      .client({ type: "web", redirectUris: ["https://mail.acme.com/cb"] })
      .account("ana@acme.com")
      .build();
    expect(s.seed).toBe(7);
    expect(s.clients![0]).toMatchObject({ projectId: "acme-mail", type: "web" });
    expect(s.clients![0]!.id).toMatch(/^123456789012-[a-z0-9]+\.apps\.googleusercontent\.com$/);
    expect(s.clients![0]!.secrets![0]).toMatch(/^GOCSPX-/);
    expect(s.accounts).toEqual([{ email: "ana@acme.com" }]);
  });

  test("a bad value is the field-level InputError a scenario file gives", () => {
    const bad = scenario().project({ id: "acme-mail", userType: "public" as never });
    expect(() => bad.build()).toThrow(InputError);
    expect(() => bad.build()).toThrow(/projects\[0\]\.userType/);
  });

  test("a client needs a project", () => {
    expect(() => scenario().client({ type: "web" })).toThrow(/add a project first/);
  });
});

describe("startEmulator(options)", () => {
  test("takes a builder, runs several at once on their own ports, each with its own state", async () => {
    const s = scenario()
      .project({ id: "acme-mail", publishingStatus: "production", verified: true })
      .client({ type: "web", redirectUris: ["https://mail.acme.com/cb"] })
      .account("ana@acme.com");
    const [a, b] = await Promise.all([startEmulator({ scenario: s }), startEmulator()]);
    try {
      expect(a.origin).not.toBe(b.origin);
      expect(a.oauth2Endpoints.oauth2TokenUrl).toBe(`${a.origin}/token`);
      expect(a.oauth2Endpoints.oauth2AuthBaseUrl).toBe(`${a.origin}/o/oauth2/v2/auth`);
      const clientId = s.clients[0]!.id;
      const grant = a.admin.mintGrant({ clientId, account: "ana@acme.com", scopes: [MAIL], offline: true });
      expect(grant.refresh_token).toMatch(/^1\/\/0/);
      expect(a.admin.state().clients).toHaveLength(1);
      expect(b.admin.state().clients).toHaveLength(0);
      a.admin.advanceClock(60_000);
      expect(Math.abs(b.admin.now() - Date.now())).toBeLessThan(30_000);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test("the older form (scenario, options) still works, and a non-loopback host is refused", async () => {
    const emu = await startEmulator({ projects: [{ id: "acme-mail" }] }, { port: 0 });
    await emu.close();
    await expect(startEmulator({ host: "0.0.0.0" })).rejects.toThrow(/not a loopback address/);
  });
});
