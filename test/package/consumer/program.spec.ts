// The program above under Pulumi's mocks, plus the spec builder's errors and the policy pack's rules, all from the
// installed package.
import * as pulumi from "@pulumi/pulumi";
import { connectionSpec, InputErrors, SCOPES } from "gmail-connection-kit";
import { policies } from "gmail-connection-kit/policy";
import { beforeAll, describe, expect, it } from "vitest";

const registered: { type: string; inputs: Record<string, unknown> }[] = [];

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, inputs: args.inputs });
        const number = args.type === "gcp:organizations/project:Project" ? { number: "123456789012" } : {};
        return { id: `${args.name}_id`, state: { ...args.inputs, ...number } };
      },
      call: (args) => args.inputs,
    },
    "acme-platform",
    "prod",
    false,
  );
  pulumi.runtime.setAllConfig({ "acme-platform:flectraClientSecret": "GOCSPX-consumer-test-secret-0000" }, [
    "acme-platform:flectraClientSecret",
  ]);
});

describe("a Pulumi program using GmailConnection", () => {
  it("creates the project, enables Gmail, stores the client secret and exports the runbook", async () => {
    const program = await import("./program.js");
    expect(await value(program.projectNumber)).toBe("123456789012");
    const spec = await value(program.connection);
    expect(spec.clients[0]!.redirectUris).toEqual(["https://mail.acme.com/google_gmail/confirm"]);
    expect(await value(program.consoleRunbook)).toContain("https://mail.acme.com/google_gmail/confirm");
    expect(await value(program.clientSecretNames)).toHaveProperty("flectra-prod");
    const types = registered.map((r) => r.type);
    expect(types).toContain("gmail-oauth:index:GmailConnection");
    expect(types).toContain("gcp:projects/service:Service");
    expect(types).toContain("gcp:secretmanager/secret:Secret");
  });

  it("the spec builder names every wrong field, as stack config does", () => {
    let caught: unknown;
    try {
      connectionSpec({
        project: { id: "Acme" },
        branding: { appName: "Acme Mail", supportEmail: "not-an-email" },
        preset: "flectra",
        instanceUrl: "http://mail.acme.com",
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputErrors);
    const fields = (caught as InputErrors).errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        "gmail-oauth:project.id",
        "gmail-oauth:branding.supportEmail",
        "gmail-oauth:instanceUrl",
      ]),
    );
  });

  it("ships Google's scope table", () => {
    expect(SCOPES.find((s) => s.scope === "https://mail.google.com/")?.class).toBe("restricted");
  });
});

describe("the policy pack's rules", () => {
  it("refuses an http redirect URI outside dev stacks", async () => {
    const https = policies.find((p) => p.name === "gmail-redirect-uris-https")!;
    const spec = connectionSpec({
      project: { id: "acme-mail-prod" },
      branding: { appName: "Acme Mail", supportEmail: "it@acme.com" },
      audience: { testUsers: ["ana@acme.com"] },
      clients: [{ name: "local-app", type: "web", redirectUris: ["http://localhost:8069/google_gmail/confirm"] }],
    });
    const violations: string[] = [];
    const args = {
      type: "gmail-oauth:index:GmailConnection",
      props: { spec },
      urn: "urn:pulumi:prod::acme-platform::gmail-oauth:index:GmailConnection::mail",
      name: "mail",
      getConfig: () => ({}),
      notApplicable: () => {
        throw new Error("not applicable");
      },
    };
    const validate = https.validateResource as (a: unknown, report: (m: string) => void) => void | Promise<void>;
    await validate(args, (m) => violations.push(m));
    expect(violations.join("\n")).toMatch(
      /clients\[0\]\.redirectUris\[0\]: localhost redirect 'http:\/\/localhost:8069\/google_gmail\/confirm' is allowed only on dev stacks/,
    );
  });
});
