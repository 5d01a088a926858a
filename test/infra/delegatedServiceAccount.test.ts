// Service accounts with domain-wide delegation in the program, under Pulumi mocks (google-behaviour.md §10): keyless by default
// (token creator for the app, no key anywhere), a key in Secret Manager only when asked, the unique ID as an output,
// and the runbook's admin step. Never gcp.iap.* nor gcp.iam.OauthClient.
import { describe, expect, it } from "vitest";
import { flectraConfig, isSecretValue, ofType, runProgram, unwrapSecret } from "./harness";

const G = "https://www.googleapis.com/auth/";
const APP = "flectra-mail@acme-apps.iam.gserviceaccount.com";
const relay = (signing?: string) => ({
  accountId: "gmail-relay",
  scopes: [`${G}gmail.send`, `${G}gmail.readonly`],
  mailboxes: ["billing@acme.com"],
  ...(signing && { signing }),
});
const config = (signing?: string) => flectraConfig({ appServiceAccount: APP, serviceAccounts: [relay(signing)] });

describe("serviceAccounts in the program", () => {
  it("keyless: the account, token creator for the app on it, IAM Credentials enabled, and no key", async () => {
    const { resources, values } = await runProgram(config());
    const [account, ...more] = ofType(resources, "gcp:serviceaccount/account:Account");
    expect(more).toEqual([]);
    expect(account!.inputs).toMatchObject({ project: "acme-gmail-test", accountId: "gmail-relay" });
    const grants = ofType(resources, "gcp:serviceaccount/iAMMember:IAMMember");
    expect(grants.map((g) => [g.inputs.role, g.inputs.member, g.inputs.serviceAccountId])).toEqual([
      [
        "roles/iam.serviceAccountTokenCreator",
        `serviceAccount:${APP}`,
        "projects/acme-gmail-test/serviceAccounts/gmail-relay@acme-gmail-test.iam.gserviceaccount.com",
      ],
    ]);
    expect(ofType(resources, "gcp:projects/service:Service").map((s) => s.inputs.service)).toContain(
      "iamcredentials.googleapis.com",
    );
    expect(ofType(resources, "gcp:serviceaccount/key:Key")).toEqual([]);
    expect(resources.some((r) => /^gcp:iap\/|^gcp:iam\/oauthClient/.test(r.type))).toBe(false);
    const ids = values.serviceAccountUniqueIds as Record<string, string>;
    expect(ids["gmail-relay"]).toMatch(/^\d{21}$/);
    const spec = values.connectionSpec as { serviceAccounts: { uniqueId: string }[] };
    expect(spec.serviceAccounts[0]!.uniqueId).toBe(ids["gmail-relay"]);
  });

  it("key: the key only as a secret Secret Manager version, readable by the app, never an output", async () => {
    const { resources, values } = await runProgram(config("key"));
    expect(ofType(resources, "gcp:serviceaccount/key:Key")).toHaveLength(1);
    expect(ofType(resources, "gcp:serviceaccount/iAMMember:IAMMember")).toEqual([]);
    const secret = ofType(resources, "gcp:secretmanager/secret:Secret").find(
      (s) => s.inputs.secretId === "gmail-oauth-sa-key-gmail-relay",
    );
    expect(secret).toBeDefined();
    const version = ofType(resources, "gcp:secretmanager/secretVersion:SecretVersion").find((v) =>
      String(v.inputs.secret).includes("gmail-oauth-sa-key-gmail-relay"),
    );
    expect(isSecretValue(version!.inputs.secretData)).toBe(true);
    expect(unwrapSecret(version!.inputs.secretData)).toContain('"type":"service_account"');
    expect(JSON.stringify(values)).not.toMatch(/PRIVATE KEY/);
  });

  it("the runbook's admin step: exact Client ID, comma-separated scopes, the direct and the prefilled link", async () => {
    const { values } = await runProgram(config());
    const id = (values.serviceAccountUniqueIds as Record<string, string>)["gmail-relay"]!;
    const runbook = values.consoleRunbook as string;
    expect(runbook).toContain("Domain-wide delegation for gmail-relay@acme-gmail-test.iam.gserviceaccount.com");
    expect(runbook).toContain(`Client ID: \`${id}\``);
    expect(runbook).toContain(`\`${G}gmail.send,${G}gmail.readonly\``);
    expect(runbook).toContain("https://admin.google.com/ac/owl/domainwidedelegation");
    expect(runbook).toContain(
      `https://admin.google.com/ac/owl/domainwidedelegation?clientIdToAdd=${id}&clientScopeToAdd=${encodeURIComponent(`${G}gmail.send`)},${encodeURIComponent(`${G}gmail.readonly`)}&overwriteClientId=true`,
    );
    expect(runbook).toContain("--service-account gmail-relay@acme-gmail-test.iam.gserviceaccount.com");
  });
});
