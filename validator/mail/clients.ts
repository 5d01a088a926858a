// The app's own "Test the Connection", with the client libraries Node mail apps use: nodemailer's SMTP transport
// (AUTH XOAUTH2, then QUIT, or one labelled message) and imapflow (AUTHENTICATE XOAUTH2, SELECT INBOX, LOGOUT).
// Each returns what Google said, with the server's lines kept so the XOAUTH2 challenge can be decoded; none throws.
// SMTP and IMAP go straight to the host: they do not pass through an HTTP(S) proxy.
import { Xoauth2ImapFlow } from "./imapflowAdapter";
import nodemailer from "nodemailer";
import { findXoauth2Challenge, GOOGLE_MAIL_WORDS, type Xoauth2Challenge } from "../../google/mail";
import { redact } from "../../common/redact";
import type { MailTarget } from "./targets";

export type MailOutcome =
  | { readonly kind: "ok"; readonly detail: string; readonly messageId?: string }
  /** Google refused the credentials: its reply, and the decoded challenge when it sent one. */
  | { readonly kind: "auth-failed"; readonly reply: string; readonly challenge?: Xoauth2Challenge }
  | { readonly kind: "imap-disabled"; readonly reply: string }
  /** No conversation with the server: refused, timed out, unreachable (the network, not Google). */
  | { readonly kind: "unreachable"; readonly code: string; readonly detail: string }
  | { readonly kind: "other"; readonly detail: string };

const NETWORK_CODES = new Set([
  "ETIMEDOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "GREETING_TIMEOUT",
]);

/** Per-connection bound; the run's deadline shortens it. */
const CONNECT_MS = 15_000;

function bound(deadline: number): number {
  return Math.max(1_000, Math.min(CONNECT_MS, deadline - Date.now()));
}

function firstLine(text: string): string {
  return redact(text.split("\n")[0] ?? "").trim();
}

/** A failure other than the server refusing the login: the network (unreachable, timed out), or anything else. */
function failureOutcome(
  err: { code?: unknown; errno?: unknown; message?: string },
  target: MailTarget,
  thrown: unknown,
): MailOutcome {
  // nodemailer reports ESOCKET with the system's code only in the message ("connect ECONNREFUSED 1.2.3.4:587").
  const inMessage = /\b(E[A-Z_]+)\b/.exec(err.message ?? "")?.[1];
  const code = [err.errno, err.code, inMessage].find((c) => typeof c === "string" && NETWORK_CODES.has(c)) as
    | string
    | undefined;
  const timeout = /timeout|timed out/i.test(err.message ?? "");
  if (!code && !timeout)
    return { kind: "other", detail: `${target.host}:${target.port}: ${firstLine(err.message ?? String(thrown))}` };
  return {
    kind: "unreachable",
    code: code ?? "ETIMEDOUT",
    detail: `${target.host}:${target.port}: ${firstLine(err.message ?? String(code))}`,
  };
}

export interface SmtpTestOptions {
  readonly deadline: number;
  /** Send one labelled message here after authenticating, instead of quitting. */
  readonly sendTo?: string;
}

export async function smtpTest(
  target: MailTarget,
  user: string,
  accessToken: string,
  opts: SmtpTestOptions,
): Promise<MailOutcome> {
  const serverLines: string[] = [];
  // nodemailer logs the conversation through its logger; the server's lines are what a mail client's log shows.
  const record = (entry: { tnx?: string } | undefined, ...args: unknown[]) => {
    if (entry?.tnx === "server") serverLines.push(args.map(String).join(" "));
  };
  const ms = bound(opts.deadline);
  const transport = nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: target.secure,
    requireTLS: !target.secure,
    auth: { type: "OAuth2", user, accessToken },
    tls: { servername: target.servername, ...(target.ca ? { ca: target.ca } : {}) },
    connectionTimeout: ms,
    greetingTimeout: ms,
    socketTimeout: ms,
    debug: true,
    logger: {
      level: () => {},
      trace: record,
      debug: record,
      info: record,
      warn: record,
      error: record,
      fatal: record,
    } as never,
  });
  try {
    if (!opts.sendTo) {
      await transport.verify();
      return { kind: "ok", detail: `${target.host}:${target.port}: ${GOOGLE_MAIL_WORDS.smtpAccepted}, then QUIT` };
    }
    const info = await transport.sendMail({
      from: user,
      to: opts.sendTo,
      subject: GOOGLE_MAIL_WORDS.testSubject,
      text: `This message was sent by gmail-oauth to test that ${user} can send over SMTP with OAuth (XOAUTH2). You can delete it.`,
    });
    return {
      kind: "ok",
      detail: `${target.host}:${target.port}: sent to ${opts.sendTo}, ${firstLine(String(info.response))}`,
      messageId: String(info.messageId),
    };
  } catch (e) {
    const err = e as { code?: string; errno?: string; message?: string; response?: string; responseCode?: number };
    const log = serverLines.join("\n");
    const challenge = findXoauth2Challenge(log);
    const badCredentials = /^53[45][- ]/m.exec(log) ? log.split("\n").filter((l) => /^53[45][- ]/.test(l)) : [];
    if (challenge || badCredentials.length > 0 || err.code === "EAUTH")
      return {
        kind: "auth-failed",
        reply: redact(badCredentials.join("\n") || err.response || err.message || "AUTH refused"),
        ...(challenge && { challenge }),
      };
    return failureOutcome(err, target, e);
  } finally {
    transport.close();
  }
}

export async function imapTest(
  target: MailTarget,
  user: string,
  accessToken: string,
  opts: { readonly deadline: number },
): Promise<MailOutcome> {
  const ms = bound(opts.deadline);
  const serverLines: string[] = [];
  const keep = (entry: { src?: string; msg?: string } | undefined) => {
    if (entry?.src === "s" && typeof entry.msg === "string") serverLines.push(entry.msg);
  };
  const client = new Xoauth2ImapFlow({
    host: target.host,
    port: target.port,
    secure: true,
    auth: { user, accessToken },
    tls: { servername: target.servername, ...(target.ca ? { ca: target.ca } : {}) },
    connectionTimeout: ms,
    greetingTimeout: ms,
    socketTimeout: ms,
    disableAutoIdle: true,
    logRaw: false,
    logger: { debug: keep, info: keep, warn: keep, error: keep },
  });
  client.on("error", () => {
    /* reported through connect()'s rejection */
  });
  try {
    await client.connect();
    const box = await client.mailboxOpen("INBOX", { readOnly: true });
    await client.logout();
    return {
      kind: "ok",
      detail: `${target.host}:${target.port}: authenticated, INBOX selected (${box.exists} messages), LOGOUT`,
    };
  } catch (e) {
    const err = e as {
      code?: string;
      errno?: string;
      message?: string;
      response?: string;
      responseText?: string;
      serverResponseCode?: string;
      authenticationFailed?: boolean;
      /** imapflow's decoding of the "+ <base64 JSON>" challenge. */
      oauthError?: { status?: unknown; schemes?: unknown; scope?: unknown };
    };
    const said = err.response ?? err.responseText ?? "";
    if (/IMAP access is disabled/i.test(said) || serverLines.some((l) => /IMAP access is disabled/i.test(l)))
      return { kind: "imap-disabled", reply: firstLine(said || serverLines.find((l) => /IMAP access/i.test(l))!) };
    if (err.authenticationFailed || err.serverResponseCode === "AUTHENTICATIONFAILED") {
      const o = err.oauthError;
      const challenge =
        o && typeof o.status === "string"
          ? { status: o.status, schemes: String(o.schemes ?? ""), scope: String(o.scope ?? "") }
          : findXoauth2Challenge([...serverLines, said].join("\n"));
      return {
        kind: "auth-failed",
        reply: firstLine(said || GOOGLE_MAIL_WORDS.imapAuthFailed),
        ...(challenge && { challenge }),
      };
    }
    return failureOutcome(err, target, e);
  } finally {
    client.close();
  }
}
