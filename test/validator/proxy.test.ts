// Issue 18: the kit behind an HTTP(S) proxy and a TLS-inspecting CA. A real forward proxy (the `proxy` npm package)
// on 127.0.0.1 in front of the emulator, over plain http and over CONNECT to a TLS front signed by a throwaway CA.
import { DEFAULT_SCOPE as MAIL } from "../../google/scopes";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { ENV } from "../../common/env";
import { forgetSecrets, redact } from "../../common/redact";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { httpRequest } from "../../validator/http";
import type { CheckResult } from "../../validator/types";
import { closedPort, startForwardProxy, type ForwardProxy } from "../support/forwardProxy";
import { startTlsFront, type TlsFront } from "../support/tlsFront";
import { cli, fixture, type Fixture } from "./helpers";

const PROJECT = "proxy-mail";
const NUMBER = "181818181818";
const CLIENT = `${NUMBER}-proxy.apps.googleusercontent.com`;
const SECRET = "GOCSPX-proxy-test-client-secret";
const CLOUD = "ya29.proxy-test-cloud-credential";
const ACCOUNT = "ana@example.com";
const PROXY_USER = "ci-runner";
/** Short on purpose: registerSecret ignores values under 8 characters, the URL-userinfo shape must still mask it. */
const PROXY_PASSWORD = "pw:7@x";
const LONG_PROXY_PASSWORD = "proxy-password-0042";

const PROXY_VARIABLES = [
  "HTTP_PROXY",
  "http_proxy",
  "HTTPS_PROXY",
  "https_proxy",
  "ALL_PROXY",
  "all_proxy",
  "NO_PROXY",
  "no_proxy",
  ENV.proxyLoopback,
];

let emu: RunningEmulator;
let app: Fixture;
let appUri: string;
let proxy: ForwardProxy;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  app = await fixture((_req, res) => {
    res.writeHead(200);
    res.end("ok");
  });
  appUri = `${app.origin}/cb`;
  emu = await startEmulator({
    projects: [{ id: PROJECT, number: NUMBER, userType: "external", publishingStatus: "production", verified: true }],
    clients: [{ id: CLIENT, projectId: PROJECT, type: "web", secrets: [SECRET], redirectUris: [appUri] }],
    accounts: [{ email: ACCOUNT }],
  });
  emu.admin.addCloudCredential(CLOUD, { projects: [PROJECT] });
  for (const k of PROXY_VARIABLES) saved[k] = process.env[k];
});
afterAll(async () => {
  await emu.close();
  await app.close();
});
beforeEach(() => {
  for (const k of PROXY_VARIABLES) delete process.env[k];
});
afterEach(async () => {
  for (const k of PROXY_VARIABLES) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await proxy?.close();
  forgetSecrets();
});

function setEnv(vars: Record<string, string>): void {
  Object.assign(process.env, vars);
}

const validateArgs = (origin: string) => [
  "validate",
  "--client-id",
  CLIENT,
  "--redirect-uri",
  appUri,
  "--project",
  PROJECT,
  // The audience is declared: undeclared, a healthy run could not exit 0 (validator/verdict.ts).
  "--user-type",
  "external",
  "--publishing-status",
  "production",
  "--google-origin",
  origin,
  "--timeout",
  "5",
  "--json",
];
const CLI_ENV = { NO_COLOR: "1", [ENV.clientSecret]: SECRET, [ENV.cloudAccessToken]: CLOUD };

async function validate(origin = emu.origin) {
  const r = await cli(validateArgs(origin), { env: CLI_ENV });
  const checks = r.stdout ? (JSON.parse(r.stdout) as { checks: CheckResult[] }).checks : [];
  return { ...r, checks };
}

/** The checks that talk to Google (not the app's own endpoint). */
const googleChecks = (checks: readonly CheckResult[]) =>
  checks.filter((c) => /^live\.(authorize|token|gmail-api)/.test(c.id));

describe("requests go through the proxy the environment names", () => {
  test("plain http through HTTP_PROXY: every request is seen by the proxy, and the run passes", async () => {
    proxy = await startForwardProxy();
    setEnv({ HTTP_PROXY: proxy.url, [ENV.proxyLoopback]: "1" });
    const r = await validate();
    expect(r.code, r.stdout).toBe(0);
    const paths = proxy.seen.map((s) => new URL(s.split(" ")[1]!).pathname);
    expect(paths).toEqual(
      expect.arrayContaining(["/o/oauth2/v2/auth", "/token", `/v1/projects/${PROJECT}/services/gmail.googleapis.com`]),
    );
    expect(proxy.seen).toContain(`GET ${appUri}`);
    // Progress on stderr says which proxy was used.
    expect(r.stderr).toContain(`(through proxy ${proxy.origin})`);
  });

  test("keep-alive survives the proxy: sequential requests share one connection to it", async () => {
    proxy = await startForwardProxy();
    setEnv({ http_proxy: proxy.url, [ENV.proxyLoopback]: "1" });
    for (let i = 0; i < 3; i++) {
      const out = await httpRequest(`${emu.origin}/tokeninfo?access_token=nope`);
      expect(out.kind).toBe("response");
    }
    expect(proxy.seen).toHaveLength(3);
    expect(proxy.connections()).toBe(1);
  });

  test("loopback bypasses the proxy by default, so --google-origin and the emulator keep working", async () => {
    proxy = await startForwardProxy();
    setEnv({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url });
    const r = await validate();
    expect(r.code, r.stdout).toBe(0);
    expect(proxy.seen).toEqual([]);
  });

  test("NO_PROXY bypasses it (lower-case form too)", async () => {
    proxy = await startForwardProxy();
    setEnv({ HTTP_PROXY: proxy.url, no_proxy: "example.com,127.0.0.1", [ENV.proxyLoopback]: "1" });
    const r = await validate();
    expect(r.code, r.stdout).toBe(0);
    expect(proxy.seen).toEqual([]);
  });

  test("proxy credentials in the URL reach the proxy and never the output", async () => {
    proxy = await startForwardProxy({ user: PROXY_USER, password: PROXY_PASSWORD });
    setEnv({ HTTP_PROXY: proxy.url, [ENV.proxyLoopback]: "1" });
    const r = await validate();
    expect(r.code, r.stdout).toBe(0);
    const basic = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString("base64")}`;
    expect(proxy.credentials.length).toBeGreaterThan(0);
    expect(new Set(proxy.credentials)).toEqual(new Set([basic]));
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toContain(PROXY_PASSWORD);
      expect(text).not.toContain(encodeURIComponent(PROXY_PASSWORD));
      expect(text).not.toContain(basic.slice(6));
    }
  });
});

describe("the network in between gets its own diagnosis, never 'Google did not answer'", () => {
  test("a proxy that wants credentials (407): proxy_auth_required, inconclusive, exit 3, no retries", async () => {
    proxy = await startForwardProxy({ user: PROXY_USER, password: LONG_PROXY_PASSWORD });
    // No credentials at all, then wrong ones: both are the proxy's 407.
    for (const url of [proxy.origin, proxy.url.replace(encodeURIComponent(LONG_PROXY_PASSWORD), "wrong-password")]) {
      proxy.seen.length = 0;
      setEnv({ HTTP_PROXY: url, [ENV.proxyLoopback]: "1" });
      const r = await validate();
      expect(r.code, r.stdout).toBe(3);
      const google = googleChecks(r.checks).filter((c) => c.id !== "live.gmail-api" || c.status !== "skip");
      expect(google.length).toBeGreaterThanOrEqual(3);
      for (const c of google) {
        expect(c, JSON.stringify(c)).toMatchObject({ status: "inconclusive", diagnosis: "proxy_auth_required" });
        expect(c.detail).toContain(`proxy ${proxy.origin}`);
      }
      const app = r.checks.find((c) => c.id.startsWith("live.app-redirect"));
      expect(app).toMatchObject({ status: "inconclusive", diagnosis: "proxy_auth_required" });
      expect(r.stdout).not.toContain("google_unavailable");
      expect(r.stdout).not.toContain("wrong-password");
      // One request per check: a 407 is not retried.
      expect(proxy.seen.length).toBe(r.checks.filter((c) => c.diagnosis === "proxy_auth_required").length);
    }
  });

  test("a refused proxy: proxy_unreachable, inconclusive, exit 3", async () => {
    const port = await closedPort();
    setEnv({ HTTP_PROXY: `http://${PROXY_USER}:${LONG_PROXY_PASSWORD}@127.0.0.1:${port}`, [ENV.proxyLoopback]: "1" });
    const r = await validate();
    expect(r.code, r.stdout).toBe(3);
    for (const c of [...googleChecks(r.checks), ...r.checks.filter((c) => c.id.startsWith("live.app-redirect"))]) {
      expect(c, JSON.stringify(c)).toMatchObject({ status: "inconclusive", diagnosis: "proxy_unreachable" });
      expect(c.detail).toContain(`proxy http://127.0.0.1:${port}: connection refused`);
    }
    expect(r.stdout + r.stderr).not.toContain(LONG_PROXY_PASSWORD);
    expect(r.stdout).not.toContain("google_unavailable");
  });

  test("check-token behind a 407 proxy: the refresh is inconclusive with proxy_auth_required", async () => {
    proxy = await startForwardProxy({ user: PROXY_USER, password: LONG_PROXY_PASSWORD });
    setEnv({ HTTP_PROXY: proxy.origin, [ENV.proxyLoopback]: "1" });
    const refresh = emu.admin.mintGrant({ clientId: CLIENT, account: ACCOUNT, scopes: [MAIL], offline: true })
      .refresh_token!;
    const r = await cli(
      ["check-token", "--client-id", CLIENT, "--google-origin", emu.origin, "--timeout", "5", "--json"],
      { env: { ...CLI_ENV, [ENV.refreshToken]: refresh } },
    );
    expect(r.code, r.stdout).toBe(3);
    const checks = (JSON.parse(r.stdout) as { checks: CheckResult[] }).checks;
    expect(checks.find((c) => c.id === "token.refresh")).toMatchObject({
      status: "inconclusive",
      diagnosis: "proxy_auth_required",
    });
  });

  test("a Google host that does not resolve: dns_failure, inconclusive, exit 3", async () => {
    const r = await validate("http://oauth2.invalid:9");
    expect(r.code, r.stdout).toBe(3);
    const google = googleChecks(r.checks);
    expect(google.length).toBeGreaterThanOrEqual(3);
    for (const c of google)
      expect(c, JSON.stringify(c)).toMatchObject({ status: "inconclusive", diagnosis: "dns_failure" });
    // The app's own endpoint is not Google's: it still answers.
    expect(r.checks.find((c) => c.id.startsWith("live.app-redirect"))?.status).toBe("pass");
  });
});

describe("over TLS: CONNECT through the proxy to a TLS emulator signed by a throwaway CA", () => {
  let front: TlsFront;
  beforeAll(async () => {
    front = await startTlsFront(emu.origin);
  });
  afterAll(async () => {
    await front.close();
  });

  const RUN = join(__dirname, "../support/run-ts.cjs");
  const MAIN = join(__dirname, "..", "..", "cli", "main.ts");
  // NODE_EXTRA_CA_CERTS is read once when Node starts: these runs are real processes.
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [RUN, MAIN, ...args],
        { env: { PATH: process.env.PATH, HOME: "/nonexistent", ...CLI_ENV, ...env }, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
      );
    });

  test("tls_interception until NODE_EXTRA_CA_CERTS names the CA; then the run passes through the tunnel", async () => {
    proxy = await startForwardProxy({ user: PROXY_USER, password: LONG_PROXY_PASSWORD });
    const env = { HTTPS_PROXY: proxy.url, [ENV.proxyLoopback]: "1" };
    const untrusted = await run(validateArgs(front.origin), env);
    expect(untrusted.code, untrusted.stdout + untrusted.stderr).toBe(3);
    const checks = (JSON.parse(untrusted.stdout) as { checks: CheckResult[] }).checks;
    const google = googleChecks(checks);
    expect(google.length).toBeGreaterThanOrEqual(3);
    for (const c of google) {
      expect(c, JSON.stringify(c)).toMatchObject({ status: "inconclusive", diagnosis: "tls_interception" });
      expect(c.detail).toContain("self-signed certificate in certificate chain");
      expect(c.links).toContain("https://nodejs.org/api/cli.html#node_extra_ca_certsfile");
    }
    expect(proxy.seen).toContain(`CONNECT ${front.origin.slice(8)}`);
    expect(untrusted.stdout + untrusted.stderr).not.toContain(LONG_PROXY_PASSWORD);

    proxy.seen.length = 0;
    const trusted = await run(validateArgs(front.origin), { ...env, NODE_EXTRA_CA_CERTS: front.caFile });
    expect(trusted.code, trusted.stdout + trusted.stderr).toBe(0);
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT ${front.origin.slice(8)}`]));
    expect(trusted.stdout + trusted.stderr).not.toContain(LONG_PROXY_PASSWORD);
  }, 120_000);
});

describe("what users paste", () => {
  // explain's reading of pasted proxy, TLS and DNS errors is in test/validator/explain.test.ts's table.
  test("a pasted proxy URL loses its password, however short", () => {
    expect(redact(`HTTPS_PROXY=http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@proxy.corp:3128`)).toBe(
      `HTTPS_PROXY=http://${PROXY_USER}:[REDACTED]@proxy.corp:3128`,
    );
  });
});
