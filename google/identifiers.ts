// The shapes of Google's own identifiers: what a domain, an email address, a Cloud project ID and an OAuth client ID
// look like.
// The spec parser, the validator and the emulator all judge input through these, so they cannot disagree.

/** A registered domain name in lower case (a Workspace domain, an authorized domain): labels of letters, digits and
 * hyphens, a top-level domain of letters. */
export const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const EMAIL = /^[^\s@:*]+@[^\s@:*]+\.[^\s@:*.]+$/;
/** A Cloud project ID: 6-30 lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen. */
export const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const CLIENT_ID_FORM = String.raw`\d+-[a-z0-9]+\.apps\.googleusercontent\.com`;
/** An OAuth client ID as the console shows it: NUMBER-LETTERS.apps.googleusercontent.com. */
export const CLIENT_ID = new RegExp(`^${CLIENT_ID_FORM}$`);
/** The same, found inside free text (an error page, a log line). */
export const CLIENT_ID_IN_TEXT = new RegExp(`\\b${CLIENT_ID_FORM}\\b`);

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

/** A service account's account ID (the part before @): 6-30 lower-case letters, digits and hyphens. */
export const SERVICE_ACCOUNT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** A service account's address: ACCOUNT_ID@PROJECT_ID.iam.gserviceaccount.com. */
export const SERVICE_ACCOUNT_EMAIL =
  /^([a-z][a-z0-9-]{4,28}[a-z0-9])@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/;
/** A service account's unique ID, the "Client ID" of domain-wide delegation: 21 digits (google-behaviour.md §10). */
export const SERVICE_ACCOUNT_UNIQUE_ID = /^\d{21}$/;

export function serviceAccountEmail(accountId: string, projectId: string): string {
  return `${accountId}@${projectId}.iam.gserviceaccount.com`;
}

/** Consumer Google accounts: they belong to no Workspace domain, so no service account may act as them (google-behaviour.md §10). */
export const CONSUMER_DOMAINS: readonly string[] = ["gmail.com", "googlemail.com"];

/** The domain of an address, as written (the part after its last @); "" for text without an @. */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf("@");
  return at < 0 ? "" : email.slice(at + 1);
}

export function isConsumerAddress(email: string): boolean {
  return CONSUMER_DOMAINS.includes(emailDomain(email).toLowerCase());
}
