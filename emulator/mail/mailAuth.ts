// SASL XOAUTH2 judged against the emulator's tokens (google-behaviour.md §11). Success needs a live access token carrying
// https://mail.google.com/, a user= that is the token's account, and a mailbox. The challenge status is 401 for a
// dead token (documented) and 400 otherwise (what threads show; which status means which is UNCONFIRMED, so inferred).
// The Gmail API's state in the project plays no part: IMAP/SMTP are not Cloud APIs (google-behaviour.md §11, inferred).
import { randomBytes } from "node:crypto";
import { allowsMailProtocols, parseXoauth2InitialResponse } from "../../google/mail";
import type { EmulatorStore } from "../store";

export type MailAuth =
  | { readonly ok: true; readonly account: string; readonly clientId: string }
  | {
      readonly ok: false;
      readonly status: "400" | "401";
      /** Why, for the emulator's own log and tests; Google's answer never says. */
      readonly reason: "malformed" | "token" | "scope" | "user" | "mailbox";
    };

export function judgeXoauth2(store: EmulatorStore, initialResponse: string): MailAuth {
  const parsed = parseXoauth2InitialResponse(initialResponse);
  if (!parsed) return { ok: false, status: "400", reason: "malformed" };
  const rec = store.tokens.findAccess(parsed.token);
  if (!rec) return { ok: false, status: "401", reason: "token" };
  if (!allowsMailProtocols(rec.scopes)) return { ok: false, status: "400", reason: "scope" };
  if (parsed.user.trim().toLowerCase() !== rec.account.toLowerCase())
    return { ok: false, status: "400", reason: "user" };
  const account = store.records.findAccount(rec.account);
  if (!account?.hasMailbox) return { ok: false, status: "400", reason: "mailbox" };
  return { ok: true, account: account.email, clientId: rec.clientId };
}

/** Google's per-session id in its replies (`a1b2c3d4e5f6.12 - gsmtp`); its shape is inferred. */
export function sessionId(): string {
  return `${randomBytes(6).toString("hex")}.${randomBytes(1)[0] % 100}`;
}
