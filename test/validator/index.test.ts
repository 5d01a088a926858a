// The validator as a library (validator/index.ts): the same results the CLI prints with --json, from options objects,
// with nothing written to the process's streams. Against the emulator and a stand-in app on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { InputError } from "../../common/errors";
import { forgetSecrets } from "../../common/redact";
import type { ConnectionSpec } from "../../connection/types";
import { scenario, startEmulator, type RunningEmulator } from "../../emulator/index";
import { checkToken, explain, validate } from "../../validator/index";
import { cli, fixture, type Fixture } from "./helpers";

const PROJECT = "acme-mail-lib";
const CLOUD = "ya29.library-cloud-credential";
let emu: RunningEmulator;
let app: Fixture;
let appUri: string;
let clientId: string;
let clientSecret: string;

beforeAll(async () => {
  app = await fixture((_req, res) => {
    res.writeHead(200);
    res.end("ok");
  });
  appUri = `${app.origin}/cb`;
  const s = scenario()
    .project({ id: PROJECT, userType: "external", publishingStatus: "production", verified: true })
    .client({ type: "web", redirectUris: [appUri] })
    .account("ana@acme.com")
    .cloudCredential(CLOUD, { projects: [PROJECT] });
  clientId = s.clients[0]!.id;
  clientSecret = s.clients[0]!.secrets![0]!;
  emu = await startEmulator({ scenario: s });
});
afterAll(async () => {
  await emu.close();
  await app.close();
  forgetSecrets();
});

describe("validate()", () => {
  test("resolves to the document `validate --json` prints, writing nothing to stdout or stderr", async () => {
    const stdout = vi.spyOn(process.stdout, "write");
    const stderr = vi.spyOn(process.stderr, "write");
    const progress: string[] = [];
    const report = await validate({
      clientId,
      clientSecret,
      redirectUris: [appUri],
      googleOrigin: emu.origin,
      timeout: 20,
      env: { GOOGLE_OAUTH_ACCESS_TOKEN: CLOUD },
      progress: (m) => progress.push(m),
    });
    expect(stdout).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    expect(report.checks.find((c) => c.id === "live.token")?.status).toBe("pass");
    expect(progress.length).toBeGreaterThan(0);

    const doc = JSON.parse(
      (
        await cli(
          [
            "validate",
            "--json",
            "--client-id",
            clientId,
            "--redirect-uri",
            appUri,
            "--google-origin",
            emu.origin,
            "--timeout",
            "20",
          ],
          { env: { GOOGLE_OAUTH_ACCESS_TOKEN: CLOUD, GMAIL_OAUTH_CLIENT_SECRET: clientSecret } },
        )
      ).stdout,
    );
    // Nothing in either run depends on timing, so the two documents are equal.
    expect(report).toEqual(doc);
  });

  test("takes the spec as an object, and refuses it beside a spec file", async () => {
    const spec: ConnectionSpec = {
      version: 1,
      project: { mode: "adopt", id: PROJECT, deletionProtection: true },
      branding: { appName: "Acme", supportEmail: "it@acme.com", developerContacts: [], authorizedDomains: [] },
      audience: { userType: "external", publishingStatus: "production", testUsers: [], verification: "verified" },
      dataAccess: { scopes: ["https://mail.google.com/"] },
      clients: [{ name: "app", type: "web", redirectUris: [appUri], javascriptOrigins: [], clientId }],
      oauthAdmins: [],
    };
    const report = await validate({ connectionSpec: spec, clientSecret, googleOrigin: emu.origin, env: {} });
    expect(report.checks.find((c) => c.id === "live.token")?.status).toBe("pass");
    await expect(validate({ connectionSpec: spec, spec: "stack.json", env: {} })).rejects.toThrow(
      "spec: cannot be combined with connectionSpec; pass one of them",
    );
  });

  test("bad options are the CLI's InputErrors (for JavaScript callers: TypeScript refuses them already)", async () => {
    // @ts-expect-error -- userType is typed: "public" is not a UserType.
    await expect(validate({ userType: "public", env: {} })).rejects.toBeInstanceOf(InputError);
  });
});

describe("checkToken()", () => {
  test("a token given as text: refreshed, then checked; the same document as `check-token --json`", async () => {
    const grant = emu.admin.mintGrant({
      clientId,
      account: "ana@acme.com",
      scopes: ["https://mail.google.com/"],
      offline: true,
    });
    const report = await checkToken({
      clientId,
      clientSecret,
      refreshToken: grant.refresh_token!,
      account: "ana@acme.com",
      googleOrigin: emu.origin,
      env: {},
    });
    expect(report.checks.find((c) => c.id === "token.refresh")).toMatchObject({
      status: "pass",
      detail: "Refreshed the token from the refreshToken option.",
    });
    const viaCli = await cli(
      ["check-token", "--json", "--client-id", clientId, "--account", "ana@acme.com", "--google-origin", emu.origin],
      { env: { GMAIL_OAUTH_CLIENT_SECRET: clientSecret, GMAIL_OAUTH_REFRESH_TOKEN: grant.refresh_token! } },
    );
    const doc = JSON.parse(viaCli.stdout);
    expect(doc.ok).toBe(report.ok);
    expect(doc.checks.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual(
      report.checks.map((c) => [c.id, c.status]),
    );
  });
});

describe("explain()", () => {
  test.each([
    // Google's token endpoint body for a wrong client secret (google-behaviour.md §2.3).
    '{"error":"invalid_client","error_description":"Unauthorized"}',
    // The line of Google's error page (google-behaviour.md §1.2).
    "Error 400: redirect_uri_mismatch",
    "something no catalogue entry matches",
  ])("resolves to the object `explain --json` prints: %s", async (text) => {
    const viaCli = await cli(["explain", "--json", text]);
    expect(await explain(text)).toEqual(JSON.parse(viaCli.stdout));
  });

  test("empty text and a cut-off authError are InputErrors, as in the CLI", async () => {
    await expect(explain("  ")).rejects.toThrow("INPUT: is empty");
    await expect(explain("https://accounts.google.com/signin/oauth/error?authError=Cg5yZWRpcmVj")).rejects.toThrow(
      /^INPUT authError: /,
    );
  });
});
