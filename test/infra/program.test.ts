// The provisioning program, loaded through Pulumi.yaml's main under Pulumi mocks: resources and their inputs for
// each shape of config, deletion protection, secrets, and the outputs the validator and sandbox read.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parseConnectionSpec } from "../../connection/parse";
import type { ConnectionSpec } from "../../connection/types";
import { PRESETS, type PresetName } from "../../connection/presets";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import {
  flectraConfig,
  isSecretValue,
  ofType,
  pulumiMain,
  pulumiMainSource,
  ROOT,
  runProgram,
  T,
  unwrapSecret,
} from "./harness";

const SECRET = "GOCSPX-test-secret-value-0123456789";
const CLIENT_ID = "1234567890-abc123def456.apps.googleusercontent.com";

describe("the program Pulumi.yaml names", () => {
  it("is the build of infra/index.ts, run as plain JavaScript", () => {
    expect(pulumiMain()).toMatch(/dist[\\/]infra[\\/]index\.js$/);
    expect(pulumiMainSource()).toMatch(/[\\/]infra[\\/]index\.ts$/);
    const doc = parseYaml(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    expect(doc.runtime.options.typescript).toBe(false);
  });

  it("creates the project under the organization, protected from deletion by default", async () => {
    const { resources, values } = await runProgram(flectraConfig());
    const [project, ...more] = ofType(resources, T.project);
    expect(more).toEqual([]);
    expect(project!.inputs).toMatchObject({
      projectId: "acme-gmail-test",
      orgId: "123456789012",
      deletionPolicy: "PREVENT",
      name: "acme-gmail-test",
    });
    expect(project!.inputs.folderId).toBeUndefined();
    expect(values.projectId).toBe("acme-gmail-test");
    expect(values.projectNumber).toBe("123456789012");
  });

  it("deletes the project on destroy only when deletionProtection is false", async () => {
    const { resources } = await runProgram(
      flectraConfig({ project: { id: "acme-gmail-test", orgId: "1", deletionProtection: false } }),
    );
    expect(ofType(resources, T.project)[0]!.inputs.deletionPolicy).toBe("DELETE");
  });

  it("creates under a folder, with billing and labels", async () => {
    const project = {
      id: "acme-gmail-test",
      folderId: "987654321098",
      billingAccount: "012345-6789AB-CDEF01",
      labels: { team: "platform" },
      name: "Acme Gmail",
    };
    const { resources } = await runProgram(flectraConfig({ project }));
    const inputs = ofType(resources, T.project)[0]!.inputs;
    expect(inputs).toMatchObject({
      folderId: "987654321098",
      billingAccount: "012345-6789AB-CDEF01",
      labels: { team: "platform" },
      name: "Acme Gmail",
    });
    expect(inputs.orgId).toBeUndefined();
  });

  it("adopts an existing project: no Project resource, the number comes from Google", async () => {
    const { resources, values } = await runProgram(
      flectraConfig({ project: { mode: "adopt", id: "legacy-mail-1" } }),
      [],
      { projectNumber: "555000111" },
    );
    expect(ofType(resources, T.project)).toEqual([]);
    expect(ofType(resources, T.service)[0]!.inputs.project).toBe("legacy-mail-1");
    expect(values.projectNumber).toBe("555000111");
    expect((values.connectionSpec as ConnectionSpec).project).toMatchObject({
      mode: "adopt",
      id: "legacy-mail-1",
      number: "555000111",
    });
  });

  it("enables Gmail in the project and keeps it enabled on destroy", async () => {
    const { resources } = await runProgram(flectraConfig());
    const services = ofType(resources, T.service);
    expect(services.map((s) => s.inputs)).toEqual([
      { project: "acme-gmail-test", service: "gmail.googleapis.com", disableOnDestroy: false },
    ]);
  });

  it("grants roles/oauthconfig.editor to each OAuth admin and to no one else", async () => {
    const { resources } = await runProgram(
      flectraConfig({ oauthAdmins: ["user:ana@acme.com", "group:mail-admins@acme.com"] }),
    );
    const grants = ofType(resources, T.iamMember).map((r) => r.inputs);
    expect(grants).toEqual([
      { project: "acme-gmail-test", role: "roles/oauthconfig.editor", member: "user:ana@acme.com" },
      { project: "acme-gmail-test", role: "roles/oauthconfig.editor", member: "group:mail-admins@acme.com" },
    ]);
  });

  it("creates no grant and no secret store when none is configured", async () => {
    const { resources } = await runProgram(flectraConfig());
    expect(resources.map((r) => r.type).sort()).toEqual([T.project, T.service].sort());
  });

  it("registers GmailConnection with the spec as its inputs, and every child under it", async () => {
    const { components, values } = await runProgram(flectraConfig({ oauthAdmins: ["user:ana@acme.com"] }));
    const connection = components.find((c) => c.type === "gmail-oauth:index:GmailConnection");
    expect(connection?.inputs.spec).toMatchObject({
      version: 1,
      project: { id: "acme-gmail-test" },
      clients: [{ preset: "flectra" }],
    });
    expect(components.map((c) => c.type).sort()).toEqual([
      "gmail-oauth:index:GmailConnection",
      "gmail-oauth:index:GmailProject",
      "gmail-oauth:index:OAuthAdmins",
    ]);
    const declared = connection!.inputs.spec as { project: object };
    expect(values.connectionSpec).toMatchObject({
      ...declared,
      project: { ...declared.project, number: "123456789012" },
    });
  });
});

describe.each([
  [
    "flectra",
    "https://mydb.flectra.com",
    "https://mydb.flectra.com/google_gmail/confirm",
    ["https://mail.google.com/"],
  ],
  ["odoo", "https://erp.acme.com/", "https://erp.acme.com/google_gmail/confirm", ["https://mail.google.com/"]],
  ["hero_flow", "https://hero.acme.com", "https://hero.acme.com/oauth2/callback", ["https://mail.google.com/"]],
  [
    "n8n",
    "https://n8n.acme.com",
    "https://n8n.acme.com/rest/oauth2-credential/callback",
    [
      "https://www.googleapis.com/auth/gmail.labels",
      "https://mail.google.com/",
      "https://www.googleapis.com/auth/gmail.modify",
    ],
  ],
])("preset %s", (preset, instanceUrl, redirectUri, scopes) => {
  it("gives a Web client with the app's redirect URI and scopes in the exported spec", async () => {
    const { values } = await runProgram(flectraConfig({ preset, instanceUrl }));
    const spec = values.connectionSpec as ConnectionSpec;
    expect(spec.clients).toEqual([
      {
        name: preset.replace("_", "-"),
        type: "web",
        preset,
        instanceUrl: instanceUrl.replace(/\/$/, ""),
        redirectUris: [redirectUri],
        javascriptOrigins: [],
        // How the app reaches Gmail, from the preset (issue 19): Flectra and Odoo SMTP and IMAP, the others the API.
        transports: PRESETS[preset as PresetName].transports,
      },
    ]);
    expect(spec.dataAccess.scopes).toEqual(expect.arrayContaining(scopes));
    expect(values.consoleRunbook as string).toContain(redirectUri);
  });
});

describe("the generic preset and several clients", () => {
  it("declares each client, and merges the presets' scopes", async () => {
    const clients = [
      { name: "flectra-prod", preset: "flectra", instanceUrl: "https://mydb.flectra.com" },
      { name: "n8n", preset: "n8n", instanceUrl: "https://n8n.acme.com" },
      {
        name: "custom",
        preset: "generic",
        redirectUris: ["https://app.acme.com/oauth/callback"],
        javascriptOrigins: ["https://app.acme.com"],
      },
      { name: "cli", type: "desktop" },
    ];
    const { values } = await runProgram({ ...flectraConfig(), preset: undefined, instanceUrl: undefined, clients });
    const spec = values.connectionSpec as ConnectionSpec;
    expect(spec.clients.map((c) => [c.name, c.type, c.redirectUris])).toEqual([
      ["flectra-prod", "web", ["https://mydb.flectra.com/google_gmail/confirm"]],
      ["n8n", "web", ["https://n8n.acme.com/rest/oauth2-credential/callback"]],
      ["custom", "web", ["https://app.acme.com/oauth/callback"]],
      ["cli", "desktop", []],
    ]);
    expect(new Set(spec.dataAccess.scopes).size).toBe(spec.dataAccess.scopes.length);
    expect(spec.dataAccess.scopes).toContain("https://www.googleapis.com/auth/gmail.compose");
    // What the validator will read back is exactly what the program exported.
    expect(parseConnectionSpec({ connectionSpec: JSON.stringify(spec) }, "stack.json")).toEqual(spec);
  });
});

describe("client secrets", () => {
  const withSecret = flectraConfig({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    appServiceAccount: "flectra@acme-apps.iam.gserviceaccount.com",
    project: { id: "acme-gmail-test", orgId: "1", billingAccount: "012345-6789AB-CDEF01" },
  });

  it("stores ID and secret in Secret Manager and lets the app's service account read them", async () => {
    const { resources, values } = await runProgram(withSecret, ["clientSecret"]);
    expect(
      ofType(resources, T.service)
        .map((s) => s.inputs.service)
        .sort(),
    ).toEqual(["gmail.googleapis.com", "secretmanager.googleapis.com"]);
    const [secret] = ofType(resources, T.secret);
    expect(secret!.inputs).toMatchObject({
      project: "acme-gmail-test",
      secretId: "gmail-oauth-flectra",
      replication: { auto: {} },
    });
    const [version] = ofType(resources, T.secretVersion);
    expect(version!.inputs.secret).toBe("projects/acme-gmail-test/secrets/gmail-oauth-flectra");
    // The payload reaches the engine wrapped as a secret, so Pulumi encrypts it in state.
    expect(isSecretValue(version!.inputs.secretData)).toBe(true);
    const file = JSON.parse(unwrapSecret(version!.inputs.secretData));
    expect(file.web).toMatchObject({
      client_id: CLIENT_ID,
      client_secret: SECRET,
      project_id: "acme-gmail-test",
      redirect_uris: ["https://mydb.flectra.com/google_gmail/confirm"],
    });
    expect(ofType(resources, T.secretIam).map((r) => r.inputs)).toEqual([
      {
        project: "acme-gmail-test",
        secretId: "gmail-oauth-flectra",
        role: "roles/secretmanager.secretAccessor",
        member: "serviceAccount:flectra@acme-apps.iam.gserviceaccount.com",
      },
    ]);
    expect(values.clientSecretName).toBe("gmail-oauth-flectra");
    expect(values.clientSecretNames).toEqual({ flectra: "gmail-oauth-flectra" });
  });

  it("never puts the secret in an output, and the runbook no longer asks for it", async () => {
    const { values, outputs, resources } = await runProgram(withSecret, ["clientSecret"]);
    expect(JSON.stringify(values)).not.toContain(SECRET);
    // Only the Secret Manager version carries it.
    expect(resources.filter((r) => JSON.stringify(r.inputs).includes(SECRET)).map((r) => r.type)).toEqual([
      T.secretVersion,
    ]);
    expect(await pulumi.isSecret(outputs.connectionSpec!)).toBe(false);
    expect(values.consoleRunbook as string).toContain("stored in Secret Manager as `gmail-oauth-flectra`");
    expect(values.consoleRunbook as string).not.toContain("config set --secret");
  });

  it("takes one secret per client from the clientSecrets map", async () => {
    const clients = [
      { name: "flectra-prod", preset: "flectra", instanceUrl: "https://mydb.flectra.com", clientId: CLIENT_ID },
      { name: "n8n", preset: "n8n", instanceUrl: "https://n8n.acme.com" },
    ];
    const config = {
      ...withSecret,
      preset: undefined,
      instanceUrl: undefined,
      clientId: undefined,
      clientSecret: undefined,
      clients,
      clientSecrets: { "flectra-prod": SECRET },
    };
    const { resources, values } = await runProgram(config, ["clientSecrets"]);
    expect(ofType(resources, T.secret).map((r) => r.inputs.secretId)).toEqual(["gmail-oauth-flectra-prod"]);
    expect(JSON.parse(unwrapSecret(ofType(resources, T.secretVersion)[0]!.inputs.secretData)).web.client_secret).toBe(
      SECRET,
    );
    expect(values.consoleRunbook as string).toContain(
      "pulumi config set --secret --path 'gmail-oauth:clientSecrets.n8n'",
    );
  });

  it("refuses a client secret kept in plain text, without echoing it", async () => {
    await expect(runProgram(withSecret, [])).rejects.toThrow(/gmail-oauth:clientSecret: is stored in plain text/);
    await expect(runProgram(withSecret, [])).rejects.not.toThrow(SECRET);
  });
});
