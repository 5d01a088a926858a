// runFlow and `validate --flow` at process level: $BROWSER is a real child process (the emulator's HTTP browser
// script, bundled once for plain node) that follows the redirects, so the flow stays covered without a browser.
import { DEFAULT_SCOPE as MAIL } from "../../../google/scopes";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../cli/main";
import { captureIo } from "../../support/captureIo";
import { forgetSecrets } from "../../../common/redact";
import { googleEndpoints } from "../../../google/endpoints";
import { startEmulator, type RunningEmulator, type ScenarioInput } from "../../../emulator/index";
import { driveConsent } from "../../../emulator/httpBrowser";
import { buildAuthorizeUrl } from "../../../google/authorizeUrl";
import { startLoopbackServer } from "../../../validator/flow/loopback";
import { newFlowSecrets } from "../../../validator/flow/flowSecrets";
import { runFlow } from "../../../validator/flow/consentFlow";
import { exchangeCode } from "../../../validator/token/calls";
import { classifyTokenError } from "../../../validator/classify";
import type { CheckResult, ValidationInput } from "../../../validator/types";

const PROJECT = "mail-sync-proc";
const CLIENT_ID = "515151-procclient.apps.googleusercontent.com";
const WEB_CLIENT_ID = "515151-webclient.apps.googleusercontent.com";
const SECRET = "GOCSPX-process-level-client-secret";
const SECRET_SHAPES = /ya29\.|1\/\/0|4\/0A|GOCSPX-/;

const dir = mkdtempSync(join(tmpdir(), "flow-proc-"));
let browserScript = "";
let emu: RunningEmulator;

function scenario(project: Record<string, unknown> = {}): ScenarioInput {
  return {
    projects: [
      {
        id: PROJECT,
        number: "515151",
        appName: "Mail Sync",
        userType: "external",
        publishingStatus: "testing",
        testUsers: ["ana@example.com"],
        verified: true,
        ...project,
      },
    ],
    clients: [
      { id: CLIENT_ID, projectId: PROJECT, type: "installed", secrets: [SECRET] },
      {
        id: WEB_CLIENT_ID,
        projectId: PROJECT,
        type: "web",
        secrets: [SECRET],
        redirectUris: ["https://mail.example.com/cb"],
      },
    ],
    accounts: [{ email: "ana@example.com" }, { email: "carl@example.com" }],
  };
}

const io = (env: NodeJS.ProcessEnv = {}) => captureIo({ PATH: process.env.PATH, ...env }, dir);

function input(over: Partial<ValidationInput> = {}): ValidationInput {
  return {
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    clientType: "desktop",
    redirectUris: [],
    scopes: [MAIL],
    account: "ana@example.com",
    project: PROJECT,
    googleOrigin: emu.origin,
    deadline: Date.now() + 15_000,
    provenance: {},
    ...over,
  };
}

const byId = (results: readonly CheckResult[], id: string) => results.find((r) => r.id === id);
const browserEnv = (account: string, extra: NodeJS.ProcessEnv = {}) => ({
  BROWSER: `${process.execPath} ${browserScript}`,
  GMAIL_OAUTH_EMULATOR_ACCOUNT: account,
  ...extra,
});

beforeAll(() => {
  // A plain `node` child runs the emulator's TypeScript $BROWSER script through the test runner's TS hook.
  browserScript = `${join(__dirname, "../../support/run-ts.cjs")} ${join(__dirname, "../../../emulator/browser-script.ts")}`;
});

afterEach(async () => {
  await emu?.close();
  forgetSecrets();
});

describe("runFlow with $BROWSER (a child process following the redirects over HTTP)", () => {
  it("completes the flow through the loopback and revokes the grant", async () => {
    emu = await startEmulator(scenario());
    const cap = io(browserEnv("ana@example.com"));
    const results = await runFlow(
      input({ audience: { userType: "external", publishingStatus: "testing", testUsers: ["ana@example.com"] } }),
      { io: cap.io },
    );
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["flow.redirect", "pass"],
      ["flow.consent", "pass"],
      ["flow.exchange", "pass"],
      ["token.refresh-token", "pass"],
      ["token.audience", "pass"],
      ["token.scopes", "pass"],
      ["token.expiry", "warn"],
      ["token.gmail", "pass"],
      ["token.account", "pass"],
      ["flow.refresh", "pass"],
      ["flow.revoke", "pass"],
    ]);
    expect(emu.admin.state().refreshTokens.map((t) => t.live)).toEqual([false]);
    expect(cap.err()).toContain("Opening the consent page for ana@example.com");
    expect(cap.err()).not.toMatch(SECRET_SHAPES);
  });

  it("a Web client: listens on its registered loopback URI and sends it verbatim (Google's exact match)", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const loopback = `http://127.0.0.1:${port}/oauth/cb`;
    const sc = scenario();
    sc.clients![1]!.redirectUris = ["https://mail.example.com/cb", loopback];
    emu = await startEmulator(sc);
    const registered = ["https://mail.example.com/cb", loopback];
    const results = await runFlow(
      input({
        clientId: WEB_CLIENT_ID,
        clientType: "web",
        registeredRedirectUris: registered,
        redirectUris: ["https://mail.example.com/cb"],
      }),
      { io: io(browserEnv("ana@example.com")).io },
    );
    expect(byId(results, "flow.redirect")!.detail).toContain(
      `Listening on ${loopback} (registered loopback redirect URI`,
    );
    expect(results.filter((r) => r.status !== "pass" && r.id !== "token.expiry")).toEqual([]);
  });

  it("a send-only connection: adds userinfo.email to name the account, and says what Gmail could not prove", async () => {
    emu = await startEmulator(scenario({ publishingStatus: "production" }));
    const send = "https://www.googleapis.com/auth/gmail.send";
    const results = await runFlow(input({ scopes: [send] }), { io: io(browserEnv("ana@example.com")).io });
    expect(byId(results, "token.scopes")!.status).toBe("pass");
    expect(byId(results, "token.account")).toMatchObject({
      status: "pass",
      detail: "ana@example.com (tokeninfo email)",
    });
    expect(byId(results, "token.gmail")).toMatchObject({ status: "pass", inferred: true });
    expect(byId(results, "token.gmail")!.detail).toMatch(/Not proved: that the mailbox exists and can send/);
  });

  it("Cancel through $BROWSER fails consent_denied", async () => {
    emu = await startEmulator(scenario());
    const results = await runFlow(input(), {
      io: io(browserEnv("ana@example.com", { GMAIL_OAUTH_EMULATOR_ACTION: "cancel" })).io,
    });
    expect(byId(results, "flow.consent")).toMatchObject({ status: "fail", diagnosis: "consent_denied" });
  });

  it("a $BROWSER that cannot start prints the URL and ends inconclusive at the timeout", async () => {
    emu = await startEmulator(scenario());
    const cap = io({ BROWSER: join(dir, "no-such-browser") });
    const results = await runFlow(input({ deadline: Date.now() + 1500 }), { io: cap.io });
    expect(cap.err()).toMatch(/Could not open a browser \(\$BROWSER .* could not start \(ENOENT\)\)/);
    expect(cap.err()).toContain(`${emu.origin}/o/oauth2/v2/auth?`);
    expect(byId(results, "flow.consent")).toMatchObject({ status: "inconclusive", diagnosis: "consent_not_completed" });
  });

  it("fails loopback_redirect_missing for a Web client without a loopback URI, naming the URI to add", async () => {
    emu = await startEmulator(scenario());
    const results = await runFlow(
      input({
        clientId: WEB_CLIENT_ID,
        clientType: "web",
        registeredRedirectUris: ["https://mail.example.com/cb"],
        redirectUris: ["https://mail.example.com/cb"],
      }),
      { io: io().io },
    );
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ id: "flow.redirect", status: "fail", diagnosis: "loopback_redirect_missing" });
    expect(results[0]!.detail).toContain("Add http://127.0.0.1:8085/");
  });

  it("refuses a forged callback (wrong state) and still completes with the genuine one", async () => {
    emu = await startEmulator(scenario());
    let forged: number | undefined;
    const results = await runFlow(input(), {
      io: io().io,
      openUrl: async (url) => {
        const redirectUri = new URL(url).searchParams.get("redirect_uri")!;
        forged = (
          await fetch(`${redirectUri}?state=forged&code=${encodeURIComponent("4/0Aforged-code-value-abcdefghij")}`)
        ).status;
        await driveConsent(url, { account: "ana@example.com" });
      },
    });
    expect(forged).toBe(400);
    expect(byId(results, "flow.consent")).toMatchObject({ status: "pass" });
    expect(byId(results, "flow.exchange")).toMatchObject({ status: "pass" });
  });

  it("reports an unreachable token endpoint as inconclusive, never as a pass", async () => {
    emu = await startEmulator(scenario());
    emu.admin.setFault("token", { drop: true });
    const results = await runFlow(input(), {
      io: io().io,
      openUrl: async (url) => void (await driveConsent(url, { account: "ana@example.com" })),
    });
    expect(byId(results, "flow.exchange")).toMatchObject({ status: "inconclusive" });
    expect(results.filter((r) => r.status === "pass").map((r) => r.id)).toEqual(["flow.redirect", "flow.consent"]);
  });
});

describe("PKCE", () => {
  it("the code cannot be exchanged without the verifier, or with another one", async () => {
    emu = await startEmulator(scenario());
    const secrets = newFlowSecrets();
    const server = await startLoopbackServer(
      { bindHost: "127.0.0.1", uriHost: "127.0.0.1", port: 0, path: "/" },
      secrets.state,
    );
    const url = buildAuthorizeUrl(googleEndpoints(emu.origin), {
      clientId: CLIENT_ID,
      redirectUri: server.redirectUri,
      scopes: [MAIL],
      secrets,
      account: "ana@example.com",
    });
    const [drive, callback] = await Promise.all([driveConsent(url, { account: "ana@example.com" }), server.callback]);
    expect(drive.kind).toBe("redirect");
    expect(callback.kind).toBe("code");
    if (callback.kind !== "code") return;
    const call = { endpoints: googleEndpoints(emu.origin), deadline: Date.now() + 5000 };
    const client = { clientId: CLIENT_ID, clientSecret: SECRET };
    for (const verifier of ["", newFlowSecrets().verifier]) {
      const r = await exchangeCode(call, client, callback.code, server.redirectUri, verifier);
      expect(r.kind).toBe("error");
      if (r.kind === "error") expect(classifyTokenError(r.err, "exchange")).toBe("pkce_verifier_invalid");
    }
    expect((await exchangeCode(call, client, callback.code, server.redirectUri, secrets.verifier)).kind).toBe("ok");
  });
});

describe("gmail-oauth validate --flow (in-process CLI, $BROWSER child)", () => {
  function clientFile(): string {
    const file = join(dir, "client.json");
    writeFileSync(
      file,
      JSON.stringify({
        installed: {
          client_id: CLIENT_ID,
          project_id: PROJECT,
          auth_uri: "https://accounts.google.com/o/oauth2/auth",
          token_uri: "https://oauth2.googleapis.com/token",
          auth_provider_x509_cert_url: "https://www.googleapis.com/oauth2/v1/certs",
          client_secret: SECRET,
          redirect_uris: ["http://localhost"],
        },
      }),
    );
    return file;
  }

  it("--keep-token writes the refresh token with mode 0600, never prints it, and does not revoke", async () => {
    emu = await startEmulator(scenario({ publishingStatus: "production" }));
    const cap = io(browserEnv("ana@example.com"));
    const code = await runCli(
      [
        "validate",
        "--client-secret-file",
        clientFile(),
        "--account",
        "ana@example.com",
        "--google-origin",
        emu.origin,
        "--timeout",
        "20",
        "--flow",
        "--keep-token",
        "kept.token",
        "--json",
      ],
      cap.io,
    );
    const report = JSON.parse(cap.out()) as { checks: CheckResult[] };
    const flow = report.checks.filter((c) => /^(flow|token)\./.test(c.id));
    expect(flow.map((c) => [c.id, c.status])).toContainEqual(["flow.keep-token", "pass"]);
    expect(flow.find((c) => c.id === "flow.revoke")).toBeUndefined();
    expect(flow.filter((c) => c.status !== "pass")).toEqual([]);
    const file = join(dir, "kept.token");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The kept file records the consent for check-token's expiry forecast (issue 16), never the client secret.
    const kept = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const token = kept.refresh_token as string;
    expect(token).toMatch(/^1\/\/0/);
    expect(kept).toMatchObject({ type: "authorized_user", consent: { clock: "google", account: "ana@example.com" } });
    expect(JSON.stringify(kept)).not.toContain(SECRET);
    expect(emu.admin.state().refreshTokens.map((t) => t.live)).toEqual([true]);
    for (const text of [cap.out(), cap.err()]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(SECRET);
      expect(text).not.toMatch(SECRET_SHAPES);
    }
    expect([0, 3]).toContain(code); // the preflight's cloud checks may be inconclusive without credentials
  });

  it("a non-test user: the preflight already fails it, and the flow times out inconclusive with the test-user hint", async () => {
    emu = await startEmulator(scenario());
    const cap = io(browserEnv("carl@example.com"));
    const code = await runCli(
      [
        "validate",
        "--client-secret-file",
        clientFile(),
        "--account",
        "carl@example.com",
        "--google-origin",
        emu.origin,
        "--publishing-status",
        "testing",
        "--user-type",
        "external",
        "--test-user",
        "ana@example.com",
        "--timeout",
        "3",
        "--flow",
        "--json",
      ],
      cap.io,
    );
    const report = JSON.parse(cap.out()) as { checks: CheckResult[] };
    const consent = report.checks.find((c) => c.id === "flow.consent")!;
    expect(consent).toMatchObject({ status: "inconclusive", diagnosis: "consent_not_completed" });
    expect(consent.detail).toMatch(/1\. not a test user: .*carl@example\.com/);
    expect(report.checks.filter((c) => c.status === "fail").map((c) => c.diagnosis)).toEqual(["account_not_test_user"]);
    expect(code).toBe(1);
  });

  it("--no-browser: Google's refusal page pasted back ends the wait with its exact diagnosis", async () => {
    emu = await startEmulator(scenario());
    const cap = io();
    const flow = runFlow(
      input({
        account: "carl@example.com",
        audience: { userType: "external", publishingStatus: "testing", testUsers: ["ana@example.com"] },
      }),
      { io: cap.io, noBrowser: true },
    );
    let url: string | undefined;
    for (let i = 0; i < 100 && !url; i++) {
      url = /(http:\/\/\S+\/o\/oauth2\/v2\/auth\?\S+)/.exec(cap.err())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 20));
    }
    // The person (elsewhere) signs in as a non-test user and lands on Google's 403 page.
    const outcome = await driveConsent(url!, { account: "carl@example.com" });
    expect(outcome.kind).toBe("blocked");
    cap.stdin.write(`${outcome.kind === "blocked" ? outcome.url : ""}\n`);
    const results = await flow;
    expect(byId(results, "flow.consent")).toMatchObject({ status: "fail", diagnosis: "account_not_test_user" });
    expect(byId(results, "flow.consent")?.detail).toMatch(
      /^Google showed Error 403: access_denied .*read from the error page's address pasted on stdin/,
    );
  });

  it("a callback error gets the same diagnosis as `explain` gives it (one classifier)", async () => {
    emu = await startEmulator(scenario());
    const cap = io();
    const flow = runFlow(input(), { io: cap.io, noBrowser: true });
    let url: string | undefined;
    for (let i = 0; i < 100 && !url; i++) {
      url = /(http:\/\/\S+\/o\/oauth2\/v2\/auth\?\S+)/.exec(cap.err())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 20));
    }
    const state = new URL(url!).searchParams.get("state")!;
    cap.stdin.write(`?state=${encodeURIComponent(state)}&error=invalid_client\n`);
    const results = await flow;
    expect(byId(results, "flow.consent")).toMatchObject({ status: "fail", diagnosis: "client_not_found" });
  });

  it("--keep-token into a missing directory is an input error naming the flag (exit 2), before any live check", async () => {
    emu = await startEmulator(scenario());
    const cap = io(browserEnv("ana@example.com"));
    const code = await runCli(
      [
        "validate",
        "--client-secret-file",
        clientFile(),
        "--google-origin",
        emu.origin,
        "--flow",
        "--keep-token",
        "no/such/dir/tok",
      ],
      cap.io,
    );
    expect(code).toBe(2);
    // The only stderr line is the error: no preflight progress, and Google was never called.
    expect(cap.err()).toMatch(
      /^gmail-oauth: --keep-token: cannot write in .*no\/such\/dir; give a file in an existing, writable directory\n$/,
    );
    expect(cap.out()).toBe("");
  });
});
