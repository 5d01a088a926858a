// The schema is the one definition of each input shape (connection/schema.ts): the reader's key lists are its keys, the
// public types are inferred from it, and whatever the reader produces is a spec the schema accepts. These tests fail
// when the reader and the schema drift apart.
import { describe, expect, it } from "vitest";
import { connectionSpec, type ConnectionConfig } from "../../connection/config";
import { CONFIG_KEYS, parseConnectionSpec, parseStackConfig } from "../../connection/parse";
import { connectionSpecSchema, stackConfigSchema } from "../../connection/schema";
import { DEFAULT_SCOPE as MAIL } from "../../google/scopes";

// Typed as the public type: a field the reader accepts but the type lacks fails to compile here (issue 25).
const config: ConnectionConfig = {
  project: { id: "acme-gmail-test", orgId: "123456789012" },
  branding: { appName: "Acme Mail", supportEmail: "it@acme.com" },
  audience: { userType: "internal" },
  clients: [{ name: "flectra", preset: "flectra", instanceUrl: "https://mydb.flectra.com", transports: ["smtp"] }],
  serviceAccounts: [{ accountId: "gmail-relay", scopes: [MAIL], mailboxes: ["billing@acme.com"] }],
};

describe("the connection's schema", () => {
  it("gives the reader its keys: every stack config key is the schema's, in the documented order", () => {
    expect(CONFIG_KEYS).toEqual(Object.keys(stackConfigSchema.shape));
    expect(CONFIG_KEYS).toContain("transports");
    expect(CONFIG_KEYS).toContain("serviceAccounts");
  });

  it("accepts whatever the reader produces, transports and service accounts included", () => {
    const spec = connectionSpec(config);
    expect(connectionSpecSchema.safeParse(spec).error).toBeUndefined();
    expect(spec.clients[0]!.transports).toEqual(["smtp"]);
    expect(spec.serviceAccounts?.[0]?.signing).toBe("keyless");
    const shorthand = parseStackConfig({
      ...config,
      clients: undefined,
      preset: "n8n",
      instanceUrl: "https://n8n.acme.com",
    });
    expect(connectionSpecSchema.safeParse(shorthand).error).toBeUndefined();
  });

  it("refuses what the reader refuses at the shape level: an unknown key, a wrong type", () => {
    const spec = connectionSpec(config);
    expect(connectionSpecSchema.safeParse({ ...spec, extra: 1 }).success).toBe(false);
    expect(connectionSpecSchema.safeParse({ ...spec, oauthAdmins: "user:a@acme.com" }).success).toBe(false);
    expect(() => parseConnectionSpec({ ...spec, extra: 1 }, "spec.json")).toThrow(/spec\.json:extra: unknown key/);
  });

  it("reads a spec file with an editor's $schema pointer, as setup writes it", () => {
    const spec = connectionSpec(config);
    expect(parseConnectionSpec({ $schema: "x.json", ...spec }, "spec.json")).toEqual(spec);
  });
});
