// The runbook's console steps, carried out through the emulator's admin API the way a person clicks through the
// Google Auth Platform console: branding, audience and test users, data access, then the OAuth client (Google
// generates its ID and shows the secret once). The walkthrough makes two of them wrong on purpose and fixes them;
// importSpec does them all at once, right, from a provisioned spec.
import { registerSecret } from "../common/redact";
import { consoleLink, clientLink } from "../google/consoleLinks";
import {
  newClientId,
  newClientSecret,
  rootedAt,
  type AccountInput,
  type ClientPatch,
  type EmulatorAdmin,
  type ProjectPatch,
} from "../emulator";
import { clientSecretFile } from "../connection/clientSecretFile";
import type { ConnectionSpec, OAuthClientSpec } from "../connection/types";

/** One thing the person did, with the console page it was done on. Never holds a secret. */
export interface ConsoleAction {
  readonly page: string;
  readonly did: string;
  /** Set on the steps the walkthrough gets wrong on purpose. */
  readonly mistake?: string;
}

export interface CreatedClient {
  readonly name: string;
  readonly clientId: string;
  /** Shown once by the console; registered with redact(), never printed. */
  readonly secret: string;
}

export interface ConsoleMistakes {
  /** A test user left out of Audience → Test users. */
  readonly forgetTestUser?: string;
  /** Register this client's first redirect URI with a trailing slash. */
  readonly trailingSlashOnClient?: string;
}

/** The consent screen the spec declares (Branding, Audience, Data access) as the emulator's project fields. */
function consentScreen(spec: ConnectionSpec, testUsers: readonly string[]): ProjectPatch {
  const { audience } = spec;
  return {
    appName: spec.branding.appName,
    userType: audience.userType,
    publishingStatus: audience.publishingStatus,
    testUsers: [...testUsers],
    scopes: [...spec.dataAccess.scopes],
    verified: audience.verification === "verified",
    // An Internal app admits only its organisation's accounts; the console knows the organisation's domain.
    ...(spec.organizationDomain ? { organization: spec.organizationDomain } : {}),
  };
}

/** The emulator's client type for the spec's (Google calls a Desktop client "installed"). */
const clientType = (c: OAuthClientSpec): "web" | "installed" => (c.type === "desktop" ? "installed" : "web");

/** Branding, Audience (user type, publishing status, test users) and Data access, as the runbook lists them. */
export function configureConsentScreen(
  admin: EmulatorAdmin,
  spec: ConnectionSpec,
  mistakes: ConsoleMistakes = {},
): ConsoleAction[] {
  const project = spec.project.id;
  const { audience } = spec;
  const forgotten = mistakes.forgetTestUser?.toLowerCase();
  const testUsers = audience.testUsers.filter((u) => u.toLowerCase() !== forgotten);
  admin.updateProject(project, consentScreen(spec, testUsers));
  const actions: ConsoleAction[] = [
    {
      page: consoleLink("branding", project),
      did: `Branding: app name "${spec.branding.appName}", support email ${spec.branding.supportEmail}`,
    },
    {
      page: consoleLink("audience", project),
      did: `Audience: ${audience.userType}, ${audience.publishingStatus}${audience.userType === "external" && audience.publishingStatus === "testing" ? `, test users ${testUsers.join(", ") || "(none)"}` : ""}`,
      ...(forgotten ? { mistake: `forgot test user ${mistakes.forgetTestUser}` } : {}),
    },
    { page: consoleLink("dataAccess", project), did: `Data access: ${spec.dataAccess.scopes.join(", ")}` },
  ];
  return actions;
}

/** The URIs the person types for one client: the spec's, one of them with the deliberate trailing slash. */
function typedRedirectUris(client: OAuthClientSpec, mistakes: ConsoleMistakes): string[] {
  if (client.type !== "web") return [];
  return client.redirectUris.map((uri, i) =>
    i === 0 && mistakes.trailingSlashOnClient === client.name ? `${uri}/` : uri,
  );
}

/**
 * Creates every client of the spec (Google generates the ID unless the stack already names one), plus `extraUris`
 * on the named client: the loopback redirect the validator's consent flow listens on.
 */
export function createClients(
  admin: EmulatorAdmin,
  spec: ConnectionSpec,
  projectNumber: string,
  extraUris: Readonly<Record<string, readonly string[]>>,
  mistakes: ConsoleMistakes = {},
): { clients: CreatedClient[]; actions: ConsoleAction[] } {
  const clients: CreatedClient[] = [];
  const actions: ConsoleAction[] = [];
  for (const c of spec.clients) {
    const typed = typedRedirectUris(c, mistakes);
    const extra = extraUris[c.name] ?? [];
    // The validator's loopback goes first: its flow listens on the first loopback URI that is not the app's, and in
    // the sandbox the app itself is on 127.0.0.1, so a mistyped app URI would otherwise be taken for the flow's.
    const uris = [...extra, ...typed];
    const created = admin.addClient({
      id: c.clientId ?? newClientId(projectNumber),
      projectId: spec.project.id,
      type: clientType(c),
      redirectUris: uris,
      name: c.name,
    });
    const secret = created.secrets[0];
    registerSecret(secret);
    clients.push({ name: c.name, clientId: created.id, secret });
    const wrong = typed.find((u) => !c.redirectUris.includes(u));
    actions.push({
      page: consoleLink("createClient", spec.project.id),
      did: `Created ${c.type === "web" ? "Web application" : "Desktop"} client "${c.name}": ID ${created.id}; redirect URIs ${uris.join(", ") || "(none)"}${extra.length ? ` (${extra.join(", ")} for the validator's consent flow)` : ""}; secret copied from the dialog (not shown)`,
      ...(wrong ? { mistake: `registered ${wrong} with a trailing slash` } : {}),
    });
  }
  return { clients, actions };
}

/** The fix for a forgotten test user: Audience → Test users → Add users. */
export function addTestUser(admin: EmulatorAdmin, spec: ConnectionSpec, email: string): ConsoleAction {
  const current = admin.state().projects.find((p) => p.id === spec.project.id)?.testUsers ?? [];
  admin.updateProject(spec.project.id, { testUsers: [...new Set([...current, email])] });
  return { page: consoleLink("audience", spec.project.id), did: `Audience → Test users → Add users: ${email}` };
}

/** The fix for a wrongly typed redirect URI: edit the client and type it exactly. */
export function replaceRedirectUri(
  admin: EmulatorAdmin,
  projectId: string,
  clientId: string,
  wrong: string,
  right: string,
): ConsoleAction {
  const client = admin.state().clients.find((c) => c.id === clientId);
  const uris = (client?.redirectUris ?? []).map((u) => (u === wrong ? right : u));
  admin.updateClient(clientId, { redirectUris: uris });
  return { page: clientLink(clientId, projectId), did: `Edited the client's redirect URI ${wrong} → ${right}` };
}

/** The console's "Download JSON" for a client: its registered redirect URIs as they are now, and the secret. */
export function downloadClientJson(admin: EmulatorAdmin, spec: ConnectionSpec, created: CreatedClient): string {
  const registered = admin.state().clients.find((c) => c.id === created.clientId);
  const client = spec.clients.find((c) => c.name === created.name)!;
  return JSON.stringify(
    clientSecretFile(
      { ...client, clientId: created.clientId, redirectUris: registered?.redirectUris ?? client.redirectUris },
      spec.project.id,
      created.secret,
    ),
    null,
    2,
  );
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
  clients: { name: string; clientId: string; clientSecret: string; type: "web" | "installed" }[];
  accounts: string[];
}

/**
 * Every console step for a provisioned spec at once, none of them wrong: the project (Gmail enabled) with its consent
 * screen, the clients (the spec's ID or a generated one; the secret given or generated), and the accounts. Importing
 * again updates in place. A value the emulator refuses is named at its spec path (`spec.clients[0].redirectUris[0]`).
 */
export function importSpec(admin: EmulatorAdmin, spec: ConnectionSpec, opts: ImportSpecOptions = {}): ImportResult {
  const known = admin.state();
  const fields: ProjectPatch = {
    ...consentScreen(spec, spec.audience.testUsers),
    ...(spec.project.number ? { number: spec.project.number } : {}),
    ...(spec.project.orgId ? { organizationId: spec.project.orgId } : {}),
    supportEmail: spec.branding.supportEmail,
  };
  const exists = known.projects.some((p) => p.id === spec.project.id);
  const project = rootedAt("spec.project", () =>
    exists ? admin.updateProject(spec.project.id, fields) : admin.addProject({ id: spec.project.id, ...fields }),
  );
  registerSecret(opts.clientSecret);
  const clients = spec.clients.map((c, i) =>
    rootedAt(`spec.clients[${i}]`, () => {
      const secret = opts.clientSecret ?? newClientSecret();
      const fields: ClientPatch = {
        projectId: project.id,
        type: clientType(c),
        redirectUris: [...c.redirectUris],
        secrets: [secret],
        deleted: false,
        name: c.name,
      };
      const id = c.clientId ?? newClientId(project.number);
      const saved = known.clients.some((k) => k.id === id)
        ? admin.updateClient(id, fields)
        : admin.addClient({ id, ...fields, projectId: project.id });
      return { name: c.name, clientId: saved.id, clientSecret: secret, type: saved.type };
    }),
  );
  const domain = spec.organizationDomain;
  const wanted =
    opts.accounts ??
    [...new Set([...spec.audience.testUsers, spec.branding.supportEmail].map((e) => e.toLowerCase()))].map(
      (email): AccountInput => ({ email, ...(domain && email.endsWith(`@${domain}`) ? { orgDomain: domain } : {}) }),
    );
  const accounts = wanted.map((a, i) =>
    rootedAt(`accounts[${i}]`, () => {
      const { email, ...patch } = a;
      return (
        known.accounts.some((k) => k.email === email.toLowerCase())
          ? admin.updateAccount(email, patch)
          : admin.addAccount(a)
      ).email;
    }),
  );
  return { projectId: project.id, projectNumber: project.number, clients, accounts };
}
