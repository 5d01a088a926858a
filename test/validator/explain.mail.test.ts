// `explain` on SMTP/IMAP XOAUTH2 failures pasted from mail-client logs: real cases from public threads
// (test/fixtures/explain/mail-client-logs.json, each with its source), and the log nodemailer writes when an app
// logs in to the emulator's SMTP server with a password instead of OAuth (a real socket, the real library).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { explain } from "../../validator/explain";

interface Case {
  readonly source: string;
  readonly text: string;
  readonly diagnosis: string;
  readonly details?: Record<string, string>;
}
const { cases } = JSON.parse(readFileSync(join(__dirname, "../fixtures/explain/mail-client-logs.json"), "utf8")) as {
  cases: Case[];
};

describe("explain: mail-client logs from public threads", () => {
  it.each(cases.map((c) => [c.source, c] as const))("%s", (_source, c) => {
    const result = explain(c.text);
    expect(result.diagnosis).toBe(c.diagnosis);
    if (c.details) expect(result.details).toMatchObject(c.details);
  });

  it("covers every SMTP/IMAP diagnosis a paste can show", () => {
    const covered = new Set(cases.map((c) => c.diagnosis));
    for (const code of [
      "xoauth2_invalid_credentials",
      "xoauth2_scope_insufficient",
      "imap_disabled",
      "smtp_app_password_advice",
      "mail_port_blocked",
    ])
      expect(covered, code).toContain(code);
  });
});

describe("explain: an app that logs in to SMTP with a password", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ accounts: [{ email: "sales@example.com" }] });
  });
  afterAll(async () => emu.close());

  it("reads nodemailer's AUTH PLAIN refusal as smtp_app_password_advice", async () => {
    const t = nodemailer.createTransport({
      host: emu.mail!.smtp.host,
      port: emu.mail!.smtp.starttlsPort,
      requireTLS: true,
      auth: { user: "sales@example.com", pass: "an-app-password" },
      tls: { ca: emu.mail!.caCertificate, servername: emu.mail!.smtp.serverName },
    });
    const err = (await t.verify().catch((e: unknown) => e)) as { message: string; command: string; code: string };
    expect(err.code).toBe("EAUTH");
    // What a Node app logs: the error's message and its fields.
    const pasted = `${err.message}\n  code: '${err.code}',\n  command: '${err.command}'`;
    expect(pasted).toContain("535-5.7.8 Username and Password not accepted");
    expect(explain(pasted).diagnosis).toBe("smtp_app_password_advice");
  });
});
