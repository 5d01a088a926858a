// GET /.well-known/gmail-oauth-mail: where the emulator's SMTP and IMAP servers listen and the certificate they
// present (emulator/mail/). The emulator's own document, not Google's: with --google-origin the kit reads it to reach
// the mail servers; without them (openssl missing) it answers 404 and says why.
import type { EmulatorStore } from "../store";
import { json, type Reply } from "./handler";

export function mailDiscovery(store: EmulatorStore): Reply {
  if (store.mail) return json(200, store.mail);
  return json(404, {
    error: `the emulator runs without SMTP/IMAP servers${store.mailProblem ? `: ${store.mailProblem}` : ""}`,
  });
}
