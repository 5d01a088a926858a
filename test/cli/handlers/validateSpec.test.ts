// `validate --spec` on a spec that declares a client and a service account (issue 26): one run checks both, each in
// its own section; `--client` and `--service-account` narrow it; `--all` and `fleet` do the same. In-process through
// runCli, against the emulator over real HTTP on 127.0.0.1.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { forgetSecrets } from "../../../common/redact";
import type { ConnectionSpec } from "../../../connection/types";
import { startEmulator, type RunningEmulator } from "../../../emulator/index";
import { dwdScenario, MAIL, OPS_TOKEN, PROJECT, SA, SA_ID, SEND } from "../../support/dwdScenario";
import { cli, fixture, type Fixture } from "../../validator/helpers";

const NUMBER = "765432109876";
const CLIENT = `${NUMBER}-flectra.apps.googleusercontent.com`;
const SECRET = "GOCSPX-spec-sections-secret-0001";
let emu: RunningEmulator;
let app: Fixture;
let dir: string;

interface Check {
  id: string;
  status: string;
  title: string;
  diagnosis?: string;
  detail?: string;
  links?: string[];
}

const env = () => ({ GOOGLE_OAUTH_ACCESS_TOKEN: OPS_TOKEN, GMAIL_OAUTH_CLIENT_SECRET: SECRET, NO_COLOR: "1" });

function spec(redirectUri: string): ConnectionSpec {
  return {
    version: 1,
    project: { mode: "adopt", id: PROJECT, deletionProtection: true, number: NUMBER },
    branding: {
      appName: "Acme Mail",
      supportEmail: "it@acme.com",
      developerContacts: ["it@acme.com"],
      authorizedDomains: ["acme.com"],
    },
    audience: { userType: "external", publishingStatus: "production", testUsers: [], verification: "verified" },
    dataAccess: { scopes: [MAIL] },
    clients: [{ name: "flectra", type: "web", redirectUris: [redirectUri], javascriptOrigins: [], clientId: CLIENT }],
    // No uniqueId: the stack was never deployed here, so the run looks it up through IAM.
    serviceAccounts: [
      {
        name: "relay",
        accountId: "gmail-relay",
        scopes: [MAIL, SEND],
        mailboxes: ["ana@acme.com"],
        signing: "keyless",
      },
    ],
    oauthAdmins: [],
  };
}

beforeAll(async () => {
  app = await fixture((_req, res) => {
    res.writeHead(200);
    res.end("ok");
  });
  const redirectUri = `${app.origin}/cb`;
  const base = dwdScenario([MAIL]);
  emu = await startEmulator({
    ...base,
    projects: [{ ...base.projects![0]!, userType: "external", publishingStatus: "production", verified: true }],
    clients: [{ id: CLIENT, projectId: PROJECT, type: "web", secrets: [SECRET], redirectUris: [redirectUri] }],
  });
  dir = await mkdtemp(join(tmpdir(), "validate-spec-"));
  await writeFile(join(dir, "stack.json"), JSON.stringify({ connectionSpec: spec(redirectUri) }));
  await writeFile(
    join(dir, "fleet.yaml"),
    `connections:\n  - name: acme\n    spec: stack.json\n    googleOrigin: ${emu.origin}\n`,
  );
});
afterAll(async () => {
  await emu?.close();
  await app?.close();
});
afterEach(() => forgetSecrets());

async function run(args: string[]) {
  const r = await cli([...args, "--google-origin", emu.origin, "--timeout", "20"], { cwd: dir, env: env() });
  const checks = args.includes("--json") ? (JSON.parse(r.stdout) as { checks: Check[] }).checks : [];
  return { ...r, checks };
}

const SCOPE_ROW = `${SA}/sa.token[ana@acme.com][${SEND}]`;
const PREFILLED = `https://admin.google.com/ac/owl/domainwidedelegation?clientIdToAdd=${SA_ID}&clientScopeToAdd=${[MAIL, SEND].map(encodeURIComponent).join(",")}&overwriteClientId=true`;

describe("validate --spec: every declared client and service account", () => {
  test("one run checks the client and the service account, each in its own section", async () => {
    const r = await run(["validate", "--spec", "stack.json", "--json"]);
    expect(r.code).toBe(1);
    const byId = new Map(r.checks.map((c) => [c.id, c]));
    expect(byId.get("flectra/live.token")).toMatchObject({ status: "pass" });
    expect(byId.get(`flectra/live.authorize[${app.origin}/cb]`)).toMatchObject({ status: "pass" });
    expect(byId.get(`${SA}/sa.token[ana@acme.com][${MAIL}]`)).toMatchObject({ status: "pass" });
    expect(byId.get(SCOPE_ROW)).toMatchObject({ status: "fail", diagnosis: "dwd_scope_not_authorized" });
    // The keyless run had only the Cloud credential: the unique ID came from IAM, and the fix is the prefilled link.
    expect(byId.get(SCOPE_ROW)?.links).toEqual([PREFILLED]);
    expect(byId.get(`${SA}/sa.account`)).toMatchObject({ status: "pass" });
    expect(r.checks.every((c) => c.id.startsWith("flectra/") || c.id.startsWith(`${SA}/`))).toBe(true);
    expect(r.checks.filter((c) => c.status === "fail").map((c) => c.id)).toEqual([SCOPE_ROW]);
  });

  test("the text report: a section per connection, the link printed once, no secret", async () => {
    const r = await run(["validate", "--spec", "stack.json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^flectra\n {2}(PASS|SKIP): /m);
    expect(r.stdout).toMatch(new RegExp(`^${SA.replace(/\./g, "\\.")}\\n {2}(PASS|SKIP): `, "m"));
    expect(r.stdout.split(PREFILLED).length - 1).toBe(1);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).not.toContain(OPS_TOKEN);
  });

  test("--client narrows to the client, --service-account to the service account", async () => {
    const client = await run(["validate", "--spec", "stack.json", "--client", "flectra", "--json"]);
    expect(client.checks.find((c) => c.id === "live.token")?.status).toBe("pass");
    expect(client.checks.some((c) => c.id.startsWith("sa.") || c.id.startsWith("flectra/"))).toBe(false);
    const sa = await run(["validate", "--spec", "stack.json", "--service-account", SA, "--json"]);
    expect(sa.code).toBe(1);
    expect(sa.checks.some((c) => c.id.startsWith("flectra/") || c.id.startsWith("live.token"))).toBe(false);
    expect(sa.checks.find((c) => c.id === `sa.token[ana@acme.com][${SEND}]`)?.diagnosis).toBe(
      "dwd_scope_not_authorized",
    );
  });

  test("--all and fleet check the service account too", async () => {
    const all = await run(["validate", "--all", "--spec", "stack.json", "--json"]);
    expect(all.checks.map((c) => c.id)).toEqual(expect.arrayContaining(["flectra/live.token", SCOPE_ROW]));
    const fleet = await cli(["fleet", "fleet.yaml", "--format", "json"], { cwd: dir, env: env() });
    expect(fleet.code).toBe(1);
    const doc = JSON.parse(fleet.stdout) as { connections: { name: string; checks: Check[] }[] };
    expect(doc.connections.map((c) => c.name)).toEqual(["acme"]);
    expect(doc.connections[0]!.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(["flectra/live.token", SCOPE_ROW]),
    );
  });
});
