// Gmail's per-user limits, enforced only where the scenario sets them: the project's quota units per user per minute
// ("Queries per minute per user", a project quota) and the mailbox's sending limit per rolling 24 hours (shared by
// every client of the mailbox). Method costs are the Gmail API's published quota units: getProfile 1, messages.send
// 100 (developers.google.com/workspace/gmail/api/reference/quota). Inferred: a refused call is not charged, and the
// sending limit answers at once (Google's can lag minutes behind the sends, per its "Resolve a 429" guide).
import type { Account, Project } from "./records";
import type { Clock } from "./clock";

export const GMAIL_UNITS = { getProfile: 1, send: 100 } as const;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export class GmailUsage {
  /** Per project and account: the units charged in the last minute. */
  private readonly perMinute = new Map<string, { at: number; units: number }[]>();
  /** Per account: when each message of the last 24 hours was sent. */
  private readonly sends = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  /** Charge `units` to the user in the project, or false when its per-minute quota would be exceeded. */
  charge(project: Project, account: Account, units: number): boolean {
    const limit = project.gmailUserQuotaPerMinute;
    if (limit === undefined) return true;
    const now = this.clock.now();
    const key = `${project.id}\n${account.email}`;
    const recent = (this.perMinute.get(key) ?? []).filter((u) => u.at > now - MINUTE_MS);
    const used = recent.reduce((sum, u) => sum + u.units, 0);
    const ok = used + units <= limit;
    if (ok) recent.push({ at: now, units });
    this.perMinute.set(key, recent);
    return ok;
  }

  /** When the mailbox may send again, or undefined when it is under its sending limit. */
  sendingBlockedUntil(account: Account): number | undefined {
    const limit = account.dailySendLimit;
    if (limit === undefined) return undefined;
    const now = this.clock.now();
    const recent = (this.sends.get(account.email) ?? []).filter((at) => at > now - DAY_MS);
    this.sends.set(account.email, recent);
    return recent.length >= limit ? (recent[recent.length - limit] ?? now) + DAY_MS : undefined;
  }

  recordSend(account: Account): void {
    if (account.dailySendLimit === undefined) return;
    const list = this.sends.get(account.email) ?? [];
    list.push(this.clock.now());
    this.sends.set(account.email, list);
  }
}
