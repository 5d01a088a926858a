// The token store: authorization codes, grants (one user's consent to one project), refresh and access tokens, and
// their lifecycle: issue, refresh, revoke, the 7-day Testing expiry, the 100-per-client cap and the password change
// (google-behaviour.md §1.4, §2, §3, §4). The HTTP layer only translates what it answers.
import { InputError } from "../../common/errors";
import { registerSecret } from "../../common/redact";
import { canonicalScope, isGmailScope, onlyIdentityScopes } from "../../google/scopes";
import { signIdToken } from "../idToken";
import {
  ACCESS_TOKEN_TTL_S,
  CODE_TTL_MS,
  MAX_REFRESH_TOKENS_PER_CLIENT,
  TESTING_REFRESH_EXPIRES_IN,
  TESTING_REFRESH_TTL_S,
  newAccessToken,
  newCode,
  newRefreshToken,
} from "../tokens";
import type { Clock } from "./clock";
import type { Account, Client, Records } from "./records";

/** The token endpoint's success body (google-behaviour.md §2.1). */
export interface GrantResult {
  access_token: string;
  expires_in: number;
  scope: string;
  token_type: "Bearer";
  refresh_token?: string;
  refresh_token_expires_in?: number;
  id_token?: string;
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

/** What an authorization code stands for until it is exchanged. */
export interface CodeRecord {
  readonly clientId: string;
  readonly account: string;
  readonly redirectUri: string;
  /** Granted scopes (what the token carries). */
  readonly scopes: readonly string[];
  /** Requested scopes: they decide the Testing 7-day expiry (google-behaviour.md §3 "the only OAuth scopes requested"). */
  readonly requested: readonly string[];
  readonly offline: boolean;
  readonly consentShown: boolean;
  readonly challenge?: string;
  readonly method?: "S256" | "plain";
  readonly nonce?: string;
  readonly consentAt: number;
  readonly expiresAt: number;
}

export interface MintGrantInput {
  clientId: string;
  account: string;
  scopes: readonly string[];
  offline?: boolean;
}

const ACCESS_SWEEP_AT = 50_000;
const MAX_CODES = 100_000;

export class TokenStore {
  private readonly grants = new Map<string, Grant>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly refreshByToken = new Map<string, RefreshRecord>();
  private readonly refreshByPair = new Map<string, RefreshRecord[]>();
  private readonly access = new Map<string, AccessRecord>();
  /** The map size at which the next sweep of dead access tokens runs (see newAccess). */
  private nextAccessSweep = ACCESS_SWEEP_AT;

  /** `issuer` is read when an id_token is signed: the server learns its origin after the store exists. */
  constructor(
    private readonly records: Records,
    private readonly clock: Clock,
    private readonly issuer: () => string | undefined,
  ) {}

  // ---- authorization codes --------------------------------------------------------------------------------------

  /** A new single-use code for a consented (or already granted) request; it lives CODE_TTL_MS. */
  issueCode(grant: Omit<CodeRecord, "expiresAt" | "consentAt">): string {
    if (this.codes.size >= MAX_CODES) this.sweepCodes();
    const code = newCode();
    const now = this.clock.now();
    this.codes.set(code, { ...grant, consentAt: now, expiresAt: now + CODE_TTL_MS });
    return code;
  }

  /** A code that is known and not expired, or undefined. */
  findCode(code: string): CodeRecord | undefined {
    const rec = this.codes.get(code);
    return rec && rec.expiresAt > this.clock.now() ? rec : undefined;
  }

  /** Single use: consumed by the first successful exchange. */
  consumeCode(code: string): void {
    this.codes.delete(code);
  }

  private sweepCodes(): void {
    const now = this.clock.now();
    for (const [code, rec] of this.codes) if (rec.expiresAt <= now) this.codes.delete(code);
  }

  // ---- grants and tokens ----------------------------------------------------------------------------------------

  private grant(account: string, projectId: string): Grant {
    const key = `${account}|${projectId}`;
    let g = this.grants.get(key);
    if (!g) this.grants.set(key, (g = { scopes: new Set(), generation: 0 }));
    return g;
  }

  /** Consent given: remembered per account and project, for every client of the project (google-behaviour.md §1.4). */
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
   * consent shown (google-behaviour.md §1.4); the 7-day Testing expiry for External apps unless the only scopes REQUESTED
   * (`opts.requested`, default `scopes`) are identity scopes (google-behaviour.md §3), whatever the user then granted.
   */
  issueTokens(
    client: Client,
    account: Account,
    scopes: readonly string[],
    opts: {
      offline: boolean;
      consentShown: boolean;
      nonce?: string;
      consentAt?: number;
      requested?: readonly string[];
    },
  ): GrantResult {
    const project = this.records.findProject(client.projectId)!;
    // The 7 days run from consent, not from the code exchange (google-behaviour.md §3).
    const now = opts.consentAt ?? this.clock.now();
    const grant = this.grant(account.email, project.id);
    this.recordConsent(account.email, project.id, scopes);
    const result: GrantResult = {
      access_token: "",
      expires_in: ACCESS_TOKEN_TTL_S,
      scope: scopes.join(" "),
      token_type: "Bearer",
    };
    if (opts.offline && opts.consentShown) {
      const testing =
        project.userType === "external" &&
        project.publishingStatus === "testing" &&
        !onlyIdentityScopes(opts.requested ?? scopes);
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
      // 604799 right after consent (google-behaviour.md §2.2), less the seconds since consent when the code is exchanged later.
      if (testing)
        result.refresh_token_expires_in = Math.max(
          0,
          TESTING_REFRESH_EXPIRES_IN - Math.floor((this.clock.now() - now) / 1000),
        );
    }
    result.access_token = this.newAccess(client, account, scopes, opts.offline, grant.generation);
    if (scopes.includes("openid")) result.id_token = this.idToken(client, account, scopes, opts.nonce);
    return result;
  }

  private addRefresh(record: RefreshRecord): void {
    const key = `${record.clientId}|${record.account}`;
    const live = (this.refreshByPair.get(key) ?? []).filter((r) => this.refreshProblem(r) === undefined);
    // "creating a new refresh token automatically invalidates the oldest refresh token without warning" (google-behaviour.md §3).
    while (live.length >= MAX_REFRESH_TOKENS_PER_CLIENT) live.shift()!.dropped = true;
    live.push(record);
    this.refreshByPair.set(key, live);
    this.refreshByToken.set(record.token, record);
  }

  private newAccess(
    client: Client,
    account: Account,
    scopes: readonly string[],
    offline: boolean,
    generation: number,
  ): string {
    if (this.access.size >= this.nextAccessSweep) {
      this.sweepAccess();
      // Live tokens survive a sweep; without raising the mark every later mint would sweep them all again.
      this.nextAccessSweep = Math.max(ACCESS_SWEEP_AT, this.access.size * 2);
    }
    const token = newAccessToken();
    this.access.set(token, {
      clientId: client.id,
      projectId: client.projectId,
      account: account.email,
      scopes,
      expiresAt: this.clock.now() + ACCESS_TOKEN_TTL_S * 1000,
      offline,
      generation,
    });
    return token;
  }

  private sweepAccess(): void {
    for (const [token, rec] of this.access) if (!this.accessLive(rec)) this.access.delete(token);
  }

  private idToken(client: Client, account: Account, scopes: readonly string[], nonce?: string): string {
    const iat = Math.floor(this.clock.now() / 1000);
    const claims: Record<string, unknown> = { iss: this.issuer(), azp: client.id, aud: client.id, sub: account.sub };
    if (scopes.includes("https://www.googleapis.com/auth/userinfo.email"))
      Object.assign(claims, { email: account.email, email_verified: true });
    if (account.orgDomain) claims.hd = account.orgDomain;
    if (nonce) claims.nonce = nonce;
    Object.assign(claims, { iat, exp: iat + 3600 });
    return signIdToken(claims);
  }

  /** Why a refresh token no longer works, or undefined when it does (google-behaviour.md §3). */
  refreshProblem(r: RefreshRecord): string | undefined {
    if (r.dropped) return "dropped: over 100 live refresh tokens for this account and client";
    if (this.grants.get(`${r.account}|${r.projectId}`)?.generation !== r.generation) return "revoked";
    if (r.expiresAt !== undefined && this.clock.now() >= r.expiresAt)
      return "expired: 7 days after consent (External app in Testing)";
    const changed = this.records.findAccount(r.account)?.passwordChangedAt;
    if (changed !== undefined && changed >= r.consentAt && r.scopes.some(isGmailScope))
      return "password changed and the token carries Gmail scopes";
    return undefined;
  }

  findRefresh(token: string): RefreshRecord | undefined {
    return this.refreshByToken.get(token);
  }

  /**
   * A new access token from a live refresh token; no new refresh token (google-behaviour.md §2.1). Facts §2.1 list only
   * access_token, expires_in, scope and token_type; the id_token added when openid was granted is inferred (OpenID
   * Connect allows it, and OIDC client libraries read it when present).
   */
  refreshAccess(r: RefreshRecord, client: Client): GrantResult {
    const account = this.records.findAccount(r.account)!;
    const result: GrantResult = {
      access_token: this.newAccess(client, account, r.scopes, true, r.generation),
      expires_in: ACCESS_TOKEN_TTL_S,
      scope: r.scopes.join(" "),
      token_type: "Bearer",
    };
    // Inferred (see above).
    if (r.scopes.includes("openid")) result.id_token = this.idToken(client, account, r.scopes);
    return result;
  }

  private accessLive(rec: AccessRecord): boolean {
    return (
      this.clock.now() < rec.expiresAt &&
      this.grants.get(`${rec.account}|${rec.projectId}`)?.generation === rec.generation
    );
  }

  /** A live access token's record, or undefined (unknown, expired or revoked). */
  findAccess(token: string): AccessRecord | undefined {
    const rec = this.access.get(token);
    return rec && this.accessLive(rec) ? rec : undefined;
  }

  /**
   * Revoke by access or refresh token: the whole grant of that account to that project goes, so every token of it
   * dies and the next authorization shows consent again (google-behaviour.md §4.2). False when the token is unknown or already dead.
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

  /** Tokens as if the account had consented in the browser (a test's shortcut past the pages). */
  mintGrant(input: MintGrantInput): GrantResult {
    const client = this.records.client(input.clientId);
    if (client.deleted)
      throw new InputError(
        "clientId",
        `client '${input.clientId}' is deleted`,
        "restore it with updateClient {deleted:false}",
      );
    const account = this.records.account(input.account, "account");
    const result = this.issueTokens(client, account, [...new Set(input.scopes.map(canonicalScope))], {
      offline: input.offline ?? true,
      consentShown: true,
    });
    registerSecret(result.access_token);
    registerSecret(result.refresh_token);
    return result;
  }

  /** Tokens as metadata only: never a token value. */
  snapshot() {
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      grants: [...this.grants]
        .filter(([, g]) => g.scopes.size > 0)
        .map(([key, g]) => {
          const [account, projectId] = key.split("|") as [string, string];
          return { account, projectId, scopes: [...g.scopes] };
        }),
      refreshTokens: [...this.refreshByToken.values()].map((r) => ({
        clientId: r.clientId,
        account: r.account,
        scopes: r.scopes,
        issuedAt: iso(r.consentAt),
        ...(r.expiresAt !== undefined ? { expiresAt: iso(r.expiresAt) } : {}),
        live: this.refreshProblem(r) === undefined,
      })),
      liveAccessTokens: [...this.access.values()].filter((r) => this.accessLive(r)).length,
    };
  }
}
