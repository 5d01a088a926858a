// Secrets never leave the process: every line the kit prints or writes passes through redact().
// Two layers: values registered at run time (the client secret, codes and tokens we handled), and the shapes of
// Google's secrets, so that a secret we never saw (one quoted in an error body) is masked too.
import { AsyncLocalStorage } from "node:async_hooks";
import { redactByShape } from "./secretShapes";

const registered = new Set<string>();
/** Every registered secret and its URL-encoded form. */
const forms = new Set<string>();
/**
 * The forms longest first, so a secret that contains another is masked whole: the scan used while they are few.
 * Kept up to date on registration, not on every redact(): a fleet run registers many and redacts many more lines.
 * Used only while it holds every form; once dropped (past SCAN_LIMIT) it stays empty until no form is left, and the
 * one-pass scan serves meanwhile.
 */
let ordered: string[] = [];
/**
 * Past a few hundred secrets (a fleet of thousands of stored tokens), forms are found by their first PREFIX
 * characters in one pass over the text instead of one search per secret: redact() stays linear in the text.
 */
const PREFIX = 8;
const byPrefix = new Map<string, string[]>();
/**
 * How many forms start with each character code: the one-pass scan looks a position up only when its character can
 * start a form, so most of the text is passed over without cutting an 8-character key out of it.
 */
const firstCodes = new Map<number, number>();
const SCAN_LIMIT = 256;

function addForm(form: string): void {
  if (forms.has(form)) return;
  forms.add(form);
  firstCodes.set(form.charCodeAt(0), (firstCodes.get(form.charCodeAt(0)) ?? 0) + 1);
  const key = form.slice(0, PREFIX);
  const list = byPrefix.get(key);
  if (!list) byPrefix.set(key, [form]);
  else {
    const at = list.findIndex((f) => f.length < form.length);
    list.splice(at === -1 ? list.length : at, 0, form);
  }
  if (forms.size <= SCAN_LIMIT && ordered.length === forms.size - 1) {
    const at = ordered.findIndex((f) => f.length < form.length);
    ordered.splice(at === -1 ? ordered.length : at, 0, form);
  } else ordered = [];
}

function removeForm(form: string): void {
  if (!forms.delete(form)) return;
  const first = form.charCodeAt(0);
  const starting = (firstCodes.get(first) ?? 1) - 1;
  if (starting > 0) firstCodes.set(first, starting);
  else firstCodes.delete(first);
  const key = form.slice(0, PREFIX);
  const list = byPrefix.get(key)?.filter((f) => f !== form);
  if (list?.length) byPrefix.set(key, list);
  else byPrefix.delete(key);
  const at = ordered.indexOf(form);
  if (at !== -1) ordered.splice(at, 1);
}

/**
 * The secrets one piece of work handles and nothing after it will print (a fleet connection's access token): they are
 * masked while the scope runs and until its report is written, then forgotten, so a run over ten thousand
 * connections holds the secrets of those in flight, not of all of them (issue 16: memory stays flat).
 */
export interface SecretScope {
  readonly values: Set<string>;
}
const scopes = new AsyncLocalStorage<SecretScope>();
/** How many live scopes registered each scoped value. A value registered outside any scope is not here: it stays. */
const scopedBy = new Map<string, number>();

export function newSecretScope(): SecretScope {
  return { values: new Set() };
}

/** Runs `fn` with `scope` active: every secret it registers, and its callbacks register, belongs to the scope. */
export function inSecretScope<T>(scope: SecretScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

/** Registers a secret for the whole run even inside a scope: one every connection of a fleet shares (a client secret). */
export function registerRunSecret(value: string | undefined | null): void {
  scopes.exit(() => registerSecret(value));
}

/** Forgets the scope's secrets that no other live scope holds and nobody registered outside a scope. */
export function forgetSecretScope(scope: SecretScope): void {
  for (const value of scope.values) {
    const holders = scopedBy.get(value);
    if (holders === undefined) continue; // registered outside a scope meanwhile: kept
    if (holders > 1) {
      scopedBy.set(value, holders - 1);
      continue;
    }
    scopedBy.delete(value);
    registered.delete(value);
    removeForm(value);
    removeForm(encodeURIComponent(value));
  }
  scope.values.clear();
}

/** Register a secret value so that every later output masks it. Short values are ignored: masking "a" breaks text. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== "string" || value.length < PREFIX) return;
  const scope = scopes.getStore();
  if (registered.has(value)) {
    const holders = scopedBy.get(value);
    if (holders === undefined) return; // kept for the whole run
    if (!scope)
      scopedBy.delete(value); // now registered outside a scope too: kept
    else if (!scope.values.has(value)) {
      scope.values.add(value);
      scopedBy.set(value, holders + 1);
    }
    return;
  }
  registered.add(value);
  addForm(value);
  addForm(encodeURIComponent(value));
  if (scope) {
    scope.values.add(value);
    scopedBy.set(value, 1);
  }
}

export function forgetSecrets(): void {
  registered.clear();
  forms.clear();
  byPrefix.clear();
  firstCodes.clear();
  scopedBy.clear();
  ordered = [];
}

/** One pass: at each position, the longest registered form starting there is masked. */
function maskIndexed(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i + PREFIX <= text.length; ) {
    if (!firstCodes.has(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const list = byPrefix.get(text.slice(i, i + PREFIX));
    const hit = list?.find((f) => text.startsWith(f, i));
    if (hit) {
      out += `${text.slice(from, i)}[REDACTED]`;
      i += hit.length;
      from = i;
    } else i++;
  }
  return from === 0 ? text : out + text.slice(from);
}

export function redact(text: string): string {
  let out = text;
  if (ordered.length !== forms.size) out = maskIndexed(out);
  else for (const s of ordered) if (out.includes(s)) out = out.split(s).join("[REDACTED]");
  return redactByShape(out);
}

/** Deep-redact a JSON-able value (reports) without changing its shape. */
export function redactValue<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}
