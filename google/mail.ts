// Gmail over SMTP and IMAP with SASL XOAUTH2 (google-behaviour.md §11): the hosts and ports, the scope they need, the XOAUTH2
// initial response and failure challenge, and Google's exact words. The emulator speaks these and the validator reads
// them, so both take them from here.
import { base64ToUtf8, utf8ToBase64 } from "../common/base64";
import { SCOPES, scopeInfo } from "./scopes";

/** How an app reaches Gmail: SMTP out, IMAP in, or the Gmail REST API. */
export type MailTransport = "smtp" | "imap" | "gmail-api";
export const MAIL_TRANSPORTS: readonly MailTransport[] = ["smtp", "imap", "gmail-api"];

/** Google's mail hosts and ports (google-behaviour.md §11, xoauth2-protocol). */
export const MAIL_HOSTS = {
  smtp: { host: "smtp.gmail.com", starttlsPort: 587, tlsPort: 465 },
  imap: { host: "imap.gmail.com", port: 993 },
} as const;

/** The one scope that allows IMAP and SMTP: "includes any usage of IMAP, SMTP, and POP3 protocols" (google-behaviour.md §7, §11). */
export const MAIL_PROTOCOL_SCOPE = SCOPES.find((s) => s.allowsImapSmtp)!.scope;

export const XOAUTH2_DOC = "https://developers.google.com/workspace/gmail/imap/xoauth2-protocol";

export function usesMailProtocols(transports: readonly MailTransport[]): boolean {
  return transports.includes("smtp") || transports.includes("imap");
}

/** SMTP and IMAP refuse every scope but https://mail.google.com/ (google-behaviour.md §11). */
export function allowsMailProtocols(granted: readonly string[]): boolean {
  return granted.some((s) => scopeInfo(s)?.allowsImapSmtp === true);
}

/** The SASL XOAUTH2 initial response: base64 of `user=<email>^Aauth=Bearer <token>^A^A` (google-behaviour.md §11). */
export function xoauth2InitialResponse(user: string, accessToken: string): string {
  return utf8ToBase64(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`);
}

/** The user and token of an initial response, or undefined when it is not one. */
export function parseXoauth2InitialResponse(b64: string): { user: string; token: string } | undefined {
  const text = base64ToUtf8(b64.trim());
  const m = /^user=([^\x01]*)\x01auth=Bearer ([^\x01]+)\x01\x01$/.exec(text);
  return m ? { user: m[1], token: m[2] } : undefined;
}

/** What the failure challenge decodes to, e.g. `{"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}`. */
export interface Xoauth2Challenge {
  readonly status: string;
  readonly schemes: string;
  readonly scope: string;
}

export function xoauth2Challenge(status: "400" | "401"): string {
  const body: Xoauth2Challenge = { status, schemes: "Bearer", scope: MAIL_PROTOCOL_SCOPE };
  return utf8ToBase64(JSON.stringify(body));
}

/** base64 of `{"status":"` — how every challenge starts, so a pasted log can be found by it. */
export const XOAUTH2_CHALLENGE_B64 = /\beyJzdGF0dXMiOi[A-Za-z0-9+/]+={0,2}/;

/** The decoded challenge inside a text (a `334 …` or `+ …` line, or a library's message), if any. */
export function findXoauth2Challenge(text: string): Xoauth2Challenge | undefined {
  const b64 = XOAUTH2_CHALLENGE_B64.exec(text)?.[0];
  const candidates = [b64 ? base64ToUtf8(b64) : undefined, text];
  for (const c of candidates) {
    const json = c && /\{"status":"\d+"[^}]*\}/.exec(c)?.[0];
    if (!json) continue;
    try {
      const o = JSON.parse(json) as Partial<Xoauth2Challenge>;
      if (typeof o.status === "string")
        return { status: o.status, schemes: String(o.schemes ?? ""), scope: String(o.scope ?? "") };
    } catch {
      /* damaged copy: try the next candidate */
    }
  }
  return undefined;
}

/**
 * Google's words on SMTP and IMAP (google-behaviour.md §11). `<id>` in Google's replies is a per-session token; the emulator fills
 * it in. The IMAP-disabled wording is UNCONFIRMED in docs/google-behaviour.md ("widely reported").
 */
export const GOOGLE_MAIL_WORDS = {
  smtpGreeting: (id: string) => `220 smtp.gmail.com ESMTP ${id} - gsmtp`,
  smtpAccepted: "235 2.7.0 Accepted",
  smtpBadCredentials: (id: string) => [
    "535-5.7.8 Username and Password not accepted. Learn more at",
    `535 5.7.8  https://support.google.com/mail/?p=BadCredentials ${id} - gsmtp`,
  ],
  smtpBadCredentialsText: "Username and Password not accepted",
  smtpAuthMechanisms: "AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH",
  imapGreeting: (id: string) => `* OK Gimap ready for requests from 127.0.0.1 ${id}`,
  imapCapabilities:
    "IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN AUTH=OAUTHBEARER AUTH=XOAUTH",
  imapAuthenticated: (user: string) => `${user} authenticated (Success)`,
  imapAuthFailed: "[AUTHENTICATIONFAILED] Invalid credentials (Failure)",
  imapDisabled:
    "[ALERT] IMAP access is disabled for your domain. Please contact your domain administrator for questions about this feature. (Failure)",
  /** A clearly labelled test message's subject, for --send-test-to. */
  testSubject: "gmail-oauth connection test (safe to delete)",
} as const;

/**
 * Where the emulator's SMTP and IMAP servers listen, and the certificate to trust for them: served by the emulator
 * at MAIL_DISCOVERY_PATH on its origin. Real Google needs none of this (MAIL_HOSTS and the system's CAs).
 */
export interface MailDiscovery {
  readonly smtp: {
    readonly host: string;
    readonly starttlsPort: number;
    readonly tlsPort: number;
    readonly serverName: string;
  };
  readonly imap: { readonly host: string; readonly port: number; readonly serverName: string };
  /** PEM. */
  readonly caCertificate: string;
}

export const MAIL_DISCOVERY_PATH = "/.well-known/gmail-oauth-mail";
