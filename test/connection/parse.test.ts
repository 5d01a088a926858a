import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { InputError, InputErrors } from "../../common/errors";
import { forgetSecrets, redact } from "../../common/redact";
import { CONFIG_KEYS, parseConnectionSpec, parseStackConfig, readStackConfig } from "../../connection/parse";

const base = (): Record<string, unknown> => ({
  project: { id: "acme-gmail-prod", orgId: "123456789012" },
  branding: { appName: "Acme Mail", supportEmail: "it@acme.com" },
  audience: { testUsers: ["ana@acme.com"] },
  preset: "flectra",
  instanceUrl: "https://mydb.flectra.com",
});

function problems(values: Record<string, unknown>, opts?: Parameters<typeof parseStackConfig>[1]): string[] {
  try {
    parseStackConfig(values, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(InputErrors);
    return (e as InputErrors).errors.map((x) => x.message);
  }
  throw new Error("expected the config to be refused");
}

describe("parseStackConfig: a good config", () => {
  it("fills the defaults a Flectra stack needs", () => {
    const spec = parseStackConfig(base());
    expect(spec).toEqual({
      version: 1,
      project: { mode: "create", id: "acme-gmail-prod", orgId: "123456789012", deletionProtection: true },
      branding: {
        appName: "Acme Mail",
        supportEmail: "it@acme.com",
        developerContacts: ["it@acme.com"],
        authorizedDomains: ["flectra.com"],
      },
      audience: {
        userType: "external",
        publishingStatus: "testing",
        testUsers: ["ana@acme.com"],
        verification: "not-submitted",
      },
      dataAccess: { scopes: ["https://mail.google.com/"] },
      clients: [
        {
          name: "flectra",
          type: "web",
          preset: "flectra",
          instanceUrl: "https://mydb.flectra.com",
          redirectUris: ["https://mydb.flectra.com/google_gmail/confirm"],
          transports: ["smtp", "imap"],
          javascriptOrigins: [],
        },
      ],
      oauthAdmins: [],
    });
  });

  it("accepts structured values as the JSON text pulumi.Config hands over, and booleans as text", () => {
    const values = Object.fromEntries(
      Object.entries(base()).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    values.project = JSON.stringify({ id: "acme-gmail-prod", orgId: 123456789012, deletionProtection: "false" });
    const spec = parseStackConfig(values);
    expect(spec.project).toMatchObject({ orgId: "123456789012", deletionProtection: false });
  });

  it("accepts Pulumi.example.yaml as shipped", () => {
    const doc = parseYaml(readFileSync(path.resolve(__dirname, "../../Pulumi.example.yaml"), "utf8")) as {
      config: Record<string, unknown>;
    };
    const values = Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k.replace(/^gmail-oauth:/, ""), v]));
    const spec = parseStackConfig(values);
    expect(spec.clients[0]).toMatchObject({
      name: "flectra-prod",
      redirectUris: ["https://mydb.acme.com/google_gmail/confirm"],
    });
    expect(spec.project.billingAccount).toBe("012345-6789AB-CDEF01");
  });

  it("documents every config key in Pulumi.example.yaml", () => {
    const text = readFileSync(path.resolve(__dirname, "../../Pulumi.example.yaml"), "utf8");
    for (const key of CONFIG_KEYS) expect(text, key).toMatch(new RegExp(`gmail-oauth:${key}\\b`));
  });

  it("adopts an existing project, and lets an Internal app declare its organization", () => {
    const spec = parseStackConfig({
      ...base(),
      project: { mode: "adopt", id: "legacy-mail-1", orgId: "42" },
      audience: { userType: "internal" },
    });
    expect(spec.project).toEqual({ mode: "adopt", id: "legacy-mail-1", orgId: "42", deletionProtection: true });
    expect(spec.audience).toMatchObject({ userType: "internal", publishingStatus: "production", testUsers: [] });
  });

  it("canonicalizes scope aliases and keeps explicit scopes", () => {
    const spec = parseStackConfig({ ...base(), scopes: ["https://mail.google.com/", "email", "openid"] });
    expect(spec.dataAccess.scopes).toEqual([
      "https://mail.google.com/",
      "https://www.googleapis.com/auth/userinfo.email",
      "openid",
    ]);
  });

  it("reports which clients have a stored secret, and registers the secret for redaction", () => {
    forgetSecrets();
    const stack = readStackConfig(
      {
        ...base(),
        clientId: "1-abc.apps.googleusercontent.com",
        clientSecret: "GOCSPX-zzzzzzzzzzzz",
        project: { id: "acme-gmail-prod", orgId: "1", billingAccount: "012345-6789AB-CDEF01" },
      },
      { secretKeys: ["gmail-oauth:clientSecret"] },
    );
    expect(stack).toMatchObject({
      secretKey: "clientSecret",
      clientsWithSecret: ["flectra"],
      singleClientShorthand: true,
    });
    expect(JSON.stringify(stack.spec)).not.toContain("GOCSPX");
    expect(redact("x GOCSPX-zzzzzzzzzzzz y")).toBe("x [REDACTED] y");
  });
});

// Each bad config, and the exact field-level line the user sees.
const BAD: [string, Record<string, unknown>, string][] = [
  [
    "http redirect on a public host",
    {
      ...base(),
      preset: undefined,
      instanceUrl: undefined,
      clients: [
        { preset: "odoo", instanceUrl: "https://erp.acme.com" },
        { name: "app", redirectUris: ["http://app.acme.com/cb"] },
      ],
    },
    "gmail-oauth:clients[1].redirectUris[0]: http is only allowed for localhost; use https://app.acme.com/cb",
  ],
  [
    "fragment in a redirect",
    {
      ...base(),
      preset: undefined,
      instanceUrl: undefined,
      clients: [{ preset: "generic", redirectUris: ["https://app.acme.com/cb#done"] }],
    },
    "gmail-oauth:clients[0].redirectUris[0]: has a fragment ('#…'); Google refuses fragments; remove everything from '#'",
  ],
  [
    "raw IP host",
    { ...base(), instanceUrl: "https://203.0.113.7" },
    "gmail-oauth:instanceUrl: hosts cannot be raw IP addresses (only loopback IPs are exempt); use a domain name that resolves to this address",
  ],
  [
    "non-public TLD",
    { ...base(), instanceUrl: "https://odoo.corp.local" },
    "gmail-oauth:instanceUrl: 'odoo.corp.local' does not end in a public top-level domain; use a host under a public domain (e.g. mail.example.com), or localhost for development",
  ],
  [
    "too many test users",
    { ...base(), audience: { testUsers: Array.from({ length: 101 }, (_, i) => `u${i}@acme.com`) } },
    "gmail-oauth:audience.testUsers: has 101 addresses; Google allows at most 100 test users per project; keep the accounts that really connect, or publish the app (publishingStatus: production)",
  ],
  [
    "group as test user",
    { ...base(), audience: { testUsers: ["group:mail@acme.com"] } },
    "gmail-oauth:audience.testUsers[0]: 'group:mail@acme.com' is an IAM member, not an individual address; list each person's own Google Account address; Google does not expand groups or domains for test users",
  ],
  [
    "domain as test user",
    { ...base(), audience: { testUsers: ["@acme.com"] } },
    "gmail-oauth:audience.testUsers[0]: '@acme.com' is not an individual address; test users are single Google Accounts; list each person's address, e.g. ana@example.com",
  ],
  [
    "testing without test users",
    { ...base(), audience: {} },
    "gmail-oauth:audience.testUsers: is empty, but an External app in Testing only lets listed test users grant Gmail scopes; list the mailbox addresses that will connect, or set publishingStatus: production",
  ],
  [
    "internal without organization",
    { ...base(), project: { id: "acme-gmail-prod" }, audience: { userType: "internal" } },
    "gmail-oauth:audience.userType: internal needs the project to belong to an organization (Workspace or Cloud Identity); a project without one cannot choose Internal; set gmail-oauth:project.orgId (or gmail-oauth:project.folderId), or use userType: external",
  ],
  [
    "unknown scope",
    { ...base(), scopes: ["https://mail.google.com/", "https://www.googleapis.com/auth/drive"] },
    "gmail-oauth:scopes[1]: 'https://www.googleapis.com/auth/drive' is not a known Gmail or identity scope; use a Gmail scope such as https://mail.google.com/ or https://www.googleapis.com/auth/gmail.readonly",
  ],
  [
    "scope short name",
    { ...base(), scopes: ["https://mail.google.com/", "gmail.send"] },
    "gmail-oauth:scopes[1]: 'gmail.send' is not a known Gmail or identity scope; write 'https://www.googleapis.com/auth/gmail.send'",
  ],
  [
    "identity scopes only",
    {
      ...base(),
      preset: "generic",
      instanceUrl: undefined,
      clients: [{ preset: "generic", redirectUris: ["https://app.acme.com/cb"] }],
      scopes: ["openid", "email"],
    },
    "gmail-oauth:scopes: has no Gmail scope, so the connection could not read or send mail; add https://mail.google.com/ (SMTP/IMAP) or a Gmail API scope",
  ],
  [
    "Flectra without the IMAP/SMTP scope",
    { ...base(), scopes: ["https://www.googleapis.com/auth/gmail.send"] },
    "gmail-oauth:scopes: Flectra sends and fetches over SMTP/IMAP with XOAUTH2, which only https://mail.google.com/ allows; add https://mail.google.com/ to scopes (or leave scopes unset to take the preset's)",
  ],
  [
    "Desktop client with a web redirect",
    {
      ...base(),
      preset: undefined,
      instanceUrl: undefined,
      clients: [{ name: "tool", type: "desktop", redirectUris: ["https://app.acme.com/cb"] }],
    },
    "gmail-oauth:clients[0].redirectUris[0]: a Desktop client cannot serve the web redirect 'https://app.acme.com/cb'; it only receives loopback redirects (http://127.0.0.1:PORT); use type: web for this client, or drop the URI",
  ],
  [
    "Desktop type for a web preset",
    {
      ...base(),
      preset: undefined,
      instanceUrl: undefined,
      clients: [{ preset: "odoo", type: "desktop", instanceUrl: "https://erp.acme.com" }],
    },
    "gmail-oauth:clients[0].type: Odoo is a web app that receives the OAuth redirect on its own server; a desktop client cannot serve it; use type: web",
  ],
  [
    "preset without instance URL",
    { ...base(), instanceUrl: undefined },
    "gmail-oauth:instanceUrl: is required with preset flectra; set it to the app's public URL, e.g. https://mydb.flectra.com",
  ],
  [
    "fixed callback path overridden",
    { ...base(), callbackPath: "/oauth" },
    "gmail-oauth:callbackPath: Flectra's callback path is fixed (/google_gmail/confirm); remove callbackPath",
  ],
  [
    "origin with a path",
    {
      ...base(),
      preset: undefined,
      instanceUrl: undefined,
      clients: [
        { preset: "n8n", instanceUrl: "https://n8n.acme.com", javascriptOrigins: ["https://n8n.acme.com/app"] },
      ],
    },
    "gmail-oauth:clients[0].javascriptOrigins[0]: an origin has no path (not even a trailing '/'); use https://n8n.acme.com",
  ],
  [
    "both org and folder",
    { ...base(), project: { id: "acme-gmail-prod", orgId: "1", folderId: "2" } },
    "gmail-oauth:project.folderId: a project has one parent: orgId and folderId are both set; keep only folderId (the folder already belongs to the organization), or only orgId",
  ],
  [
    "org id with prefix",
    { ...base(), project: { id: "acme-gmail-prod", orgId: "organizations/123" } },
    "gmail-oauth:project.orgId: 'organizations/123' carries the 'organizations/' prefix; write just the number '123'",
  ],
  [
    "bad project id",
    { ...base(), project: { id: "Acme_Gmail", orgId: "1" } },
    "gmail-oauth:project.id: 'Acme_Gmail' is not a valid project id; use 6-30 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen",
  ],
  [
    "adopt with creation-only settings",
    { ...base(), project: { mode: "adopt", id: "legacy-mail-1", billingAccount: "012345-6789AB-CDEF01" } },
    "gmail-oauth:project.billingAccount: only applies when the program creates the project (mode: create); remove it, or set it on the existing project in the console",
  ],
  [
    "oauth admin without prefix",
    { ...base(), oauthAdmins: ["ana@acme.com"] },
    "gmail-oauth:oauthAdmins[0]: 'ana@acme.com' has no principal type; write 'user:ana@acme.com' (or 'group:ana@acme.com' for a group)",
  ],
  [
    "typo in a key",
    { ...base(), branding: { appName: "A", suportEmail: "it@acme.com", supportEmail: "it@acme.com" } },
    "gmail-oauth:branding.suportEmail: unknown key; did you mean 'supportEmail'?",
  ],
  [
    "user type in capitals",
    { ...base(), audience: { userType: "External", testUsers: ["a@acme.com"] } },
    "gmail-oauth:audience.userType: 'External' is not allowed; write 'external' (lower case)",
  ],
  [
    "unauthorized domain",
    { ...base(), branding: { appName: "A", supportEmail: "it@acme.com", authorizedDomains: ["acme.com"] } },
    "gmail-oauth:branding.authorizedDomains: does not cover 'mydb.flectra.com'; the console refuses consent-screen links and redirect URIs on unlisted domains (inferred from the console's behaviour); add 'flectra.com'",
  ],
  [
    "malformed client ID",
    { ...base(), clientId: "abc" },
    "gmail-oauth:clientId: 'abc' is not an OAuth client ID; copy the full ID from the console, e.g. 1234567890-abc123.apps.googleusercontent.com",
  ],
  [
    "secret without client ID",
    { ...base(), clientSecret: "GOCSPX-aaaaaaaaaaaa" },
    "gmail-oauth:clientSecret: is set, but the client's ID is not; set gmail-oauth:clientId too: the secret is stored together with its client ID",
  ],
  [
    "secret for an unknown client",
    {
      ...base(),
      preset: undefined,
      instanceUrl: undefined,
      clients: [{ preset: "flectra", instanceUrl: "https://mydb.flectra.com" }],
      clientSecrets: { odoo: "GOCSPX-aaaaaaaaaaaa" },
    },
    "gmail-oauth:clientSecrets.odoo: names no declared client; use one of: flectra",
  ],
  [
    "no clients",
    { ...base(), preset: undefined, instanceUrl: undefined },
    "gmail-oauth:clients: no OAuth client is declared; set preset and instanceUrl (one client), or list clients",
  ],
  ["invalid JSON text", { ...base(), project: "{id: x" }, "gmail-oauth:project: is not valid JSON"],
];

describe("parseStackConfig: bad configs give one field-level line each", () => {
  it.each(BAD)("%s", (_name, values, line) => {
    const lines = problems(values);
    expect(
      lines.some((l) => l.startsWith(line)),
      `got:\n${lines.join("\n")}`,
    ).toBe(true);
  });

  it("reports every problem of a config at once", () => {
    const lines = problems({ ...base(), project: { id: "X" }, oauthAdmins: ["ana@acme.com"], scopes: ["nope"] });
    expect(lines.map((l) => l.split(":").slice(0, 2).join(":"))).toEqual(
      expect.arrayContaining(["gmail-oauth:project.id", "gmail-oauth:oauthAdmins[0]", "gmail-oauth:scopes[0]"]),
    );
  });

  it("refuses a client secret kept in plain text, and never prints the secret", () => {
    const secret = "GOCSPX-plain-text-secret-1234";
    const config = {
      ...base(),
      clientId: "1-abc.apps.googleusercontent.com",
      clientSecret: secret,
      project: { id: "acme-gmail-prod", orgId: "1", billingAccount: "012345-6789AB-CDEF01" },
    };
    const lines = problems(config, { secretKeys: [] });
    expect(lines).toEqual([
      "gmail-oauth:clientSecret: is stored in plain text in the stack file; remove it and set it again with `pulumi config set --secret gmail-oauth:clientSecret`",
    ]);
    expect(lines.join("\n")).not.toContain(secret);
  });

  it("asks for billing before storing a secret in a new project (Secret Manager is billable)", () => {
    const lines = problems(
      { ...base(), clientId: "1-abc.apps.googleusercontent.com", clientSecret: "GOCSPX-aaaaaaaaaaaa" },
      { secretKeys: ["gmail-oauth:clientSecret"] },
    );
    expect(lines[0]).toMatch(/^gmail-oauth:project.billingAccount: is needed to store the client secret.*\(inferred\)/);
  });

  it("names keys under another namespace when asked", () => {
    expect(problems({ ...base(), oauthAdmins: ["x"] }, { namespace: "mail" })[0]).toMatch(/^mail:oauthAdmins\[0\]:/);
  });
});

describe("parseConnectionSpec", () => {
  const spec = parseStackConfig(base());

  it("reads the whole `pulumi stack output --json` object, with the spec as an object or as JSON text", () => {
    const number = { ...spec, project: { ...spec.project, number: "123" } };
    expect(
      parseConnectionSpec({ connectionSpec: number, consoleRunbook: "# …", projectId: "acme-gmail-prod" }, "out.json"),
    ).toEqual(number);
    expect(parseConnectionSpec({ connectionSpec: JSON.stringify(spec) }, "out.json")).toEqual(spec);
  });

  it("reads a bare spec", () => {
    expect(parseConnectionSpec(JSON.parse(JSON.stringify(spec)), "spec.json")).toEqual(spec);
  });

  const bad: [string, unknown, string][] = [
    [
      "not a spec",
      { projectId: "x" },
      "spec.json: is neither `pulumi stack output --json` output (with connectionSpec) nor a connection spec",
    ],
    ["a secret output", { connectionSpec: "[secret]" }, "spec.json:connectionSpec: is shown as [secret]"],
    ["broken JSON text", { connectionSpec: "{" }, "spec.json:connectionSpec: is not valid JSON"],
    [
      "wrong version",
      { connectionSpec: { ...spec, version: 2 } },
      "spec.json:connectionSpec.version: is 2; this kit reads spec version 1",
    ],
    [
      "missing field",
      { connectionSpec: { ...spec, audience: { ...spec.audience, userType: undefined } } },
      "spec.json:connectionSpec.audience.userType: is required in a connection spec",
    ],
    [
      "bad redirect",
      {
        connectionSpec: { ...spec, clients: [{ ...spec.clients[0], redirectUris: ["https://mydb.flectra.com/cb#x"] }] },
      },
      "spec.json:connectionSpec.clients[0].redirectUris[0]: has a fragment",
    ],
    [
      "bad number",
      { connectionSpec: { ...spec, project: { ...spec.project, number: 12 } } },
      "spec.json:connectionSpec.project.number: must be the project number as digits",
    ],
  ];
  it.each(bad)("%s", (_name, value, line) => {
    let error: unknown;
    try {
      parseConnectionSpec(JSON.parse(JSON.stringify(value)), "spec.json");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message.startsWith(line), (error as InputError).message).toBe(true);
  });

  it("keeps a hero_flow client's custom callback as registered, without re-deriving it", () => {
    const custom = parseStackConfig({
      ...base(),
      preset: "hero_flow",
      instanceUrl: "https://hero.acme.com",
      callbackPath: "/mail/google/callback",
    });
    expect(custom.clients[0]!.redirectUris).toEqual(["https://hero.acme.com/mail/google/callback"]);
    expect(parseConnectionSpec({ connectionSpec: custom }, "s.json").clients[0]!.redirectUris).toEqual([
      "https://hero.acme.com/mail/google/callback",
    ]);
  });
});
