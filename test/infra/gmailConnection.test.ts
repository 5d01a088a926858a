// GmailConnection used as a library component by another Pulumi program: built from a spec, with a secret Output.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { parseStackConfig } from "../../connection/parse";
import { flectraConfig, installMocks, isSecretValue, settle, T, outputValue } from "./harness";

const SECRET = "GOCSPX-library-secret-0123456789";

async function build(extra: Record<string, unknown> = {}) {
  vi.resetModules();
  const recorded = await installMocks({});
  const { GmailConnection } = await import("../../infra/gmailConnection.js");
  const spec = parseStackConfig(
    flectraConfig({
      clientId: "42-abc.apps.googleusercontent.com",
      oauthAdmins: ["user:ana@acme.com"],
      appServiceAccount: "app@acme-apps.iam.gserviceaccount.com",
      ...extra,
    }),
  );
  const connection = new GmailConnection("mail", { spec, clientSecrets: { flectra: pulumi.secret(SECRET) } });
  const runbook = await outputValue(connection.consoleRunbook);
  const exported = await outputValue(connection.connectionSpec);
  await settle();
  const monitor = (
    pulumi.runtime as unknown as { getMonitor(): { getRegisteredResources(): Map<string, unknown> } }
  ).getMonitor();
  return { connection, recorded, runbook, exported, urns: [...monitor.getRegisteredResources().keys()] };
}

describe("GmailConnection as a component", () => {
  it("parents every resource under a gmail-oauth component", async () => {
    const { urns, recorded } = await build();
    const types = (urn: string) => urn.split("::")[2]!;
    const custom = recorded.filter((r) => r.custom);
    expect(custom.length).toBeGreaterThanOrEqual(7);
    for (const r of custom) {
      const urn = urns.find((u) => u.endsWith(`::${r.name}`) && types(u).endsWith(r.type));
      expect(urn, r.name).toBeDefined();
      expect(types(urn!)).toMatch(/^gmail-oauth:index:(GmailProject|OAuthAdmins|ClientSecretStore)\$/);
    }
    for (const sub of ["GmailProject", "OAuthAdmins", "ClientSecretStore"]) {
      expect(
        urns.some((u) => types(u) === `gmail-oauth:index:GmailConnection$gmail-oauth:index:${sub}`),
        sub,
      ).toBe(true);
    }
  });

  it("stores the secret only as a secret input, and exports nothing secret", async () => {
    const { recorded, runbook, exported, connection } = await build();
    const version = recorded.find((r) => r.type === T.secretVersion)!;
    expect(isSecretValue(version.inputs.secretData)).toBe(true);
    expect(await pulumi.isSecret(connection.clientSecretVersions.flectra!.secretData)).toBe(true);
    const others = recorded.filter((r) => r !== version);
    expect(JSON.stringify(others.map((r) => r.inputs))).not.toContain(SECRET);
    expect(runbook).not.toContain(SECRET);
    expect(JSON.stringify(exported)).not.toContain(SECRET);
    expect(await pulumi.isSecret(connection.consoleRunbook)).toBe(false);
  });

  it("stores nothing for a client without an ID, even when a secret is passed", async () => {
    const { recorded, runbook } = await build({ clientId: undefined });
    expect(recorded.filter((r) => r.type === T.secret || r.type === T.secretVersion)).toEqual([]);
    expect(runbook).toContain("Create OAuth client `flectra`");
  });
});
