// Secrets never leave the process (issue 8 §3): every scenario of validate (preflight and --flow), check-token and
// explain runs with known secret values, and none may appear in stdout, stderr, the JSON reports, error messages or
// any written file but --keep-token's (mode 0600). Codes and tokens are minted by the emulator: a proxy records
// every one that crosses the wire, so they are known too. Deliberately not Google-shaped, the client secret and the
// cloud token are masked only if the kit registers them; the shape rules cannot help.
// The sandbox (sandbox/) is not covered: it was still being written. Pulumi's stack outputs are covered by
// test/infra/program.test.ts ("clientSecret" is exported only as a secret output).
import { DEFAULT_SCOPE as MAIL } from "../../google/scopes";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgetSecrets } from "../../common/redact";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { cli, fixture, json, type CliRun } from "../validator/helpers";
import { closedPort, startForwardProxy } from "../support/forwardProxy";
import { startArmingProxy, type ArmingProxy, type Exchange } from "./armingProxy";

const PROJECT = "secrets-hardening";
const WEB = "737373-secretsweb.apps.googleusercontent.com";
const DESKTOP = "737373-secretsdesk.apps.googleusercontent.com";
const CLIENT_SECRET = "Lx9q2Vb7Zt4Wm8Kc3Rn6Pd";
const WRONG_SECRET = "Wr0ngSecretValue12345xyz";
const CLOUD_TOKEN = "cloud-access-token-hardening-0123456";
const PROXY_USER = "hardening-runner";
const PROXY_PASSWORD = "Pr0xy-Pa55w0rd-hardening";
const WRONG_PROXY_PASSWORD = "Wr0ng-Pr0xy-Pa55w0rd";
const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString("base64");
const ACCOUNT = "ana@example.com";

/**
 * This file's own temp directory: the in-process CLI's os.tmpdir() reads TMPDIR, so whatever a run writes there lands
 * here, and the scan below never reads files other test workers are writing in the shared one (issue 14 §6).
 */
const privateTmp = mkdtempSync(join(tmpdir(), "secrets-tmpdir-"));
process.env.TMPDIR = privateTmp;
const known = new Set<string>([
  CLIENT_SECRET,
  WRONG_SECRET,
  CLOUD_TOKEN,
  PROXY_PASSWORD,
  WRONG_PROXY_PASSWORD,
  basic(PROXY_USER, PROXY_PASSWORD),
  basic(PROXY_USER, WRONG_PROXY_PASSWORD),
]);
let emu: RunningEmulator;
let proxy: ArmingProxy;
let home: string;
let browserScript: string;

/** Codes from the authorize redirects, tokens from token-endpoint answers: every secret the emulator minted. */
function learn(x: Exchange): void {
  if (x.location) {
    const code = new URL(x.location, "http://x").searchParams.get("code");
    if (code) known.add(code);
  }
  if (x.path === "/token") {
    try {
      const j = JSON.parse(x.responseBody) as Record<string, unknown>;
      for (const k of ["access_token", "refresh_token", "id_token"])
        if (typeof j[k] === "string") known.add(j[k] as string);
    } catch {
      /* an error answer carries no token */
    }
  }
}

function leaks(text: string): string[] {
  return [...known].filter((s) => text.includes(s) || text.includes(encodeURIComponent(s)));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Runs one scenario in a fresh working directory, with no secret registered beforehand, and checks every output. */
async function scenario(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  setup?: (cwd: string) => void,
  keepToken?: string,
): Promise<CliRun & { cwd: string }> {
  forgetSecrets();
  const cwd = mkdtempSync(join(tmpdir(), `secrets-${name.replace(/\W+/g, "-")}-`));
  setup?.(cwd);
  // The inputs the scenario was given hold secrets by design; only what the run writes is checked.
  const inputs = new Set(filesUnder(cwd));
  const r = await cli(args, { cwd, env: { NO_COLOR: "1", HOME: home, TMPDIR: privateTmp, ...env } });
  expect(leaks(r.stdout), `${name}: stdout`).toEqual([]);
  expect(leaks(r.stderr), `${name}: stderr`).toEqual([]);
  const keep = keepToken ? join(cwd, keepToken) : undefined;
  for (const file of [...filesUnder(cwd), ...filesUnder(home)]) {
    if (file === keep || inputs.has(file) || file === browserScript) continue;
    expect(leaks(readFileSync(file, "utf8")), `${name}: ${file}`).toEqual([]);
  }
  return { ...r, cwd };
}

function clientFile(kind: "web" | "installed", clientId: string, secret: string, redirectUris: string[] = []): string {
  return JSON.stringify({
    [kind]: {
      client_id: clientId,
      project_id: PROJECT,
      auth_uri: "https://accounts.google.com/o/oauth2/auth",
      token_uri: "https://oauth2.googleapis.com/token",
      client_secret: secret,
      redirect_uris: redirectUris,
    },
  });
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "secrets-home-"));
  mkdirSync(join(home, ".config"), { recursive: true });
  emu = await startEmulator({
    projects: [
      {
        id: PROJECT,
        number: "737373",
        appName: "Secrets",
        userType: "external",
        publishingStatus: "testing",
        testUsers: [ACCOUNT],
        verified: true,
      },
    ],
    clients: [
      {
        id: WEB,
        projectId: PROJECT,
        type: "web",
        secrets: [CLIENT_SECRET],
        redirectUris: ["https://app.example.com/cb"],
      },
      { id: DESKTOP, projectId: PROJECT, type: "installed", secrets: [CLIENT_SECRET] },
    ],
    accounts: [{ email: ACCOUNT }],
  });
  emu.admin.addCloudCredential(CLOUD_TOKEN, { projects: [PROJECT] });
  proxy = await startArmingProxy(emu.origin, { method: "GET", path: /^$/ }, () => {}, learn);
  emu.admin.updateClient(WEB, { redirectUris: [`${proxy.origin}/tokeninfo`] });
  // The emulator's $BROWSER script is TypeScript: bundle it once for a plain `node` child (as test/flow does).
  browserScript = join(home, "browser-script.cjs");
  const { build } = await import("rolldown");
  await build({
    input: join(__dirname, "../../emulator/browser-script.ts"),
    platform: "node",
    output: { file: browserScript, format: "cjs" },
    write: true,
    logLevel: "silent",
  });
});

afterAll(async () => {
  await proxy?.close();
  await emu?.close();
  forgetSecrets();
});

const origin = () => ["--google-origin", proxy.origin];
const cloud = { GOOGLE_OAUTH_ACCESS_TOKEN: CLOUD_TOKEN };
const writeClient =
  (file: string, kind: "web" | "installed", clientId: string, secret: string, uris?: string[]) => (cwd: string) =>
    writeFileSync(join(cwd, file), clientFile(kind, clientId, secret, uris));

describe("no secret in any output", () => {
  it("validate: the preflight, human and --json", async () => {
    const uri = `${proxy.origin}/tokeninfo`;
    const setup = writeClient("client.json", "web", WEB, CLIENT_SECRET, [uri]);
    const human = await scenario(
      "validate-human",
      ["validate", "--client-secret-file", "client.json", ...origin()],
      cloud,
      setup,
    );
    expect(human.stdout).toMatch(/Client ID and secret accepted/);
    const json = await scenario(
      "validate-json",
      ["validate", "--client-secret-file", "client.json", "--json", ...origin()],
      cloud,
      setup,
    );
    expect(JSON.parse(json.stdout).checks.find((c: { id: string }) => c.id === "live.token").status).toBe("pass");
  });

  it("validate: a wrong client secret (Google's refusal quoted in the report), from the environment", async () => {
    const r = await scenario(
      "validate-wrong-secret",
      ["validate", "--client-id", WEB, "--redirect-uri", `${proxy.origin}/tokeninfo`, "--json", ...origin()],
      { ...cloud, GMAIL_OAUTH_CLIENT_SECRET: WRONG_SECRET },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/client_secret_invalid/);
  });

  it("validate against a hostile Google that echoes every credential it receives in its error messages", async () => {
    const echo = await fixture((req, res, body) => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/token") {
        return json(res, 400, {
          error: "invalid_grant",
          error_description: `no such code for client_secret ${new URLSearchParams(body).get("client_secret")}`,
        });
      }
      if (url.pathname.startsWith("/v1/projects/"))
        return json(res, 403, {
          error: {
            code: 403,
            message: `Permission denied for ${req.headers.authorization}`,
            status: "PERMISSION_DENIED",
          },
        });
      res.writeHead(302, { location: `${url.origin}/v3/signin/identifier` }).end();
    });
    try {
      const r = await scenario(
        "validate-echo",
        ["validate", "--client-id", WEB, "--project", PROJECT, "--json", "--google-origin", echo.origin],
        { ...cloud, GMAIL_OAUTH_CLIENT_SECRET: CLIENT_SECRET },
      );
      // The echoes reached the report (masked): the check is not vacuous.
      expect(r.stdout).toMatch(/client_secret \[REDACTED\]/);
      expect(r.stdout).toMatch(/Permission denied for Bearer \[REDACTED\]/);
    } finally {
      await echo.close();
    }
  });

  it("validate: a secret on the command line is refused, also under --debug (stack trace printed)", async () => {
    const r = await scenario("validate-secret-flag", ["validate", "--client-secret", CLIENT_SECRET, "--debug"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--client-secret: secrets are never taken on the command line/);
  });

  it("validate --flow --keep-token: the code and tokens stay out of every output; the kept file is 0600", async () => {
    const before = known.size;
    const r = await scenario(
      "validate-flow-keep",
      [
        "validate",
        "--flow",
        "--client-secret-file",
        "desktop.json",
        "--account",
        ACCOUNT,
        "--keep-token",
        "kept-token",
        "--timeout",
        "30",
        "--json",
        ...origin(),
      ],
      { ...cloud, BROWSER: `${process.execPath} ${browserScript}`, GMAIL_OAUTH_EMULATOR_ACCOUNT: ACCOUNT },
      writeClient("desktop.json", "installed", DESKTOP, CLIENT_SECRET),
      "kept-token",
    );
    const checks = JSON.parse(r.stdout).checks as { id: string; status: string }[];
    expect(checks.find((c) => c.id === "flow.keep-token")?.status, r.stdout).toBe("pass");
    expect(known.size, "the proxy saw the code and the tokens").toBeGreaterThan(before + 2);
    const kept = join(r.cwd, "kept-token");
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    // The refresh token with its consent record (issue 16), and no other secret: not the client secret, no code.
    const content = JSON.parse(readFileSync(kept, "utf8")) as Record<string, unknown>;
    const token = content.refresh_token as string;
    expect(known.has(token) && token.startsWith("1//0"), "the refresh token the proxy saw").toBe(true);
    const others = [...known].filter((s) => s !== token && JSON.stringify(content).includes(s));
    expect(others, "no other secret in the kept file").toEqual([]);
    expect(JSON.stringify(content)).not.toContain(CLIENT_SECRET);
  });

  it("validate --flow: the test grant is revoked, human report", async () => {
    const r = await scenario(
      "validate-flow",
      [
        "validate",
        "--flow",
        "--client-secret-file",
        "desktop.json",
        "--account",
        ACCOUNT,
        "--timeout",
        "30",
        ...origin(),
      ],
      { ...cloud, BROWSER: `${process.execPath} ${browserScript}`, GMAIL_OAUTH_EMULATOR_ACCOUNT: ACCOUNT },
      writeClient("desktop.json", "installed", DESKTOP, CLIENT_SECRET),
    );
    expect(r.stdout).toMatch(/Test grant revoked/);
  });

  it("check-token: a healthy token from the environment, --json and human", async () => {
    const grant = emu.admin.mintGrant({ clientId: WEB, account: ACCOUNT, scopes: [MAIL], offline: true });
    known.add(grant.refresh_token!);
    known.add(grant.access_token);
    const env = { GMAIL_OAUTH_CLIENT_SECRET: CLIENT_SECRET, GMAIL_OAUTH_REFRESH_TOKEN: grant.refresh_token! };
    const json = await scenario(
      "check-token-json",
      ["check-token", "--client-id", WEB, "--account", ACCOUNT, "--json", ...origin()],
      env,
    );
    expect(json.code, json.stdout).toBe(0);
    await scenario("check-token-human", ["check-token", "--client-id", WEB, "--account", ACCOUNT, ...origin()], env);
  });

  it("check-token: an authorized_user file (client secret and refresh token inside), under --debug", async () => {
    const grant = emu.admin.mintGrant({ clientId: WEB, account: ACCOUNT, scopes: [MAIL], offline: true });
    known.add(grant.refresh_token!);
    const file = JSON.stringify({
      type: "authorized_user",
      client_id: WEB,
      client_secret: CLIENT_SECRET,
      refresh_token: grant.refresh_token,
    });
    const r = await scenario(
      "check-token-file",
      ["check-token", "--refresh-token-file", "user.json", "--debug", ...origin()],
      {},
      (cwd) => writeFileSync(join(cwd, "user.json"), file),
    );
    expect(r.code, r.stdout).toBe(0);
  });

  it("check-token: a revoked token (Google's invalid_grant in the report)", async () => {
    const grant = emu.admin.mintGrant({ clientId: WEB, account: ACCOUNT, scopes: [MAIL], offline: true });
    known.add(grant.refresh_token!);
    await fetch(`${emu.origin}/revoke`, { method: "POST", body: new URLSearchParams({ token: grant.refresh_token! }) });
    const r = await scenario("check-token-revoked", ["check-token", "--client-id", WEB, "--json", ...origin()], {
      GMAIL_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
      GMAIL_OAUTH_REFRESH_TOKEN: grant.refresh_token!,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/refresh_token_invalid/);
  });

  it("explain: pasted errors that quote secrets (nothing registered: the name and shape rules must catch them)", async () => {
    // Its own refresh token, minted here: the test must not depend on which tests ran before it.
    const refresh = emu.admin.mintGrant({ clientId: WEB, account: ACCOUNT, scopes: [MAIL], offline: true })
      .refresh_token!;
    known.add(refresh);
    const pasted = [
      `{"error":"invalid_client","error_description":"client_secret=${CLIENT_SECRET} is not valid for this client"}`,
      `curl -d client_secret=${CLIENT_SECRET} -d refresh_token=${refresh} https://oauth2.googleapis.com/token → {"error":"invalid_grant","error_description":"Token has been expired or revoked."}`,
      `Error: invalid_grant at OAuth2Client.refreshToken (Authorization: Bearer ${CLOUD_TOKEN})`,
    ];
    for (const [i, text] of pasted.entries()) {
      await scenario(`explain-${i}`, ["explain", "--json", text]);
      await scenario(`explain-human-${i}`, ["explain", text]);
    }
  });

  it("proxy credentials (issue 18): through an authenticating proxy, a 407 and a refused proxy, also under --debug", async () => {
    const fwd = await startForwardProxy({ user: PROXY_USER, password: PROXY_PASSWORD });
    const saved = {
      HTTP_PROXY: process.env.HTTP_PROXY,
      GMAIL_OAUTH_PROXY_LOOPBACK: process.env.GMAIL_OAUTH_PROXY_LOOPBACK,
    };
    // The proxy variables are read from the process environment, as every HTTP client does.
    process.env.GMAIL_OAUTH_PROXY_LOOPBACK = "1";
    const wrong = `http://${PROXY_USER}:${WRONG_PROXY_PASSWORD}@${fwd.origin.slice(7)}`;
    const refused = `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${await closedPort()}`;
    // The audience is declared: undeclared, a healthy run could not exit 0 (validator/verdict.ts).
    const audience = ["--user-type", "external", "--publishing-status", "testing", "--project", PROJECT];
    const args = [
      "validate",
      "--client-id",
      WEB,
      "--redirect-uri",
      `${proxy.origin}/tokeninfo`,
      ...audience,
      ...origin(),
    ];
    const env = { ...cloud, GMAIL_OAUTH_CLIENT_SECRET: CLIENT_SECRET };
    try {
      for (const [name, url, code, diagnosis] of [
        ["proxy-ok", fwd.url, 0, undefined],
        ["proxy-407", wrong, 3, "proxy_auth_required"],
        ["proxy-refused", refused, 3, "proxy_unreachable"],
      ] as const) {
        process.env.HTTP_PROXY = url;
        const json = await scenario(`${name}-json`, [...args, "--json"], env);
        expect(json.code, json.stdout).toBe(code);
        // Through the working proxy Google's checks concluded: the credentials were used, not just carried.
        if (!diagnosis) expect(json.stdout).toMatch(/"id": "live\.token",\s*"status": "pass"/);
        if (diagnosis) expect(json.stdout).toContain(diagnosis);
        await scenario(`${name}-human-debug`, [...args, "--debug"], env);
        const grant = emu.admin.mintGrant({ clientId: WEB, account: ACCOUNT, scopes: [MAIL], offline: true });
        known.add(grant.refresh_token!);
        await scenario(`${name}-check-token`, ["check-token", "--client-id", WEB, "--json", "--debug", ...origin()], {
          GMAIL_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
          GMAIL_OAUTH_REFRESH_TOKEN: grant.refresh_token!,
        });
      }
      // The credentials did reach the proxy: the scan is not vacuous.
      expect(fwd.credentials).toContain(`Basic ${basic(PROXY_USER, PROXY_PASSWORD)}`);
      expect(fwd.credentials).toContain(`Basic ${basic(PROXY_USER, WRONG_PROXY_PASSWORD)}`);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await fwd.close();
    }
  });

  it("nothing written to the temp directory during the run holds a secret", () => {
    const written = readdirSync(privateTmp, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(privateTmp, e.name));
    for (const f of written) expect(leaks(readFileSync(f, "utf8")), f).toEqual([]);
  });
});
