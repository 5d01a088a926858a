// The schema is the one definition of each input shape (connection/schema.ts): the reader's key lists are its keys, the
// public types are inferred from it, and whatever the reader produces is a spec the schema accepts. These tests fail
// when the reader and the schema drift apart.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
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

/** Every key of a config schema as the docs name it: `project.id`, `clients[i].name`, top-level keys bare. */
function keyPaths(shape: Record<string, z.ZodType>, prefix = ""): string[] {
  return Object.entries(shape).flatMap(([key, value]) => {
    const path = `${prefix}${key}`;
    let inner: z.ZodType = value;
    // Optional, readonly and array wrappers: the docs name what is inside them.
    let list = false;
    for (;;) {
      if (inner instanceof z.ZodOptional || inner instanceof z.ZodReadonly) inner = inner.unwrap() as z.ZodType;
      else if (inner instanceof z.ZodArray) {
        list = true;
        inner = inner.element as z.ZodType;
      } else break;
    }
    const nested =
      inner instanceof z.ZodObject
        ? keyPaths(inner.shape as Record<string, z.ZodType>, `${path}${list ? "[i]" : ""}.`)
        : [];
    // An object's own row is its keys' rows (`project.id`, …); a list of objects has a row of its own too.
    return inner instanceof z.ZodObject && !list ? nested : [path, ...nested];
  });
}

/** The first column of docs/provisioning.md's key table, row by row, as the backticked names in it. */
function documentedKeys(): string[][] {
  const doc = readFileSync(path.resolve(__dirname, "../../docs/provisioning.md"), "utf8");
  const table = doc.slice(doc.indexOf("| key "), doc.indexOf("### Client secrets"));
  return table
    .split("\n")
    .filter((l) => l.startsWith("| `"))
    .map((l) => [...(l.split("|")[1] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ""));
}

describe("docs/provisioning.md's key table", () => {
  it("names every key of the stack config's schema (a row may name siblings after the first: `a.b`, `c`)", () => {
    const rows = documentedKeys();
    const documented = (key: string) =>
      rows.some((names) => {
        const [first = "", ...rest] = names;
        const parent = first.includes(".") ? first.slice(0, first.lastIndexOf(".") + 1) : "";
        return names.includes(key) || rest.some((n) => `${parent}${n}` === key);
      });
    const keys = keyPaths(stackConfigSchema.shape as Record<string, z.ZodType>);
    expect(keys).toContain("serviceAccounts[i].mailboxes");
    expect(keys.filter((k) => !documented(k))).toEqual([]);
  });
});
