// The admin operations: what tests and the sandbox do to the emulator's state in-process (`emu.admin`), and what
// POST /__emulator/<name> serves (routes/admin.ts). One table: each operation reads ALL its arguments (every problem,
// each naming its field) before it changes anything, then runs on the store.
import { InputError } from "../common/errors";
import { isRecord } from "../common/json";
import { Problems, readEnum, readString, readStringList, throwProblems } from "../common/readers";
import { readFault, readFaultRoute, type Fault, type FaultRoute } from "./faults";
import {
  readAccountInput,
  readAccountPatch,
  readClientInput,
  readClientPatch,
  readCloudCredential,
  readCloudToken,
  readProjectInput,
  readProjectPatch,
  type AccountInput,
  type AccountPatch,
  type ClientInput,
  type ClientPatch,
  type CloudCredentialInput,
  type ProjectInput,
  type ProjectPatch,
} from "./inputReaders";
import {
  readDelegationInput,
  readKeyPatch,
  readPrincipalList,
  readServiceAccountEmail,
  readServiceAccountInput,
  type DelegationInput,
  type ServiceAccountInput,
  type ServiceAccountKeyPatch,
} from "./serviceAccountInputs";
import type { EmulatorStore, StateSnapshot } from "./store";
import type { ServiceAccountKeyFile } from "./store/serviceAccounts";
import type { Account, Client, Project, SentMessage, ServiceState } from "./store/records";
import type { GrantResult, MintGrantInput } from "./store/tokenStore";

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
  mintGrant(input: MintGrantInput): GrantResult;
  addServiceAccount(serviceAccount: ServiceAccountInput): ServiceAccountSummary;
  createServiceAccountKey(email: string): ServiceAccountKeyFile;
  updateServiceAccountKey(email: string, keyId: string, patch: ServiceAccountKeyPatch): void;
  setTokenCreators(email: string, principals: string[]): void;
  deleteServiceAccount(email: string): void;
  setDelegation(delegation: DelegationInput): void;
}

/** What addServiceAccount answers: the address and the unique ID the admin console asks for. */
export interface ServiceAccountSummary {
  email: string;
  uniqueId: string;
  projectId: string;
}

type Name = keyof EmulatorAdmin;

/** How one operation reads its raw arguments (JSON, or an in-process call) and what it then does. */
interface Operation<A extends unknown[], R> {
  /** Undefined where an argument could not be read; the problems say why. */
  read(args: readonly unknown[], p: Problems): A | undefined;
  run(store: EmulatorStore, ...args: A): R;
}

/**
 * An operation as the table keeps it: its arguments read (every problem into `p`), then a function that runs it on
 * the store, or undefined when an argument could not be read. Wrapping read and run together keeps each operation's
 * own argument types inside it, so the table is typed by results alone, with no `any`.
 */
type AdminOperation<R> = (store: EmulatorStore, args: readonly unknown[], p: Problems) => (() => R) | undefined;

/** An operation whose run takes exactly what its read produced. */
const op =
  <A extends unknown[], R>(read: Operation<A, R>["read"], run: Operation<A, R>["run"]): AdminOperation<R> =>
  (store, args, p) => {
    const values = read(args, p);
    return values && (() => run(store, ...values));
  };

/** All of `values` read, or undefined when any is missing (its problem is already noted). */
function all<A extends unknown[]>(...values: { [I in keyof A]: A[I] | undefined }): A | undefined {
  return values.every((v) => v !== undefined) ? (values as A) : undefined;
}

const id = (v: unknown, field: string, p: Problems) => readString(v, field, p, { fix: `give the ${field}` });
const none = () => [] as [];

function readMintGrant(v: unknown, p: Problems): MintGrantInput | undefined {
  const o = isRecord(v) ? v : undefined;
  if (!o) {
    p.add("input", "must be an object with clientId, account and scopes");
    return undefined;
  }
  const clientId = id(o.clientId, "clientId", p);
  const account = id(o.account, "account", p);
  const scopes = Array.isArray(o.scopes) ? readStringList(o.scopes, "scopes", p) : [];
  if (scopes.length === 0) p.add("scopes", "must be a non-empty list of scopes", 'e.g. ["https://mail.google.com/"]');
  const offline = o.offline === undefined || typeof o.offline === "boolean" ? o.offline : undefined;
  if (offline !== o.offline) p.add("offline", "must be true or false");
  return clientId && account && scopes.length ? { clientId, account, scopes, offline } : undefined;
}

// Built without a contextual type, so each operation's argument types are inferred from its read; the typed table
// below then checks every result against EmulatorAdmin.
const TABLE = {
  addProject: op(
    ([v], p) => all(readProjectInput(v, "project", p)),
    (s, x) => s.records.addProject(x),
  ),
  updateProject: op(
    ([i, v], p) => all(id(i, "id", p), readProjectPatch(v, "patch", p)),
    (s, i, x) => s.records.updateProject(i, x),
  ),
  setServiceState: op(
    ([project, service, state], p) =>
      all(
        id(project, "project", p),
        id(service, "service", p),
        readEnum(state, "state", p, ["ENABLED", "DISABLED"] as const),
      ),
    (s, project, service, state) => s.records.setServiceState(project, service, state),
  ),
  addClient: op(
    ([v], p) => all(readClientInput(v, "client", p)),
    (s, x) => s.records.addClient(x),
  ),
  updateClient: op(
    ([i, v], p) => all(id(i, "clientId", p), readClientPatch(v, "patch", p)),
    (s, i, x) => s.records.updateClient(i, x),
  ),
  deleteClient: op(
    ([i], p) => all(id(i, "clientId", p)),
    (s, i) => s.records.deleteClient(i),
  ),
  addAccount: op(
    ([v], p) => all(readAccountInput(v, "account", p)),
    (s, x) => s.records.addAccount(x),
  ),
  updateAccount: op(
    ([e, v], p) => all(id(e, "email", p), readAccountPatch(v, "patch", p)),
    (s, e, x) => s.records.updateAccount(e, x),
  ),
  addCloudCredential: op(
    ([t, v], p) => all(readCloudToken(t, "token", p), readCloudCredential(v, "credential", p)),
    (s, t, c) => s.records.addCloudCredential(t, c),
  ),
  advanceClock: op(
    ([ms], p) => {
      if (typeof ms === "number" && Number.isFinite(ms) && ms >= 0) return [ms];
      p.add("ms", `must be a non-negative number of milliseconds, got ${JSON.stringify(ms)}`);
      return undefined;
    },
    (s, ms) => s.clock.advance(ms),
  ),
  now: op(none, (s) => s.clock.now()),
  setFault: op(
    ([r, f], p) => all(readFaultRoute(r, "route", p), readFault(f, "fault", p)),
    (s, r, f) => s.faults.set(r, f),
  ),
  clearFaults: op(
    ([r], p) => (r === undefined ? [] : all(readFaultRoute(r, "route", p))),
    (s, r) => s.faults.clear(r),
  ),
  sentMessages: op(none, (s) => s.records.sentMessages()),
  state: op(none, (s) => s.snapshot()),
  mintGrant: op(
    ([v], p) => all(readMintGrant(v, p)),
    (s, x) => s.tokens.mintGrant(x),
  ),
  addServiceAccount: op(
    ([v], p) => all(readServiceAccountInput(v, "serviceAccount", p)),
    (s, x) => {
      const sa = s.serviceAccounts.add(x);
      return { email: sa.email, uniqueId: sa.uniqueId, projectId: sa.projectId };
    },
  ),
  createServiceAccountKey: op(
    ([e], p) => all(readServiceAccountEmail(e, "email", p)),
    (s, e) => s.serviceAccounts.createKey(e),
  ),
  updateServiceAccountKey: op(
    ([e, k, v], p) => all(readServiceAccountEmail(e, "email", p), id(k, "keyId", p), readKeyPatch(v, "patch", p)),
    (s, e, k, x) => s.serviceAccounts.updateKey(e, k, x),
  ),
  setTokenCreators: op(
    ([e, v], p) => all(readServiceAccountEmail(e, "email", p), readPrincipalList(v, "principals", p)),
    (s, e, x) => s.serviceAccounts.setTokenCreators(e, x),
  ),
  deleteServiceAccount: op(
    ([e], p) => all(readServiceAccountEmail(e, "email", p)),
    (s, e) => s.serviceAccounts.delete(e),
  ),
  setDelegation: op(
    ([v], p) => all(readDelegationInput(v, "delegation", p)),
    (s, x) => s.serviceAccounts.setDelegation(x),
  ),
};
const OPERATIONS: { readonly [K in Name]: AdminOperation<ReturnType<EmulatorAdmin[K]>> } = TABLE;

/** Admin operations served as POST /__emulator/<name> with a JSON array of arguments. */
export const ADMIN_OPERATIONS = Object.keys(OPERATIONS) as Name[];

export function isAdminOperation(name: string): name is Name {
  return Object.hasOwn(OPERATIONS, name);
}

/**
 * Reads every argument of the operation, throws every problem found (InputError, or InputErrors for several), and
 * only then runs it. Nothing changes when any argument is wrong.
 */
export function runAdminOperation<K extends Name>(
  store: EmulatorStore,
  name: K,
  args: readonly unknown[],
): ReturnType<EmulatorAdmin[K]> {
  const p = new Problems();
  const prepared = OPERATIONS[name](store, args, p);
  throwProblems(p);
  if (!prepared) throw new InputError(name, "could not read the arguments");
  return prepared();
}

/** The in-process admin API over a store (`emu.admin`); every call goes through the table above. */
export class Admin implements EmulatorAdmin {
  constructor(readonly store: EmulatorStore) {}

  private run<K extends Name>(name: K, args: Parameters<EmulatorAdmin[K]>): ReturnType<EmulatorAdmin[K]> {
    return runAdminOperation(this.store, name, args);
  }

  addProject(...a: Parameters<EmulatorAdmin["addProject"]>) {
    return this.run("addProject", a);
  }
  updateProject(...a: Parameters<EmulatorAdmin["updateProject"]>) {
    return this.run("updateProject", a);
  }
  setServiceState(...a: Parameters<EmulatorAdmin["setServiceState"]>) {
    return this.run("setServiceState", a);
  }
  addClient(...a: Parameters<EmulatorAdmin["addClient"]>) {
    return this.run("addClient", a);
  }
  updateClient(...a: Parameters<EmulatorAdmin["updateClient"]>) {
    return this.run("updateClient", a);
  }
  deleteClient(...a: Parameters<EmulatorAdmin["deleteClient"]>) {
    return this.run("deleteClient", a);
  }
  addAccount(...a: Parameters<EmulatorAdmin["addAccount"]>) {
    return this.run("addAccount", a);
  }
  updateAccount(...a: Parameters<EmulatorAdmin["updateAccount"]>) {
    return this.run("updateAccount", a);
  }
  addCloudCredential(...a: Parameters<EmulatorAdmin["addCloudCredential"]>) {
    return this.run("addCloudCredential", a);
  }
  advanceClock(...a: Parameters<EmulatorAdmin["advanceClock"]>) {
    return this.run("advanceClock", a);
  }
  now() {
    return this.run("now", []);
  }
  setFault(...a: Parameters<EmulatorAdmin["setFault"]>) {
    return this.run("setFault", a);
  }
  clearFaults(...a: Parameters<EmulatorAdmin["clearFaults"]>) {
    return this.run("clearFaults", a);
  }
  sentMessages() {
    return this.run("sentMessages", []);
  }
  state() {
    return this.run("state", []);
  }
  mintGrant(...a: Parameters<EmulatorAdmin["mintGrant"]>) {
    return this.run("mintGrant", a);
  }
  addServiceAccount(...a: Parameters<EmulatorAdmin["addServiceAccount"]>) {
    return this.run("addServiceAccount", a);
  }
  createServiceAccountKey(...a: Parameters<EmulatorAdmin["createServiceAccountKey"]>) {
    return this.run("createServiceAccountKey", a);
  }
  updateServiceAccountKey(...a: Parameters<EmulatorAdmin["updateServiceAccountKey"]>) {
    return this.run("updateServiceAccountKey", a);
  }
  setTokenCreators(...a: Parameters<EmulatorAdmin["setTokenCreators"]>) {
    return this.run("setTokenCreators", a);
  }
  deleteServiceAccount(...a: Parameters<EmulatorAdmin["deleteServiceAccount"]>) {
    return this.run("deleteServiceAccount", a);
  }
  setDelegation(...a: Parameters<EmulatorAdmin["setDelegation"]>) {
    return this.run("setDelegation", a);
  }
}
