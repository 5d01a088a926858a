// The emulator's storage behind one interface: the clock, the fault table, the records, the token store and the
// browser sessions. Handlers and admin operations reach state only through an EmulatorStore.
import type { MailDiscovery } from "../../google/mail";
import { rootedAt, type ParsedScenario } from "../inputReaders";
import { FaultTable, type Fault, type FaultRoute } from "../faults";
import { Clock } from "./clock";
import { GmailUsage } from "./gmailUsage";
import { Records } from "./records";
import { ServiceAccountStore } from "./serviceAccounts";
import { SessionStore } from "./sessions";
import { TokenStore } from "./tokenStore";

export interface StateSnapshot {
  now: string;
  issuer?: string;
  projects: ReturnType<Records["snapshot"]>["projects"];
  clients: ReturnType<Records["snapshot"]>["clients"];
  accounts: ReturnType<Records["snapshot"]>["accounts"];
  grants: ReturnType<TokenStore["snapshot"]>["grants"];
  refreshTokens: ReturnType<TokenStore["snapshot"]>["refreshTokens"];
  liveAccessTokens: number;
  cloudCredentials: ReturnType<Records["snapshot"]>["cloudCredentials"];
  faults: Partial<Record<FaultRoute, Fault>>;
  sentMessages: number;
  serviceAccounts: ReturnType<ServiceAccountStore["snapshot"]>["serviceAccounts"];
  delegations: ReturnType<ServiceAccountStore["snapshot"]>["delegations"];
  liveServiceAccountTokens: number;
}

export class EmulatorStore {
  readonly clock: Clock;
  readonly faults: FaultTable;
  readonly records: Records;
  readonly tokens: TokenStore;
  readonly sessions = new SessionStore();
  readonly serviceAccounts: ServiceAccountStore;
  /** Gmail's per-user quota and sending limit, where the scenario sets them. */
  readonly gmailUsage: GmailUsage;
  /** Set once the server knows its origin, unless the scenario fixed it. */
  issuer?: string;
  /** Where the SMTP and IMAP servers listen, once started (emulator/mail/). */
  mail?: MailDiscovery;
  /** Why they could not start, when they could not. */
  mailProblem?: string;

  /** From a scenario already read by parseScenario; a reference it cannot resolve is named at its scenario path. */
  constructor(scenario: ParsedScenario = {}) {
    this.clock = new Clock(scenario.clock?.now, scenario.clock?.frozen ?? false);
    this.faults = new FaultTable(scenario.seed ?? 1);
    this.records = new Records(this.clock);
    this.tokens = new TokenStore(this.records, this.clock, () => this.issuer);
    this.serviceAccounts = new ServiceAccountStore(this.records, this.clock);
    this.gmailUsage = new GmailUsage(this.clock);
    this.issuer = scenario.issuer;
    const r = this.records;
    for (const [i, p] of (scenario.projects ?? []).entries()) rootedAt(`projects[${i}]`, () => r.addProject(p));
    for (const [i, a] of (scenario.accounts ?? []).entries()) rootedAt(`accounts[${i}]`, () => r.addAccount(a));
    for (const [i, c] of (scenario.clients ?? []).entries()) rootedAt(`clients[${i}]`, () => r.addClient(c));
    for (const [i, c] of (scenario.cloudCredentials ?? []).entries()) {
      rootedAt(`cloudCredentials[${i}]`, () =>
        r.addCloudCredential(c.token, { projects: c.projects, canEnable: c.canEnable, principal: c.principal }),
      );
    }
    for (const [i, s] of (scenario.serviceAccounts ?? []).entries())
      rootedAt(`serviceAccounts[${i}]`, () => this.serviceAccounts.add(s));
    for (const d of scenario.delegations ?? []) this.serviceAccounts.setDelegation(d);
    for (const [route, fault] of Object.entries(scenario.faults ?? {})) this.faults.set(route as FaultRoute, fault);
  }

  /** Everything, minus secret values: secrets as the console's last four, tokens only as metadata. */
  snapshot(): StateSnapshot {
    const records = this.records.snapshot();
    const tokens = this.tokens.snapshot();
    return {
      now: new Date(this.clock.now()).toISOString(),
      issuer: this.issuer,
      projects: records.projects,
      clients: records.clients,
      accounts: records.accounts,
      ...tokens,
      cloudCredentials: records.cloudCredentials,
      faults: this.faults.list(),
      sentMessages: records.sentMessages,
      ...this.serviceAccounts.snapshot(),
    };
  }
}
