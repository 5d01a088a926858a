import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../connection/parse";
import { renderConsoleRunbook } from "../../connection/runbook";

const flectra = parseStackConfig({
  project: { id: "acme-gmail-prod", orgId: "123456789012" },
  branding: {
    appName: "Acme Mail",
    supportEmail: "it@acme.com",
    homepageUrl: "https://www.acme.com/",
    privacyPolicyUrl: "https://www.acme.com/privacy",
  },
  audience: { testUsers: ["ana@acme.com", "bo@acme.com", "mail-robot@acme.com"] },
  clients: [
    { name: "flectra-prod", preset: "flectra", instanceUrl: "https://mydb.flectra.com" },
    {
      name: "flectra-staging",
      preset: "flectra",
      instanceUrl: "https://staging.acme.com",
      redirectUris: ["https://staging.acme.com/google_gmail/confirm/"],
    },
  ],
  oauthAdmins: ["user:ana@acme.com"],
});
const automated = { project: "created", gmailApiEnabled: true, oauthAdminsGranted: ["user:ana@acme.com"] } as const;

/** The numbered step titles, in order. */
const titles = (md: string) => [...md.matchAll(/^### (\d+)\. (.+)$/gm)].map((m) => m[2]);
const step = (md: string, title: string) =>
  md.split(/^### /m).find((s) => s.replace(/^\d+\. /, "").startsWith(title)) ?? "";

describe("renderConsoleRunbook for a Flectra stack", () => {
  const md = renderConsoleRunbook(flectra, { automated });

  it("gives every console link with ?project= of this project", () => {
    const links = [...md.matchAll(/https:\/\/console\.cloud\.google\.com\/[^\s)`]+/g)].map((m) => m[0]);
    for (const page of [
      "/auth/overview",
      "/auth/branding",
      "/auth/audience",
      "/auth/scopes",
      "/auth/clients/create",
      "/apis/library/gmail.googleapis.com",
    ]) {
      expect(links, page).toContain(`https://console.cloud.google.com${page}?project=acme-gmail-prod`);
    }
    for (const link of links) expect(link).toMatch(/\?project=acme-gmail-prod$/);
  });

  it("lists every redirect URI exactly, and every test user", () => {
    for (const uri of [
      "https://mydb.flectra.com/google_gmail/confirm",
      "https://staging.acme.com/google_gmail/confirm",
      "https://staging.acme.com/google_gmail/confirm/",
    ])
      expect(md).toContain(`\`${uri}\``);
    for (const user of ["ana@acme.com", "bo@acme.com", "mail-robot@acme.com"])
      expect(step(md, "Audience")).toContain(`\`${user}\``);
    expect(step(md, "Data access")).toContain("`https://mail.google.com/`");
  });

  it("orders the steps as the console needs them and says what each depends on", () => {
    expect(titles(md)).toEqual([
      "Start the Google Auth Platform setup",
      "Branding",
      "Audience",
      "Data access (scopes)",
      "Create OAuth client `flectra-prod`",
      "Create OAuth client `flectra-staging`",
      "Put the client credentials in the stack",
      "Wait for Google to apply the settings",
      "Validate the connection",
    ]);
    expect(step(md, "Branding")).toContain("Needs step 1 first.");
    expect(step(md, "Create OAuth client `flectra-prod`")).toContain("Needs steps 2, 3 and 4 first.");
    expect(step(md, "Put the client credentials")).toContain("Needs steps 5 and 6 first.");
  });

  it("does not repeat what the program did, and lists it once", () => {
    expect(titles(md)).not.toContain("Enable the Gmail API");
    expect(md).toContain("## Already done by `pulumi up`");
    expect(md).toContain(
      "Gmail API enabled: https://console.cloud.google.com/apis/library/gmail.googleapis.com?project=acme-gmail-prod",
    );
  });

  it("ends with the exact validate command for each client, reading the client JSON from Secret Manager", () => {
    expect(md.trimEnd().split("\n").slice(-5)).toEqual([
      "```sh",
      "pulumi stack output --json > gmail-connection.json",
      "npx gmail-oauth validate --spec gmail-connection.json --client flectra-prod --client-secret-file <(gcloud secrets versions access latest --secret=gmail-oauth-flectra-prod --project=acme-gmail-prod) --account ana@acme.com",
      "npx gmail-oauth validate --spec gmail-connection.json --client flectra-staging --client-secret-file <(gcloud secrets versions access latest --secret=gmail-oauth-flectra-staging --project=acme-gmail-prod) --account ana@acme.com",
      "```",
    ]);
  });

  it("tells the user to keep the app in Testing, with the 7-day expiry", () => {
    expect(step(md, "Audience")).toMatch(/\*\*Testing\*\*.*do not click \*\*Publish app\*\*/);
    expect(step(md, "Audience")).toContain("expire after 7 days");
  });
});

describe("renderConsoleRunbook variants", () => {
  it("starts with enabling Gmail when nothing was automated", () => {
    expect(titles(renderConsoleRunbook(flectra))[0]).toBe("Enable the Gmail API");
  });

  it("checks an existing client on its own page instead of creating it, and uses the shorthand config keys", () => {
    const spec = parseStackConfig({
      project: { id: "acme-gmail-prod" },
      branding: { appName: "A", supportEmail: "it@acme.com" },
      audience: { testUsers: ["a@acme.com"] },
      preset: "odoo",
      instanceUrl: "https://erp.acme.com",
      clientId: "42-abc.apps.googleusercontent.com",
    });
    const md = renderConsoleRunbook(spec, { automated, singleClientShorthand: true });
    expect(titles(md)).toContain("Check OAuth client `odoo`");
    expect(md).toContain(
      "https://console.cloud.google.com/auth/clients/42-abc.apps.googleusercontent.com?project=acme-gmail-prod",
    );
    expect(md).toContain("pulumi config set --secret gmail-oauth:clientSecret\n");
    expect(md).not.toContain("config set gmail-oauth:clientId");
  });

  it("skips the credentials step for stored secrets", () => {
    const spec = parseStackConfig({
      project: { id: "acme-gmail-prod" },
      branding: { appName: "A", supportEmail: "it@acme.com" },
      audience: { testUsers: ["a@acme.com"] },
      preset: "odoo",
      instanceUrl: "https://erp.acme.com",
      clientId: "42-abc.apps.googleusercontent.com",
    });
    const md = renderConsoleRunbook(spec, { automated: { ...automated, storedSecrets: { odoo: "gmail-oauth-odoo" } } });
    expect(titles(md)).not.toContain("Put the client credentials in the stack");
    expect(md).toContain("stored in Secret Manager as `gmail-oauth-odoo`");
  });

  it("for an Internal app: no test users, and the admin's restricted-API switch", () => {
    const spec = parseStackConfig({
      project: { id: "acme-gmail-prod", orgId: "1" },
      branding: { appName: "A", supportEmail: "it@acme.com" },
      audience: { userType: "internal" },
      preset: "odoo",
      instanceUrl: "https://erp.acme.com",
    });
    const audience = step(renderConsoleRunbook(spec), "Audience");
    expect(audience).toContain("**Internal**");
    expect(audience).not.toContain("Add users");
    expect(audience).toContain("Let Internal apps access restricted Google Workspace APIs");
  });

  it("for production: Publish app after Branding, and the verification caveat", () => {
    const spec = parseStackConfig({
      project: { id: "acme-gmail-prod" },
      branding: {
        appName: "A",
        supportEmail: "it@acme.com",
        homepageUrl: "https://acme.com/",
        privacyPolicyUrl: "https://acme.com/p",
      },
      audience: { publishingStatus: "production" },
      preset: "n8n",
      instanceUrl: "https://n8n.acme.com",
    });
    const md = renderConsoleRunbook(spec, { automated });
    expect(step(md, "Audience")).toContain(
      "click **Publish app** and confirm (a community report, not Google, says it needs the home page and privacy policy links from step 2: inferred)",
    );
    expect(step(md, "Audience")).toContain(
      "https://console.cloud.google.com/auth/verification?project=acme-gmail-prod",
    );
    expect(step(md, "Data access")).toContain("restricted");
    expect(step(md, "Data access")).toContain(
      "from or through a third-party server also needs a yearly security assessment",
    );
  });
});
