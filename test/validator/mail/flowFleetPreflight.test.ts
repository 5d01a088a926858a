// The transports beyond check-token (issue 19): `validate` (the Gmail API check follows the transport), `validate
// --flow` (SMTP and IMAP with the fresh token, before it is revoked) and `check-token --tokens` (a fleet of Flectra
// mailboxes, each logged in as the mailbox its file is named after). Real sockets, the emulator, the real CLI.
import { DEFAULT_SCOPE as MAIL } from "../../../google/scopes";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../../cli/main";
import { forgetSecrets } from "../../../common/redact";
import { scenario, startEmulator, type RunningEmulator } from "../../../emulator/index";
import { runFlow } from "../../../validator/flow/consentFlow";
import type { CheckResult } from "../../../validator/types";
import { captureIo } from "../../support/captureIo";

const PROJECT = "flectra-fleet";
const CLIENT_ID = "727272-flectra.apps.googleusercontent.com";
const DESKTOP_ID = "727272-desktop.apps.googleusercontent.com";
const SECRET = "GOCSPX-flectra-fleet-test-secret";
const CLOUD = "ya29.cloud-reader-for-the-test";

let emu: RunningEmulator;
let dir: string;
let browserScript = "";

beforeAll(() => {
  browserScript = `${join(__dirname, "../../support/run-ts.cjs")} ${join(__dirname, "../../../emulator/browser-script.ts")}`;
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "mail-fleet-"));
  emu = await startEmulator({
    scenario: scenario()
      .project({
        id: PROJECT,
        number: "727272727272",
        appName: "Flectra Fleet",
        publishingStatus: "production",
        verified: true,
        services: { "gmail.googleapis.com": "DISABLED" },
      })
      .client({
        id: CLIENT_ID,
        type: "web",
        secrets: [SECRET],
        redirectUris: ["https://erp.example.com/google_gmail/confirm"],
      })
      .client({ id: DESKTOP_ID, type: "installed", secrets: [SECRET] })
      .account("sales@example.com")
      .account({ email: "billing@example.com", imapEnabled: false })
      .cloudCredential(CLOUD, { projects: [PROJECT] }),
  });
});

afterEach(async () => {
  await emu.close();
  forgetSecrets();
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const cap = captureIo({ NO_COLOR: "1", GMAIL_OAUTH_CLIENT_SECRET: SECRET, ...env }, dir);
  const code = await runCli([...args, "--google-origin", emu.origin], cap.io);
  return { code, out: cap.out(), err: cap.err() };
}

describe("validate: the Gmail API check follows the transport", () => {
  const base = [
    "validate",
    "--client-id",
    CLIENT_ID,
    "--project",
    PROJECT,
    "--redirect-uri",
    "https://erp.example.com/google_gmail/confirm",
    "--json",
  ];

  it("SMTP/IMAP app: a disabled Gmail API is a warning, inferred", async () => {
    const r = await cli([...base, "--transport", "smtp,imap"], { GOOGLE_OAUTH_ACCESS_TOKEN: CLOUD });
    const checks = (JSON.parse(r.out) as { checks: CheckResult[] }).checks;
    expect(checks.find((c) => c.id === "live.gmail-api")).toMatchObject({
      status: "warn",
      diagnosis: "gmail_api_disabled",
      inferred: true,
    });
    expect(checks.find((c) => c.id === "offline.mail-scope")).toMatchObject({ status: "pass" });
  });

  it("Gmail-API app: the same project fails", async () => {
    const r = await cli([...base, "--transport", "gmail-api"], { GOOGLE_OAUTH_ACCESS_TOKEN: CLOUD });
    const checks = (JSON.parse(r.out) as { checks: CheckResult[] }).checks;
    expect(checks.find((c) => c.id === "live.gmail-api")).toMatchObject({
      status: "fail",
      diagnosis: "gmail_api_disabled",
    });
    expect(r.code).toBe(1);
  });

  it("SMTP declared with a narrower scope is refused before any token exists", async () => {
    const r = await cli([...base, "--transport", "smtp", "--scope", "https://www.googleapis.com/auth/gmail.send"], {
      GOOGLE_OAUTH_ACCESS_TOKEN: CLOUD,
    });
    const checks = (JSON.parse(r.out) as { checks: CheckResult[] }).checks;
    expect(checks.find((c) => c.id === "offline.mail-scope")).toMatchObject({
      status: "fail",
      diagnosis: "xoauth2_scope_insufficient",
    });
    expect(r.code).toBe(1);
  });

  it("a bad --transport is one line naming the flag, exit 2", async () => {
    const r = await cli([...base, "--transport", "pop3"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--transport: 'pop3' is not a transport");
  });
});

describe("validate --flow: SMTP and IMAP with the fresh token", () => {
  it("tests SMTP and IMAP before revoking, and passes with the Gmail API off", async () => {
    const cap = captureIo(
      {
        PATH: process.env.PATH,
        BROWSER: `${process.execPath} ${browserScript}`,
        GMAIL_OAUTH_EMULATOR_ACCOUNT: "sales@example.com",
      },
      dir,
    );
    const results = await runFlow(
      {
        clientId: DESKTOP_ID,
        clientSecret: SECRET,
        clientType: "desktop",
        redirectUris: [],
        scopes: [MAIL],
        account: "sales@example.com",
        transports: ["smtp", "imap"],
        project: PROJECT,
        googleOrigin: emu.origin,
        deadline: Date.now() + 30_000,
        provenance: {},
      },
      { io: cap.io },
    );
    const byId = (id: string) => results.find((r) => r.id === id);
    expect(byId("mail.smtp")).toMatchObject({ status: "pass" });
    expect(byId("mail.imap")).toMatchObject({ status: "pass" });
    expect(byId("token.gmail")).toMatchObject({ status: "warn", inferred: true });
    expect(byId("flow.revoke")).toMatchObject({ status: "pass" });
    expect(results.filter((r) => r.status === "fail" || r.status === "inconclusive")).toEqual([]);
  });
});

describe("check-token --tokens: a fleet of Flectra mailboxes", () => {
  it("logs each token in as the mailbox its file names; IMAP off for one domain fails that one only", async () => {
    const tokens = join(dir, "tokens");
    mkdirSync(tokens);
    for (const account of ["sales@example.com", "billing@example.com"]) {
      const refresh = emu.admin.mintGrant({ clientId: CLIENT_ID, account, scopes: [MAIL], offline: true })
        .refresh_token!;
      writeFileSync(join(tokens, account), refresh, { mode: 0o600 });
    }
    const r = await cli([
      "check-token",
      "--tokens",
      "tokens",
      "--client-id",
      CLIENT_ID,
      "--transport",
      "smtp,imap",
      "--format",
      "json",
    ]);
    const doc = JSON.parse(r.out) as { connections: { name: string; ok: boolean; checks: CheckResult[] }[] };
    const by = (name: string) => doc.connections.find((c) => c.name.endsWith(name))!;
    expect(by("sales@example.com").ok).toBe(true);
    expect(by("sales@example.com").checks).toContainEqual(expect.objectContaining({ id: "mail.imap", status: "pass" }));
    expect(by("billing@example.com").ok).toBe(false);
    expect(by("billing@example.com").checks).toContainEqual(
      expect.objectContaining({ id: "mail.imap", status: "fail", diagnosis: "imap_disabled" }),
    );
    expect(by("billing@example.com").checks).toContainEqual(
      expect.objectContaining({ id: "mail.smtp", status: "pass" }),
    );
    expect(r.code).toBe(1);
  });
});
