// imap.gmail.com, the subset an app's "Test the Connection" uses (google-behaviour.md §11): the greeting, CAPABILITY, AUTHENTICATE
// XOAUTH2 (and OAUTHBEARER, which Google also offers) with its exact failure sequence ("+ <base64 JSON>", the
// client's empty line, "NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)"), an IMAP-disabled domain, ID,
// NAMESPACE, LIST, SELECT/EXAMINE INBOX, NOOP and LOGOUT, over implicit TLS (Google's 993). Inferred, not in docs/google-behaviour.md: the
// wording of CAPABILITY's OK, ID, SELECT and LOGOUT replies (from public client logs), the post-login capability list
// (a subset without COMPRESS, ENABLE and CONDSTORE), OAUTHBEARER answering like XOAUTH2, and LOGIN with a password
// failing like a refused token (the emulator has no app passwords).
import { createServer, type Server } from "node:tls";
import type { Socket } from "node:net";
import { GOOGLE_MAIL_WORDS as W, xoauth2Challenge, xoauth2InitialResponse } from "../../google/mail";
import type { EmulatorStore } from "../store";
import type { Certificate } from "./certificate";
import { LineConversation } from "./lines";
import { judgeXoauth2, sessionId } from "./mailAuth";

const AFTER_LOGIN =
  "IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 UIDPLUS MOVE ESEARCH SPECIAL-USE";
const FLAGS = "\\Answered \\Flagged \\Draft \\Deleted \\Seen $NotPhishing $Phishing";

export function imapServer(store: EmulatorStore, cert: Certificate): Server {
  return createServer({ key: cert.key, cert: cert.cert }, (socket) => imapSession(store, socket));
}

/** OAUTHBEARER's `n,a=USER,^Ahost=…^Aport=…^Aauth=Bearer TOKEN^A^A` (RFC 7628) as an XOAUTH2 initial response. */
function oauthbearerAsXoauth2(b64: string): string {
  const text = Buffer.from(b64, "base64").toString("utf8");
  const user = /^n,a=([^,]*),/.exec(text)?.[1]?.replace(/=2C/g, ",").replace(/=3D/g, "=");
  const token = /\x01auth=Bearer ([^\x01]+)\x01/.exec(text)?.[1];
  return user !== undefined && token ? xoauth2InitialResponse(user, token) : "";
}

function imapSession(store: EmulatorStore, socket: Socket): void {
  const id = sessionId();
  let account: string | undefined;
  let pending: { tag: string } | undefined;

  const conv = new LineConversation(socket, (line) => {
    if (pending) {
      // The client's answer to the failure challenge: Google then refuses (google-behaviour.md §11).
      const { tag } = pending;
      pending = undefined;
      return conv.write(`${tag} NO ${W.imapAuthFailed}`);
    }
    const m = /^(\S+) (\S+)(?: (.*))?$/.exec(line);
    if (!m) return conv.write(`* BAD Could not parse command ${id}`);
    const [, tag, rawCommand, args = ""] = m as unknown as [string, string, string, string | undefined];
    const command = rawCommand.toUpperCase();
    switch (command) {
      case "CAPABILITY":
        return conv.write(
          `* CAPABILITY ${account ? AFTER_LOGIN : W.imapCapabilities}`,
          `${tag} OK Thats all she wrote! ${id}`,
        );
      case "NOOP":
        return conv.write(`${tag} OK Success`);
      case "ID":
        return conv.write(
          `* ID ("name" "GImap" "vendor" "Google, Inc." "support-url" "https://support.google.com/mail" "remote-host" "127.0.0.1" "connection-token" "${id}")`,
          `${tag} OK Success ${id}`,
        );
      case "AUTHENTICATE": {
        if (account) return conv.write(`${tag} BAD Already in authenticated state. ${id}`);
        const [mechanism = "", initial = ""] = args.split(" ");
        const mech = mechanism.toUpperCase();
        if (mech !== "XOAUTH2" && mech !== "OAUTHBEARER") return conv.write(`${tag} NO ${W.imapAuthFailed}`);
        const judged = judgeXoauth2(store, mech === "XOAUTH2" ? initial : oauthbearerAsXoauth2(initial));
        if (!judged.ok) {
          pending = { tag };
          return conv.write(`+ ${xoauth2Challenge(judged.status)}`);
        }
        if (store.records.findAccount(judged.account)?.imapEnabled === false)
          return conv.write(`${tag} NO ${W.imapDisabled}`);
        account = judged.account;
        return conv.write(`* CAPABILITY ${AFTER_LOGIN}`, `${tag} OK ${W.imapAuthenticated(account)}`);
      }
      case "LOGIN":
        return conv.write(`${tag} NO ${W.imapAuthFailed}`);
      case "NAMESPACE":
        if (!account) return conv.write(`${tag} BAD Command not allowed now. ${id}`);
        return conv.write(`* NAMESPACE (("" "/")) NIL NIL`, `${tag} OK Success ${id}`);
      case "LIST":
      case "XLIST":
      case "LSUB": {
        // Only INBOX exists here; `LIST "" ""` asks for the hierarchy delimiter (RFC 3501 §6.3.8).
        if (!account) return conv.write(`${tag} BAD Command not allowed now. ${id}`);
        const pattern = /"([^"]*)"\s*$/.exec(args)?.[1] ?? args.split(" ").pop() ?? "";
        const lines = pattern === "" ? ['* LIST (\\Noselect) "/" ""'] : [];
        if (pattern !== "" && /^(\*|%|INBOX)$/i.test(pattern)) lines.push('* LIST (\\HasNoChildren) "/" "INBOX"');
        return conv.write(...lines, `${tag} OK Success ${id}`);
      }
      case "SELECT":
      case "EXAMINE": {
        if (!account) return conv.write(`${tag} BAD Command not allowed now. ${id}`);
        const box = (/^"?([^"\s]+)"?/.exec(args)?.[1] ?? "").toUpperCase();
        if (box !== "INBOX") return conv.write(`${tag} NO [NONEXISTENT] Unknown Mailbox: ${args} (Failure)`);
        const exists = store.records.findAccount(account)?.messagesTotal ?? 0;
        return conv.write(
          `* FLAGS (${FLAGS})`,
          `* OK [PERMANENTFLAGS (${FLAGS} \\*)] Flags permitted.`,
          "* OK [UIDVALIDITY 1] UIDs valid.",
          `* ${exists} EXISTS`,
          "* 0 RECENT",
          `* OK [UIDNEXT ${exists + 1}] Predicted next UID.`,
          `${tag} OK [${command === "SELECT" ? "READ-WRITE" : "READ-ONLY"}] INBOX selected. (Success)`,
        );
      }
      case "LOGOUT":
        return conv.end("* BYE LOGOUT Requested", `${tag} OK 73 good day (Success)`);
      default:
        return conv.write(`${tag} BAD Could not parse command ${id}`);
    }
  });
  conv.write(W.imapGreeting(id));
}
