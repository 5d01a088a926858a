// What may be asked of the emulator: the input shapes of a scenario file and of the admin operations, and their
// readers. Each reader names the exact field that is wrong, e.g. `clients[1].redirectUris[0]`, says how to fix it, and
// carries on, so one pass reports every problem (common/readers.ts).
import { InputError, isInputError } from "../common/errors";
import {
  child,
  item,
  Problems,
  readBoolean,
  readEnum,
  readList as readListValue,
  readNumber,
  readObject,
  readString,
  readStringList,
  throwProblems,
  unknownKeyProblem,
} from "../common/readers";
import { GMAIL_SERVICE } from "../google/endpoints";
import { CLIENT_ID, DOMAIN, EMAIL, PROJECT_ID } from "../google/identifiers";
import { FAULT_ROUTES, readFault, type FaultRoute } from "./faults";
import type { z } from "zod";
import {
  accountInputSchema,
  type accountPatchSchema,
  clientInputSchema,
  type clientPatchSchema,
  cloudCredentialSchema,
  EMULATOR_CLIENT_TYPES,
  keysOf,
  projectInputSchema,
  type projectPatchSchema,
  scenarioSchema,
  type SERVICE_STATES,
} from "./schema";
import { readDelegationInput, readServiceAccountInput } from "./serviceAccountInputs";

export type EmulatorClientType = (typeof EMULATOR_CLIENT_TYPES)[number];
export type ServiceState = (typeof SERVICE_STATES)[number];

export type ProjectInput = z.input<typeof projectInputSchema>;
export type ProjectPatch = z.input<typeof projectPatchSchema>;
/** After parsing: services always as a map. */
export type ParsedProjectPatch = Omit<ProjectPatch, "services"> & { services?: Record<string, ServiceState> };
export type ClientInput = z.input<typeof clientInputSchema>;
export type ClientPatch = z.input<typeof clientPatchSchema>;
export type AccountInput = z.input<typeof accountInputSchema>;
export type AccountPatch = z.input<typeof accountPatchSchema>;
export type CloudCredentialInput = z.input<typeof cloudCredentialSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

type Obj = Record<string, unknown>;

const PROJECT_NUMBER = /^[0-9]{1,20}$/;
/** A Google API service name, e.g. gmail.googleapis.com. */
const SERVICE_NAME = /^[a-z0-9.-]+\.[a-z]+$/;

function readShaped(
  o: Obj,
  key: string,
  at: string,
  p: Problems,
  shape: RegExp,
  problem: string,
  fix: string,
  lower = false,
): string | undefined {
  const raw = readString(o[key], child(at, key), p);
  const v = lower ? raw?.toLowerCase() : raw;
  if (v === undefined || shape.test(v)) return v;
  p.add(child(at, key), `'${raw}' ${problem}`, fix);
  return undefined;
}

function readEmail(value: unknown, field: string, p: Problems, required = false): string | undefined {
  const v = readString(value, field, p, required ? { fix: "write it as name@domain" } : undefined);
  if (v === undefined) return undefined;
  if (!EMAIL.test(v)) {
    p.add(field, `'${v}' is not an email address`, "write it as name@domain");
    return undefined;
  }
  return v.toLowerCase();
}

function readCappedList(o: Obj, key: string, at: string, p: Problems, max = Infinity): string[] | undefined {
  if (o[key] === undefined) return undefined;
  const list = readStringList(o[key], child(at, key), p);
  if (list.length > max) p.add(child(at, key), `has ${list.length} entries; at most ${max} are allowed`);
  return list;
}

function readServices(v: unknown, at: string, p: Problems): Record<string, ServiceState> | undefined {
  if (v === undefined) return undefined;
  const out: Record<string, ServiceState> = {};
  if (Array.isArray(v)) {
    v.forEach((s, i) => {
      if (typeof s === "string" && SERVICE_NAME.test(s)) out[s] = "ENABLED";
      else p.add(item(at, i), `must be a service name such as ${GMAIL_SERVICE}, got ${JSON.stringify(s)}`);
    });
    return out;
  }
  if (typeof v !== "object" || v === null) {
    p.add(
      at,
      `must be a list of enabled services or a map of service to ENABLED/DISABLED, got ${v === null ? "null" : typeof v}`,
    );
    return undefined;
  }
  for (const [k, s] of Object.entries(v)) {
    if (s === "ENABLED" || s === "DISABLED") out[k] = s;
    else p.add(child(at, k), `must be ENABLED or DISABLED, got ${JSON.stringify(s)}`);
  }
  return out;
}

const PROJECT_KEYS = keysOf(projectInputSchema);

function projectFields(o: Obj, at: string, p: Problems): ParsedProjectPatch {
  return {
    number: readShaped(
      o,
      "number",
      at,
      p,
      PROJECT_NUMBER,
      "is not a project number",
      "use the digits-only project number, e.g. 123456789012",
    ),
    organization: readShaped(
      o,
      "organization",
      at,
      p,
      DOMAIN,
      "is not a domain name",
      "use the organisation's domain, e.g. example.com",
      true,
    ),
    organizationId: readShaped(
      o,
      "organizationId",
      at,
      p,
      PROJECT_NUMBER,
      "is not an organisation id",
      "use the numeric organisation id",
    ),
    services: readServices(o.services, child(at, "services"), p),
    appName: readString(o.appName, child(at, "appName"), p),
    supportEmail: readEmail(o.supportEmail, child(at, "supportEmail"), p),
    userType: readEnum(o.userType, child(at, "userType"), p, ["internal", "external"] as const),
    publishingStatus: readEnum(o.publishingStatus, child(at, "publishingStatus"), p, [
      "testing",
      "production",
    ] as const),
    testUsers: readCappedList(o, "testUsers", at, p, 100)?.flatMap(
      (e, i) => readEmail(e, item(child(at, "testUsers"), i), p) ?? [],
    ),
    scopes: readCappedList(o, "scopes", at, p),
    verified: readBoolean(o.verified, child(at, "verified"), p),
    gmailUserQuotaPerMinute: readNumber(o.gmailUserQuotaPerMinute, child(at, "gmailUserQuotaPerMinute"), p, {
      min: 1,
      max: 1e9,
    }),
  };
}

export function readProjectInput(v: unknown, at: string, p: Problems): ParsedProject | undefined {
  const o = readObject(v, at, p, PROJECT_KEYS);
  if (!o) return undefined;
  const id = readShaped(
    o,
    "id",
    at,
    p,
    PROJECT_ID,
    "is not valid",
    "use a project id: 6-30 lowercase letters, digits and hyphens, starting with a letter",
  );
  if (o.id === undefined)
    p.add(
      child(at, "id"),
      "is required",
      "use a project id: 6-30 lowercase letters, digits and hyphens, starting with a letter",
    );
  const fields = projectFields(o, at, p);
  return id === undefined ? undefined : { id, ...fields };
}

export function readProjectPatch(v: unknown, at: string, p: Problems): ParsedProjectPatch | undefined {
  const o = readObject(
    v,
    at,
    p,
    PROJECT_KEYS.filter((k) => k !== "id"),
  );
  return o && projectFields(o, at, p);
}

const CLIENT_KEYS = keysOf(clientInputSchema);

function clientFields(o: Obj, at: string, p: Problems): ClientPatch {
  return {
    projectId: readString(o.projectId, child(at, "projectId"), p),
    type: readEnum(o.type, child(at, "type"), p, EMULATOR_CLIENT_TYPES),
    secrets: readCappedList(o, "secrets", at, p, 2),
    redirectUris: readCappedList(o, "redirectUris", at, p),
    deleted: readBoolean(o.deleted, child(at, "deleted"), p),
    signInDisabled: readBoolean(o.signInDisabled, child(at, "signInDisabled"), p),
    name: readString(o.name, child(at, "name"), p),
  };
}

export function readClientInput(v: unknown, at: string, p: Problems): ClientInput | undefined {
  const o = readObject(v, at, p, CLIENT_KEYS);
  if (!o) return undefined;
  const fix = "use Google's form NUMBER-LETTERS.apps.googleusercontent.com, e.g. 1234-abc.apps.googleusercontent.com";
  const id = readShaped(o, "id", at, p, CLIENT_ID, "is not valid", fix);
  if (o.id === undefined) p.add(child(at, "id"), "is required", fix);
  const rest = clientFields(o, at, p);
  if (o.projectId === undefined) p.add(child(at, "projectId"), "is required", "name the project that owns the client");
  return id === undefined || rest.projectId === undefined ? undefined : { id, ...rest, projectId: rest.projectId };
}

export function readClientPatch(v: unknown, at: string, p: Problems): ClientPatch | undefined {
  const o = readObject(
    v,
    at,
    p,
    CLIENT_KEYS.filter((k) => k !== "id"),
  );
  return o && clientFields(o, at, p);
}

const ACCOUNT_KEYS = keysOf(accountInputSchema);

function accountFields(o: Obj, at: string, p: Problems): AccountPatch {
  return {
    hasMailbox: readBoolean(o.hasMailbox, child(at, "hasMailbox"), p),
    imapEnabled: readBoolean(o.imapEnabled, child(at, "imapEnabled"), p),
    orgDomain: readShaped(
      o,
      "orgDomain",
      at,
      p,
      DOMAIN,
      "is not a domain name",
      "use the Workspace domain, e.g. example.com",
      true,
    ),
    passwordChanged: readBoolean(o.passwordChanged, child(at, "passwordChanged"), p),
    messagesTotal: readNumber(o.messagesTotal, child(at, "messagesTotal"), p, { min: 0, max: 1e9 }),
    threadsTotal: readNumber(o.threadsTotal, child(at, "threadsTotal"), p, { min: 0, max: 1e9 }),
    dailySendLimit: readNumber(o.dailySendLimit, child(at, "dailySendLimit"), p, { min: 0, max: 1e6 }),
  };
}

export function readAccountInput(v: unknown, at: string, p: Problems): AccountInput | undefined {
  const o = readObject(v, at, p, ACCOUNT_KEYS);
  if (!o) return undefined;
  const email = readEmail(o.email, child(at, "email"), p, true);
  const rest = accountFields(o, at, p);
  return email === undefined ? undefined : { email, ...rest };
}

export function readAccountPatch(v: unknown, at: string, p: Problems): AccountPatch | undefined {
  const o = readObject(
    v,
    at,
    p,
    ACCOUNT_KEYS.filter((k) => k !== "email"),
  );
  return o && accountFields(o, at, p);
}

export function readCloudCredential(v: unknown, at: string, p: Problems): CloudCredentialInput | undefined {
  const o = readObject(v, at, p, keysOf(cloudCredentialSchema));
  if (!o) return undefined;
  if (o.projects === undefined)
    p.add(child(at, "projects"), "is required", "list the project ids (or numbers) this token may read");
  const projects = readCappedList(o, "projects", at, p);
  const canEnable = readBoolean(o.canEnable, child(at, "canEnable"), p);
  const principal = readString(o.principal, child(at, "principal"), p);
  if (principal !== undefined && !/^(user|group|serviceAccount):\S+@\S+$/.test(principal))
    p.add(child(at, "principal"), `'${principal}' is not an IAM principal`, "write user:EMAIL or serviceAccount:EMAIL");
  return projects && { projects, canEnable, ...(principal !== undefined && { principal }) };
}

/** A bearer token for the cloud APIs: any opaque string of 8 characters or more. */
export function readCloudToken(v: unknown, field: string, p: Problems): string | undefined {
  if (typeof v === "string" && v.length >= 8) return v;
  p.add(field, "must be a string of at least 8 characters", "use any opaque bearer token, e.g. ya29.cloud-test-token");
  return undefined;
}

const SCENARIO_KEYS = keysOf(scenarioSchema);
const ORIGIN = /^https?:\/\/[^/\s]+$/;

function readClock(v: unknown, p: Problems): ScenarioInput["clock"] {
  if (v === undefined) return undefined;
  const c = readObject(v, "clock", p, ["now", "frozen"]);
  if (!c) return undefined;
  const now = c.now;
  if (
    now !== undefined &&
    !(typeof now === "number" && Number.isFinite(now)) &&
    !(typeof now === "string" && Number.isFinite(Date.parse(now)))
  ) {
    p.add(
      "clock.now",
      `${JSON.stringify(now)} is not a time`,
      "use an ISO date such as 2026-01-01T00:00:00Z or epoch milliseconds",
    );
  }
  return { now: now as string | number | undefined, frozen: readBoolean(c.frozen, "clock.frozen", p) };
}

function readList<T>(
  o: Obj,
  key: string,
  p: Problems,
  read: (v: unknown, at: string, p: Problems) => T | undefined,
): T[] {
  return (readListValue(o[key], key, p) ?? []).flatMap((v, i) => read(v, item(key, i), p) ?? []);
}

/** A scenario after reading: every value checked, services always as a map. */
export type ParsedScenario = Omit<ScenarioInput, "projects"> & { projects?: ParsedProject[] };
export type ParsedProject = ParsedProjectPatch & { id: string };

/** Validate a whole scenario document (already parsed from YAML/JSON); every problem is reported at once. */
export function parseScenario(v: unknown): ParsedScenario {
  const p = new Problems();
  const doc = v ?? {};
  if (typeof doc !== "object" || Array.isArray(doc)) {
    p.add(
      "scenario",
      `must be an object, got ${Array.isArray(doc) ? "a list" : typeof doc}`,
      `give it the keys ${SCENARIO_KEYS.join(", ")}`,
    );
    throwProblems(p);
  }
  const o = doc as Obj;
  for (const key of Object.keys(o))
    if (!(SCENARIO_KEYS as readonly string[]).includes(key)) unknownKeyProblem(key, key, SCENARIO_KEYS, p);
  const faults: ScenarioInput["faults"] = {};
  const f = o.faults === undefined ? undefined : readObject(o.faults, "faults", p, FAULT_ROUTES);
  for (const [route, fault] of Object.entries(f ?? {})) {
    const read = readFault(fault, child("faults", route), p);
    if (read) faults[route as FaultRoute] = read;
  }
  const issuer = o.issuer === undefined ? undefined : readString(o.issuer, "issuer", p);
  if (issuer !== undefined && !ORIGIN.test(issuer))
    p.add("issuer", `'${issuer}' is not valid`, "use an origin such as https://accounts.google.com");
  const scenario: ParsedScenario = {
    seed: readNumber(o.seed, "seed", p, { min: 0, max: 2 ** 31 }),
    issuer,
    clock: readClock(o.clock, p),
    projects: readList(o, "projects", p, readProjectInput),
    clients: readList(o, "clients", p, readClientInput),
    accounts: readList(o, "accounts", p, readAccountInput),
    cloudCredentials: readList(o, "cloudCredentials", p, (c, at, p) => {
      const obj = readObject(c, at, p, ["token", ...keysOf(cloudCredentialSchema)]);
      if (!obj) return undefined;
      const token = readString(obj.token, child(at, "token"), p, {
        fix: "use any opaque bearer token, e.g. ya29.cloud-test-token",
      });
      const { token: _t, ...rest } = obj;
      const credential = readCloudCredential(rest, at, p);
      return token === undefined || !credential ? undefined : { token, ...credential };
    }),
    serviceAccounts: readList(o, "serviceAccounts", p, readServiceAccountInput),
    delegations: readList(o, "delegations", p, readDelegationInput),
    faults,
  };
  throwProblems(p);
  return scenario;
}

/**
 * Runs `fn` and re-roots its input errors at `path`: an admin operation names its argument (`client.redirectUris[0]`),
 * a scenario or a spec names where the value came from (`clients[1].redirectUris[0]`).
 */
export function rootedAt<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!isInputError(e)) throw e;
    const errors = e instanceof InputError ? [e] : e.errors;
    const p = new Problems();
    for (const x of errors)
      p.add(x.field.replace(/^(project|client|account|credential|patch)\b/, path), x.problem, x.fix);
    throwProblems(p);
    throw e;
  }
}
