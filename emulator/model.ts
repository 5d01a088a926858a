// The emulator's state types and the one parser of every input shape (scenario file, admin API, admin HTTP).
// Each parser names the exact field that is wrong, e.g. `clients[1].redirectUris[0]`, and says how to fix it.
import { InputError } from "../common/errors";
import { CLIENT_ID, EMAIL, PROJECT_ID } from "../google/identifiers";
import type { PublishingStatus, UserType } from "../google/oauthApp";
import { GMAIL_SERVICE } from "../google/endpoints";

export type EmulatorClientType = "web" | "installed";
export type ServiceState = "ENABLED" | "DISABLED";

/** A Cloud project with its consent screen (Google Auth Platform branding + audience + data access) folded in. */
export interface Project {
  id: string;
  /** Google's errors quote the number, not the id (facts §5.2). */
  number: string;
  /** The Workspace / Cloud Identity domain of the parent organisation; Internal apps admit only its accounts. */
  organization?: string;
  organizationId?: string;
  services: Record<string, ServiceState>;
  appName: string;
  /** Branding's user support email: the developer address on the unverified-app warning. */
  supportEmail?: string;
  userType: UserType;
  publishingStatus: PublishingStatus;
  testUsers: string[];
  /** Data access scopes configured on the consent screen (shown in the state; Google does not gate on them). */
  scopes: string[];
  /** Brand/scope verification done: no unverified-app screen. */
  verified: boolean;
}

export interface Client {
  id: string;
  projectId: string;
  type: EmulatorClientType;
  /** At most two (facts §8.1, rotation). */
  secrets: string[];
  redirectUris: string[];
  deleted: boolean;
  name?: string;
}

export interface Account {
  email: string;
  /** Stable numeric subject, as Google's `sub`. */
  sub: string;
  hasMailbox: boolean;
  orgDomain?: string;
  /** Emulator-clock time of the last password change; refresh tokens with Gmail scopes issued before it die. */
  passwordChangedAt?: number;
  messagesTotal: number;
  threadsTotal: number;
  historyId: number;
}

export interface CloudCredential {
  projects: string[];
  /** May call services:enable / :disable (roles/serviceusage.serviceUsageAdmin). Default true. */
  canEnable: boolean;
}

export const FAULT_ROUTES = [
  "*",
  "authorize",
  "signin",
  "token",
  "tokeninfo",
  "revoke",
  "gmail.profile",
  "gmail.send",
  "serviceusage",
  "resourcemanager",
  "openid",
] as const;
export type FaultRoute = (typeof FAULT_ROUTES)[number];

export interface Fault {
  /** Added before the answer (the request is still answered normally unless an effect is set). */
  latencyMs?: number;
  /** Answer with this status and Google's JSON error body instead. 429 and 503 carry Retry-After. */
  status?: 500 | 503 | 429;
  retryAfterSeconds?: number;
  /** The real answer's status with a cut-off JSON body. */
  malformedBody?: boolean;
  /** An HTML error page (Google's front-end "Error 502") instead of JSON. */
  html?: boolean;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** 302 back to the same URL, forever. */
  redirectLoop?: boolean;
  /** Apply to the next N requests only, then clear. */
  times?: number;
  /** Apply to this fraction (0..1] of requests (seeded, so runs repeat). */
  fraction?: number;
}

export interface ProjectInput {
  id: string;
  number?: string;
  organization?: string;
  organizationId?: string;
  /** Enabled service names, or a map name → state. Omitted: Gmail API enabled. */
  services?: string[] | Record<string, ServiceState>;
  appName?: string;
  supportEmail?: string;
  userType?: UserType;
  publishingStatus?: PublishingStatus;
  testUsers?: string[];
  scopes?: string[];
  verified?: boolean;
}
export type ProjectPatch = Partial<Omit<ProjectInput, "id">>;
/** After parsing: services always as a map. */
export type ParsedProjectPatch = Omit<ProjectPatch, "services"> & { services?: Record<string, ServiceState> };

export interface ClientInput {
  id: string;
  projectId: string;
  type?: EmulatorClientType;
  secrets?: string[];
  redirectUris?: string[];
  deleted?: boolean;
  name?: string;
}
export type ClientPatch = Partial<Omit<ClientInput, "id">>;

export interface AccountInput {
  email: string;
  hasMailbox?: boolean;
  orgDomain?: string;
  /** true: the password changes now (by the emulator clock). */
  passwordChanged?: boolean;
  messagesTotal?: number;
  threadsTotal?: number;
}
export type AccountPatch = Partial<Omit<AccountInput, "email">>;

export interface CloudCredentialInput {
  projects: string[];
  canEnable?: boolean;
}

export interface ScenarioInput {
  /** Seed of the fault-fraction generator. */
  seed?: number;
  /** `iss` of redirects, id_tokens and discovery; default the emulator origin. */
  issuer?: string;
  clock?: { now?: string | number; frozen?: boolean };
  projects?: ProjectInput[];
  clients?: ClientInput[];
  accounts?: AccountInput[];
  cloudCredentials?: (CloudCredentialInput & { token: string })[];
  faults?: Partial<Record<FaultRoute, Fault>>;
}

// ---------------------------------------------------------------------------------------------------------------
// Field-level readers. `at` is the path of the value being read.

type Obj = Record<string, unknown>;

function typeName(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "a list" : typeof v;
}

function asObject(v: unknown, at: string, known: readonly string[]): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new InputError(at, `must be an object, got ${typeName(v)}`);
  for (const k of Object.keys(v)) {
    if (!known.includes(k)) throw new InputError(`${at}.${k}`.replace(/^\./, ""), "unknown field", `use one of: ${known.join(", ")}`);
  }
  return v as Obj;
}

function field(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

function optString(o: Obj, key: string, at: string, pattern?: RegExp, hint?: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v === "number" && pattern?.test(String(v))) return String(v);
  if (typeof v !== "string" || v === "") throw new InputError(field(at, key), `must be a non-empty string, got ${typeName(v)}`, hint);
  if (pattern && !pattern.test(v)) throw new InputError(field(at, key), `'${v}' is not valid`, hint);
  return v;
}

function reqString(o: Obj, key: string, at: string, pattern?: RegExp, hint?: string): string {
  const v = optString(o, key, at, pattern, hint);
  if (v === undefined) throw new InputError(field(at, key), "is required", hint);
  return v;
}

function optBool(o: Obj, key: string, at: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== "boolean") throw new InputError(field(at, key), `must be true or false, got ${typeName(v)}`);
  return v;
}

function optNumber(o: Obj, key: string, at: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) throw new InputError(field(at, key), `must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return v;
}

function optStringList(o: Obj, key: string, at: string, max = Infinity): string[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new InputError(field(at, key), `must be a list of strings, got ${typeName(v)}`);
  if (v.length > max) throw new InputError(field(at, key), `has ${v.length} entries; at most ${max} are allowed`);
  return v.map((x, i) => {
    if (typeof x !== "string" || x === "") throw new InputError(`${field(at, key)}[${i}]`, `must be a non-empty string, got ${typeName(x)}`);
    return x;
  });
}

function optEnum<T extends string>(o: Obj, key: string, at: string, values: readonly T[]): T | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !values.includes(v as T)) throw new InputError(field(at, key), `must be one of ${values.join(", ")}, got ${JSON.stringify(v)}`);
  return v as T;
}

const PROJECT_NUMBER = /^[0-9]{1,20}$/;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

const PROJECT_KEYS = ["id", "number", "organization", "organizationId", "services", "appName", "supportEmail", "userType", "publishingStatus", "testUsers", "scopes", "verified"] as const;

function parseServices(v: unknown, at: string): Record<string, ServiceState> | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) {
    const out: Record<string, ServiceState> = {};
    v.forEach((s, i) => {
      if (typeof s !== "string" || !/^[a-z0-9.-]+\.[a-z]+$/.test(s)) throw new InputError(`${at}[${i}]`, `must be a service name such as ${GMAIL_SERVICE}, got ${JSON.stringify(s)}`);
      out[s] = "ENABLED";
    });
    return out;
  }
  if (typeof v !== "object" || v === null) throw new InputError(at, `must be a list of enabled services or a map of service to ENABLED/DISABLED, got ${typeName(v)}`);
  const o = v as Obj;
  const out: Record<string, ServiceState> = {};
  for (const [k, s] of Object.entries(o)) {
    if (s !== "ENABLED" && s !== "DISABLED") throw new InputError(`${at}.${k}`, `must be ENABLED or DISABLED, got ${JSON.stringify(s)}`);
    out[k] = s;
  }
  return out;
}

function projectFields(o: Obj, at: string): ParsedProjectPatch {
  return {
    number: optString(o, "number", at, PROJECT_NUMBER, "use the digits-only project number, e.g. 123456789012"),
    organization: optString(o, "organization", at, DOMAIN, "use the organisation's domain, e.g. example.com")?.toLowerCase(),
    organizationId: optString(o, "organizationId", at, PROJECT_NUMBER, "use the numeric organisation id"),
    services: parseServices(o.services, field(at, "services")),
    appName: optString(o, "appName", at),
    supportEmail: optString(o, "supportEmail", at, EMAIL, "write it as name@domain")?.toLowerCase(),
    userType: optEnum(o, "userType", at, ["internal", "external"] as const),
    publishingStatus: optEnum(o, "publishingStatus", at, ["testing", "production"] as const),
    testUsers: optStringList(o, "testUsers", at, 100)?.map((e, i) => checkEmail(e, `${field(at, "testUsers")}[${i}]`)),
    scopes: optStringList(o, "scopes", at),
    verified: optBool(o, "verified", at),
  };
}

function checkEmail(e: string, at: string): string {
  if (!EMAIL.test(e)) throw new InputError(at, `'${e}' is not an email address`, "write it as name@domain");
  return e.toLowerCase();
}

export function parseProjectInput(v: unknown, at = "project"): ParsedProjectPatch & { id: string } {
  const o = asObject(v, at, PROJECT_KEYS);
  return { id: reqString(o, "id", at, PROJECT_ID, "use a project id: 6-30 lowercase letters, digits and hyphens, starting with a letter"), ...projectFields(o, at) };
}

export function parseProjectPatch(v: unknown, at = "patch"): ParsedProjectPatch {
  return projectFields(asObject(v, at, PROJECT_KEYS.filter((k) => k !== "id")), at);
}

const CLIENT_KEYS = ["id", "projectId", "type", "secrets", "redirectUris", "deleted", "name"] as const;

function clientFields(o: Obj, at: string): ClientPatch {
  return {
    projectId: optString(o, "projectId", at),
    type: optEnum(o, "type", at, ["web", "installed"] as const),
    secrets: optStringList(o, "secrets", at, 2),
    redirectUris: optStringList(o, "redirectUris", at),
    deleted: optBool(o, "deleted", at),
    name: optString(o, "name", at),
  };
}

export function parseClientInput(v: unknown, at = "client"): ClientInput {
  const o = asObject(v, at, CLIENT_KEYS);
  const id = reqString(o, "id", at, CLIENT_ID, "use Google's form NUMBER-LETTERS.apps.googleusercontent.com, e.g. 1234-abc.apps.googleusercontent.com");
  const rest = clientFields(o, at);
  if (!rest.projectId) throw new InputError(field(at, "projectId"), "is required", "name the project that owns the client");
  return { id, ...rest, projectId: rest.projectId };
}

export function parseClientPatch(v: unknown, at = "patch"): ClientPatch {
  return clientFields(asObject(v, at, CLIENT_KEYS.filter((k) => k !== "id")), at);
}

const ACCOUNT_KEYS = ["email", "hasMailbox", "orgDomain", "passwordChanged", "messagesTotal", "threadsTotal"] as const;

function accountFields(o: Obj, at: string): AccountPatch {
  return {
    hasMailbox: optBool(o, "hasMailbox", at),
    orgDomain: optString(o, "orgDomain", at, DOMAIN, "use the Workspace domain, e.g. example.com")?.toLowerCase(),
    passwordChanged: optBool(o, "passwordChanged", at),
    messagesTotal: optNumber(o, "messagesTotal", at, 0, 1e9),
    threadsTotal: optNumber(o, "threadsTotal", at, 0, 1e9),
  };
}

export function parseAccountInput(v: unknown, at = "account"): AccountInput {
  const o = asObject(v, at, ACCOUNT_KEYS);
  return { email: checkEmail(reqString(o, "email", at), field(at, "email")), ...accountFields(o, at) };
}

export function parseAccountPatch(v: unknown, at = "patch"): AccountPatch {
  return accountFields(asObject(v, at, ACCOUNT_KEYS.filter((k) => k !== "email")), at);
}

export function parseCloudCredential(v: unknown, at = "credential"): CloudCredentialInput {
  const o = asObject(v, at, ["projects", "canEnable"]);
  const projects = optStringList(o, "projects", at);
  if (!projects) throw new InputError(field(at, "projects"), "is required", "list the project ids (or numbers) this token may read");
  return { projects, canEnable: optBool(o, "canEnable", at) };
}

const FAULT_KEYS = ["latencyMs", "status", "retryAfterSeconds", "malformedBody", "html", "drop", "redirectLoop", "times", "fraction"] as const;

export function parseFaultRoute(v: unknown, at = "route"): FaultRoute {
  if (typeof v !== "string" || !(FAULT_ROUTES as readonly string[]).includes(v)) throw new InputError(at, `unknown route ${JSON.stringify(v)}`, `use one of: ${FAULT_ROUTES.join(", ")}`);
  return v as FaultRoute;
}

export function parseFault(v: unknown, at = "fault"): Fault {
  const o = asObject(v, at, FAULT_KEYS);
  const status = o.status;
  if (status !== undefined && status !== 500 && status !== 503 && status !== 429) throw new InputError(field(at, "status"), `must be 500, 503 or 429, got ${JSON.stringify(status)}`);
  const fault: Fault = {
    latencyMs: optNumber(o, "latencyMs", at, 0, 120_000),
    status: status as Fault["status"],
    retryAfterSeconds: optNumber(o, "retryAfterSeconds", at, 0, 86_400),
    malformedBody: optBool(o, "malformedBody", at),
    html: optBool(o, "html", at),
    drop: optBool(o, "drop", at),
    redirectLoop: optBool(o, "redirectLoop", at),
    times: optNumber(o, "times", at, 1, 1e9),
    fraction: optNumber(o, "fraction", at, 0.000001, 1),
  };
  const effects = (["status", "malformedBody", "html", "drop", "redirectLoop"] as const).filter((k) => fault[k] !== undefined && fault[k] !== false);
  if (effects.length > 1 && !(effects.length === 2 && effects.includes("html") && effects.includes("status"))) {
    throw new InputError(at, `sets ${effects.join(" and ")}; a fault has at most one effect (html may carry a status)`, "split it, or keep one effect");
  }
  if (effects.length === 0 && fault.latencyMs === undefined) throw new InputError(at, "does nothing", "set latencyMs, status, malformedBody, html, drop or redirectLoop");
  if (fault.times !== undefined && fault.fraction !== undefined) throw new InputError(at, "sets both times and fraction", "keep one");
  return fault;
}

const SCENARIO_KEYS = ["seed", "issuer", "clock", "projects", "clients", "accounts", "cloudCredentials", "faults"] as const;

function list(o: Obj, key: string): unknown[] {
  const v = o[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new InputError(key, `must be a list, got ${typeName(v)}`);
  return v;
}

/** Validate a whole scenario document (already parsed from YAML/JSON). */
export function parseScenario(v: unknown): ScenarioInput {
  const o = asObject(v ?? {}, "", SCENARIO_KEYS);
  let clock: ScenarioInput["clock"];
  if (o.clock !== undefined) {
    const c = asObject(o.clock, "clock", ["now", "frozen"]);
    const now = c.now;
    if (now !== undefined && !(typeof now === "number" && Number.isFinite(now)) && !(typeof now === "string" && Number.isFinite(Date.parse(now)))) {
      throw new InputError("clock.now", `${JSON.stringify(now)} is not a time`, "use an ISO date such as 2026-01-01T00:00:00Z or epoch milliseconds");
    }
    clock = { now: now as string | number | undefined, frozen: optBool(c, "frozen", "clock") };
  }
  const faults: ScenarioInput["faults"] = {};
  if (o.faults !== undefined) {
    const f = asObject(o.faults, "faults", FAULT_ROUTES);
    for (const [route, fault] of Object.entries(f)) faults[route as FaultRoute] = parseFault(fault, `faults.${route}`);
  }
  return {
    seed: optNumber(o, "seed", "", 0, 2 ** 31),
    issuer: optString(o, "issuer", "", /^https?:\/\/[^/\s]+$/, "use an origin such as https://accounts.google.com"),
    clock,
    projects: list(o, "projects").map((p, i) => parseProjectInput(p, `projects[${i}]`)),
    clients: list(o, "clients").map((c, i) => parseClientInput(c, `clients[${i}]`)),
    accounts: list(o, "accounts").map((a, i) => parseAccountInput(a, `accounts[${i}]`)),
    cloudCredentials: list(o, "cloudCredentials").map((c, i) => {
      const at = `cloudCredentials[${i}]`;
      const obj = asObject(c, at, ["token", "projects", "canEnable"]);
      const token = reqString(obj, "token", at);
      const { token: _t, ...rest } = obj;
      return { token, ...parseCloudCredential(rest, at) };
    }),
    faults,
  };
}
