// Every preflight check against the emulator over real HTTP: a healthy scenario, then one scenario per fault.
// The app's own redirect endpoint is a small node:http fixture on 127.0.0.1.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startEmulator, type RunningEmulator, type ScenarioInput } from "../../emulator/index";
import { forgetSecrets } from "../../common/redact";
import { resolveInput } from "../../validator/inputs";
import type { ValidateFlags } from "../../validator/options";
import { runPreflight } from "../../validator/preflight";
import type { CheckResult } from "../../validator/types";
import { exitCodeFor, summarize } from "../../validator/types";
import { fixture, type Fixture } from "./helpers";

const PROJECT = "acme-mail";
const NUMBER = "123456789012";
const CLIENT = `${NUMBER}-abc123.apps.googleusercontent.com`;
const SECRET = "GOCSPX-emulatorsecret0001";
const CLOUD_TOKEN = "ya29.cloud-credential-for-tests";
const ACCOUNT = "ana@example.com";

let app: Fixture;
let appUri: string;
let emu: RunningEmulator;

function scenario(): ScenarioInput {
  return {
    projects: [
      { id: PROJECT, number: NUMBER, userType: "external", publishingStatus: "testing", testUsers: [ACCOUNT] },
    ],
    clients: [{ id: CLIENT, projectId: PROJECT, type: "web", secrets: [SECRET], redirectUris: [appUri] }],
    accounts: [{ email: ACCOUNT }],
  };
}

beforeAll(async () => {
  app = await fixture((req, res) => {
    res.writeHead(req.url?.startsWith("/google/callback") ? 400 : 404, { "content-type": "text/plain" });
    res.end(req.url?.startsWith("/google/callback") ? "missing code" : "not found");
  });
  appUri = `${app.origin}/google/callback`;
});
afterAll(() => app.close());
beforeEach(async () => {
  emu = await startEmulator(scenario());
  // Added through the admin API: the scenario parser refuses `token` in cloudCredentials (reported to the lead).
  emu.admin.addCloudCredential(CLOUD_TOKEN, { projects: [PROJECT] });
});
afterEach(async () => {
  await emu.close();
  forgetSecrets();
});

interface Run {
  checks: CheckResult[];
  byId(id: string): CheckResult;
  exit: number;
}

async function preflight(flags: Partial<ValidateFlags> = {}, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const input = await resolveInput(
    {
      clientId: CLIENT,
      redirectUri: [appUri],
      account: ACCOUNT,
      project: PROJECT,
      userType: "external",
      publishingStatus: "testing",
      testUser: [ACCOUNT],
      googleOrigin: emu.origin,
      timeout: 20,
      ...flags,
    },
    { GMAIL_OAUTH_CLIENT_SECRET: SECRET, GOOGLE_OAUTH_ACCESS_TOKEN: CLOUD_TOKEN, HOME: "/nonexistent", ...env },
    process.cwd(),
  );
  const checks = await runPreflight(input);
  return {
    checks,
    byId(id) {
      const c = checks.find((x) => x.id === id);
      if (!c) throw new Error(`no check ${id} in ${checks.map((x) => x.id).join(", ")}`);
      return c;
    },
    exit: exitCodeFor(summarize(checks)),
  };
}

const authorizeId = () => `live.authorize[${appUri}]`;

describe("healthy scenario", () => {
  test("every live check passes; the Testing warning is the only finding", async () => {
    const r = await preflight();
    expect(r.byId(authorizeId()).status).toBe("pass");
    expect(r.byId("live.token")).toMatchObject({ status: "pass" });
    expect(r.byId("live.token").detail).toContain("invalid_grant");
    expect(r.byId("live.gmail-api")).toMatchObject({ status: "pass" });
    expect(r.byId(`live.app-redirect[${appUri}]`)).toMatchObject({ status: "pass" });
    expect(r.byId("live.clock").status).toBe("pass");
    expect(r.byId("offline.audience.refresh-expiry")).toMatchObject({
      status: "warn",
      diagnosis: "testing_refresh_token_expiry",
    });
    expect(r.checks.filter((c) => c.status === "fail" || c.status === "inconclusive")).toEqual([]);
    expect(r.exit).toBe(0);
  });

  test("the authorization probe asks for offline access to the declared scopes, without following the redirect", async () => {
    const r = await preflight({ scope: ["https://www.googleapis.com/auth/gmail.send"] });
    expect(r.byId(authorizeId()).status).toBe("pass");
    expect(emu.admin.state().faults).toEqual({});
  });
});

describe("one scenario per fault", () => {
  test("client_not_found: unknown client ID, at both endpoints", async () => {
    const other = `${NUMBER}-unknown.apps.googleusercontent.com`;
    const r = await preflight({ clientId: other });
    expect(r.byId(authorizeId())).toMatchObject({ status: "fail", diagnosis: "client_not_found" });
    expect(r.byId("live.token")).toMatchObject({ status: "fail", diagnosis: "client_not_found" });
    expect(r.exit).toBe(1);
  });

  test("client_deleted", async () => {
    emu.admin.deleteClient(CLIENT);
    const r = await preflight();
    expect(r.byId(authorizeId())).toMatchObject({ status: "fail", diagnosis: "client_deleted" });
    expect(r.byId("live.token")).toMatchObject({ status: "fail", diagnosis: "client_deleted" });
    expect(r.byId(authorizeId()).links?.[0]).toContain("/apis/credentials/deleted?project=acme-mail");
  });

  test("client_secret_invalid: a secret of another client", async () => {
    const r = await preflight({}, { GMAIL_OAUTH_CLIENT_SECRET: "GOCSPX-notthesecret999" });
    expect(r.byId("live.token")).toMatchObject({ status: "fail", diagnosis: "client_secret_invalid" });
    expect(r.byId(authorizeId()).status).toBe("pass");
  });

  test("client_secret_missing: the token probe is skipped, the offline check fails", async () => {
    const r = await preflight({}, { GMAIL_OAUTH_CLIENT_SECRET: "" });
    expect(r.byId("offline.client-secret")).toMatchObject({ status: "fail", diagnosis: "client_secret_missing" });
    expect(r.byId("live.token").status).toBe("skip");
  });

  test("redirect_uri_not_registered: a trailing slash is a different URI", async () => {
    const uri = `${appUri}/`;
    const r = await preflight({ redirectUri: [uri] });
    const c = r.byId(`live.authorize[${uri}]`);
    expect(c).toMatchObject({ status: "fail", diagnosis: "redirect_uri_not_registered" });
    expect(c.detail).toContain("redirect_uri_mismatch");
    expect(c.links?.[0]).toBe(`https://console.cloud.google.com/auth/clients/${CLIENT}?project=acme-mail`);
  });

  test("custom_scheme_on_web_client: offline and live agree", async () => {
    const uri = "com.example.app:/oauth2redirect";
    const r = await preflight({ redirectUri: [uri] });
    expect(r.byId(`offline.redirect-uri[${uri}]`)).toMatchObject({
      status: "fail",
      diagnosis: "custom_scheme_on_web_client",
    });
    expect(r.byId(`live.authorize[${uri}]`)).toMatchObject({
      status: "fail",
      diagnosis: "custom_scheme_on_web_client",
    });
    expect(r.byId(`live.app-redirect[${uri}]`).status).toBe("skip");
  });

  test("oob_flow_blocked", async () => {
    const uri = "urn:ietf:wg:oauth:2.0:oob";
    const r = await preflight({ redirectUri: [uri] });
    expect(r.byId(`offline.redirect-uri[${uri}]`)).toMatchObject({ status: "fail", diagnosis: "oob_flow_blocked" });
    expect(r.byId(`live.authorize[${uri}]`)).toMatchObject({ status: "fail", diagnosis: "oob_flow_blocked" });
  });

  test("invalid_scope: unknown offline (warn), rejected live (fail)", async () => {
    // A bare name instead of the URL: the classic mistake, and not a Google scope.
    const bogus = "gmail.readonly";
    const r = await preflight({ scope: [bogus] });
    expect(r.byId("offline.scopes")).toMatchObject({ status: "warn", diagnosis: "unknown_scope" });
    expect(r.byId(authorizeId())).toMatchObject({ status: "fail", diagnosis: "invalid_scope" });
    expect(r.byId(authorizeId()).detail).toContain(bogus);
  });

  test("gmail_api_disabled: the activation link carries the project number", async () => {
    emu.admin.setServiceState(PROJECT, "gmail.googleapis.com", "DISABLED");
    const r = await preflight();
    const c = r.byId("live.gmail-api");
    expect(c).toMatchObject({ status: "fail", diagnosis: "gmail_api_disabled" });
    expect(c.links).toContain(
      `https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=${NUMBER}`,
    );
  });

  test("cloud_credentials_missing: no token and no ADC file → inconclusive, exit 3", async () => {
    const r = await preflight(
      { userType: "external", publishingStatus: "production" },
      { GOOGLE_OAUTH_ACCESS_TOKEN: "" },
    );
    const c = r.byId("live.gmail-api");
    expect(c).toMatchObject({ status: "inconclusive", diagnosis: "cloud_credentials_missing" });
    expect(c.detail).toContain("GOOGLE_OAUTH_ACCESS_TOKEN");
    expect(r.checks.some((x) => x.status === "fail")).toBe(false);
    expect(r.exit).toBe(3);
  });

  test("cloud credential refused (401) → inconclusive with the way to get a new one", async () => {
    const r = await preflight({}, { GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.not-a-known-credential" });
    expect(r.byId("live.gmail-api")).toMatchObject({ status: "inconclusive", diagnosis: "cloud_credentials_missing" });
  });

  test("cloud_permission_denied: a credential for another project", async () => {
    emu.admin.addProject({ id: "other-project", number: "999999999999" });
    emu.admin.addCloudCredential("ya29.other-project-only", { projects: ["other-project"] });
    const r = await preflight({}, { GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.other-project-only" });
    expect(r.byId("live.gmail-api")).toMatchObject({ status: "inconclusive", diagnosis: "cloud_permission_denied" });
  });

  test("app_redirect_endpoint_unreachable: 404 and connection refused fail", async () => {
    const missing = `${app.origin}/odoo/google_gmail/confirm`;
    const closed = await fixture(() => {});
    const refusedUri = `${closed.origin}/callback`;
    await closed.close();
    emu.admin.updateClient(CLIENT, { redirectUris: [missing, refusedUri] });
    const r = await preflight({ redirectUri: [missing, refusedUri] });
    expect(r.byId(`live.app-redirect[${missing}]`)).toMatchObject({
      status: "fail",
      diagnosis: "app_redirect_endpoint_unreachable",
    });
    expect(r.byId(`live.app-redirect[${missing}]`).detail).toContain("404");
    expect(r.byId(`live.app-redirect[${refusedUri}]`)).toMatchObject({
      status: "fail",
      diagnosis: "app_redirect_endpoint_unreachable",
    });
    expect(r.byId(`live.app-redirect[${refusedUri}]`).detail).toContain("connection refused");
    expect(r.byId(`live.authorize[${missing}]`).status).toBe("pass");
  });
});

describe("the declared audience, end to end through the same run", () => {
  test("no_test_users and account_not_test_user for Testing", async () => {
    const r = await preflight({ testUser: [], account: "bo@example.com" });
    expect(r.byId("offline.audience.test-users")).toMatchObject({ status: "fail", diagnosis: "no_test_users" });
    expect(r.byId("offline.audience.account")).toMatchObject({ status: "fail", diagnosis: "account_not_test_user" });
    // Google checks test users only after an account is chosen: the live probe still passes.
    expect(r.byId(authorizeId()).status).toBe("pass");
  });

  test("production_unverified_restricted_scope and org_internal", async () => {
    const prod = await preflight({ publishingStatus: "production" });
    expect(prod.byId("offline.audience.verification")).toMatchObject({
      status: "warn",
      diagnosis: "production_unverified_restricted_scope",
      inferred: true,
    });
    expect(prod.exit).toBe(0);
    const internal = await preflight({
      userType: "internal",
      publishingStatus: "production",
      account: "ana@gmail.com",
    });
    expect(internal.byId("offline.audience.account")).toMatchObject({ status: "fail", diagnosis: "org_internal" });
  });
});

describe("transient failures are retried, then inconclusive, never passed", () => {
  test("one 503 on the token endpoint is retried and the check passes", async () => {
    emu.admin.setFault("token", { status: 503, retryAfterSeconds: 0, times: 1 });
    const r = await preflight();
    expect(r.byId("live.token").status).toBe("pass");
  });

  test("a lasting 500 on the token endpoint → google_unavailable, inconclusive", async () => {
    emu.admin.setFault("token", { status: 500 });
    const r = await preflight();
    const c = r.byId("live.token");
    expect(c).toMatchObject({ status: "inconclusive", diagnosis: "google_unavailable" });
    expect(c.detail).toContain("after 3 attempts");
  });

  test("a lasting 429 on Service Usage → inconclusive", async () => {
    emu.admin.setFault("serviceusage", { status: 429, retryAfterSeconds: 0 });
    const r = await preflight();
    expect(r.byId("live.gmail-api")).toMatchObject({ status: "inconclusive", diagnosis: "google_unavailable" });
  });

  test("a dropped connection on the authorization endpoint → inconclusive", async () => {
    emu.admin.setFault("authorize", { drop: true });
    const r = await preflight();
    expect(r.byId(authorizeId())).toMatchObject({ status: "inconclusive", diagnosis: "google_unavailable" });
  });

  test("a redirect loop on the authorization endpoint is not mistaken for the sign-in page", async () => {
    emu.admin.setFault("authorize", { redirectLoop: true });
    const r = await preflight();
    expect(r.byId(authorizeId())).toMatchObject({ status: "inconclusive", diagnosis: "google_unavailable" });
    expect(r.byId(authorizeId()).detail).toContain("redirect loop");
  });

  test("Google's HTML front-end error page instead of JSON → inconclusive", async () => {
    emu.admin.setFault("token", { html: true });
    const r = await preflight();
    expect(r.byId("live.token").status).toBe("inconclusive");
  });

  test("a cut-off JSON body → inconclusive", async () => {
    emu.admin.setFault("token", { malformedBody: true });
    emu.admin.setFault("serviceusage", { malformedBody: true });
    const r = await preflight();
    expect(r.byId("live.token")).toMatchObject({ status: "inconclusive", diagnosis: "google_unavailable" });
    expect(r.byId("live.gmail-api").status).toBe("inconclusive");
  });
});

describe("Desktop client file", () => {
  test("client_file_desktop_type: an installed client for a web app's https redirect", async () => {
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(join(tmpdir(), "validator-"));
    const file = join(dir, "client_secret.json");
    emu.admin.addClient({
      id: `${NUMBER}-desktop.apps.googleusercontent.com`,
      projectId: PROJECT,
      type: "installed",
      secrets: [SECRET],
    });
    await writeFile(
      file,
      JSON.stringify({
        installed: {
          client_id: `${NUMBER}-desktop.apps.googleusercontent.com`,
          project_id: PROJECT,
          auth_uri: "https://accounts.google.com/o/oauth2/auth",
          token_uri: "https://oauth2.googleapis.com/token",
          client_secret: SECRET,
          redirect_uris: ["http://localhost"],
        },
      }),
    );
    const r = await preflight({
      clientId: undefined,
      clientSecretFile: file,
      redirectUri: ["https://mail.example.com/google_gmail/confirm"],
    });
    expect(r.byId("offline.client-file")).toMatchObject({ status: "fail", diagnosis: "client_file_desktop_type" });
    // Google refuses the web redirect for a Desktop client as not registered.
    expect(r.byId("live.authorize[https://mail.example.com/google_gmail/confirm]")).toMatchObject({
      status: "fail",
      diagnosis: "redirect_uri_not_registered",
    });
    expect(r.byId("live.token").status).toBe("pass");
  });
});
