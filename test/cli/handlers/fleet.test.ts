// `gmail-oauth fleet`, `validate --all` and `check-token --tokens` end to end: in-process through runCli, against the
// emulator over real HTTP on 127.0.0.1.
import { DEFAULT_SCOPE as MAIL } from "../../../google/scopes";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { forgetSecrets } from "../../../common/redact";
import { startEmulator, type RunningEmulator } from "../../../emulator/index";
import type { ConnectionSpec } from "../../../connection/types";
import { cli, fixture, type Fixture } from "../../validator/helpers";
import { checkXml } from "../../validator/fleet/xml";
import { PROMTOOL, promtool } from "../../support/promtool";

const PROJECT = "acme-mail";
const NUMBER = "123456789012";
const CLIENT_A = `${NUMBER}-alpha.apps.googleusercontent.com`;
const CLIENT_B = `${NUMBER}-beta.apps.googleusercontent.com`;
const UNKNOWN = `${NUMBER}-nobody.apps.googleusercontent.com`;
const SECRET_A = "GOCSPX-fleet-alpha-secret-0001";
const SECRET_B = "GOCSPX-fleet-beta-secret-0002";
const SECRET_X = "GOCSPX-fleet-unknown-secret-0003";
const CLOUD = "ya29.fleet-cloud-credential";
let emu: RunningEmulator;
let app: Fixture;
let appUri: string;
let dir: string;
let liveToken: string;

const env = (extra: NodeJS.ProcessEnv = {}) => ({
  GOOGLE_OAUTH_ACCESS_TOKEN: CLOUD,
  NO_COLOR: "1",
  BETA_SECRET: SECRET_B,
  NOBODY_SECRET: SECRET_X,
  ...extra,
});

async function write(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

function spec(): ConnectionSpec {
  return {
    version: 1,
    project: { mode: "adopt", id: PROJECT, deletionProtection: true, number: NUMBER },
    branding: {
      appName: "Acme Mail",
      supportEmail: "it@example.com",
      developerContacts: ["it@example.com"],
      authorizedDomains: ["example.com"],
    },
    audience: { userType: "external", publishingStatus: "production", testUsers: [], verification: "verified" },
    dataAccess: { scopes: [MAIL] },
    clients: [
      { name: "alpha", type: "web", redirectUris: [appUri], javascriptOrigins: [], clientId: CLIENT_A },
      { name: "beta", type: "web", redirectUris: [appUri], javascriptOrigins: [], clientId: CLIENT_B },
    ],
    oauthAdmins: [],
  };
}

function everySecret(): string[] {
  return [SECRET_A, SECRET_B, SECRET_X, CLOUD, liveToken];
}

function expectNoSecret(...outputs: string[]): void {
  for (const out of outputs) for (const s of everySecret()) expect(out).not.toContain(s);
}

beforeAll(async () => {
  app = await fixture((_req, res) => {
    res.writeHead(200);
    res.end("ok");
  });
  appUri = `${app.origin}/cb`;
  emu = await startEmulator({
    projects: [{ id: PROJECT, number: NUMBER, userType: "external", publishingStatus: "production", verified: true }],
    clients: [
      { id: CLIENT_A, projectId: PROJECT, type: "web", secrets: [SECRET_A], redirectUris: [appUri] },
      { id: CLIENT_B, projectId: PROJECT, type: "web", secrets: [SECRET_B], redirectUris: [appUri] },
    ],
    accounts: [{ email: "ana@example.com" }, { email: "bo@example.com" }],
  });
  emu.admin.addCloudCredential(CLOUD, { projects: [PROJECT] });
  liveToken = emu.admin.mintGrant({ clientId: CLIENT_A, account: "ana@example.com", scopes: [MAIL], offline: true })
    .refresh_token!;
  dir = await mkdtemp(join(tmpdir(), "fleet-cmd-"));
  await write("alpha.json", {
    web: {
      client_id: CLIENT_A,
      project_id: PROJECT,
      auth_uri: "https://accounts.google.com/o/oauth2/auth",
      token_uri: "https://oauth2.googleapis.com/token",
      client_secret: SECRET_A,
      redirect_uris: [appUri],
    },
  });
  await write("ana.token", liveToken);
  await write("stack.json", { connectionSpec: spec() });
});
afterAll(async () => {
  await emu?.close();
  await app?.close();
});
afterEach(() => forgetSecrets());

/** A healthy connection (client file, token) and a broken one (a client Google does not know). */
function fleetYaml(): string {
  return `defaults:
  googleOrigin: ${emu.origin}
  timeout: 20
connections:
  - name: alpha
    clientSecretFile: alpha.json
    redirectUris: [${appUri}]
    account: ana@example.com
    refreshTokenFile: ana.token
    # The audience is part of what proves a connection: undeclared, the row could not be OK (validator/verdict.ts).
    userType: external
    publishingStatus: production
  - name: nobody
    client-id: ${UNKNOWN}
    clientSecretEnv: NOBODY_SECRET
    redirect-uri: ${appUri}
    project: ${PROJECT}
`;
}

describe("gmail-oauth fleet", () => {
  test("a healthy and a broken connection in one run: exit 1, one line each, the broken one explained", async () => {
    await write("fleet.yaml", fleetYaml());
    const r = await cli(["fleet", "fleet.yaml"], { cwd: dir, env: env() });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    // Declared production without a declared verification: the offline verification check warns.
    expect(r.stdout).toMatch(/^WARN +alpha: \d+ passed, 1 warnings, 0 failed, 0 inconclusive/m);
    expect(r.stdout).toMatch(/^FAIL +nobody: /m);
    expect(r.stdout).toContain("[client_not_found]");
    expect(r.stdout).toMatch(/^2 connections: 0 ok, 1 with warnings, 1 failing, 0 inconclusive;/m);
    expectNoSecret(r.stdout, r.stderr);
  });

  test("--format junit: well-formed, a testsuite per connection with the right counts", async () => {
    await write("fleet.yaml", fleetYaml());
    const r = await cli(["fleet", "fleet.yaml", "--format", "junit", "--concurrency", "2"], { cwd: dir, env: env() });
    expect(r.code).toBe(1);
    const suites = checkXml(r.stdout).filter((e) => e.name === "testsuite");
    expect(suites.map((s) => s.attrs.name)).toEqual(["alpha", "nobody"]);
    const json = await cli(["fleet", "fleet.yaml", "--json"], { cwd: dir, env: env() });
    const doc = JSON.parse(json.stdout) as {
      connections: { name: string; summary: Record<string, number>; checks: unknown[] }[];
      ok: boolean;
    };
    expect(doc.ok).toBe(false);
    for (const [i, c] of doc.connections.entries()) {
      const attrs = suites[i]!.attrs;
      expect(Number(attrs.tests)).toBe(c.checks.length);
      expect(Number(attrs.failures)).toBe(c.summary.fail);
      expect(Number(attrs.errors)).toBe(c.summary.inconclusive);
      expect(Number(attrs.skipped)).toBe(c.summary.skip);
    }
    expect(doc.connections[0]!.summary.fail).toBe(0);
    expect(doc.connections[1]!.summary.fail).toBeGreaterThan(0);
    // The token check ran for the entry that names a token.
    expect(doc.connections[0]!.checks).toContainEqual(expect.objectContaining({ id: "token.refresh", status: "pass" }));
    expect((r.stdout.match(/<failure /g) ?? []).length).toBe(doc.connections[1]!.summary.fail);
    expectNoSecret(r.stdout, json.stdout);
  });

  test("--checks token keeps only the stored-token checks, and needs a token in every entry", async () => {
    await write("fleet.yaml", fleetYaml());
    const r = await cli(["fleet", "fleet.yaml", "--checks", "token"], { cwd: dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("fleet.yaml:connections[1].refreshTokenFile: is needed");
    await write("tokens-only.yaml", fleetYaml().split("  - name: nobody")[0]);
    const ok = await cli(["fleet", "tokens-only.yaml", "--checks", "token", "--json"], { cwd: dir, env: env() });
    expect(ok.code).toBe(0);
    const ids = (JSON.parse(ok.stdout).connections[0].checks as { id: string }[]).map((c) => c.id);
    expect(ids.every((id) => id.startsWith("token."))).toBe(true);
  });

  test("bad entries: exit 2, every field named with the fix, nothing run", async () => {
    await write(
      "bad.yaml",
      `connections:
  - name: one
    clientSecretFile: alpha.json
  - name: two
    clientSecretFile: alpha.json
    account: not-an-address
  - name: one
    clientId: ${UNKNOWN}
    clientSecretEnv: UNSET_VARIABLE
    acount: x@example.com
`,
    );
    const before = app.requests.length;
    const r = await cli(["fleet", "bad.yaml"], { cwd: dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("bad.yaml:connections[2].name: 'one' is already the name of connections[0]");
    expect(r.stderr).toContain("bad.yaml:connections[2].acount: unknown key; did you mean 'account'?");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Values are checked once the file's shape is right.
    await write(
      "bad2.yaml",
      `connections:
  - name: one
    clientSecretFile: alpha.json
  - name: two
    clientSecretFile: alpha.json
    account: not-an-address
  - name: three
    clientId: ${UNKNOWN}
    clientSecretEnv: UNSET_VARIABLE
`,
    );
    const r2 = await cli(["fleet", "bad2.yaml"], { cwd: dir, env: env() });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(
      "bad2.yaml:connections[1].account: 'not-an-address' is not an email address; write it as name@example.com",
    );
    expect(r2.stderr).toContain("bad2.yaml:connections[2].clientSecretEnv: names UNSET_VARIABLE, which is not set");
    expect(app.requests.length).toBe(before);
  });

  test("an inline secret is refused with the fix, and never echoed", async () => {
    await write(
      "inline.yaml",
      `connections:
  - name: alpha
    clientId: ${CLIENT_A}
    clientSecret: ${SECRET_A}
`,
    );
    const r = await cli(["fleet", "inline.yaml"], { cwd: dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("inline.yaml:connections[0].clientSecret: is a secret written into the fleet file");
    expect(r.stderr).toContain("clientSecretEnv");
    expectNoSecret(r.stdout, r.stderr);
  });

  test("a missing fleet file and a bad option: exit 2 naming them", async () => {
    const missing = await cli(["fleet", "nope.yaml"], { cwd: dir, env: env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "gmail-oauth: nope.yaml: does not exist; pass the path of a fleet file (YAML or JSON, see docs/fleet.md)\n",
    );
    await write("fleet.yaml", fleetYaml());
    const conc = await cli(["fleet", "fleet.yaml", "--concurrency", "0"], { cwd: dir, env: env() });
    expect(conc.code).toBe(2);
    expect(conc.stderr).toContain("--concurrency: '0' is not a whole number from 1 to 64");
    const fmt = await cli(["fleet", "fleet.yaml", "--format", "xml"], { cwd: dir, env: env() });
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toContain("--format: 'xml' is not one of text, json, jsonl, junit, openmetrics");
  });
});

describe("validate --all", () => {
  test("every client of the spec in one report, each check prefixed by its client", async () => {
    const r = await cli(["validate", "--all", "--spec", "stack.json", "--google-origin", emu.origin, "--json"], {
      cwd: dir,
      env: env({ GMAIL_OAUTH_CLIENT_SECRET_ALPHA: SECRET_A, GMAIL_OAUTH_CLIENT_SECRET_BETA: SECRET_B }),
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { checks: { id: string; status: string; title: string }[] };
    expect(doc.checks).toContainEqual(
      expect.objectContaining({
        id: "alpha/live.token",
        status: "pass",
        title: "alpha: Client ID and secret accepted by the token endpoint",
      }),
    );
    expect(doc.checks).toContainEqual(expect.objectContaining({ id: "beta/live.token", status: "pass" }));
    expect(doc.checks.every((c) => /^(alpha|beta)\//.test(c.id))).toBe(true);
    expectNoSecret(r.stdout, r.stderr);
  });

  test("a client without its secret fails, the other passes; exit 1", async () => {
    const r = await cli(["validate", "--all", "--spec", "stack.json", "--google-origin", emu.origin], {
      cwd: dir,
      env: env({ GMAIL_OAUTH_CLIENT_SECRET_ALPHA: SECRET_A }),
    });
    expect(r.code).toBe(1);
    // Each client in its own section; the problem's evidence once, below.
    expect(r.stdout).toMatch(
      /^beta\n(?: {2}.*\n)*? {2}FAIL: +No client secret was provided \[client_secret_missing\] +\(offline\.client-secret\)$/m,
    );
    expect(r.stdout).toMatch(/^alpha\n(?: {2}.*\n)*? {2}PASS: +Client ID and secret accepted by the token endpoint/m);
    expect(r.stdout).toContain(
      "FAIL beta: No client secret was provided [client_secret_missing]\n  Seen:  GMAIL_OAUTH_CLIENT_SECRET_BETA is not set",
    );
    expect(r.stdout.split("GMAIL_OAUTH_CLIENT_SECRET_BETA is not set").length - 1).toBe(1);
  });

  test("--stack: runs `pulumi stack output` once for all clients", async () => {
    // A stand-in pulumi on PATH that prints the stack outputs and counts its calls.
    const bin = join(dir, "fake-bin");
    await mkdir(bin, { recursive: true });
    const calls = join(dir, "pulumi-calls.log");
    await writeFile(join(bin, "pulumi"), `#!/bin/sh\necho "$@" >> ${calls}\ncat ${join(dir, "stack.json")}\n`, {
      mode: 0o755,
    });
    const r = await cli(["validate", "--all", "--stack", "dev", "--google-origin", emu.origin, "--json"], {
      cwd: dir,
      env: env({
        PATH: `${bin}:${process.env.PATH}`,
        GMAIL_OAUTH_CLIENT_SECRET_ALPHA: SECRET_A,
        GMAIL_OAUTH_CLIENT_SECRET_BETA: SECRET_B,
      }),
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { checks: { id: string; status: string }[] };
    expect(doc.checks).toContainEqual(expect.objectContaining({ id: "alpha/live.token", status: "pass" }));
    expect(doc.checks).toContainEqual(expect.objectContaining({ id: "beta/live.token", status: "pass" }));
    expect((await readFile(calls, "utf8")).trim().split("\n")).toEqual([
      "stack output --json --show-secrets --stack dev",
    ]);
  });

  test("--format openmetrics and --metrics-file: one series set per client, parsed by promtool", async () => {
    const r = await cli(
      [
        "validate",
        "--all",
        "--spec",
        "stack.json",
        "--google-origin",
        emu.origin,
        "--format",
        "openmetrics",
        "--metrics-file",
        "all.prom",
      ],
      { cwd: dir, env: env({ GMAIL_OAUTH_CLIENT_SECRET_ALPHA: SECRET_A }) },
    );
    expect(r.code, r.stderr).toBe(1);
    const up = (client: string) => new RegExp(`^gmail_oauth_connection_up\\{connection="${client}"\\} (\\d)$`, "m");
    expect(r.stdout.match(up("alpha"))?.[1], r.stdout).toBe("1");
    expect(r.stdout.match(up("beta"))?.[1], r.stdout).toBe("0");
    expect(r.stdout).toMatch(
      /^gmail_oauth_connection_diagnosis\{connection="beta",diagnosis="client_secret_missing",[^}]*\} 1$/m,
    );
    expect(r.stdout.trimEnd().endsWith("# EOF")).toBe(true);
    // The file holds the same series (only the check times may differ by the write).
    expect(await readFile(join(dir, "all.prom"), "utf8")).toBe(r.stdout);
    expectNoSecret(r.stdout, r.stderr);
    if (PROMTOOL) {
      const lint = await promtool(["check", "metrics"], r.stdout);
      expect(lint.code, lint.stderr + lint.stdout).toBe(0);
    }
  });

  test("refused combinations: exit 2 with the flag", async () => {
    const one = await cli(["validate", "--all", "--spec", "stack.json", "--client", "alpha"], { cwd: dir, env: env() });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain("--client: cannot be combined with --all");
    const noSpec = await cli(["validate", "--all"], { cwd: dir, env: env() });
    expect(noSpec.code).toBe(2);
    expect(noSpec.stderr).toContain("--all: reads the clients from the spec; pass --spec FILE");
    const shared = await cli(["validate", "--all", "--spec", "stack.json"], {
      cwd: dir,
      env: env({ GMAIL_OAUTH_CLIENT_SECRET: SECRET_A }),
    });
    expect(shared.code).toBe(2);
    expect(shared.stderr).toContain("GMAIL_OAUTH_CLIENT_SECRET: would be taken as the secret of every client");
    expectNoSecret(shared.stderr);
  });
});

describe("check-token --tokens", () => {
  test("a directory: each token checked, the account from the file name; a dead token fails", async () => {
    const tokens = join(dir, "tokens");
    await mkdir(tokens, { recursive: true });
    await writeFile(join(tokens, "ana@example.com"), liveToken);
    await writeFile(join(tokens, "bo@example.com.token"), "1//0deadDeadDeadDeadDeadDead");
    await writeFile(join(tokens, ".ana@example.com.abc.tmp"), "not a token file");
    const r = await cli(
      [
        "check-token",
        "--tokens",
        "tokens",
        "--client-secret-file",
        "alpha.json",
        "--google-origin",
        emu.origin,
        "--format",
        "json",
      ],
      { cwd: dir, env: env() },
    );
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      connections: { name: string; ok: boolean; checks: { id: string; status: string; diagnosis?: string }[] }[];
    };
    expect(doc.connections.map((c) => [c.name, c.ok])).toEqual([
      [join("tokens", "ana@example.com"), true],
      [join("tokens", "bo@example.com.token"), false],
    ]);
    expect(doc.connections[0]!.checks).toContainEqual(expect.objectContaining({ id: "token.account", status: "pass" }));
    expect(doc.connections[1]!.checks).toContainEqual(
      expect.objectContaining({ id: "token.refresh", status: "fail", diagnosis: "refresh_token_invalid" }),
    );
    expectNoSecret(r.stdout, r.stderr, "1//0deadDeadDeadDeadDeadDead");
    expect(r.stdout).not.toContain("1//0deadDeadDeadDeadDeadDead");
  });

  test("a list file holding a token is refused without echoing it; --account is refused", async () => {
    await write("list.txt", liveToken);
    const r = await cli(["check-token", "--tokens", "list.txt", "--client-secret-file", "alpha.json"], {
      cwd: dir,
      env: env(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--tokens: list.txt holds a token, not a list of token files");
    expectNoSecret(r.stderr);
    const acct = await cli(
      ["check-token", "--tokens", "tokens", "--account", "ana@example.com", "--client-secret-file", "alpha.json"],
      { cwd: dir, env: env() },
    );
    expect(acct.code).toBe(2);
    expect(acct.stderr).toContain("--account: names one mailbox, but --tokens checks many");
  });
});
