// Transports in the connection spec (issue 19): from the preset, declared for a generic app, checked against the
// scopes (SMTP/IMAP need https://mail.google.com/, google-behaviour.md §7, §11), and read back from a spec file.
import { describe, expect, it } from "vitest";
import { InputErrors } from "../../common/errors";
import { parseConnectionSpec, parseStackConfig } from "../../connection/parse";
import { PRESETS } from "../../connection/presets";

const base = (): Record<string, unknown> => ({
  project: { id: "acme-gmail-prod", orgId: "123456789012" },
  branding: { appName: "Acme Mail", supportEmail: "it@acme.com" },
  audience: { testUsers: ["ana@acme.com"] },
});

function problems(values: Record<string, unknown>): string[] {
  try {
    parseStackConfig(values);
  } catch (e) {
    expect(e).toBeInstanceOf(InputErrors);
    return (e as InputErrors).errors.map((x) => x.message);
  }
  throw new Error("expected the config to be refused");
}

describe("transports", () => {
  it("each preset says how its app reaches Gmail; generic declares it", () => {
    expect(PRESETS.flectra.transports).toEqual(["smtp", "imap"]);
    expect(PRESETS.odoo.transports).toEqual(["smtp", "imap"]);
    expect(PRESETS.hero_flow.transports).toEqual(["gmail-api"]);
    expect(PRESETS.n8n.transports).toEqual(["gmail-api"]);
    expect(PRESETS.generic.transports).toBeUndefined();
  });

  it("a stack takes the preset's, or declares its own (shorthand too)", () => {
    const n8n = parseStackConfig({ ...base(), preset: "n8n", instanceUrl: "https://n8n.acme.com" });
    expect(n8n.clients[0]!.transports).toEqual(["gmail-api"]);
    const generic = parseStackConfig({
      ...base(),
      clients: [
        {
          name: "crm",
          preset: "generic",
          instanceUrl: "https://crm.acme.com",
          callbackPath: "/cb",
          transports: ["smtp"],
        },
      ],
    });
    expect(generic.clients[0]!.transports).toEqual(["smtp"]);
    const shorthand = parseStackConfig({
      ...base(),
      preset: "flectra",
      instanceUrl: "https://mydb.acme.com",
      transports: ["smtp"],
    });
    expect(shorthand.clients[0]!.transports).toEqual(["smtp"]);
  });

  it("names a bad transport and a declared SMTP app without the full-mail scope", () => {
    expect(
      problems({ ...base(), preset: "flectra", instanceUrl: "https://mydb.acme.com", transports: ["pop3"] }),
    ).toEqual(["gmail-oauth:transports[0]: 'pop3' is not allowed; use one of: smtp, imap, gmail-api"]);
    const msgs = problems({
      ...base(),
      scopes: ["https://www.googleapis.com/auth/gmail.send"],
      clients: [
        {
          name: "crm",
          preset: "generic",
          instanceUrl: "https://crm.acme.com",
          callbackPath: "/cb",
          transports: ["smtp"],
        },
      ],
    });
    expect(msgs).toContain(
      "gmail-oauth:scopes: lacks https://mail.google.com/, but crm uses SMTP/IMAP, which accept no narrower Gmail scope; add https://mail.google.com/ to scopes",
    );
  });

  it("reads transports back from a spec file; a spec written before transports takes its preset's", () => {
    const spec = parseStackConfig({ ...base(), preset: "flectra", instanceUrl: "https://mydb.acme.com" });
    expect(parseConnectionSpec({ connectionSpec: spec }, "stack.json").clients[0]!.transports).toEqual([
      "smtp",
      "imap",
    ]);
    const { transports: _t, ...older } = spec.clients[0]!;
    const old = parseConnectionSpec({ ...spec, clients: [older] }, "spec.json");
    expect(old.clients[0]!.transports).toEqual(["smtp", "imap"]);
  });
});
