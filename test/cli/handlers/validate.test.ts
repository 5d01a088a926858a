// `gmail-oauth validate` end to end: in-process through runCli, and as a real process, against the emulator.
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { scenario, startEmulator, type RunningEmulator } from "../../../emulator/index";
import { forgetSecrets } from "../../../common/redact";
import { cli, fixture, type Fixture } from "../../validator/helpers";

const PROJECT = "acme-mail";
const NUMBER = "123456789012";
const CLIENT = `${NUMBER}-abc123.apps.googleusercontent.com`;
const SECRET = "GOCSPX-command-secret-0001";
const CLOUD = "ya29.command-cloud-credential";
let emu: RunningEmulator;
let app: Fixture;
let appUri: string;
let clientFile: string;

beforeAll(async () => {
  app = await fixture((_req, res) => {
    res.writeHead(200);
    res.end("ok");
  });
  appUri = `${app.origin}/cb`;
  emu = await startEmulator({
    scenario: scenario()
      .project({ id: PROJECT, number: NUMBER, userType: "external", publishingStatus: "production", verified: true })
      .client({ id: CLIENT, type: "web", secrets: [SECRET], redirectUris: [appUri] }),
  });
  emu.admin.addCloudCredential(CLOUD, { projects: [PROJECT] });
  const dir = await mkdtemp(join(tmpdir(), "validator-cmd-"));
  clientFile = join(dir, "client_secret.json");
  await writeFile(
    clientFile,
    JSON.stringify({
      web: {
        client_id: CLIENT,
        project_id: PROJECT,
        auth_uri: "https://accounts.google.com/o/oauth2/auth",
        token_uri: "https://oauth2.googleapis.com/token",
        client_secret: SECRET,
        redirect_uris: [appUri],
      },
    }),
  );
});
afterAll(async () => {
  await emu.close();
  await app.close();
});
afterEach(() => {
  emu.admin.clearFaults();
  emu.admin.setServiceState(PROJECT, "gmail.googleapis.com", "ENABLED");
  forgetSecrets();
});

const healthyArgs = () => [
  "validate",
  "--client-secret-file",
  clientFile,
  "--redirect-uri",
  appUri,
  // The audience is part of what proves a connection (validator/verdict.ts): undeclared, the run cannot exit 0.
  "--user-type",
  "external",
  "--publishing-status",
  "production",
  "--google-origin",
  emu.origin,
  "--timeout",
  "20",
];
const env = () => ({ GOOGLE_OAUTH_ACCESS_TOKEN: CLOUD, NO_COLOR: "1" });

describe("in-process", () => {
  test("healthy: exit 0, one line per check on stdout, progress on stderr, no secret anywhere", async () => {
    const r = await cli(healthyArgs(), { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS: +Google accepts the client, redirect URI and scopes/m);
    expect(r.stdout).toMatch(/^PASS: +Client ID and secret accepted by the token endpoint/m);
    expect(r.stdout).toMatch(/^PASS: +Gmail API enabled in the project/m);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.stderr).toContain("… token endpoint");
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(SECRET);
      expect(out).not.toContain(CLOUD);
    }
  });

  test("--json: one document with ok, summary and checks", async () => {
    const r = await cli([...healthyArgs(), "--json"], { env: env() });
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.summary.fail).toBe(0);
    expect(doc.checks.find((c: { id: string }) => c.id === "live.token").status).toBe("pass");
  });

  test("a failure exits 1 and prints the fix and the link", async () => {
    emu.admin.setServiceState(PROJECT, "gmail.googleapis.com", "DISABLED");
    const r = await cli(healthyArgs(), { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("[gmail_api_disabled]");
    expect(r.stdout).toContain(
      `Link:  https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=${NUMBER}`,
    );
  });

  test("nothing failed but something was inconclusive: exit 3", async () => {
    const r = await cli(healthyArgs(), { env: { NO_COLOR: "1" } });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("[cloud_credentials_missing]");
  });

  test("bad input: exit 2, one line naming the flag, no stack trace", async () => {
    const r = await cli(["validate", "--user-type", "public"], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "gmail-oauth: --user-type: 'public' is not one of external, internal; use external or internal\n",
    );
  });

  test("a secret typed on the command line is refused and never echoed", async () => {
    const r = await cli(["validate", "--client-secret", "GOCSPX-typed-secret-value"], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("GOCSPX-typed-secret-value");
  });
});

describe("explain in-process", () => {
  test("a string: exit 0 when recognized", async () => {
    const r = await cli(["explain", "--json", '{"error":"invalid_client","error_description":"Unauthorized"}']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).diagnosis).toBe("client_secret_invalid");
  });

  test("stdin with -, and a file path", async () => {
    const viaStdin = await cli(["explain", "-"], {
      stdin: "Error 400: invalid_request\nThe out-of-band (OOB) flow has been blocked",
    });
    expect(viaStdin.code).toBe(0);
    expect(viaStdin.stdout).toContain("[oob_flow_blocked]");
    const dir = await mkdtemp(join(tmpdir(), "explain-"));
    await writeFile(join(dir, "error.txt"), "Mail service not enabled");
    const viaFile = await cli(["explain", "error.txt"], { cwd: dir });
    expect(viaFile.stdout).toContain("[mail_service_not_enabled]");
  });

  test("not recognized: exit 1; nothing given: exit 2", async () => {
    const r = await cli(["explain", "the printer is on fire"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Not recognized");
    const none = await cli(["explain"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^gmail-oauth: INPUT: nothing to explain; /);
  });
});

describe("as a real process", () => {
  const RUN = join(__dirname, "../../support/run-ts.cjs");
  const MAIN = join(__dirname, "..", "..", "..", "cli", "main.ts");
  const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [RUN, MAIN, ...args],
        { env: { PATH: process.env.PATH, HOME: "/nonexistent", ...extraEnv }, timeout: 60_000 },
        (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
        },
      );
    });

  test("validate --json against the emulator: exit 0 and a JSON document", async () => {
    const r = await run([...healthyArgs(), "--json"], { GOOGLE_OAUTH_ACCESS_TOKEN: CLOUD });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ok).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  test("validate with bad input exits 2 with one line", async () => {
    const r = await run(["validate", "--account", "not-an-email"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("--help lists validate and explain", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/validate +Check that a Gmail OAuth connection will work/);
    expect(r.stdout).toMatch(/explain \[input\]/);
  });

  test("explain reads stdin", async () => {
    const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [RUN, MAIN, "explain", "--json", "-"],
        { env: { PATH: process.env.PATH } },
        (err, stdout) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout }),
      );
      child.stdin!.end('{"error":"deleted_client","error_description":"The OAuth client was deleted."}');
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).diagnosis).toBe("client_deleted");
  });
});
