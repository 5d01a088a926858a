// The app's own test connection (issue 19) end to end: `check-token` on a Flectra-preset spec against the emulator,
// over real SMTP and IMAP sockets with nodemailer and imapflow, one test per diagnosis the checks produce.
import { DEFAULT_SCOPE as MAIL } from "../../../google/scopes";
import { createServer, type Server } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../../cli/main";
import { forgetSecrets } from "../../../common/redact";
import { parseStackConfig } from "../../../connection/parse";
import { scenario, startEmulator, type RunningEmulator } from "../../../emulator/index";
import { googleEndpoints } from "../../../google/endpoints";
import { MAIL_DISCOVERY_PATH } from "../../../google/mail";
import { mailConnectionChecks } from "../../../validator/mail/mailChecks";
import type { CheckResult } from "../../../validator/types";
import { captureIo } from "../../support/captureIo";
import { fixture, json } from "../helpers";

const PROJECT = "flectra-mail-prod";
const CLIENT_ID = "717171-flectra.apps.googleusercontent.com";
const SECRET = "GOCSPX-flectra-mail-test-secret";
const MODIFY = "https://www.googleapis.com/auth/gmail.modify";
const EMAIL = "https://www.googleapis.com/auth/userinfo.email";

let emu: RunningEmulator;
let dir: string;
let specFile: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "mail-checks-"));
  emu = await startEmulator({
    scenario: scenario()
      .project({
        id: PROJECT,
        number: "717171717171",
        appName: "Flectra Mail",
        publishingStatus: "production",
        verified: true,
        // The Gmail API is off: Flectra never calls it.
        services: { "gmail.googleapis.com": "DISABLED" },
      })
      .client({
        id: CLIENT_ID,
        type: "web",
        secrets: [SECRET],
        redirectUris: ["https://erp.example.com/google_gmail/confirm"],
      })
      .account({ email: "sales@example.com", messagesTotal: 3 })
      .account("other@example.com")
      .account({ email: "nobox@example.com", hasMailbox: false }),
  });
  const spec = parseStackConfig({
    project: { id: PROJECT, orgId: "123456789012" },
    branding: { appName: "Flectra Mail", supportEmail: "it@example.com" },
    audience: { publishingStatus: "production" },
    preset: "flectra",
    instanceUrl: "https://erp.example.com",
    clientId: CLIENT_ID,
  });
  expect(spec.clients[0]!.transports).toEqual(["smtp", "imap"]);
  specFile = join(dir, "stack.json");
  writeFileSync(specFile, JSON.stringify({ connectionSpec: spec }));
});

afterEach(async () => {
  await emu.close();
  forgetSecrets();
});

function storeToken(account: string, scopes: string[]): string {
  const refresh = emu.admin.mintGrant({ clientId: CLIENT_ID, account, scopes, offline: true }).refresh_token!;
  const file = join(dir, `${account}.token`);
  writeFileSync(file, refresh, { mode: 0o600 });
  return file;
}

async function checkToken(account: string, scopes: string[], extra: string[] = []) {
  const cap = captureIo({ NO_COLOR: "1", GMAIL_OAUTH_CLIENT_SECRET: SECRET }, dir);
  const code = await runCli(
    [
      "check-token",
      "--spec",
      specFile,
      "--google-origin",
      emu.origin,
      "--refresh-token-file",
      storeToken(account, scopes),
      "--json",
      ...extra,
    ],
    cap.io,
  );
  const out = cap.out();
  const checks = out ? (JSON.parse(out) as { checks: CheckResult[] }).checks : [];
  return { code, checks, err: cap.err(), out, byId: (id: string) => checks.find((c) => c.id === id) };
}

describe("check-token on a Flectra connection (SMTP out, IMAP in)", () => {
  it("passes over SMTP and IMAP with XOAUTH2 although the Gmail API is disabled (warning, inferred)", async () => {
    const r = await checkToken("sales@example.com", [MAIL], ["--account", "sales@example.com"]);
    expect(r.byId("mail.smtp")).toMatchObject({ status: "pass" });
    expect(r.byId("mail.smtp")!.detail).toContain("235 2.7.0 Accepted");
    expect(r.byId("mail.imap")).toMatchObject({ status: "pass" });
    expect(r.byId("mail.imap")!.detail).toContain("INBOX selected (3 messages)");
    expect(r.byId("token.gmail")).toMatchObject({ status: "warn", diagnosis: "gmail_api_disabled", inferred: true });
    expect(r.checks.filter((c) => c.status === "inconclusive" || c.status === "fail")).toEqual([]);
    expect(r.code).toBe(0);
  });

  it("still fails a Gmail-API app on the disabled API", async () => {
    const r = await checkToken(
      "sales@example.com",
      [MAIL],
      ["--account", "sales@example.com", "--transport", "gmail-api"],
    );
    expect(r.byId("token.gmail")).toMatchObject({ status: "fail", diagnosis: "gmail_api_disabled" });
    expect(r.byId("mail.smtp")).toBeUndefined();
    expect(r.code).toBe(1);
  });

  it("xoauth2_scope_insufficient: a gmail.modify token is refused by SMTP and IMAP", async () => {
    const r = await checkToken("sales@example.com", [MODIFY], ["--account", "sales@example.com"]);
    for (const id of ["mail.smtp", "mail.imap"]) {
      expect(r.byId(id)).toMatchObject({ status: "fail", diagnosis: "xoauth2_scope_insufficient" });
      expect(r.byId(id)!.detail).toContain("status 400, scope https://mail.google.com/");
    }
    expect(r.code).toBe(1);
  });

  it("xoauth2_user_mismatch: the app logs in as another mailbox than the one that consented", async () => {
    const r = await checkToken("sales@example.com", [MAIL, EMAIL], ["--account", "other@example.com"]);
    expect(r.byId("mail.smtp")).toMatchObject({ status: "fail", diagnosis: "xoauth2_user_mismatch" });
    expect(r.byId("mail.smtp")!.detail).toContain(
      "user=other@example.com is not the token's account (sales@example.com)",
    );
    expect(r.byId("mail.imap")).toMatchObject({ status: "fail", diagnosis: "xoauth2_user_mismatch" });
  });

  it("imap_disabled: the domain's admin turned IMAP off; SMTP still passes", async () => {
    emu.admin.updateAccount("sales@example.com", { imapEnabled: false });
    const r = await checkToken("sales@example.com", [MAIL], ["--account", "sales@example.com"]);
    expect(r.byId("mail.imap")).toMatchObject({ status: "fail", diagnosis: "imap_disabled", inferred: true });
    expect(r.byId("mail.imap")!.detail).toContain("IMAP access is disabled for your domain");
    expect(r.byId("mail.smtp")).toMatchObject({ status: "pass" });
  });

  it("a mailbox-less account is named as such, not as a password problem", async () => {
    // With the Gmail API on, Gmail says "Mail service not enabled" (google-behaviour.md §5.2), which SMTP/IMAP then inherit.
    emu.admin.setServiceState(PROJECT, "gmail.googleapis.com", "ENABLED");
    const r = await checkToken("nobox@example.com", [MAIL], ["--account", "nobox@example.com"]);
    expect(r.byId("mail.smtp")).toMatchObject({ status: "fail", diagnosis: "mail_service_not_enabled" });
  });

  it("--send-test-to sends one labelled message and reports its id", async () => {
    const r = await checkToken(
      "sales@example.com",
      [MAIL],
      ["--account", "sales@example.com", "--send-test-to", "ops@example.net"],
    );
    expect(r.byId("mail.smtp")).toMatchObject({ status: "pass" });
    expect(r.byId("mail.smtp")!.detail).toMatch(/sent to ops@example\.net, 250 2\.0\.0 OK .*message id </);
    const sent = emu.admin.sentMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers).toMatchObject({
      to: "ops@example.net",
      subject: "gmail-oauth connection test (safe to delete)",
    });
  });

  it("skips the mail tests when nothing names the mailbox to log in as", async () => {
    const r = await checkToken("sales@example.com", [MAIL]);
    // mail.google.com lets Gmail name the account even without an email scope, but the API is disabled here.
    expect(r.byId("mail.smtp")).toMatchObject({ status: "skip" });
    expect(r.byId("mail.smtp")!.detail).toContain("--account");
  });
});

describe("mail checks on their own", () => {
  it("xoauth2_invalid_credentials: a dead token gets the 401 challenge", async () => {
    const results = await mailConnectionChecks(
      {
        endpoints: googleEndpoints(emu.origin),
        deadline: Date.now() + 30_000,
        transports: ["smtp", "imap"],
        user: "sales@example.com",
      },
      "ya29.expired-or-made-up",
      { tokenAccepted: false },
    );
    for (const r of results) {
      expect(r).toMatchObject({ status: "fail", diagnosis: "xoauth2_invalid_credentials" });
      expect(r.detail).toContain("status 401");
      expect(r.inferred).toBeUndefined();
    }
  });

  it("mail_port_blocked: refused connections are the network, inconclusive", async () => {
    // A port that was open a moment ago and is closed now refuses, like a firewall's reject rule.
    const closed = await new Promise<number>((resolve) => {
      const s: Server = createServer();
      s.listen(0, "127.0.0.1", () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const discovery = await fixture((req, res) => {
      if (req.url === MAIL_DISCOVERY_PATH)
        return json(res, 200, {
          smtp: { host: "127.0.0.1", starttlsPort: closed, tlsPort: closed, serverName: "smtp.gmail.com" },
          imap: { host: "127.0.0.1", port: closed, serverName: "imap.gmail.com" },
          caCertificate: emu.mail!.caCertificate,
        });
      json(res, 404, {});
    });
    try {
      const results = await mailConnectionChecks(
        {
          endpoints: googleEndpoints(discovery.origin),
          deadline: Date.now() + 30_000,
          transports: ["smtp", "imap"],
          user: "sales@example.com",
        },
        "ya29.any",
        { tokenAccepted: true },
      );
      for (const r of results) {
        expect(r).toMatchObject({ status: "inconclusive", diagnosis: "mail_port_blocked" });
        expect(r.detail).toContain("ECONNREFUSED");
      }
    } finally {
      await discovery.close();
    }
  });
});
