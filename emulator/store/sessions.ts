// Browser sessions of the authorization pages: who signed in (in sign-in order, which gives `authuser`), whom the
// person picked, and which unverified-app warnings they clicked through. Keyed by the EMU_SID cookie.
import { randomBytes } from "node:crypto";

export interface Session {
  /** Signed-in accounts, in sign-in order; the index is `authuser` (never reordered). */
  accounts: string[];
  /** The account the person chose last (chooser, or the session's pick); the steps after sign-in act for it. */
  current?: string;
  /** Projects whose unverified-app warning this session clicked through. */
  warned: Set<string>;
}

const MAX_SESSIONS = 10_000;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  find(sid: string | undefined): Session | undefined {
    return sid ? this.sessions.get(sid) : undefined;
  }

  /** A new empty session and its id; the oldest goes when the store is full. */
  create(): { sid: string; session: Session } {
    const sid = randomBytes(18).toString("base64url");
    const session: Session = { accounts: [], warned: new Set() };
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(sid, session);
    return { sid, session };
  }
}
