// The emulator's SMTP and IMAP servers driven by the client libraries Node mail apps use (nodemailer, imapflow) and
// by a raw TLS socket where the exact bytes matter (google-behaviour.md §11): greeting, capabilities, XOAUTH2 success and the
// failure sequence with its base64 JSON challenge, an IMAP-disabled domain, INBOX select, one message sent.
import { connect as tlsConnect } from "node:tls";
import { ImapFlow } from "imapflow";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator/index";
import { MAIL_DISCOVERY_PATH, type MailDiscovery, xoauth2InitialResponse } from "../../../google/mail";
import { MAIL, READONLY, scenario, WEB } from "../helpers";

let emu: RunningEmulator;
let mail: MailDiscovery;

beforeAll(async () => {
  emu = await startEmulator(scenario("http://127.0.0.1:1/cb"));
  const res = await fetch(`${emu.origin}${MAIL_DISCOVERY_PATH}`);
  expect(res.status).toBe(200);
  mail = (await res.json()) as MailDiscovery;
});
afterAll(async () => emu.close());

const token = (account: string, scopes = [MAIL]) =>
  emu.admin.mintGrant({ clientId: WEB, account, scopes }).access_token;

function transport(user: string, accessToken: string, implicitTls = false) {
  const lines: string[] = [];
  const log = (_e: unknown, ...args: unknown[]) => lines.push(args.map(String).join(" "));
  const t = nodemailer.createTransport({
    host: mail.smtp.host,
    port: implicitTls ? mail.smtp.tlsPort : mail.smtp.starttlsPort,
    secure: implicitTls,
    requireTLS: !implicitTls,
    auth: { type: "OAuth2", user, accessToken },
    tls: { ca: mail.caCertificate, servername: mail.smtp.serverName },
    logger: { level: () => {}, trace: log, debug: log, info: log, warn: log, error: log, fatal: log },
    debug: true,
  });
  return { t, lines };
}

function imap(user: string, accessToken: string) {
  return new ImapFlow({
    host: mail.imap.host,
    port: mail.imap.port,
    secure: true,
    auth: { user, accessToken },
    tls: { ca: mail.caCertificate, servername: mail.imap.serverName },
    logger: process.env.IMAP_DEBUG ? undefined : false,
  });
}

/** A raw TLS conversation: each line is sent once the server's last reply ends with a complete line. */
async function rawImap(lines: readonly string[]): Promise<string> {
  const socket = tlsConnect({
    host: mail.imap.host,
    port: mail.imap.port,
    ca: mail.caCertificate,
    servername: mail.imap.serverName,
  });
  let got = "";
  socket.on("data", (d) => {
    got += d.toString();
  });
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  };
  await until(() => got.includes("Gimap ready"));
  for (const [i, line] of lines.entries()) {
    const before = got.length;
    socket.write(`${line}\r\n`);
    const tag = `A${i + 1} `;
    await until(
      () =>
        got.length > before &&
        got.endsWith("\r\n") &&
        (got.includes(`\n${tag}`) ||
          got.slice(before).startsWith("+ ") ||
          got.slice(before).includes("\n+ ") ||
          /\nA\d+ /.test(got.slice(before))),
    );
  }
  socket.destroy();
  return got;
}

describe("SMTP (smtp.gmail.com stand-in)", () => {
  it("greets as Google, offers STARTTLS before TLS and XOAUTH2 after it, and accepts a full-mail token", async () => {
    const { t, lines } = transport("ana@example.com", token("ana@example.com"));
    await expect(t.verify()).resolves.toBe(true);
    const log = lines.join("\n");
    expect(log).toMatch(/220 smtp\.gmail\.com ESMTP \S+ - gsmtp/);
    expect(log).toContain("250-STARTTLS");
    expect(log).toContain("250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH");
    expect(log).toContain("235 2.7.0 Accepted");
  });

  it("accepts the same token on the implicit-TLS port (465)", async () => {
    const { t } = transport("ana@example.com", token("ana@example.com"), true);
    await expect(t.verify()).resolves.toBe(true);
  });

  it("answers a token without https://mail.google.com/ with the 334 challenge, then 535-5.7.8", async () => {
    const { t, lines } = transport("ana@example.com", token("ana@example.com", [READONLY]));
    await expect(t.verify()).rejects.toThrow();
    const log = lines.join("\n");
    const b64 = /334 (\S+)/.exec(log)?.[1];
    expect(JSON.parse(Buffer.from(b64!, "base64").toString())).toEqual({
      status: "400",
      schemes: "Bearer",
      scope: "https://mail.google.com/",
    });
    expect(log).toContain("535-5.7.8 Username and Password not accepted. Learn more at");
    expect(log).toMatch(/535 5\.7\.8 {2}https:\/\/support\.google\.com\/mail\/\?p=BadCredentials \S+ - gsmtp/);
  });

  it("says 401 in the challenge for a dead token, and 400 for a user= that is not the token's account", async () => {
    const dead = transport("ana@example.com", "ya29.not-a-live-token");
    await expect(dead.t.verify()).rejects.toThrow();
    expect(Buffer.from(/334 (\S+)/.exec(dead.lines.join("\n"))![1]!, "base64").toString()).toContain('"status":"401"');
    const other = transport("bob@example.com", token("ana@example.com"));
    await expect(other.t.verify()).rejects.toThrow();
    expect(Buffer.from(/334 (\S+)/.exec(other.lines.join("\n"))![1]!, "base64").toString()).toContain('"status":"400"');
  });

  it("sends one message and records it where Gmail API sends land", async () => {
    const before = emu.admin.sentMessages().length;
    const { t } = transport("ana@example.com", token("ana@example.com"));
    const info = await t.sendMail({ from: "ana@example.com", to: "ops@example.net", subject: "hello", text: "hi" });
    expect(info.response).toMatch(/^250 2\.0\.0 OK/);
    const sent = emu.admin.sentMessages();
    expect(sent).toHaveLength(before + 1);
    expect(sent.at(-1)!.headers).toMatchObject({ to: "ops@example.net", subject: "hello" });
  });
});

describe("IMAP (imap.gmail.com stand-in)", () => {
  it("authenticates a full-mail token, selects INBOX and logs out", async () => {
    const client = imap("ana@example.com", token("ana@example.com"));
    await client.connect();
    const box = await client.mailboxOpen("INBOX");
    const ana = emu.admin.state().accounts.find((a) => a.email === "ana@example.com")!;
    expect(box.exists).toBe(ana.messagesTotal);
    expect(box.exists).toBeGreaterThanOrEqual(12);
    await client.logout();
  });

  it("refuses a narrower scope with [AUTHENTICATIONFAILED]", async () => {
    const client = imap("ana@example.com", token("ana@example.com", [READONLY]));
    await expect(client.connect()).rejects.toMatchObject({ authenticationFailed: true });
  });

  it("refuses an account whose domain turned IMAP off, with Google's [ALERT]", async () => {
    emu.admin.updateAccount("carol@example.org", { imapEnabled: false });
    const client = imap("carol@example.org", token("carol@example.org"));
    const err = (await client.connect().catch((e: unknown) => e)) as { responseText?: string; response?: string };
    expect(`${err.response ?? ""} ${err.responseText ?? ""}`).toContain("IMAP access is disabled for your domain");
  });

  it("speaks XOAUTH2 byte for byte: the + challenge, the empty answer, then NO [AUTHENTICATIONFAILED]", async () => {
    const ir = xoauth2InitialResponse("ana@example.com", "ya29.not-a-live-token");
    const text = await rawImap(["A1 CAPABILITY", `A2 AUTHENTICATE XOAUTH2 ${ir}`, ""]);
    expect(text).toContain(
      "* CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR AUTH=XOAUTH2",
    );
    expect(text).toContain(
      "+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==",
    );
    expect(text).toContain("A2 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)");
  });
});
