// What the two delegation stages share: the stack's first service account as the emulator knows it, the app's own
// credential (the token creator on that account, keyless signing through signJwt), and the command they run.
import { randomBytes } from "node:crypto";
import { ENV } from "../../common/env";
import { registerSecret } from "../../common/redact";
import { emailDomain, serviceAccountEmail } from "../../google/identifiers";
import { SPEC_FILE } from "../accountsAndFiles";
import { runKit, type KitRun } from "../kit";
import { stage, type Stage } from "../stages";
import { kitEnv, type World } from "./world";

export interface Delegated {
  readonly email: string;
  readonly uniqueId: string;
  readonly mailboxes: readonly string[];
  readonly scopes: readonly string[];
}

/** The stack's first service account and its unique ID in the emulator; undefined when there is nothing to delegate. */
export function delegated(w: World): Delegated | undefined {
  const spec = w.stack.parsed.spec;
  const sa = spec.serviceAccounts?.[0];
  if (!sa || !spec.appServiceAccount) return undefined;
  const email = serviceAccountEmail(sa.accountId, spec.project.id);
  const uniqueId = w.emu.admin.state().serviceAccounts.find((s) => s.email === email)?.uniqueId;
  return uniqueId ? { email, uniqueId, mailboxes: sa.mailboxes, scopes: sa.scopes } : undefined;
}

/** The app's own cloud token, registered in the emulator as the principal `pulumi up` made a token creator. */
export function appCredential(w: World): string {
  const spec = w.stack.parsed.spec;
  const token = `ya29.sandbox-app-${randomBytes(24).toString("base64url")}`;
  registerSecret(token);
  w.emu.admin.addCloudCredential(token, {
    projects: [spec.project.id],
    principal: `serviceAccount:${spec.appServiceAccount}`,
  });
  return token;
}

/** validate runs with the app's identity (its token), not the operator's. */
export async function kitAsApp(w: World, appToken: string, email: string): Promise<KitRun> {
  const args = ["validate", "--spec", SPEC_FILE, "--service-account", email, "--google-origin", w.emu.origin];
  return runKit(w.runCli, args, {
    cwd: w.dir,
    env: { ...kitEnv(w, undefined), [ENV.cloudAccessToken]: appToken },
    progress: (line) => w.io.stderr.write(`  │ ${line}\n`),
  });
}

export const APP_ENV_NOTE = `${ENV.cloudAccessToken} = a token of the app's own service account (keyless signing through signJwt)`;

export const domainsOf = (mailboxes: readonly string[]) => [...new Set(mailboxes.map(emailDomain))];

/** Either delegation stage, when the stack has nothing to delegate. */
export const noDelegationStage = (id: string, title: string): Stage =>
  stage(id, title, ["  The stack declares no service account (or no appServiceAccount): nothing to show."], []);
