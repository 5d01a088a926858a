// What may be asked of the emulator about service accounts and domain-wide delegation (google-behaviour.md §10): the input shapes
// of a scenario's `serviceAccounts` and `delegations`, and of the admin operations on them, with their readers. Each
// reader names the exact field that is wrong and carries on (common/readers.ts).
import { createPublicKey } from "node:crypto";
import type { z } from "zod";
import { delegationInputSchema, keysOf, serviceAccountInputSchema, serviceAccountKeyInputSchema } from "./schema";
import {
  child,
  item,
  type Problems,
  readBoolean,
  readList,
  readObject,
  readString,
  readStringList,
} from "../common/readers";
import { DOMAIN, SERVICE_ACCOUNT_EMAIL, SERVICE_ACCOUNT_UNIQUE_ID } from "../google/identifiers";
import { canonicalScope, isKnownScope } from "../google/scopes";

export type ServiceAccountKeyInput = z.input<typeof serviceAccountKeyInputSchema>;
export type ServiceAccountInput = z.input<typeof serviceAccountInputSchema>;
/** One row of a domain's Manage Domain Wide Delegation table: client ID → scopes (empty: the row is removed). */
export type DelegationInput = z.input<typeof delegationInputSchema>;

export interface ServiceAccountKeyPatch {
  disabled?: boolean;
  deleted?: boolean;
}

const SA_KEYS = keysOf(serviceAccountInputSchema);
const KEY_KEYS = keysOf(serviceAccountKeyInputSchema);
const DELEGATION_KEYS = keysOf(delegationInputSchema);
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PRINCIPAL = /^(user|group|serviceAccount|domain):\S+$/;

export function readServiceAccountEmail(v: unknown, field: string, p: Problems): string | undefined {
  const s = readString(v, field, p, { fix: "write NAME@PROJECT.iam.gserviceaccount.com" })?.toLowerCase();
  if (s === undefined) return undefined;
  if (SERVICE_ACCOUNT_EMAIL.test(s)) return s;
  p.add(field, `'${s}' is not a service account email`, "write NAME@PROJECT.iam.gserviceaccount.com");
  return undefined;
}

function readPrincipals(v: unknown, field: string, p: Problems): string[] | undefined {
  if (v === undefined) return undefined;
  const list = readStringList(v, field, p);
  list.forEach((m, i) => {
    if (!PRINCIPAL.test(m))
      p.add(item(field, i), `'${m}' is not an IAM principal`, "write user:EMAIL, serviceAccount:EMAIL or group:EMAIL");
  });
  return list;
}

function readKey(v: unknown, at: string, p: Problems): ServiceAccountKeyInput | undefined {
  const o = readObject(v, at, p, KEY_KEYS);
  if (!o) return undefined;
  const id = readString(o.id, child(at, "id"), p);
  if (id !== undefined && !KEY_ID.test(id)) p.add(child(at, "id"), `'${id}' is not a key ID`, "use letters and digits");
  // PEM ends with a newline, which readString would call a trailing space.
  const publicKey = readString(
    typeof o.publicKey === "string" ? o.publicKey.trim() : o.publicKey,
    child(at, "publicKey"),
    p,
    { fix: "give the public key as PEM" },
  );
  if (publicKey !== undefined) {
    try {
      createPublicKey(publicKey);
    } catch {
      p.add(child(at, "publicKey"), "is not a PEM public key", "give -----BEGIN PUBLIC KEY----- … as one string");
      return undefined;
    }
  }
  const disabled = readBoolean(o.disabled, child(at, "disabled"), p);
  return publicKey === undefined
    ? undefined
    : { ...(id && { id }), publicKey, ...(disabled !== undefined && { disabled }) };
}

export function readServiceAccountInput(v: unknown, at: string, p: Problems): ServiceAccountInput | undefined {
  const o = readObject(v, at, p, SA_KEYS);
  if (!o) return undefined;
  const email = readServiceAccountEmail(o.email, child(at, "email"), p);
  const uniqueId = readString(o.uniqueId, child(at, "uniqueId"), p);
  if (uniqueId !== undefined && !SERVICE_ACCOUNT_UNIQUE_ID.test(uniqueId))
    p.add(child(at, "uniqueId"), `'${uniqueId}' is not a unique ID`, "use 21 digits");
  const displayName = readString(o.displayName, child(at, "displayName"), p);
  const disabled = readBoolean(o.disabled, child(at, "disabled"), p);
  const tokenCreators = readPrincipals(o.tokenCreators, child(at, "tokenCreators"), p);
  const keys = (readList(o.keys, child(at, "keys"), p) ?? []).flatMap(
    (k, i) => readKey(k, item(child(at, "keys"), i), p) ?? [],
  );
  if (email === undefined) return undefined;
  return {
    email,
    ...(uniqueId !== undefined && { uniqueId }),
    ...(displayName !== undefined && { displayName }),
    ...(disabled !== undefined && { disabled }),
    ...(tokenCreators !== undefined && { tokenCreators }),
    keys,
  };
}

/** The admin console takes scopes as typed; only known scope URLs are stored, so a typo is caught here. */
export function readDelegationInput(v: unknown, at: string, p: Problems): DelegationInput | undefined {
  const o = readObject(v, at, p, DELEGATION_KEYS);
  if (!o) return undefined;
  const domain = readString(o.domain, child(at, "domain"), p, {
    fix: "give the Workspace domain, e.g. acme.com",
  })?.toLowerCase();
  if (domain !== undefined && !DOMAIN.test(domain))
    p.add(child(at, "domain"), `'${domain}' is not a domain`, "give the Workspace domain, e.g. acme.com");
  const clientId = readString(o.clientId, child(at, "clientId"), p, { fix: "give the service account's unique ID" });
  if (clientId !== undefined && !/^\d{1,30}$/.test(clientId))
    p.add(child(at, "clientId"), `'${clientId}' is not a numeric client ID`, "use the service account's unique ID");
  const scopes = readStringList(o.scopes, child(at, "scopes"), p);
  scopes.forEach((s, i) => {
    if (!isKnownScope(s)) p.add(item(child(at, "scopes"), i), `'${s}' is not a known scope`, "write the scope URL");
  });
  if (domain === undefined || clientId === undefined) return undefined;
  return { domain, clientId, scopes: [...new Set(scopes.map(canonicalScope))] };
}

export function readKeyPatch(v: unknown, at: string, p: Problems): ServiceAccountKeyPatch | undefined {
  const o = readObject(v, at, p, ["disabled", "deleted"]);
  if (!o) return undefined;
  const disabled = readBoolean(o.disabled, child(at, "disabled"), p);
  const deleted = readBoolean(o.deleted, child(at, "deleted"), p);
  return { ...(disabled !== undefined && { disabled }), ...(deleted !== undefined && { deleted }) };
}

export function readPrincipalList(v: unknown, field: string, p: Problems): string[] | undefined {
  if (!Array.isArray(v)) {
    p.add(field, "must be a list of IAM principals", 'e.g. ["user:ops@acme.com"]');
    return undefined;
  }
  return readPrincipals(v, field, p);
}
