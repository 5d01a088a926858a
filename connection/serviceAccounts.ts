// The `serviceAccounts` part of a connection spec: service accounts the Workspace admin lets act as the domain's
// users (domain-wide delegation, docs/google-behaviour.md §10). Read field by field like the rest of the spec,
// so every problem names its full key (`gmail-oauth:serviceAccounts[0].mailboxes[1]`).
import { isGmailScope } from "../google/scopes";
import {
  CONSUMER_DOMAINS,
  isConsumerAddress,
  SERVICE_ACCOUNT_ID,
  SERVICE_ACCOUNT_UNIQUE_ID,
} from "../google/identifiers";
import {
  item,
  type Problems,
  readEnum,
  readList,
  readObject,
  readString,
  readStringList,
  reportDuplicates,
} from "../common/readers";
import { CLIENT_NAME, checkEmail, checkScope, type FieldNamer } from "./rules";
import { keysOf, serviceAccountConfigSchema, SIGNING_MODES as SIGNING_MODE_LIST } from "./schema";
import type { ServiceAccountSigning, ServiceAccountSpec } from "./types";

export const SERVICE_ACCOUNT_KEYS = keysOf(serviceAccountConfigSchema);

export const SIGNING_MODES: readonly ServiceAccountSigning[] = SIGNING_MODE_LIST;

type Mode = "config" | "spec";

/** Every declared service account, or undefined when none is declared; problems go to `p`. */
export function readServiceAccounts(
  value: unknown,
  at: FieldNamer,
  p: Problems,
  mode: Mode,
): ServiceAccountSpec[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = readList(value, at("serviceAccounts"), p);
  if (!list) return undefined;
  if (list.length === 0) {
    p.add(at("serviceAccounts"), "is empty", "declare a service account, or remove serviceAccounts");
    return undefined;
  }
  const out = list.flatMap((raw, i) => readServiceAccount(raw, i, at, p, mode) ?? []);
  reportDuplicates(
    out.map((s) => s.accountId),
    at("serviceAccounts"),
    p,
  );
  return out.length === list.length ? out : undefined;
}

function readServiceAccount(
  raw: unknown,
  index: number,
  at: FieldNamer,
  p: Problems,
  mode: Mode,
): ServiceAccountSpec | undefined {
  const f = (k: string) => at(`serviceAccounts[${index}].${k}`);
  const obj = readObject(raw, at(`serviceAccounts[${index}]`), p, SERVICE_ACCOUNT_KEYS);
  if (!obj) return undefined;
  const accountId = readString(obj.accountId, f("accountId"), p, {
    fix: "add it: the part before @ of NAME@PROJECT.iam.gserviceaccount.com, e.g. gmail-relay",
  });
  if (accountId !== undefined && !SERVICE_ACCOUNT_ID.test(accountId))
    p.add(
      f("accountId"),
      `'${accountId}' is not a service account ID`,
      "use 6-30 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen",
    );
  const name = readString(obj.name, f("name"), p, mode === "spec" ? { fix: "name the service account" } : undefined);
  if (name !== undefined && !CLIENT_NAME.test(name))
    p.add(
      f("name"),
      `'${name}' is not a usable name`,
      "use up to 40 lower-case letters, digits and hyphens, starting with a letter",
    );
  const displayName = readString(obj.displayName, f("displayName"), p);
  if (displayName !== undefined && displayName.length > 100)
    p.add(f("displayName"), "is longer than 100 characters", "shorten it");
  const description = readString(obj.description, f("description"), p);
  if (description !== undefined && description.length > 256)
    p.add(f("description"), "is longer than 256 characters", "shorten it");

  const scopes = readDelegatedScopes(obj.scopes, f("scopes"), p);
  const mailboxes = readMailboxes(obj.mailboxes, f("mailboxes"), p);
  const signing =
    obj.signing === undefined
      ? "keyless"
      : readEnum<ServiceAccountSigning>(obj.signing, f("signing"), p, SIGNING_MODES);
  const uniqueId = readString(obj.uniqueId, f("uniqueId"), p);
  if (uniqueId !== undefined && !SERVICE_ACCOUNT_UNIQUE_ID.test(uniqueId))
    p.add(
      f("uniqueId"),
      `'${uniqueId}' is not a service account unique ID`,
      "copy the 21-digit number from the stack output (serviceAccountUniqueIds) or the console's OAuth 2 Client ID",
    );
  if (accountId === undefined || !scopes || !mailboxes || !signing) return undefined;
  return {
    name: name ?? accountId,
    accountId,
    ...(displayName !== undefined && { displayName }),
    ...(description !== undefined && { description }),
    scopes,
    mailboxes,
    signing,
    ...(uniqueId !== undefined && { uniqueId }),
  };
}

/** Gmail scopes only: domain-wide delegation is for acting on mailboxes, and an identity scope proves nothing here. */
function readDelegatedScopes(value: unknown, field: string, p: Problems): string[] | undefined {
  if (value === undefined) {
    p.add(
      field,
      "is required",
      "list the Gmail scopes the admin delegates, e.g. https://www.googleapis.com/auth/gmail.send",
    );
    return undefined;
  }
  const before = p.errors.length;
  const list = readStringList(value, field, p);
  if (list.length === 0 && p.errors.length === before) p.add(field, "is empty", "list at least one Gmail scope");
  const scopes: string[] = [];
  list.forEach((s, i) => {
    const canonical = checkScope(s, item(field, i), p);
    if (canonical === undefined) return;
    if (!isGmailScope(canonical))
      p.add(
        item(field, i),
        `'${s}' is not a Gmail scope`,
        "delegate Gmail scopes only; a mailbox needs no identity scope",
      );
    else if (scopes.includes(canonical)) p.add(item(field, i), `duplicates '${canonical}'`, "remove one of them");
    else scopes.push(canonical);
  });
  return p.errors.length === before ? scopes : undefined;
}

/** At least one Workspace mailbox; consumer accounts cannot be impersonated (google-behaviour.md §10). */
function readMailboxes(value: unknown, field: string, p: Problems): string[] | undefined {
  if (value === undefined) {
    p.add(field, "is required", "list at least one Workspace mailbox the service account must act as");
    return undefined;
  }
  const before = p.errors.length;
  const list = readStringList(value, field, p);
  if (list.length === 0 && p.errors.length === before)
    p.add(field, "is empty", "list at least one Workspace mailbox to prove, e.g. billing@example.com");
  list.forEach((m, i) => {
    const at = item(field, i);
    const problems = p.errors.length;
    checkEmail(m, at, p);
    if (p.errors.length === problems && isConsumerAddress(m))
      p.add(
        at,
        `'${m}' is a consumer Google account; a service account can only act as users of a Workspace domain (${CONSUMER_DOMAINS.join(", ")} cannot be delegated)`,
        "list the Workspace address of the mailbox, or connect this one through an OAuth client instead",
      );
  });
  reportDuplicates(list, field, p, (s) => s.toLowerCase());
  return p.errors.length === before ? list.map((m) => m.toLowerCase()) : undefined;
}
