// smtp.gmail.com, the subset an app's "Test the Connection" and one test message use (google-behaviour.md §11): the greeting, EHLO
// with STARTTLS before TLS and the AUTH mechanisms after it, AUTH XOAUTH2 with Google's success and its exact failure
// sequence (334 base64 JSON challenge, the client's empty line, 535-5.7.8 BadCredentials), MAIL/RCPT/DATA, QUIT.
// Two listeners: STARTTLS (Google's 587) and implicit TLS (465). Inferred, not in docs/google-behaviour.md: the EHLO lines other than
// STARTTLS and AUTH, the wording of the MAIL/RCPT/DATA/QUIT replies, "530 5.7.0 Must issue a STARTTLS command first."
// and 535 for AUTH PLAIN/LOGIN (the emulator has no app passwords).
import { createServer as createPlainServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { GOOGLE_MAIL_WORDS as W, MAIL_HOSTS, xoauth2Challenge } from "../../google/mail";
import type { EmulatorStore } from "../store";
import type { Certificate } from "./certificate";
import { LineConversation } from "./lines";
import { judgeXoauth2, sessionId } from "./mailAuth";

const MAX_MESSAGE = 35_882_577;

export function smtpServers(store: EmulatorStore, cert: Certificate): { starttls: Server; tls: Server } {
  return {
    starttls: createPlainServer((socket) => smtpSession(store, cert, socket)),
    tls: createTlsServer({ key: cert.key, cert: cert.cert }, (socket) => smtpSession(store, cert, socket)),
  };
}

type State =
  | { kind: "command" }
  | { kind: "xoauth2-failed"; status: "400" | "401" }
  | { kind: "data"; lines: string[]; size: number };

function smtpSession(store: EmulatorStore, cert: Certificate, socket: Socket): void {
  const id = sessionId();
  const gsmtp = (text: string) => `${text} ${id} - gsmtp`;
  let state: State = { kind: "command" };
  let helo = false;
  let user: { account: string; clientId: string } | undefined;
  let from: string | undefined;
  let rcpt: string[] = [];

  const conv = new LineConversation(socket, (line) => {
    if (state.kind === "xoauth2-failed") {
      // Whatever the client answers to the challenge (normally an empty line), Google ends with 535.
      state = { kind: "command" };
      conv.write(...W.smtpBadCredentials(id));
      return;
    }
    if (state.kind === "data") {
      if (line === ".") {
        const raw = state.lines.join("\r\n");
        state = { kind: "command" };
        conv.write(gsmtp(`250 2.0.0 OK  ${Math.floor(store.clock.now() / 1000)}`));
        recordMessage(store, user!, from ?? "", rcpt, raw);
        from = undefined;
        rcpt = [];
        return;
      }
      state.size += line.length + 2;
      if (state.size > MAX_MESSAGE) {
        state = { kind: "command" };
        conv.write(gsmtp("552-5.3.4 Your message exceeded Google's message size limits."));
        return;
      }
      state.lines.push(line.startsWith("..") ? line.slice(1) : line);
      return;
    }
    const [verb = "", ...rest] = line.split(" ");
    const arg = rest.join(" ");
    switch (verb.toUpperCase()) {
      case "EHLO":
      case "HELO": {
        helo = true;
        const features = conv.secure
          ? ["SIZE 35882577", "8BITMIME", W.smtpAuthMechanisms, "ENHANCEDSTATUSCODES", "PIPELINING", "SMTPUTF8"]
          : ["SIZE 35882577", "8BITMIME", "STARTTLS", "ENHANCEDSTATUSCODES", "PIPELINING", "SMTPUTF8"];
        const first = `${MAIL_HOSTS.smtp.host} at your service, [127.0.0.1]`;
        if (verb.toUpperCase() === "HELO") return conv.write(`250 ${first}`);
        const all = [first, ...features];
        return conv.write(...all.map((f, i) => `250${i === all.length - 1 ? " " : "-"}${f}`));
      }
      case "STARTTLS":
        if (conv.secure) return conv.write(gsmtp("503 5.5.1 TLS already active."));
        conv.write("220 2.0.0 Ready to start TLS");
        helo = false;
        return conv.startTls(cert);
      case "AUTH": {
        if (!conv.secure) return conv.write(gsmtp("530 5.7.0 Must issue a STARTTLS command first."));
        if (!helo) return conv.write(gsmtp("503 5.5.1 EHLO/HELO first."));
        if (user) return conv.write(gsmtp("503 5.5.1 Already authenticated."));
        const [mechanism = "", initial] = arg.split(" ");
        if (mechanism.toUpperCase() !== "XOAUTH2") return conv.write(...W.smtpBadCredentials(id));
        if (!initial) return conv.write(gsmtp("501 5.5.2 Cannot Decode response"));
        const judged = judgeXoauth2(store, initial);
        if (!judged.ok) {
          state = { kind: "xoauth2-failed", status: judged.status };
          return conv.write(`334 ${xoauth2Challenge(judged.status)}`);
        }
        user = { account: judged.account, clientId: judged.clientId };
        return conv.write(W.smtpAccepted);
      }
      case "MAIL":
        if (!user) return conv.write(gsmtp("530-5.7.0 Authentication Required."));
        from = /<([^>]*)>/.exec(arg)?.[1] ?? "";
        rcpt = [];
        return conv.write(gsmtp("250 2.1.0 OK"));
      case "RCPT": {
        if (!user || from === undefined) return conv.write(gsmtp("503 5.5.1 MAIL first."));
        const to = /<([^>]*)>/.exec(arg)?.[1];
        if (!to) return conv.write(gsmtp("553 5.1.2 The recipient address is not a valid RFC 5321 address."));
        rcpt.push(to);
        return conv.write(gsmtp("250 2.1.5 OK"));
      }
      case "DATA":
        if (!user || rcpt.length === 0) return conv.write(gsmtp("503 5.5.1 RCPT first."));
        state = { kind: "data", lines: [], size: 0 };
        return conv.write(gsmtp("354  Go ahead"));
      case "RSET":
        from = undefined;
        rcpt = [];
        return conv.write(gsmtp("250 2.1.5 Flushed"));
      case "NOOP":
        return conv.write(gsmtp("250 2.0.0 OK"));
      case "QUIT":
        return conv.end(gsmtp("221 2.0.0 closing connection"));
      default:
        return conv.write(gsmtp("502 5.5.1 Unrecognized command."));
    }
  });
  conv.write(W.smtpGreeting(id));
}

/** A message sent over SMTP lands where the Gmail API's sends do, so tests and the sandbox see both the same way. */
function recordMessage(
  store: EmulatorStore,
  user: { account: string; clientId: string },
  from: string,
  rcpt: string[],
  raw: string,
): void {
  const head = raw.split(/\r\n\r\n/, 1)[0] ?? "";
  const header = (name: string) =>
    new RegExp(`^${name}:\\s*(.*)$`, "im").exec(head.replace(/\r\n[ \t]+/g, " "))?.[1]?.trim();
  const messageId = store.records.sentMessages().length.toString(16).padStart(16, "0");
  store.records.recordSent({
    id: messageId,
    threadId: messageId,
    account: user.account,
    clientId: user.clientId,
    raw: Buffer.from(raw, "utf8").toString("base64url"),
    headers: {
      from: header("from") ?? from,
      to: header("to") ?? rcpt.join(", "),
      cc: header("cc"),
      subject: header("subject"),
    },
    at: new Date(store.clock.now()).toISOString(),
  });
}
