import { describe, expect, it } from "vitest";
import { DEFAULT_SCOPE, isKnownScope } from "../../google/scopes";
import { applyPreset, isPresetName, normalizeInstanceUrl, PRESET_NAMES, PRESETS } from "../../connection/presets";

describe("PRESETS", () => {
  it("has one entry per supported app, each a Web client with known scopes", () => {
    expect([...PRESET_NAMES].sort()).toEqual(["flectra", "generic", "hero_flow", "n8n", "odoo"]);
    for (const preset of Object.values(PRESETS)) {
      expect(preset.clientType).toBe("web");
      expect(preset.scopes.length).toBeGreaterThan(0);
      for (const s of preset.scopes) expect(isKnownScope(s), s).toBe(true);
    }
  });

  it("gives Flectra and Odoo /google_gmail/confirm with the IMAP/SMTP scope", () => {
    for (const name of ["flectra", "odoo"] as const) {
      expect(applyPreset(name, { instanceUrl: "https://mydb.flectra.com" })).toEqual({
        type: "web",
        redirectUris: ["https://mydb.flectra.com/google_gmail/confirm"],
        scopes: [DEFAULT_SCOPE],
        transports: ["smtp", "imap"],
      });
    }
  });

  it("gives n8n its OAuth2 credential callback", () => {
    expect(applyPreset("n8n", { instanceUrl: "https://n8n.acme.com/" }).redirectUris).toEqual([
      "https://n8n.acme.com/rest/oauth2-credential/callback",
    ]);
  });

  it("lets Hero_Flow's callback path be configured, with a documented default", () => {
    expect(PRESETS.hero_flow.callbackPathConfigurable).toBe(true);
    expect(applyPreset("hero_flow", { instanceUrl: "https://hero.acme.com" }).redirectUris).toEqual([
      "https://hero.acme.com/oauth2/callback",
    ]);
    expect(
      applyPreset("hero_flow", { instanceUrl: "https://hero.acme.com", callbackPath: "mail/cb" }).redirectUris,
    ).toEqual(["https://hero.acme.com/mail/cb"]);
  });

  it("derives nothing for generic without a callback path, or for any preset without an instance URL", () => {
    expect(applyPreset("generic", { instanceUrl: "https://app.acme.com" }).redirectUris).toEqual([]);
    expect(applyPreset("flectra").redirectUris).toEqual([]);
  });

  it("normalizes trailing slashes and recognises names", () => {
    expect(normalizeInstanceUrl("https://x.acme.com///")).toBe("https://x.acme.com");
    expect(isPresetName("odoo")).toBe(true);
    expect(isPresetName("toString")).toBe(false);
  });
});
