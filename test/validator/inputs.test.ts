// resolveInput: precedence of flags, client file and spec; and one clear InputError for bad input on each flag.
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { InputError } from "../../common/errors";
import { forgetSecrets, redact } from "../../common/redact";
import type { ConnectionSpec } from "../../connection/types";
import { resolveInput } from "../../validator/inputs";
import type { ValidateFlags } from "../../validator/options";

const CLIENT = "123456789012-abc123.apps.googleusercontent.com";
const SECRET = "GOCSPX-inputs-secret-0001";
let dir: string;

function spec(): ConnectionSpec {
  return {
    version: 1,
    project: {
      mode: "create",
      id: "mail-prod-1",
      orgId: "123456789012",
      deletionProtection: true,
      number: "555000111222",
    } as ConnectionSpec["project"],
    branding: {
      appName: "Mail",
      supportEmail: "it@example.com",
      developerContacts: ["it@example.com"],
      authorizedDomains: ["example.com"],
    },
    audience: {
      userType: "external",
      publishingStatus: "testing",
      testUsers: ["ana@example.com"],
      verification: "not-submitted",
    },
    dataAccess: { scopes: ["https://www.googleapis.com/auth/gmail.send"] },
    clients: [
      {
        name: "n8n",
        type: "web",
        redirectUris: ["https://n8n.example.com/rest/oauth2-credential/callback"],
        javascriptOrigins: [],
        clientId: CLIENT,
      },
      {
        name: "odoo",
        type: "web",
        redirectUris: ["https://odoo.example.com/google_gmail/confirm"],
        javascriptOrigins: [],
      },
    ],
    oauthAdmins: [],
    organizationDomain: "example.com",
  };
}

const webFile = {
  web: {
    client_id: CLIENT,
    project_id: "mail-prod-1",
    auth_uri: "https://accounts.google.com/o/oauth2/auth",
    token_uri: "https://oauth2.googleapis.com/token",
    client_secret: SECRET,
    redirect_uris: ["https://mail.example.com/cb"],
  },
};

async function write(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const resolve = (flags: ValidateFlags, env: NodeJS.ProcessEnv = {}) =>
  resolveInput(flags, { HOME: "/nonexistent", PATH: process.env.PATH, ...env }, dir);

async function inputError(flags: ValidateFlags, env: NodeJS.ProcessEnv = {}): Promise<InputError> {
  const err = await resolve(flags, env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "validator-inputs-"));
});
afterEach(() => forgetSecrets());

describe("resolution", () => {
  test("from the spec: the selected client, scopes, audience, project id and number", async () => {
    const file = await write("out.json", { connectionSpec: spec(), other: 1 });
    const input = await resolve({ spec: file, client: "n8n" }, { GMAIL_OAUTH_CLIENT_SECRET: SECRET });
    expect(input).toMatchObject({
      clientId: CLIENT,
      clientSecret: SECRET,
      clientType: "web",
      clientName: "n8n",
      redirectUris: ["https://n8n.example.com/rest/oauth2-credential/callback"],
      scopes: ["https://www.googleapis.com/auth/gmail.send"],
      project: "mail-prod-1",
      projectNumber: "555000111222",
      organizationDomain: "example.com",
      audience: {
        userType: "external",
        publishingStatus: "testing",
        testUsers: ["ana@example.com"],
        verification: "not-submitted",
      },
    });
    expect(input.provenance).toMatchObject({
      clientId: "spec",
      clientSecret: "env",
      redirectUris: "spec",
      scopes: "spec",
      project: "spec",
      audience: "spec",
    });
    // Registered as soon as read: any later output masks it.
    expect(redact(`x ${SECRET} y`)).toBe("x [REDACTED] y");
  });

  test("flags override the spec's audience", async () => {
    const file = await write("out2.json", { connectionSpec: spec() });
    const input = await resolve({
      spec: file,
      client: "odoo",
      publishingStatus: "production",
      testUser: ["Bo@Example.com"],
    });
    expect(input.audience).toMatchObject({
      userType: "external",
      publishingStatus: "production",
      testUsers: ["bo@example.com"],
    });
    expect(input.clientId).toBeUndefined();
  });

  test("without a spec: the client file gives id, secret, type, registered URIs and project", async () => {
    const file = await write("client.json", webFile);
    const input = await resolve({ clientSecretFile: file });
    expect(input).toMatchObject({
      clientId: CLIENT,
      clientSecret: SECRET,
      clientType: "web",
      registeredRedirectUris: ["https://mail.example.com/cb"],
      project: "mail-prod-1",
      redirectUris: [],
      scopes: ["https://mail.google.com/"],
    });
    expect(input.clientFile).toEqual({ path: file, problems: [] });
  });

  test("an installed file is a Desktop client", async () => {
    const file = await write("desktop.json", { installed: { ...webFile.web, redirect_uris: ["http://localhost"] } });
    expect((await resolve({ clientSecretFile: file })).clientType).toBe("desktop");
  });

  test("a numeric --project is the project number", async () => {
    expect(await resolve({ project: "861228239640" })).toMatchObject({
      project: "861228239640",
      projectNumber: "861228239640",
    });
  });

  test("GOOGLE_OAUTH_ACCESS_TOKEN is taken and masked; the origin override comes from the environment too", async () => {
    const input = await resolve(
      {},
      { GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.cloud-token-value", GMAIL_OAUTH_GOOGLE_ORIGIN: "http://127.0.0.1:4000/" },
    );
    expect(input.cloudAccessToken).toBe("ya29.cloud-token-value");
    expect(input.googleOrigin).toBe("http://127.0.0.1:4000");
    expect(redact("ya29.cloud-token-value")).toBe("[REDACTED]");
  });

  test("an ADC file is found where gcloud writes it, and only then", async () => {
    const conf = join(dir, "gcloud");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(conf, { recursive: true });
    expect((await resolve({}, { CLOUDSDK_CONFIG: conf })).adcFile).toBeUndefined();
    await write("gcloud/application_default_credentials.json", { type: "authorized_user" });
    expect((await resolve({}, { CLOUDSDK_CONFIG: conf })).adcFile).toBe(
      join(conf, "application_default_credentials.json"),
    );
  });

  test("--stack runs pulumi stack output with --show-secrets for that stack", async () => {
    const bin = join(dir, "bin");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(bin, { recursive: true });
    const out = await write("stack.json", { connectionSpec: spec(), clientSecret: "GOCSPX-from-stack-output-9" });
    await write("bin/pulumi", `#!/bin/sh\necho "$@" > "${join(dir, "pulumi-args")}"\ncat "${out}"\n`);
    await chmod(join(bin, "pulumi"), 0o755);
    const input = await resolve({ stack: "prod", client: "n8n" }, { PATH: `${bin}:${process.env.PATH}` });
    expect(input.clientName).toBe("n8n");
    const { readFile } = await import("node:fs/promises");
    expect((await readFile(join(dir, "pulumi-args"), "utf8")).trim()).toBe(
      "stack output --json --show-secrets --stack prod",
    );
    expect(redact("GOCSPX-from-stack-output-9 and secret")).not.toContain("from-stack-output");
  });
});

describe("bad input: one InputError naming the flag and the fix", () => {
  test("--spec: missing file, not JSON, not a spec", async () => {
    expect((await inputError({ spec: "nope.json" })).message).toMatch(
      /^--spec: nope\.json does not exist; pass the path/,
    );
    expect((await inputError({ spec: await write("bad.json", "{not json") })).field).toBe("--spec");
    const e = await inputError({ spec: await write("other.json", { hello: 1 }) });
    expect(e.message).toMatch(/neither `pulumi stack output --json` output/);
  });

  test("--spec and --stack together", async () => {
    expect((await inputError({ spec: "a.json", stack: "dev" })).field).toBe("--stack");
  });

  test("--stack without pulumi installed", async () => {
    const e = await inputError({ stack: "dev" }, { PATH: join(dir, "empty-path") });
    expect(e.field).toBe("--stack");
    expect(e.message).toMatch(/pulumi CLI is not installed/);
    expect(e.fix).toMatch(/--spec FILE/);
  });

  test("--stack when pulumi fails names its first error line", async () => {
    const bin = join(dir, "failbin");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(bin, { recursive: true });
    await write("failbin/pulumi", `#!/bin/sh\necho "error: no stack named 'dev' found" >&2\nexit 255\n`);
    await chmod(join(bin, "pulumi"), 0o755);
    const e = await inputError({ stack: "dev" }, { PATH: `${bin}:${process.env.PATH}` });
    expect(e.message).toContain("no stack named 'dev' found");
  });

  test("--client: unknown name, ambiguous spec, or no spec at all", async () => {
    const file = await write("out3.json", { connectionSpec: spec() });
    expect((await inputError({ spec: file, client: "flectra" })).message).toMatch(
      /^--client: the spec has no client 'flectra'; use one of: n8n, odoo/,
    );
    expect((await inputError({ spec: file })).message).toMatch(
      /^--client: the spec has 2 clients \(n8n, odoo\); name one with --client NAME/,
    );
    expect((await inputError({ client: "n8n" })).field).toBe("--client");
  });

  test("--client-secret-file: missing, service-account key, token file, neither web nor installed, no client_id", async () => {
    expect((await inputError({ clientSecretFile: "missing.json" })).field).toBe("--client-secret-file");
    const sa = await inputError({
      clientSecretFile: await write("sa.json", { type: "service_account", private_key: "-----BEGIN" }),
    });
    expect(sa.message).toMatch(/service-account key, not an OAuth client/);
    expect(
      (await inputError({ clientSecretFile: await write("tok.json", { refresh_token: "1//0abcdefghijk" }) })).message,
    ).toMatch(/tokens or user credentials/);
    expect((await inputError({ clientSecretFile: await write("x.json", { android: {} }) })).message).toMatch(
      /no "web" or "installed" object \(found: android\)/,
    );
    expect(
      (await inputError({ clientSecretFile: await write("noid.json", { web: { client_secret: "GOCSPX-x" } }) })).field,
    ).toBe("--client-secret-file web.client_id");
  });

  test("--client-id: malformed, or contradicting the client file", async () => {
    expect((await inputError({ clientId: "my-client" })).message).toMatch(
      /^--client-id: 'my-client' is not an OAuth client ID/,
    );
    const file = await write("client2.json", webFile);
    expect(
      (await inputError({ clientSecretFile: file, clientId: "1-other.apps.googleusercontent.com" })).message,
    ).toMatch(/differs from client_id/);
  });

  test("--client-secret on the command line is refused and masked", async () => {
    const e = await inputError({ clientSecret: "GOCSPX-typed-on-the-cli" });
    expect(e.field).toBe("--client-secret");
    expect(e.fix).toMatch(/GMAIL_OAUTH_CLIENT_SECRET/);
    expect(redact("GOCSPX-typed-on-the-cli")).toBe("[REDACTED]");
  });

  test("--redirect-uri and --scope: empty values", async () => {
    expect((await inputError({ redirectUri: [""] })).field).toBe("--redirect-uri");
    expect((await inputError({ scope: [" "] })).field).toBe("--scope");
  });

  test("--account and --test-user: not email addresses", async () => {
    expect((await inputError({ account: "ana" })).message).toBe(
      "--account: 'ana' is not an email address; write it as name@example.com",
    );
    expect((await inputError({ testUser: ["ana@example.com", "group:x"] })).field).toBe("--test-user");
  });

  test("--project: neither id nor number", async () => {
    expect((await inputError({ project: "My Project" })).field).toBe("--project");
  });

  test("--user-type and --publishing-status: outside their choices", async () => {
    expect((await inputError({ userType: "public" })).message).toBe(
      "--user-type: 'public' is not one of external, internal; use external or internal",
    );
    expect((await inputError({ publishingStatus: "live" })).field).toBe("--publishing-status");
  });

  test("--timeout: not a positive number", async () => {
    expect((await inputError({ timeout: 0 })).field).toBe("--timeout");
    expect((await inputError({ timeout: Number.NaN })).field).toBe("--timeout");
  });

  test("--google-origin and GMAIL_OAUTH_GOOGLE_ORIGIN: not an http(s) origin", async () => {
    expect((await inputError({ googleOrigin: "localhost:8080" })).field).toBe("--google-origin");
    expect((await inputError({ googleOrigin: "http://127.0.0.1:8080/path" })).message).toMatch(
      /not an http\(s\) origin; write only scheme, host and port, e.g. http:\/\/127\.0\.0\.1:8080/,
    );
    expect((await inputError({}, { GMAIL_OAUTH_GOOGLE_ORIGIN: "ftp://x" })).field).toBe("GMAIL_OAUTH_GOOGLE_ORIGIN");
  });
});
