// The emulator's whole state and the admin operations on it. Token lifecycle rules live here (issue, refresh,
// revoke, 7-day Testing expiry, the 100-per-client cap, password change), so the HTTP layer only translates.
import { InputError } from "../common/errors";
import { registerSecret } from "../common/redact";
import { redirectUriProblems } from "../google/redirectUris";
import { canonicalScope, isGmailScope, onlyIdentityScopes } from "../google/scopes";
import { GMAIL_SERVICE } from "../google/endpoints";
import type { ConnectionSpec } from "../connection/types";
import { FaultTable } from "./faults";
import { signIdToken } from "./idToken";
import {
  parseAccountInput,
  parseAccountPatch,
  parseClientInput,
  parseClientPatch,
  parseCloudCredential,
  parseFault,
  parseFaultRoute,
  parseProjectInput,
  parseProjectPatch,
  type Account,
  type AccountInput,
  type AccountPatch,
  type Client,
  type ClientInput,
  type ClientPatch,
  type CloudCredential,
  type CloudCredentialInput,
  type Fault,
  type FaultRoute,
  type Project,
  type ProjectInput,
  type ProjectPatch,
  type ScenarioInput,
  type ServiceState,
} from "./model";
import {
  ACCESS_TOKEN_TTL_S,
  MAX_REFRESH_TOKENS_PER_CLIENT,
  TESTING_REFRESH_EXPIRES_IN,
  TESTING_REFRESH_TTL_S,
  derivedProjectNumber,
  derivedSub,
  newAccessToken,
  newClientId,
  newClientSecret,
  newRefreshToken,
  secretHint,
} from "./tokens";

/** The token endpoint's success body (facts §2.1). */
export interface GrantResult {
  access_token: string;
  expires_in: number;
  scope: string;
  token_type: "Bearer";
  refresh_token?: string;
  refresh_token_expires_in?: number;
  id_token?: string;
}

export interface SentMessage {
  id: string;
  threadId: string;
  account: string;
  clientId: string;
  /** base64url RFC 822, as posted. */
  raw: string;
  headers: { from?: string; to?: string; cc?: string; bcc?: string; subject?: string };
  at: string;
}

/** One user's consent to one project: its scopes and a generation that revocation bumps (killing every token). */
interface Grant {
  scopes: Set<string>;
  generation: number;
}

export interface RefreshRecord {
  readonly token: string;
  readonly clientId: string;
  readonly projectId: string;
  readonly account: string;
  readonly scopes: readonly string[];
  readonly consentAt: number;
  readonly expiresAt?: number;
  readonly generation: number;
  dropped: boolean;
}

export interface AccessRecord {
  readonly clientId: string;
  readonly projectId: string;
  readonly account: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  readonly offline: boolean;
  readonly generation: number;
}

export interface ImportSpecOptions {
  /** The real client secret to accept (the sandbox passes the one it stored); generated when absent. */
  clientSecret?: string;
  /** Accounts to create; default: the test users and the support email, each with a mailbox. */
  accounts?: AccountInput[];
}

export interface ImportResult {
  projectId: string;
  projectNumber: string;
  clients: { name: string; clientId: string; clientSecret: string; type: Client["type"] }[];
  accounts: string[];
}

export interface MintGrantInput {
  clientId: string;
  account: string;
  scopes: readonly string[];
  offline?: boolean;
}

export interface StateSnapshot {
  now: string;
  issuer?: string;
  projects: Project[];
  clients: (Omit<Client, "secrets"> & { secretHints: string[] })[];
  accounts: (Omit<Account, "passwordChangedAt"> & { passwordChangedAt?: string })[];
  grants: { account: string; projectId: string; scopes: string[] }[];
  refreshTokens: { clientId: string; account: string; scopes: readonly string[]; issuedAt: string; expiresAt?: string; live: boolean }[];
  liveAccessTokens: number;
  cloudCredentials: { token: string; projects: string[]; canEnable: boolean }[];
  faults: Partial<Record<FaultRoute, Fault>>;
  sentMessages: number;
}

/** The admin operations, in-process; the same names are served as POST /__emulator/<name> (see docs/emulator.md). */
export interface EmulatorAdmin {
  addProject(project: ProjectInput): Project;
  updateProject(id: string, patch: ProjectPatch): Project;
  setServiceState(project: string, service: string, state: ServiceState): void;
  addClient(client: ClientInput): Client;
  updateClient(id: string, patch: ClientPatch): Client;
  deleteClient(id: string): void;
  addAccount(account: AccountInput): Account;
  updateAccount(email: string, patch: AccountPatch): Account;
  addCloudCredential(token: string, credential: CloudCredentialInput): void;
  advanceClock(ms: number): number;
  now(): number;
  setFault(route: FaultRoute, fault: Fault): void;
  clearFaults(route?: FaultRoute): void;
  sentMessages(): SentMessage[];
  state(): StateSnapshot;
  importSpec(spec: ConnectionSpec, opts?: ImportSpecOptions): ImportResult;
  mintGrant(input: MintGrantInput): GrantResult;
}

export class Clock {
  private offset = 0;
  private frozenAt?: number;

  constructor(start?: string | number, frozen = false) {
    const startMs = typeof start === "string" ? Date.parse(start) : start;
    if (frozen) this.frozenAt = startMs ?? Date.now();
    else if (startMs !== undefined) this.offset = startMs - Date.now();
  }

  now(): number {
    return this.frozenAt ?? Date.now() + this.offset;
  }

  advance(ms: number): number {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offset += ms;
    return this.now();
  }
}

const ACCESS_SWEEP_AT = 50_000;

export class EmulatorState implements EmulatorAdmin {
  readonly clock: Clock;
  readonly faults: FaultTable;
  /** Set once the server knows its origin, unless the scenario fixed it. */
  issuer?: string;
  private readonly projects = new Map<string, Project>();
  private readonly projectsByNumber = new Map<string, Project>();
  private readonly clients = new Map<string, Client>();
  private readonly accounts = new Map<string, Account>();
  private readonly credentials = new Map<string, CloudCredential>();
  private readonly grants = new Map<string, Grant>();
  private readonly refreshByToken = new Map<string, RefreshRecord>();
  private readonly refreshByPair = new Map<string, RefreshRecord[]>();
  private readonly access = new Map<string, AccessRecord>();
  /** The map size at which the next sweep of dead access tokens runs (see newAccess). */
  private nextAccessSweep = ACCESS_SWEEP_AT;
  private readonly sent: SentMessage[] = [];

  constructor(scenario: ScenarioInput = {}) {
    this.clock = new Clock(scenario.clock?.now, scenario.clock?.frozen ?? false);
    this.faults = new FaultTable(scenario.seed ?? 1);
    this.issuer = scenario.issuer;
    scenario.projects?.forEach((p, i) => this.at(`projects[${i}]`, () => this.addProject(p)));
    scenario.accounts?.forEach((a, i) => this.at(`accounts[${i}]`, () => this.addAccount(a)));
    scenario.clients?.forEach((c, i) => this.at(`clients[${i}]`, () => this.addClient(c)));
    scenario.cloudCredentials?.forEach((c, i) => this.at(`cloudCredentials[${i}]`, () => this.addCloudCredential(c.token, { projects: c.projects, canEnable: c.canEnable })));
    for (const [route, fault] of Object.entries(scenario.faults ?? {})) this.setFault(route as FaultRoute, fault);
  }

  /** Re-root an InputError from an admin call at the scenario path it came from. */
  private at<T>(path: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof InputError) throw new InputError(e.field.replace(/^(project|client|account|credential|patch)\b/, path), e.problem, e.fix);
      throw e;
    }
  }

  // ---- projects -------------------------------------------------------------------------------------------------

  addProject(input: ProjectInput): Project {
    const p = parseProjectInput(input);
    if (this.projects.has(p.id)) throw new InputError("project.id", `project '${p.id}' already exists`, "use updateProject to change it");
    const number = p.number ?? derivedProjectNumber(p.id);
    if (this.projectsByNumber.has(number)) throw new InputError("project.number", `number ${number} is already used by project '${this.projectsByNumber.get(number)!.id}'`, "give each project its own number");
    const project: Project = {
      id: p.id,
      number,
      organization: p.organization,
      organizationId: p.organizationId,
      services: p.services ?? { [GMAIL_SERVICE]: "ENABLED" },
      appName: p.appName ?? p.id,
      supportEmail: p.supportEmail,
      userType: p.userType ?? "external",
      publishingStatus: p.publishingStatus ?? "testing",
      testUsers: p.testUsers ?? [],
      scopes: p.scopes ?? [],
      verified: p.verified ?? false,
    };
    this.checkInternal(project, "project");
    this.projects.set(project.id, project);
    this.projectsByNumber.set(number, project);
    return { ...project };
  }

  updateProject(id: string, patch: ProjectPatch): Project {
    const project = this.project(id, "project");
    const p = parseProjectPatch(patch);
    if (p.number !== undefined && p.number !== project.number) {
      if (this.projectsByNumber.has(p.number)) throw new InputError("patch.number", `number ${p.number} is already used`, "give each project its own number");
      this.projectsByNumber.delete(project.number);
      this.projectsByNumber.set(p.number, project);
    }
    const next: Project = { ...project };
    for (const [k, v] of Object.entries(p)) if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
    if (p.services) next.services = { ...project.services, ...p.services };
    this.checkInternal(next, "patch");
    Object.assign(project, next);
    return { ...project };
  }

  /** "A @gmail.com-owned project cannot choose Internal" (facts §7): Internal needs an organisation. */
  private checkInternal(p: Project, at: string): void {
    if (p.userType === "internal" && !p.organization) throw new InputError(`${at}.userType`, "internal needs the project to belong to an organisation", `set ${at}.organization to the Workspace domain, or use external`);
  }

  setServiceState(projectIdOrNumber: string, service: string, state: ServiceState): void {
    if (state !== "ENABLED" && state !== "DISABLED") throw new InputError("state", `must be ENABLED or DISABLED, got ${JSON.stringify(state)}`);
    this.project(projectIdOrNumber, "project").services[service] = state;
  }

  /** By id or number, as Google's APIs accept both. */
  findProject(idOrNumber: string): Project | undefined {
    return this.projects.get(idOrNumber) ?? this.projectsByNumber.get(idOrNumber);
  }

  private project(idOrNumber: string, at: string): Project {
    const p = this.findProject(idOrNumber);
    if (!p) throw new InputError(at, `no project '${idOrNumber}'`, `add it first; known: ${[...this.projects.keys()].join(", ") || "none"}`);
    return p;
  }

  // ---- clients --------------------------------------------------------------------------------------------------

  addClient(input: ClientInput): Client {
    const c = parseClientInput(input);
    if (this.clients.has(c.id)) throw new InputError("client.id", `client '${c.id}' already exists`, "use updateClient to change it");
    const client: Client = { id: c.id, projectId: "", type: "web", secrets: [], redirectUris: [], deleted: false };
    this.applyClient(client, { type: "web", secrets: [newClientSecret()], redirectUris: [], deleted: false, ...stripUndefined(c) }, "client");
    this.clients.set(client.id, client);
    return { ...client, secrets: [...client.secrets] };
  }

  updateClient(id: string, patch: ClientPatch): Client {
    const client = this.client(id);
    const next = { ...client, redirectUris: [...client.redirectUris], secrets: [...client.secrets] };
    this.applyClient(next, stripUndefined(parseClientPatch(patch)), "patch");
    Object.assign(client, next);
    return { ...client, secrets: [...client.secrets] };
  }

  /** Deleted clients stay restorable (updateClient {deleted:false}), as in the console for 30 days (facts §1.2). */
  deleteClient(id: string): void {
    this.client(id).deleted = true;
  }

  private applyClient(client: Client, c: ClientPatch, at: string): void {
    if (c.projectId !== undefined) client.projectId = this.project(c.projectId, `${at}.projectId`).id;
    if (c.type !== undefined) client.type = c.type;
    if (c.secrets !== undefined) client.secrets = c.secrets;
    if (c.redirectUris !== undefined) client.redirectUris = c.redirectUris;
    if (c.deleted !== undefined) client.deleted = c.deleted;
    if (c.name !== undefined) client.name = c.name;
    // The console refuses such registrations, so no state may hold them (facts §8.1).
    client.redirectUris.forEach((uri, i) => {
      const problem = redirectUriProblems(uri, client.type === "installed" ? "desktop" : "web")[0];
      if (problem) throw new InputError(`${at}.redirectUris[${i}]`, `'${uri}' ${problem.message}`, problem.fix);
    });
    client.secrets.forEach(registerSecret);
  }

  findClient(id: string): Client | undefined {
    return this.clients.get(id);
  }

  private client(id: string): Client {
    const c = this.clients.get(id);
    if (!c) throw new InputError("clientId", `no client '${id}'`, "add it first with addClient");
    return c;
  }

  // ---- accounts -------------------------------------------------------------------------------------------------

  addAccount(input: AccountInput): Account {
    const a = parseAccountInput(input);
    if (this.accounts.has(a.email)) throw new InputError("account.email", `account '${a.email}' already exists`, "use updateAccount to change it");
    const account: Account = {
      email: a.email,
      sub: derivedSub(a.email),
      hasMailbox: a.hasMailbox ?? true,
      orgDomain: a.orgDomain,
      messagesTotal: a.messagesTotal ?? 0,
      threadsTotal: a.threadsTotal ?? 0,
      historyId: 1000,
    };
    if (a.passwordChanged) account.passwordChangedAt = this.clock.now();
    this.accounts.set(account.email, account);
    return { ...account };
  }

  updateAccount(email: string, patch: AccountPatch): Account {
    const account = this.account(email, "email");
    const p = parseAccountPatch(patch);
    if (p.hasMailbox !== undefined) account.hasMailbox = p.hasMailbox;
    if (p.orgDomain !== undefined) account.orgDomain = p.orgDomain;
    if (p.messagesTotal !== undefined) account.messagesTotal = p.messagesTotal;
    if (p.threadsTotal !== undefined) account.threadsTotal = p.threadsTotal;
    if (p.passwordChanged) account.passwordChangedAt = this.clock.now();
    return { ...account };
  }

  findAccount(email: string): Account | undefined {
    return this.accounts.get(email.toLowerCase());
  }

  listAccounts(): Account[] {
    return [...this.accounts.values()];
  }

  private account(email: string, at: string): Account {
    const a = this.findAccount(email);
    if (!a) throw new InputError(at, `no account '${email}'`, "add it first with addAccount");
    return a;
  }

  // ---- cloud credentials (Service Usage, Resource Manager) ------------------------------------------------------

  addCloudCredential(token: string, credential: CloudCredentialInput): void {
    if (typeof token !== "string" || token.length < 8) throw new InputError("token", "must be a string of at least 8 characters", "use any opaque bearer token, e.g. ya29.cloud-test-token");
    const c = parseCloudCredential(credential);
    const projects = c.projects.map((p, i) => this.project(p, `credential.projects[${i}]`).id);
    registerSecret(token);
    this.credentials.set(token, { projects, canEnable: c.canEnable ?? true });
  }

  findCredential(token: string): CloudCredential | undefined {
    return this.credentials.get(token);
  }

  // ---- clock, faults, messages ----------------------------------------------------------------------------------

  advanceClock(ms: number): number {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) throw new InputError("ms", `must be a non-negative number of milliseconds, got ${JSON.stringify(ms)}`);
    return this.clock.advance(ms);
  }

  now(): number {
    return this.clock.now();
  }

  setFault(route: FaultRoute, fault: Fault): void {
    this.faults.set(parseFaultRoute(route), parseFault(fault));
  }

  clearFaults(route?: FaultRoute): void {
    this.faults.clear(route === undefined ? undefined : parseFaultRoute(route));
  }

  recordSent(message: SentMessage): void {
    this.sent.push(message);
    const account = this.findAccount(message.account);
    if (account) {
      account.messagesTotal += 1;
      account.threadsTotal += 1;
      account.historyId += 1;
    }
  }

  sentMessages(): SentMessage[] {
    return this.sent.map((m) => ({ ...m, headers: { ...m.headers } }));
  }

  // ---- grants and tokens ----------------------------------------------------------------------------------------

  private grant(account: string, projectId: string): Grant {
    const key = `${account}|${projectId}`;
    let g = this.grants.get(key);
    if (!g) this.grants.set(key, (g = { scopes: new Set(), generation: 0 }));
    return g;
  }

  /** Consent given: remembered per account and project, for every client of the project (facts §1.4). */
  recordConsent(account: string, projectId: string, scopes: readonly string[]): void {
    const grant = this.grant(account, projectId);
    for (const s of scopes) grant.scopes.add(s);
  }

  /** Scopes this account already granted to any client of the project (include_granted_scopes, consent skipping). */
  grantedScopes(account: string, projectId: string): ReadonlySet<string> {
    return this.grants.get(`${account}|${projectId}`)?.scopes ?? new Set();
  }

  /**
   * The token endpoint's answer for a consented grant of `scopes`. A refresh token only with offline access and a
   * consent shown (facts §1.4); the 7-day Testing expiry for External apps unless the only scopes REQUESTED
   * (`opts.requested`, default `scopes`) are identity scopes (facts §3), whatever the user then granted.
   */
  issueTokens(client: Client, account: Account, scopes: readonly string[], opts: { offline: boolean; consentShown: boolean; nonce?: string; consentAt?: number; requested?: readonly string[] }): GrantResult {
    const project = this.findProject(client.projectId)!;
    // The 7 days run from consent, not from the code exchange (facts §3).
    const now = opts.consentAt ?? this.clock.now();
    const grant = this.grant(account.email, project.id);
    this.recordConsent(account.email, project.id, scopes);
    const result: GrantResult = { access_token: "", expires_in: ACCESS_TOKEN_TTL_S, scope: scopes.join(" "), token_type: "Bearer" };
    if (opts.offline && opts.consentShown) {
      const testing = project.userType === "external" && project.publishingStatus === "testing" && !onlyIdentityScopes(opts.requested ?? scopes);
      const record: RefreshRecord = {
        token: newRefreshToken(),
        clientId: client.id,
        projectId: project.id,
        account: account.email,
        scopes: [...scopes],
        consentAt: now,
        expiresAt: testing ? now + TESTING_REFRESH_TTL_S * 1000 : undefined,
        generation: grant.generation,
        dropped: false,
      };
      this.addRefresh(record);
      result.refresh_token = record.token;
      // 604799 right after consent (facts §2.2), less the seconds since consent when the code is exchanged later.
      if (testing) result.refresh_token_expires_in = Math.max(0, TESTING_REFRESH_EXPIRES_IN - Math.floor((this.clock.now() - now) / 1000));
    }
    result.access_token = this.newAccess(client, account, scopes, opts.offline, grant.generation);
    if (scopes.includes("openid")) result.id_token = this.idToken(client, account, scopes, opts.nonce);
    return result;
  }

  private addRefresh(record: RefreshRecord): void {
    const key = `${record.clientId}|${record.account}`;
    const live = (this.refreshByPair.get(key) ?? []).filter((r) => this.refreshProblem(r) === undefined);
    // "creating a new refresh token automatically invalidates the oldest refresh token without warning" (facts §3).
    while (live.length >= MAX_REFRESH_TOKENS_PER_CLIENT) live.shift()!.dropped = true;
    live.push(record);
    this.refreshByPair.set(key, live);
    this.refreshByToken.set(record.token, record);
  }

  private newAccess(client: Client, account: Account, scopes: readonly string[], offline: boolean, generation: number): string {
    if (this.access.size >= this.nextAccessSweep) {
      this.sweepAccess();
      // Live tokens survive a sweep; without raising the mark every later mint would sweep them all again.
      this.nextAccessSweep = Math.max(ACCESS_SWEEP_AT, this.access.size * 2);
    }
    const token = newAccessToken();
    this.access.set(token, { clientId: client.id, projectId: client.projectId, account: account.email, scopes, expiresAt: this.clock.now() + ACCESS_TOKEN_TTL_S * 1000, offline, generation });
    return token;
  }

  private sweepAccess(): void {
    for (const [token, rec] of this.access) if (!this.accessLive(rec)) this.access.delete(token);
  }

  private idToken(client: Client, account: Account, scopes: readonly string[], nonce?: string): string {
    const iat = Math.floor(this.clock.now() / 1000);
    const claims: Record<string, unknown> = { iss: this.issuer, azp: client.id, aud: client.id, sub: account.sub };
    if (scopes.includes("https://www.googleapis.com/auth/userinfo.email")) Object.assign(claims, { email: account.email, email_verified: true });
    if (account.orgDomain) claims.hd = account.orgDomain;
    if (nonce) claims.nonce = nonce;
    Object.assign(claims, { iat, exp: iat + 3600 });
    return signIdToken(claims);
  }

  /** Why a refresh token no longer works, or undefined when it does (facts §3). */
  refreshProblem(r: RefreshRecord): string | undefined {
    if (r.dropped) return "dropped: over 100 live refresh tokens for this account and client";
    if (this.grants.get(`${r.account}|${r.projectId}`)?.generation !== r.generation) return "revoked";
    if (r.expiresAt !== undefined && this.clock.now() >= r.expiresAt) return "expired: 7 days after consent (External app in Testing)";
    const changed = this.accounts.get(r.account)?.passwordChangedAt;
    if (changed !== undefined && changed >= r.consentAt && r.scopes.some(isGmailScope)) return "password changed and the token carries Gmail scopes";
    return undefined;
  }

  findRefresh(token: string): RefreshRecord | undefined {
    return this.refreshByToken.get(token);
  }

  /**
   * A new access token from a live refresh token; no new refresh token (facts §2.1). Facts §2.1 list only
   * access_token, expires_in, scope and token_type; the id_token added when openid was granted is inferred (OpenID
   * Connect allows it, and OIDC client libraries read it when present).
   */
  refreshAccess(r: RefreshRecord, client: Client): GrantResult {
    const account = this.accounts.get(r.account)!;
    const result: GrantResult = { access_token: this.newAccess(client, account, r.scopes, true, r.generation), expires_in: ACCESS_TOKEN_TTL_S, scope: r.scopes.join(" "), token_type: "Bearer" };
    // Inferred (see above).
    if (r.scopes.includes("openid")) result.id_token = this.idToken(client, account, r.scopes);
    return result;
  }

  private accessLive(rec: AccessRecord): boolean {
    return this.clock.now() < rec.expiresAt && this.grants.get(`${rec.account}|${rec.projectId}`)?.generation === rec.generation;
  }

  /** A live access token's record, or undefined (unknown, expired or revoked). */
  findAccess(token: string): AccessRecord | undefined {
    const rec = this.access.get(token);
    return rec && this.accessLive(rec) ? rec : undefined;
  }

  /**
   * Revoke by access or refresh token: the whole grant of that account to that project goes, so every token of it
   * dies and the next authorization shows consent again (facts §4.2). False when the token is unknown or already dead.
   */
  revoke(token: string): boolean {
    const rec = this.findAccess(token) ?? this.findRefresh(token);
    if (!rec) return false;
    if ("token" in rec && this.refreshProblem(rec) !== undefined) return false;
    const grant = this.grant(rec.account, rec.projectId);
    grant.generation += 1;
    grant.scopes.clear();
    return true;
  }

  mintGrant(input: MintGrantInput): GrantResult {
    const client = this.client(input.clientId);
    if (client.deleted) throw new InputError("clientId", `client '${input.clientId}' is deleted`, "restore it with updateClient {deleted:false}");
    const account = this.account(input.account, "account");
    if (!Array.isArray(input.scopes) || input.scopes.length === 0) throw new InputError("scopes", "must be a non-empty list of scopes", "e.g. [\"https://mail.google.com/\"]");
    const result = this.issueTokens(client, account, [...new Set(input.scopes.map(canonicalScope))], { offline: input.offline ?? true, consentShown: true });
    registerSecret(result.access_token);
    registerSecret(result.refresh_token);
    return result;
  }

  // ---- spec import (the console steps) -------------------------------------------------------------------------

  importSpec(spec: ConnectionSpec, opts: ImportSpecOptions = {}): ImportResult {
    const fields: ProjectPatch = {
      number: spec.project.number,
      organization: spec.organizationDomain,
      organizationId: spec.project.orgId,
      appName: spec.branding.appName,
      supportEmail: spec.branding.supportEmail,
      userType: spec.audience.userType,
      publishingStatus: spec.audience.publishingStatus,
      testUsers: [...spec.audience.testUsers],
      scopes: [...spec.dataAccess.scopes],
      verified: spec.audience.verification === "verified",
    };
    const project = this.at("spec.project", () => (this.projects.has(spec.project.id) ? this.updateProject(spec.project.id, fields) : this.addProject({ id: spec.project.id, ...stripUndefined(fields) })));
    registerSecret(opts.clientSecret);
    const clients = spec.clients.map((c, i) =>
      this.at(`spec.clients[${i}]`, () => {
        const secret = opts.clientSecret ?? newClientSecret();
        const fields: ClientPatch = { projectId: project.id, type: c.type === "desktop" ? "installed" : "web", redirectUris: [...c.redirectUris], secrets: [secret], deleted: false, name: c.name };
        const id = c.clientId ?? newClientId(project.number);
        const saved = this.clients.has(id) ? this.updateClient(id, fields) : this.addClient({ id, ...fields } as ClientInput);
        return { name: c.name, clientId: saved.id, clientSecret: secret, type: saved.type };
      }),
    );
    const wanted = opts.accounts ?? [...new Set([...spec.audience.testUsers, spec.branding.supportEmail].map((e) => e.toLowerCase()))].map((email) => ({
      email,
      orgDomain: spec.organizationDomain && email.endsWith(`@${spec.organizationDomain}`) ? spec.organizationDomain : undefined,
    }));
    const accounts = wanted.map((a, i) => this.at(`accounts[${i}]`, () => (this.findAccount(a.email) ? this.updateAccount(a.email, stripUndefined({ ...a, email: undefined })) : this.addAccount(a)).email));
    return { projectId: project.id, projectNumber: project.number, clients, accounts };
  }

  // ---- snapshot -------------------------------------------------------------------------------------------------

  /** Everything, minus secret values: secrets as the console's last four, tokens only as metadata. */
  state(): StateSnapshot {
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      now: iso(this.clock.now()),
      issuer: this.issuer,
      projects: [...this.projects.values()].map((p) => ({ ...p, services: { ...p.services }, testUsers: [...p.testUsers], scopes: [...p.scopes] })),
      clients: [...this.clients.values()].map(({ secrets, ...c }) => ({ ...c, redirectUris: [...c.redirectUris], secretHints: secrets.map(secretHint) })),
      accounts: [...this.accounts.values()].map(({ passwordChangedAt, ...a }) => ({ ...a, ...(passwordChangedAt !== undefined ? { passwordChangedAt: iso(passwordChangedAt) } : {}) })),
      grants: [...this.grants].filter(([, g]) => g.scopes.size > 0).map(([key, g]) => {
        const [account, projectId] = key.split("|") as [string, string];
        return { account, projectId, scopes: [...g.scopes] };
      }),
      refreshTokens: [...this.refreshByToken.values()].map((r) => ({ clientId: r.clientId, account: r.account, scopes: r.scopes, issuedAt: iso(r.consentAt), ...(r.expiresAt !== undefined ? { expiresAt: iso(r.expiresAt) } : {}), live: this.refreshProblem(r) === undefined })),
      liveAccessTokens: [...this.access.values()].filter((r) => this.accessLive(r)).length,
      cloudCredentials: [...this.credentials].map(([token, c]) => ({ token: secretHint(token), projects: [...c.projects], canEnable: c.canEnable })),
      faults: this.faults.list(),
      sentMessages: this.sent.length,
    };
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
