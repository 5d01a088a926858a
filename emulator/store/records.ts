// The emulator's records: projects (with their consent screen), OAuth clients, accounts, cloud credentials and sent
// messages. Adding or changing one applies the console's own rules (google-behaviour.md §7, §8.1), so no record Google would refuse
// can exist; input shapes are read before they get here (../inputReaders.ts).
import { InputError } from "../../common/errors";
import { Problems, throwProblems } from "../../common/readers";
import { registerSecret } from "../../common/redact";
import { GMAIL_SERVICE } from "../../google/endpoints";
import type { PublishingStatus, UserType } from "../../google/oauthApp";
import { redirectUriProblems } from "../../google/redirectUris";
import type {
  AccountInput,
  AccountPatch,
  ClientInput,
  ClientPatch,
  CloudCredentialInput,
  EmulatorClientType,
  ParsedProject,
  ParsedProjectPatch,
  ServiceState,
} from "../inputReaders";

export type { EmulatorClientType, ServiceState };
import { derivedProjectNumber, derivedSub, newClientSecret, secretHint } from "../tokens";
import type { Clock } from "./clock";

/** A Cloud project with its consent screen (Google Auth Platform branding + audience + data access) folded in. */
export interface Project {
  id: string;
  /** Google's errors quote the number, not the id (google-behaviour.md §5.2). */
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
  /** Gmail quota units per user per minute; unset: not enforced (Google's default is 15,000). */
  gmailUserQuotaPerMinute?: number;
}

export interface Client {
  id: string;
  projectId: string;
  type: EmulatorClientType;
  /** At most two (google-behaviour.md §8.1, rotation). */
  secrets: string[];
  redirectUris: string[];
  deleted: boolean;
  /** Google turned sign-in off until the app is verified: the authorization endpoint answers disabled_client. */
  signInDisabled?: boolean;
  name?: string;
}

export interface Account {
  email: string;
  /** Stable numeric subject, as Google's `sub`. */
  sub: string;
  hasMailbox: boolean;
  /** IMAP allowed by the domain's admin (google-behaviour.md §11); SMTP is unaffected. */
  imapEnabled: boolean;
  orgDomain?: string;
  /** Emulator-clock time of the last password change; refresh tokens with Gmail scopes issued before it die. */
  passwordChangedAt?: number;
  messagesTotal: number;
  threadsTotal: number;
  historyId: number;
  /** Messages per rolling 24 hours; unset: not enforced (Google's are 500 for gmail.com, 2,000 for Workspace). */
  dailySendLimit?: number;
}

export interface CloudCredential {
  projects: string[];
  /** May call services:enable / :disable (roles/serviceusage.serviceUsageAdmin). Default true. */
  canEnable: boolean;
  /** Whose credential it is (`user:ops@acme.com`), for IAM bindings such as a service account's token creators. */
  principal?: string;
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

/** Every record, by the keys Google's APIs look them up by. */
export class Records {
  private readonly projects = new Map<string, Project>();
  private readonly projectsByNumber = new Map<string, Project>();
  private readonly clients = new Map<string, Client>();
  private readonly accounts = new Map<string, Account>();
  private readonly credentials = new Map<string, CloudCredential>();
  private readonly sent: SentMessage[] = [];

  constructor(private readonly clock: Clock) {}

  // ---- projects -------------------------------------------------------------------------------------------------

  addProject(p: ParsedProject): Project {
    if (this.projects.has(p.id))
      throw new InputError("project.id", `project '${p.id}' already exists`, "use updateProject to change it");
    const number = p.number ?? derivedProjectNumber(p.id);
    if (this.projectsByNumber.has(number))
      throw new InputError(
        "project.number",
        `number ${number} is already used by project '${this.projectsByNumber.get(number)!.id}'`,
        "give each project its own number",
      );
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
      gmailUserQuotaPerMinute: p.gmailUserQuotaPerMinute,
    };
    this.checkInternal(project, "project");
    this.projects.set(project.id, project);
    this.projectsByNumber.set(number, project);
    return { ...project };
  }

  updateProject(id: string, p: ParsedProjectPatch): Project {
    const project = this.project(id, "project");
    if (p.number !== undefined && p.number !== project.number) {
      if (this.projectsByNumber.has(p.number))
        throw new InputError("patch.number", `number ${p.number} is already used`, "give each project its own number");
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

  /** "A @gmail.com-owned project cannot choose Internal" (google-behaviour.md §7): Internal needs an organisation. */
  private checkInternal(p: Project, at: string): void {
    if (p.userType === "internal" && !p.organization)
      throw new InputError(
        `${at}.userType`,
        "internal needs the project to belong to an organisation",
        `set ${at}.organization to the Workspace domain, or use external`,
      );
  }

  setServiceState(projectIdOrNumber: string, service: string, state: ServiceState): void {
    this.project(projectIdOrNumber, "project").services[service] = state;
  }

  /** By id or number, as Google's APIs accept both. */
  findProject(idOrNumber: string): Project | undefined {
    return this.projects.get(idOrNumber) ?? this.projectsByNumber.get(idOrNumber);
  }

  /** The project, or an input error at `at` listing the known ones. */
  project(idOrNumber: string, at: string): Project {
    const p = this.findProject(idOrNumber);
    if (!p)
      throw new InputError(
        at,
        `no project '${idOrNumber}'`,
        `add it first; known: ${[...this.projects.keys()].join(", ") || "none"}`,
      );
    return p;
  }

  // ---- clients --------------------------------------------------------------------------------------------------

  addClient(c: ClientInput): Client {
    if (this.clients.has(c.id))
      throw new InputError("client.id", `client '${c.id}' already exists`, "use updateClient to change it");
    const client: Client = { id: c.id, projectId: "", type: "web", secrets: [], redirectUris: [], deleted: false };
    this.applyClient(
      client,
      { type: "web", secrets: [newClientSecret()], redirectUris: [], deleted: false, ...stripUndefined(c) },
      "client",
    );
    this.clients.set(client.id, client);
    return { ...client, secrets: [...client.secrets] };
  }

  updateClient(id: string, patch: ClientPatch): Client {
    const client = this.client(id);
    const next = { ...client, redirectUris: [...client.redirectUris], secrets: [...client.secrets] };
    this.applyClient(next, stripUndefined(patch), "patch");
    Object.assign(client, next);
    return { ...client, secrets: [...client.secrets] };
  }

  /** Deleted clients stay restorable (updateClient {deleted:false}), as in the console for 30 days (google-behaviour.md §1.2). */
  deleteClient(id: string): void {
    this.client(id).deleted = true;
  }

  private applyClient(client: Client, c: ClientPatch, at: string): void {
    if (c.projectId !== undefined) client.projectId = this.project(c.projectId, `${at}.projectId`).id;
    if (c.type !== undefined) client.type = c.type;
    if (c.secrets !== undefined) client.secrets = c.secrets;
    if (c.redirectUris !== undefined) client.redirectUris = c.redirectUris;
    if (c.deleted !== undefined) client.deleted = c.deleted;
    if (c.signInDisabled !== undefined) client.signInDisabled = c.signInDisabled;
    if (c.name !== undefined) client.name = c.name;
    // The console refuses such registrations, so no state may hold them (google-behaviour.md §8.1). Every bad URI is reported.
    const problems = new Problems();
    client.redirectUris.forEach((uri, i) => {
      const problem = redirectUriProblems(uri, client.type === "installed" ? "desktop" : "web")[0];
      if (problem) problems.add(`${at}.redirectUris[${i}]`, `'${uri}' ${problem.message}`, problem.fix);
    });
    throwProblems(problems);
    client.secrets.forEach(registerSecret);
  }

  findClient(id: string): Client | undefined {
    return this.clients.get(id);
  }

  /** The client, or an input error naming `clientId`. */
  client(id: string): Client {
    const c = this.clients.get(id);
    if (!c) throw new InputError("clientId", `no client '${id}'`, "add it first with addClient");
    return c;
  }

  // ---- accounts -------------------------------------------------------------------------------------------------

  addAccount(a: AccountInput): Account {
    if (this.accounts.has(a.email))
      throw new InputError("account.email", `account '${a.email}' already exists`, "use updateAccount to change it");
    const account: Account = {
      email: a.email,
      sub: derivedSub(a.email),
      hasMailbox: a.hasMailbox ?? true,
      imapEnabled: a.imapEnabled ?? true,
      orgDomain: a.orgDomain,
      messagesTotal: a.messagesTotal ?? 0,
      threadsTotal: a.threadsTotal ?? 0,
      historyId: 1000,
      dailySendLimit: a.dailySendLimit,
    };
    if (a.passwordChanged) account.passwordChangedAt = this.clock.now();
    this.accounts.set(account.email, account);
    return { ...account };
  }

  updateAccount(email: string, p: AccountPatch): Account {
    const account = this.account(email, "email");
    if (p.hasMailbox !== undefined) account.hasMailbox = p.hasMailbox;
    if (p.imapEnabled !== undefined) account.imapEnabled = p.imapEnabled;
    if (p.orgDomain !== undefined) account.orgDomain = p.orgDomain;
    if (p.messagesTotal !== undefined) account.messagesTotal = p.messagesTotal;
    if (p.threadsTotal !== undefined) account.threadsTotal = p.threadsTotal;
    if (p.dailySendLimit !== undefined) account.dailySendLimit = p.dailySendLimit;
    if (p.passwordChanged) account.passwordChangedAt = this.clock.now();
    return { ...account };
  }

  findAccount(email: string): Account | undefined {
    return this.accounts.get(email.toLowerCase());
  }

  listAccounts(): Account[] {
    return [...this.accounts.values()];
  }

  /** The account, or an input error at `at`. */
  account(email: string, at: string): Account {
    const a = this.findAccount(email);
    if (!a) throw new InputError(at, `no account '${email}'`, "add it first with addAccount");
    return a;
  }

  // ---- cloud credentials (Service Usage, Resource Manager) ------------------------------------------------------

  addCloudCredential(token: string, c: CloudCredentialInput): void {
    const projects = c.projects.map((p, i) => this.project(p, `credential.projects[${i}]`).id);
    registerSecret(token);
    this.credentials.set(token, {
      projects,
      canEnable: c.canEnable ?? true,
      ...(c.principal !== undefined && { principal: c.principal }),
    });
  }

  findCredential(token: string): CloudCredential | undefined {
    return this.credentials.get(token);
  }

  // ---- sent messages ------------------------------------------------------------------------------------------

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

  /** The records as the admin API shows them: secrets as the console's last four characters. */
  snapshot() {
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      projects: [...this.projects.values()].map((p) => ({
        ...p,
        services: { ...p.services },
        testUsers: [...p.testUsers],
        scopes: [...p.scopes],
      })),
      clients: [...this.clients.values()].map(({ secrets, ...c }) => ({
        ...c,
        redirectUris: [...c.redirectUris],
        secretHints: secrets.map(secretHint),
      })),
      accounts: [...this.accounts.values()].map(({ passwordChangedAt, ...a }) => ({
        ...a,
        ...(passwordChangedAt !== undefined ? { passwordChangedAt: iso(passwordChangedAt) } : {}),
      })),
      cloudCredentials: [...this.credentials].map(([token, c]) => ({
        token: secretHint(token),
        projects: [...c.projects],
        canEnable: c.canEnable,
        ...(c.principal !== undefined && { principal: c.principal }),
      })),
      sentMessages: this.sent.length,
    };
  }
}

export function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
