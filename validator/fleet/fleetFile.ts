// The fleet file: a YAML or JSON list of connections, each described with the keys of `validate`'s flags. Secrets
// never sit in it: an entry names the files or environment variables that hold them, and an inline secret is refused.
// Every problem is reported at once, each naming its field as `FILE:connections[3].account`.
import YAML from "yaml";
import { z } from "zod";
import { keysOf } from "../../common/schema";
import { InputError, InputErrors } from "../../common/errors";
import { redact, registerSecret } from "../../common/redact";
import { child, item, Problems, readList, readObject, readString, unknownKeyProblem } from "../../common/readers";
import type { ValidateFlags } from "../options";

/** One connection of the fleet, its values as written (checked in depth later, by resolveInput). */
export interface FleetEntry {
  readonly name: string;
  /** `fleet.yaml:connections[3]`: every field named in an error about this entry starts with it. */
  readonly at: string;
  readonly flags: ValidateFlags;
  /** Environment variables holding this connection's secrets (names only). */
  readonly clientSecretEnv?: string;
  readonly cloudTokenEnv?: string;
  readonly refreshTokenEnv?: string;
  readonly refreshTokenFile?: string;
}

type Kind = "string" | "list" | "number" | "env";

/** Every entry key (camelCase), its kind, and the `validate` flag it stands for when it is one. */
export const ENTRY_KEYS: Readonly<Record<string, { kind: Kind; flag?: keyof ValidateFlags }>> = {
  name: { kind: "string" },
  spec: { kind: "string", flag: "spec" },
  stack: { kind: "string", flag: "stack" },
  client: { kind: "string", flag: "client" },
  clientSecretFile: { kind: "string", flag: "clientSecretFile" },
  clientId: { kind: "string", flag: "clientId" },
  clientSecretEnv: { kind: "env" },
  redirectUris: { kind: "list", flag: "redirectUri" },
  scopes: { kind: "list", flag: "scope" },
  account: { kind: "string", flag: "account" },
  project: { kind: "string", flag: "project" },
  userType: { kind: "string", flag: "userType" },
  publishingStatus: { kind: "string", flag: "publishingStatus" },
  testUsers: { kind: "list", flag: "testUser" },
  timeout: { kind: "number", flag: "timeout" },
  googleOrigin: { kind: "string", flag: "googleOrigin" },
  cloudTokenEnv: { kind: "env" },
  refreshTokenFile: { kind: "string" },
  refreshTokenEnv: { kind: "env" },
  serviceAccount: { kind: "string", flag: "serviceAccount" },
  serviceAccountKeyFile: { kind: "string", flag: "serviceAccountKeyFile" },
  mailboxes: { kind: "list", flag: "mailbox" },
};
const KNOWN = Object.keys(ENTRY_KEYS);

/** A known entry key's kind and flag; only called with keys already checked against ENTRY_KEYS. */
function entryKey(key: string): { kind: Kind; flag?: keyof ValidateFlags } {
  const entry = ENTRY_KEYS[key];
  if (!entry) throw new Error(`fleet file: '${key}' is not an entry key`);
  return entry;
}
/** The flag spellings of the repeatable options, accepted beside the plural keys. */
const SINGULAR: Readonly<Record<string, string>> = {
  redirectUri: "redirectUris",
  scope: "scopes",
  testUser: "testUsers",
  mailbox: "mailboxes",
};
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const camel = (key: string) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
/** `client-secret-file`, `clientSecretFile`, `redirect-uri` and `redirectUris` all name one key. */
export function normalizeKey(key: string): string {
  const c = camel(key);
  return SINGULAR[c] ?? c;
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const VALUE_SCHEMA: Readonly<Record<Kind, () => z.ZodType>> = {
  string: () => z.string(),
  list: () => z.union([z.string(), z.array(z.string())]),
  number: () => z.union([z.number().positive(), z.string()]).describe("seconds"),
  env: () => z.string().describe("The NAME of an environment variable, never its value."),
};
/** Every spelling of every entry key (camelCase, kebab-case, the flags' singular forms) with its value's shape. */
function entryShape(withName: boolean): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  const spellings = [...KNOWN, ...Object.keys(SINGULAR)].filter((k) => withName || k !== "name");
  for (const key of spellings) {
    const value = VALUE_SCHEMA[entryKey(normalizeKey(key)).kind]().optional();
    shape[key] = value;
    shape[kebab(key)] = value;
  }
  return shape;
}
/**
 * The fleet file's shape, derived from ENTRY_KEYS (the one table of entry keys, their kinds and flags): the JSON Schema
 * shipped for editors (schemas/fleet.schema.json). The reader below judges the values (secrets refused, names unique).
 */
export const fleetFileSchema = z.strictObject({
  connections: z
    .array(z.strictObject({ ...entryShape(true), name: z.string() }))
    .min(1)
    .describe("One entry per connection, each with a unique name."),
  defaults: z.strictObject(entryShape(false)).optional().describe("Values every connection starts from."),
});
const TOP_KEYS: readonly string[] = keysOf(fleetFileSchema);

/** Where an inline secret should go instead, by the key it was written under. */
function inlineSecretFix(key: string): string | undefined {
  if (/^(clientsecrets?|secret)$/.test(key.replace(/[-_]/g, "").toLowerCase()))
    return "put it in the client JSON named by clientSecretFile, or in an environment variable named by clientSecretEnv";
  if (/refresh/i.test(key))
    return "put it in a file (mode 0600) named by refreshTokenFile, or in an environment variable named by refreshTokenEnv";
  if (/token|password|secret|credential/i.test(key))
    return "put it in an environment variable and name that variable (cloudTokenEnv for the Cloud credential)";
  return undefined;
}

/** A value with the shape of a Google secret (or one this run already handles) is refused wherever it is written. */
function looksSecret(value: unknown): boolean {
  if (typeof value === "string") return redact(value) !== value;
  return Array.isArray(value) && value.some(looksSecret);
}

function readEntryValue(key: string, value: unknown, field: string, p: Problems): unknown {
  const kind = entryKey(key).kind;
  if (looksSecret(value)) {
    // Mask it in case a later message quotes it; the message itself never does.
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === "string") registerSecret(v);
    p.add(
      field,
      "holds what looks like a secret (a client secret, token or code)",
      kind === "env"
        ? "write the NAME of the environment variable that holds it, not its value"
        : "secrets never go in the fleet file: name a file or an environment variable that holds it",
    );
    return undefined;
  }
  if (kind === "list") {
    if (typeof value === "string")
      return [readString(value, field, p, { fix: "remove the empty value" })].filter((v) => v !== undefined);
    const list = readList(value, field, p) ?? [];
    return list
      .map((v, i) => readString(v, item(field, i), p, { fix: "remove the empty entry" }))
      .filter((v) => v !== undefined);
  }
  if (kind === "number") {
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof n !== "number" || !Number.isFinite(n) || n <= 0) {
      p.add(field, `must be a positive number of seconds, got ${JSON.stringify(value)}`, "e.g. timeout: 30");
      return undefined;
    }
    return n;
  }
  const s = readString(value, field, p, {
    fix:
      kind === "env" ? "name an environment variable, e.g. ACME_GMAIL_CLIENT_SECRET" : "give a value or remove the key",
  });
  if (s !== undefined && kind === "env" && !ENV_NAME.test(s)) {
    p.add(
      field,
      `'${s}' is not an environment variable name`,
      "use letters, digits and underscores, e.g. ACME_GMAIL_CLIENT_SECRET",
    );
    return undefined;
  }
  return s;
}

/** The keys of one entry (or of `defaults`), normalized and checked one by one. */
function readEntryKeys(
  raw: Record<string, unknown>,
  field: string,
  p: Problems,
  allowName: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(raw)) {
    const key = normalizeKey(rawKey);
    const at = child(field, rawKey);
    if (!(key in ENTRY_KEYS) || (key === "name" && !allowName)) {
      const fix = inlineSecretFix(key);
      if (fix) {
        if (typeof value === "string") registerSecret(value);
        p.add(at, "is a secret written into the fleet file (it would end up in version control and CI logs)", fix);
      } else if (key === "name")
        p.add(at, "names one connection, so it cannot be a default", "move it into each entry of connections");
      else unknownKeyProblem(at, rawKey, KNOWN, p);
      continue;
    }
    if (key in out) {
      p.add(at, `repeats ${key} under another spelling`, "keep one of them");
      continue;
    }
    const v = readEntryValue(key, value, at, p);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function toEntry(values: Record<string, unknown>, name: string, at: string): FleetEntry {
  const flags: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const flag = entryKey(key).flag;
    if (flag) flags[flag] = value;
  }
  const str = (k: string) => values[k] as string | undefined;
  return {
    name,
    at,
    flags: flags as ValidateFlags,
    clientSecretEnv: str("clientSecretEnv"),
    cloudTokenEnv: str("cloudTokenEnv"),
    refreshTokenEnv: str("refreshTokenEnv"),
    refreshTokenFile: str("refreshTokenFile"),
  };
}

function jsonOrYaml(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // YAML flow style (`{connections: [...]}`) also starts with a brace.
    return YAML.parse(text, { uniqueKeys: true });
  }
}

const FORMAT_FIX = "write `connections:` followed by a list of entries, each with a name (see docs/fleet.md)";

/** Parses the fleet file's text; `source` (the path as the user gave it) prefixes every field in errors. */
export function parseFleetFile(text: string, source: string): FleetEntry[] {
  let doc: unknown;
  try {
    // YAML reads JSON too, but JSON.parse is many times faster on a generated 500-entry file; JSON's duplicate keys
    // are not caught that way, which YAML's uniqueKeys would (a JSON fleet file is written by a program).
    doc = /^\s*[{[]/.test(text) ? jsonOrYaml(text) : YAML.parse(text, { uniqueKeys: true });
  } catch (e) {
    const first = String((e as Error).message).split("\n")[0];
    throw new InputError(source, `is neither valid YAML nor JSON (${first})`, FORMAT_FIX);
  }
  const p = new Problems();
  const top = readObject(doc ?? undefined, source, p);
  if (!top) throw new InputErrors(p.errors);
  for (const key of Object.keys(top))
    if (!TOP_KEYS.includes(key)) unknownKeyProblem(`${source}:${key}`, key, TOP_KEYS, p);
  const defaults =
    top.defaults === undefined
      ? {}
      : readEntryKeys(readObject(top.defaults, `${source}:defaults`, p) ?? {}, `${source}:defaults`, p, false);
  const list = readList(top.connections, `${source}:connections`, p);
  if (top.connections === undefined) p.add(`${source}:connections`, "is missing", FORMAT_FIX);
  else if (list && list.length === 0) p.add(`${source}:connections`, "is empty", "list at least one connection");

  const entries: FleetEntry[] = [];
  const seen = new Map<string, number>();
  (list ?? []).forEach((rawEntry, i) => {
    const at = `${source}:connections[${i}]`;
    const obj = readObject(rawEntry, at, p);
    if (!obj) return;
    const before = p.errors.length;
    const values = { ...defaults, ...readEntryKeys(obj, at, p, true) };
    const name = values.name as string | undefined;
    if (name === undefined) {
      if (!("name" in obj))
        p.add(`${at}.name`, "is missing", "give each connection a unique name, e.g. name: acme-flectra");
      return;
    }
    const first = seen.get(name);
    if (first !== undefined)
      p.add(
        `${at}.name`,
        `'${name}' is already the name of connections[${first}]`,
        "give each connection a unique name",
      );
    else seen.set(name, i);
    const f = values as Record<string, unknown>;
    // Only when nothing else is wrong: a refused key may be what named the client.
    if (
      p.errors.length === before &&
      f.spec === undefined &&
      f.stack === undefined &&
      f.clientSecretFile === undefined &&
      f.clientId === undefined &&
      f.serviceAccount === undefined
    ) {
      p.add(at, "names no OAuth client", "add spec (and client), clientSecretFile, or clientId with clientSecretEnv");
    }
    if (f.spec !== undefined && f.stack !== undefined)
      p.add(`${at}.stack`, "cannot be combined with spec", "keep one of them");
    if (f.refreshTokenFile !== undefined && f.refreshTokenEnv !== undefined)
      p.add(`${at}.refreshTokenEnv`, "cannot be combined with refreshTokenFile", "keep one of them");
    if (p.errors.length === before) entries.push(toEntry(values, name, at));
  });
  if (!p.empty) throw new InputErrors(p.errors);
  return entries;
}
