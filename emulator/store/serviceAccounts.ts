// Service accounts, their keys, who may sign as them, each Workspace domain's delegation table, and the access tokens
// the JWT bearer grant issues (google-behaviour.md §10). Keys are real RSA keys: a JWT is accepted only when its RS256 signature
// verifies against a live key of its issuer.
import type { ServiceAccountKeyFile } from "../../google/serviceAccountKey";
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from "node:crypto";
import { InputError } from "../../common/errors";
import { registerSecret } from "../../common/redact";
import { serviceAccountEmail, SERVICE_ACCOUNT_EMAIL } from "../../google/identifiers";
import type { DecodedJwt } from "../../google/domainWideDelegation";
import type {
  DelegationInput,
  ServiceAccountInput,
  ServiceAccountKeyInput,
  ServiceAccountKeyPatch,
} from "../serviceAccountInputs";
import { ACCESS_TOKEN_TTL_S, newAccessToken } from "../tokens";
import type { Clock } from "./clock";
import type { Records } from "./records";
import type { AccessRecord } from "./tokenStore";

export interface ServiceAccountKey {
  readonly id: string;
  readonly publicKey: KeyObject;
  /** Google-managed: the key signJwt signs with; it cannot be downloaded, disabled or deleted by the user. */
  readonly managed: boolean;
  disabled: boolean;
  deleted: boolean;
  /** Only for the managed key (the emulator signs with it). */
  readonly privateKey?: KeyObject;
}

export interface ServiceAccount {
  readonly email: string;
  readonly projectId: string;
  readonly uniqueId: string;
  displayName?: string;
  disabled: boolean;
  tokenCreators: Set<string>;
  readonly keys: Map<string, ServiceAccountKey>;
}

export type { ServiceAccountKeyFile } from "../../google/serviceAccountKey";

/** A service-account access token: `account` is the impersonated user, or "" when the JWT named no subject. */
export type ServiceAccountAccess = AccessRecord & { readonly serviceAccount: string };

const newKeyId = () => randomBytes(20).toString("hex");

/** A stable 21-digit unique ID for an email when the scenario gives none (Google's look: starts with 1). */
function derivedUniqueId(email: string): string {
  const hex = createHash("sha256").update(`sa:${email}`).digest("hex");
  return `1${BigInt(`0x${hex}`).toString().slice(0, 20)}`;
}

export class ServiceAccountStore {
  private readonly accounts = new Map<string, ServiceAccount>();
  /** domain → client ID → scopes. */
  private readonly delegations = new Map<string, Map<string, Set<string>>>();
  private readonly access = new Map<string, ServiceAccountAccess>();
  /** Unique IDs of deleted accounts: Google never reuses one. */
  private readonly deletedIds = new Set<string>();

  constructor(
    private readonly records: Records,
    private readonly clock: Clock,
  ) {}

  add(input: ServiceAccountInput): ServiceAccount {
    const email = input.email.toLowerCase();
    if (this.accounts.has(email))
      throw new InputError("serviceAccount.email", `service account '${email}' already exists`, "add it once");
    const projectRef = SERVICE_ACCOUNT_EMAIL.exec(email)?.[2] ?? "";
    const project = this.records.project(projectRef, "serviceAccount.email");
    const uniqueId = input.uniqueId ?? derivedUniqueId(email);
    if (this.deletedIds.has(uniqueId))
      throw new InputError("serviceAccount.uniqueId", `${uniqueId} belonged to a deleted account`, "give a new one");
    for (const other of this.accounts.values())
      if (other.uniqueId === uniqueId)
        throw new InputError("serviceAccount.uniqueId", `${uniqueId} is already ${other.email}'s`, "give each its own");
    const sa: ServiceAccount = {
      email: serviceAccountEmail(email.slice(0, email.indexOf("@")), project.id),
      projectId: project.id,
      uniqueId,
      displayName: input.displayName,
      disabled: input.disabled ?? false,
      tokenCreators: new Set(input.tokenCreators ?? []),
      keys: new Map(),
    };
    for (const k of input.keys ?? []) this.addPublicKey(sa, k);
    this.accounts.set(sa.email, sa);
    return sa;
  }

  private addPublicKey(sa: ServiceAccount, k: ServiceAccountKeyInput): ServiceAccountKey {
    const key: ServiceAccountKey = {
      id: k.id ?? newKeyId(),
      publicKey: createPublicKey(k.publicKey),
      managed: false,
      disabled: k.disabled ?? false,
      deleted: false,
    };
    sa.keys.set(key.id, key);
    return key;
  }

  find(emailOrId: string): ServiceAccount | undefined {
    const e = emailOrId.toLowerCase();
    return this.accounts.get(e) ?? [...this.accounts.values()].find((s) => s.uniqueId === e);
  }

  get(email: string, at = "email"): ServiceAccount {
    const sa = this.find(email);
    if (!sa) throw new InputError(at, `no service account '${email}'`, "add it first with addServiceAccount");
    return sa;
  }

  /** A user-managed key, made as the console's "Add key → Create new key" does; its private half is returned once. */
  createKey(email: string): ServiceAccountKeyFile {
    const sa = this.get(email);
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const id = newKeyId();
    sa.keys.set(id, { id, publicKey, managed: false, disabled: false, deleted: false });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    registerSecret(pem);
    return {
      type: "service_account",
      project_id: sa.projectId,
      private_key_id: id,
      private_key: pem,
      client_email: sa.email,
      client_id: sa.uniqueId,
      auth_uri: "https://accounts.google.com/o/oauth2/auth",
      token_uri: "https://oauth2.googleapis.com/token",
    };
  }

  updateKey(email: string, keyId: string, patch: ServiceAccountKeyPatch): void {
    const key = this.get(email).keys.get(keyId);
    if (!key || key.managed)
      throw new InputError("keyId", `no user-managed key '${keyId}'`, "name a key of the account");
    if (patch.disabled !== undefined) key.disabled = patch.disabled;
    if (patch.deleted !== undefined) key.deleted = patch.deleted;
  }

  /**
   * Deletes the account as the console's IAM → Service accounts → Delete does: IAM no longer knows it (404), signJwt
   * and the JWT bearer grant refuse it, and its unique ID is not given to another account.
   */
  delete(email: string): void {
    const sa = this.get(email);
    this.accounts.delete(sa.email);
    this.deletedIds.add(sa.uniqueId);
  }

  setTokenCreators(email: string, principals: readonly string[]): void {
    this.get(email).tokenCreators = new Set(principals);
  }

  /** The Google-managed key signJwt signs with, made on first use (RSA generation is slow). */
  managedKey(sa: ServiceAccount): ServiceAccountKey {
    for (const k of sa.keys.values()) if (k.managed) return k;
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const key: ServiceAccountKey = {
      id: newKeyId(),
      publicKey,
      privateKey,
      managed: true,
      disabled: false,
      deleted: false,
    };
    sa.keys.set(key.id, key);
    return key;
  }

  /** The live key whose RS256 signature over the JWT verifies, if any (the `kid` is tried first). */
  verifyingKey(sa: ServiceAccount, jwt: DecodedJwt): ServiceAccountKey | undefined {
    if (jwt.header.alg !== "RS256") return undefined;
    const live = [...sa.keys.values()].filter((k) => !k.disabled && !k.deleted);
    const kid = typeof jwt.header.kid === "string" ? jwt.header.kid : undefined;
    live.sort((a, b) => Number(b.id === kid) - Number(a.id === kid));
    return live.find((k) => verify("RSA-SHA256", Buffer.from(jwt.signingInput), k.publicKey, jwt.signature));
  }

  // ---- delegation --------------------------------------------------------------------------------------------------

  /** Sets one row of a domain's table, as the admin console's form does; no scopes removes the row. */
  setDelegation(d: DelegationInput): void {
    const table = this.delegations.get(d.domain) ?? new Map<string, Set<string>>();
    if (d.scopes.length === 0) table.delete(d.clientId);
    else table.set(d.clientId, new Set(d.scopes));
    this.delegations.set(d.domain, table);
  }

  delegatedScopes(domain: string, clientId: string): ReadonlySet<string> {
    return this.delegations.get(domain.toLowerCase())?.get(clientId) ?? new Set();
  }

  // ---- access tokens -----------------------------------------------------------------------------------------------

  issueAccess(
    sa: ServiceAccount,
    subject: string,
    scopes: readonly string[],
  ): { access_token: string; expires_in: number; token_type: "Bearer" } {
    const token = newAccessToken();
    if (this.access.size > 50_000)
      for (const [t, r] of this.access) if (r.expiresAt <= this.clock.now()) this.access.delete(t);
    this.access.set(token, {
      clientId: sa.uniqueId,
      projectId: sa.projectId,
      account: subject,
      scopes: [...scopes],
      expiresAt: this.clock.now() + ACCESS_TOKEN_TTL_S * 1000,
      offline: false,
      generation: 0,
      serviceAccount: sa.email,
    });
    return { access_token: token, expires_in: ACCESS_TOKEN_TTL_S, token_type: "Bearer" };
  }

  findAccess(token: string): ServiceAccountAccess | undefined {
    const rec = this.access.get(token);
    return rec && rec.expiresAt > this.clock.now() ? rec : undefined;
  }

  snapshot() {
    return {
      serviceAccounts: [...this.accounts.values()].map((sa) => ({
        email: sa.email,
        projectId: sa.projectId,
        uniqueId: sa.uniqueId,
        disabled: sa.disabled,
        tokenCreators: [...sa.tokenCreators],
        keys: [...sa.keys.values()].map((k) => ({
          id: k.id,
          managed: k.managed,
          disabled: k.disabled,
          deleted: k.deleted,
        })),
      })),
      delegations: [...this.delegations].flatMap(([domain, table]) =>
        [...table].map(([clientId, scopes]) => ({ domain, clientId, scopes: [...scopes] })),
      ),
      liveServiceAccountTokens: [...this.access.values()].filter((r) => r.expiresAt > this.clock.now()).length,
    };
  }
}
