// A typed way to write a scenario in code (an app's tests): the same ScenarioInput a YAML scenario file holds, built
// step by step, with the project a client belongs to and the client's ID and secret filled in when left out.
// `build()` checks it with the scenario reader, so a mistake is the same field-level InputError a file gives.
import type { Fault, FaultRoute } from "./faults";
import {
  parseScenario,
  type AccountInput,
  type ClientInput,
  type CloudCredentialInput,
  type ProjectInput,
  type ScenarioInput,
} from "./inputReaders";
import type { DelegationInput, ServiceAccountInput } from "./serviceAccountInputs";
import { derivedProjectNumber, newClientId, newClientSecret } from "./tokens";

/** A client as the builder takes it: `projectId` defaults to the last project added, `id` and `secrets` are minted. */
export type ClientDraft = Omit<ClientInput, "id" | "projectId"> & { id?: string; projectId?: string };

export class ScenarioBuilder {
  private readonly doc: ScenarioInput & {
    projects: ProjectInput[];
    clients: ClientInput[];
    accounts: AccountInput[];
    cloudCredentials: (CloudCredentialInput & { token: string })[];
    serviceAccounts: ServiceAccountInput[];
    delegations: DelegationInput[];
    faults: Partial<Record<FaultRoute, Fault>>;
  } = {
    projects: [],
    clients: [],
    accounts: [],
    cloudCredentials: [],
    serviceAccounts: [],
    delegations: [],
    faults: {},
  };

  /** Seeds the fault fractions, so runs repeat. */
  seed(seed: number): this {
    this.doc.seed = seed;
    return this;
  }

  /** `iss` of redirects, id_tokens and discovery; default: the emulator's origin. */
  issuer(issuer: string): this {
    this.doc.issuer = issuer;
    return this;
  }

  /** The emulator clock's start (ISO text or ms), and whether it moves only by `admin.advanceClock`. */
  clock(clock: { now?: string | number; frozen?: boolean }): this {
    this.doc.clock = clock;
    return this;
  }

  /** A project with its consent screen (user type, publishing status, test users, …). */
  project(project: ProjectInput): this {
    this.doc.projects.push(project);
    return this;
  }

  /** An OAuth client; `projectId` defaults to the last project added, `id` and `secrets` are minted when left out. */
  client(client: ClientDraft): this {
    const projectId = client.projectId ?? this.doc.projects.at(-1)?.id;
    if (projectId === undefined)
      throw new TypeError("scenario().client(): add a project first, or give the client's projectId");
    const project = this.doc.projects.find((p) => p.id === projectId);
    const id = client.id ?? newClientId(project?.number ?? derivedProjectNumber(projectId));
    this.doc.clients.push({ ...client, id, projectId, secrets: client.secrets ?? [newClientSecret()] });
    return this;
  }

  /** A Google account (an email address alone is an account with a mailbox). */
  account(account: AccountInput | string): this {
    this.doc.accounts.push(typeof account === "string" ? { email: account } : account);
    return this;
  }

  /** A Cloud access token the Service Usage and Resource Manager checks accept for these projects. */
  cloudCredential(token: string, credential: CloudCredentialInput): this {
    this.doc.cloudCredentials.push({ token, ...credential });
    return this;
  }

  /** A service account (its project must be among the projects), with its token creators and public keys. */
  serviceAccount(serviceAccount: ServiceAccountInput): this {
    this.doc.serviceAccounts.push(serviceAccount);
    return this;
  }

  /** One row of a Workspace domain's Manage Domain Wide Delegation table: the service account's unique ID → scopes. */
  delegation(delegation: DelegationInput): this {
    this.doc.delegations.push(delegation);
    return this;
  }

  /** A fault on one route (latency, dropped connections, 5xx answers), as in a scenario file. */
  fault(route: FaultRoute, fault: Fault): this {
    this.doc.faults[route] = fault;
    return this;
  }

  /** The clients added so far, with their minted IDs and secrets (for the app under test). */
  get clients(): readonly ClientInput[] {
    return this.doc.clients;
  }

  /** The scenario, checked: a bad value throws the InputError a scenario file would. */
  build(): ScenarioInput {
    const out: ScenarioInput = structuredClone(this.doc);
    parseScenario(out);
    return out;
  }
}

/** Starts an empty scenario: `scenario().project({…}).client({…}).account("ana@example.com").build()`. */
export function scenario(): ScenarioBuilder {
  return new ScenarioBuilder();
}
