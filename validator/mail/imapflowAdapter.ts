// imapflow, made to authenticate as Flectra, Odoo and most mail clients do: with XOAUTH2 (google-behaviour.md §11).
// imapflow answers OAUTHBEARER when the server offers it, as Gmail does, so the test hides OAUTHBEARER from its choice.
// That needs imapflow's `authenticate()`, which its JavaScript has (the step `connect()` runs after the greeting and
// CAPABILITY) but its declarations do not: the one cast lives here, and test/validator/mail/imapflowAdapter.test.ts
// fails when an imapflow release renames or drops it.
import { ImapFlow } from "imapflow";

/** imapflow's untyped step, as far as the adapter calls it. */
interface Authenticating {
  authenticate(): Promise<unknown>;
}

/** The prototype method this adapter overrides and calls; undefined if imapflow no longer has it. */
export function imapflowAuthenticate(): Authenticating["authenticate"] | undefined {
  const method = (ImapFlow.prototype as Partial<Authenticating>).authenticate;
  return typeof method === "function" ? method : undefined;
}

export class Xoauth2ImapFlow extends ImapFlow {
  async authenticate(): Promise<unknown> {
    this.capabilities.delete("AUTH=OAUTHBEARER");
    const authenticate = imapflowAuthenticate();
    if (!authenticate) throw new Error("imapflow no longer has authenticate(): validator/mail/imapflowAdapter.ts");
    return authenticate.call(this);
  }
}
