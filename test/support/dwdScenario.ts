// A Workspace domain with a service account and domain-wide delegation, shared by the emulator's and the validator's
// service-account tests (google-behaviour.md §10). The key pair is made here, as a key file download would hold it.
import { DEFAULT_SCOPE } from "../../google/scopes";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scenario, type ScenarioInput } from "../../emulator/index";

export const G = "https://www.googleapis.com/auth/";
/** The full-mailbox scope, as google/scopes.ts defines it. */
export const MAIL = DEFAULT_SCOPE;
export const SEND = `${G}gmail.send`;
export const READONLY = `${G}gmail.readonly`;
export const MODIFY = `${G}gmail.modify`;
export const COMPOSE = `${G}gmail.compose`;
export const PROJECT = "acme-mail";
export const SA = `gmail-relay@${PROJECT}.iam.gserviceaccount.com`;
export const SA_ID = "112233445566778899001";
export const KEY_ID = "0123456789abcdef0123456789abcdef01234567";
/** Holds roles/iam.serviceAccountTokenCreator on SA. */
export const OPS_TOKEN = "ya29.ops-cloud-token-0001";
/** A valid cloud credential without the role. */
export const INTERN_TOKEN = "ya29.intern-cloud-token-0002";
/**
 * The app's own identity: a token creator on SA, but with no access to the project, so IAM refuses it
 * projects.serviceAccounts.get (the unique ID cannot be looked up).
 */
export const SIGNER_ONLY_TOKEN = "ya29.signer-only-token-0003";

let pair: { privateKey: string; publicKey: string } | undefined;
/** One RSA pair per test process: generating keys is the slow part. */
export function keyPair(): { privateKey: string; publicKey: string } {
  pair ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return pair;
}

/** A key file as the console downloads it, written 0600 into a fresh temp dir. */
export function writeKeyFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "dwd-key-"));
  const path = join(dir, "key.json");
  const file = {
    type: "service_account",
    project_id: PROJECT,
    private_key_id: KEY_ID,
    private_key: keyPair().privateKey,
    client_email: SA,
    client_id: SA_ID,
    auth_uri: "https://accounts.google.com/o/oauth2/auth",
    token_uri: "https://oauth2.googleapis.com/token",
  };
  writeFileSync(path, JSON.stringify(file), { mode: 0o600 });
  return path;
}

/**
 * acme.com: ana, bob and carol have Gmail, nomail has none; outsider@other.org is a Google account outside any
 * Workspace domain. Delegation: SA_ID → the given scopes on acme.com.
 */
export function dwdScenario(delegated: readonly string[] = [MAIL]): ScenarioInput {
  return scenario()
    .project({ id: PROJECT, number: "765432109876", organization: "acme.com", organizationId: "4242" })
    .account({ email: "ana@acme.com", orgDomain: "acme.com", messagesTotal: 3 })
    .account({ email: "bob@acme.com", orgDomain: "acme.com" })
    .account({ email: "carol@acme.com", orgDomain: "acme.com" })
    .account({ email: "nomail@acme.com", orgDomain: "acme.com", hasMailbox: false })
    .account("outsider@other.org")
    .cloudCredential(OPS_TOKEN, { projects: [PROJECT], principal: "user:ops@acme.com" })
    .cloudCredential(INTERN_TOKEN, { projects: [PROJECT], principal: "user:intern@acme.com" })
    .cloudCredential(SIGNER_ONLY_TOKEN, {
      projects: [],
      principal: "serviceAccount:mail-app@acme-apps.iam.gserviceaccount.com",
    })
    .serviceAccount({
      email: SA,
      uniqueId: SA_ID,
      tokenCreators: ["user:ops@acme.com", "serviceAccount:mail-app@acme-apps.iam.gserviceaccount.com"],
      keys: [{ id: KEY_ID, publicKey: keyPair().publicKey }],
    })
    .delegation({ domain: "acme.com", clientId: SA_ID, scopes: [...delegated] })
    .build();
}
