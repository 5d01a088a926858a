// The sandbox end to end, in-process: the real CLI entry (runCli), the real Pulumi program under the sandbox's
// engine, the emulator, and validate / check-token run as commands. Each stage's outcome is checked from the
// --json document, and no secret may appear in anything printed.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../cli/main";
import { startEmulator, type RunningEmulator } from "../../emulator";
import type { Admin } from "../../emulator/admin";
import { bundledStackPath, runSandbox, type SandboxDocument } from "../../sandbox";

/** The walkthrough's stages, counted here rather than taken from the code under test (docs/architecture.md lists them). */
const STAGES = 13;
import { captureIo } from "../support/captureIo";

// Google's secret shapes, unredacted: a client secret, an access token, a refresh token, an authorization code.
const SECRET_SHAPES = [
  /GOCSPX-[A-Za-z0-9_-]{4,}/,
  /ya29\.[A-Za-z0-9_-]{8,}/,
  /1\/\/0[A-Za-z0-9_-]{8,}/,
  /4\/0A[A-Za-z0-9_-]{8,}/,
];

function expectNoSecret(text: string, secrets: readonly string[]): void {
  for (const s of secrets) expect(text.includes(s), "a known secret was printed").toBe(false);
  for (const re of SECRET_SHAPES) expect(re.test(text), `a secret shaped ${re} was printed`).toBe(false);
}

describe("gmail-oauth sandbox --json (in-process, injected emulator)", () => {
  let emu: RunningEmulator;
  let doc: SandboxDocument;
  let code: number;
  let out: string;
  let err: string;

  beforeAll(async () => {
    emu = await startEmulator();
    const cap = captureIo({ NO_COLOR: "1" });
    code = await runSandbox(cap.io, { runCli, json: true, emulator: emu });
    out = cap.out();
    err = cap.err();
    doc = JSON.parse(out) as SandboxDocument;
  });
  afterAll(async () => emu?.close());

  const stageOf = (id: string) => {
    const s = doc.stages.find((x) => x.id === id);
    expect(s, `stage ${id}`).toBeDefined();
    return s!;
  };

  it("exits 0 with every stage as expected, as one JSON document", () => {
    expect(doc.stages.filter((s) => !s.ok).map((s) => ({ id: s.id, checks: s.checks.filter((c) => !c.ok) }))).toEqual(
      [],
    );
    expect(code).toBe(0);
    expect(doc.ok).toBe(true);
    expect(doc.stages.map((s) => s.id)).toEqual([
      "provision",
      "runbook",
      "console",
      "store-credentials",
      "validate-broken",
      "fix",
      "validate-fixed",
      "check-token",
      "test-connection",
      "dwd-validate-broken",
      "dwd-validate-fixed",
      "forecast",
      "expiry",
    ]);
    expect(doc.stages).toHaveLength(STAGES);
    expect(doc.emulator.origin).toBe(emu.origin);
    for (const s of doc.stages) {
      expect(s.checks.length).toBeGreaterThan(0);
      for (const c of s.checks)
        expect(c).toEqual({ expected: expect.any(String), actual: expect.any(String), ok: true });
    }
  });

  it("Flectra's Test the Connection: IMAP off is diagnosed on the way, then SMTP and IMAP pass (issue 19)", () => {
    const s = stageOf("test-connection");
    expect(s.exitCode).toBe(0);
    expect(s.lines.join("\n")).toContain("IMAP access is disabled for your domain");
    expect(s.checks.map((c) => c.expected)).toEqual(
      expect.arrayContaining(["diagnosis imap_disabled", "SMTP passes after the fix", "IMAP passes after the fix"]),
    );
  });

  it("provisioned the project in the emulator with the number the program reported", () => {
    const project = emu.admin.state().projects.find((p) => p.id === doc.project?.id);
    expect(project?.number).toBe(doc.project?.number);
    expect(project?.services["gmail.googleapis.com"]).toBe("ENABLED");
    expect(stageOf("provision").lines.join("\n")).toContain("gcp:organizations/project:Project");
  });

  it("the broken setup: exit 1, the redirect mismatch and the blocked consent diagnosed", () => {
    const s = stageOf("validate-broken");
    expect(s.exitCode).toBe(1);
    expect(s.diagnoses).toEqual(expect.arrayContaining(["redirect_uri_not_registered", "consent_not_completed"]));
    expect(s.command).toMatch(
      /^gmail-oauth validate --spec gmail-connection\.json --client flectra --client-secret-file client_secret\.json --account mailbox@example\.com --google-origin http:\/\/127\.0\.0\.1:\d+ --flow --timeout \d+$/,
    );
    expect(s.lines.join("\n")).toContain("Error 403: access_denied");
  });

  it("the fixed setup passes with the Testing warning, check-token passes, and 8 days later diagnoses the expiry", () => {
    const fixed = stageOf("validate-fixed");
    expect(fixed.exitCode).toBe(0);
    expect(fixed.diagnoses).toEqual(["testing_refresh_token_expiry"]);
    expect(stageOf("check-token").exitCode).toBe(0);
    // Issue 16: the kept consent record lets check-token warn before the Testing token dies.
    const forecast = stageOf("forecast");
    expect(forecast.exitCode).toBe(0);
    expect(forecast.diagnoses).toEqual(["refresh_token_expires_soon"]);
    expect(forecast.lines.join("\n")).toMatch(/expires in 23 hours \d+ minutes, on /);
    const expiry = stageOf("expiry");
    expect(expiry.exitCode).toBe(1);
    expect(expiry.diagnoses).toEqual(["refresh_token_invalid", "refresh_token_expired"]);
    expect(expiry.lines.join("\n")).toMatch(/most likely first: 1\. the app is in Testing/);
  });

  it("registered the client in the emulator as fixed, and names its ID in the document", () => {
    const id = doc.clients[0]?.clientId ?? "";
    expect(id).toMatch(/\.apps\.googleusercontent\.com$/);
    const client = emu.admin.state().clients.find((c) => c.id === id);
    expect(client?.redirectUris.some((u) => u.endsWith("/google_gmail/confirm"))).toBe(true);
    expect(client?.redirectUris.some((u) => u.endsWith("/google_gmail/confirm/"))).toBe(false);
    expect(emu.admin.state().projects[0]?.testUsers).toEqual(["ana@example.com", "mailbox@example.com"]);
  });

  it("prints no secret anywhere, and removes its work directory", () => {
    const { records } = (emu.admin as Admin).store;
    const secrets = doc.clients.flatMap((c) => records.findClient(c.clientId)?.secrets ?? []);
    expect(secrets.length).toBeGreaterThan(0);
    expectNoSecret(out, secrets);
    expectNoSecret(err, secrets);
    const dir = /work directory (\/\S+?);?\s/.exec(err)?.[1];
    expect(dir).toBeDefined();
    expect(existsSync(dir!)).toBe(false);
  });
});

describe("gmail-oauth sandbox (through runCli, human output)", () => {
  it("prints each stage as a section with the runbook and the client ID, and exits 0", async () => {
    const cap = captureIo({ NO_COLOR: "1" });
    const code = await runCli(["sandbox"], cap.io);
    const out = cap.out();
    expect(code, out.slice(-2000)).toBe(0);
    for (let n = 1; n <= STAGES; n++) expect(out).toMatch(new RegExp(`── ${n}\\. `));
    expect(out).toContain("# Console runbook: Sandbox Mail (project `sandbox-gmail-demo`)");
    expect(out).toMatch(/Created Web application client "flectra": ID \d+-[a-z0-9]+\.apps\.googleusercontent\.com/);
    expect(out).toContain("$ gmail-oauth check-token --spec gmail-connection.json");
    expect(out).toContain(`Sandbox: all ${STAGES} stages behaved as expected.`);
    expect(out).not.toMatch(/\u001b\[/); // NO_COLOR
    expectNoSecret(out, []);
    expectNoSecret(cap.err(), []);
  });

  it("refuses a bad --stack-config with one line naming the key, exit 2", async () => {
    const { mkdtemp, readFile, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "sandbox-test-"));
    try {
      // The bundled stack with one bad value, so exactly one problem is reported.
      const good = await readFile(bundledStackPath(), "utf8");
      await writeFile(join(dir, "Pulumi.bad.yaml"), good.replace("userType: external", "userType: public"));
      const cap = captureIo({}, dir);
      const code = await runCli(["sandbox", "--stack-config", "Pulumi.bad.yaml"], cap.io);
      expect(code).toBe(2);
      const lines = cap.err().trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^gmail-oauth: Pulumi\.bad\.yaml: gmail-oauth:audience\.userType: .*public/);
      expect(cap.out()).toBe("");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("--port without --serve is a usage error", async () => {
    const cap = captureIo();
    expect(await runCli(["sandbox", "--port", "8089"], cap.io)).toBe(2);
    expect(cap.err().trim()).toBe("gmail-oauth: --port: only applies with --serve; add --serve, or drop --port");
  });
});
