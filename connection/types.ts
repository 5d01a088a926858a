// The connection spec: the one description of a Gmail OAuth connection. The Pulumi program produces it from stack
// config and exports it as `connectionSpec`; the validator reads it back; the sandbox loads it into the emulator.
// Plain types, no Pulumi import: the validator must load this without Pulumi.

import type { MailTransport } from "../google/mail";
import type { ClientType, PublishingStatus, UserType } from "../google/oauthApp";

/** What the team declares about Google's brand/scope verification; Google exposes no API to read it. */
export type VerificationStatus = "not-submitted" | "in-progress" | "verified";

export const SPEC_VERSION = 1;

export interface ProjectSpec {
  /** create: the program creates the project; adopt: it already exists and is only read. */
  readonly mode: "create" | "adopt";
  readonly id: string;
  readonly name?: string;
  readonly orgId?: string;
  readonly folderId?: string;
  readonly billingAccount?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** `pulumi destroy` deletes the project only when this is false (create mode). */
  readonly deletionProtection: boolean;
  /** Known after deploy; Google's errors quote the number, not the id. */
  readonly number?: string;
}

export interface BrandingSpec {
  readonly appName: string;
  readonly supportEmail: string;
  readonly developerContacts: readonly string[];
  readonly authorizedDomains: readonly string[];
  readonly homepageUrl?: string;
  readonly privacyPolicyUrl?: string;
  readonly termsOfServiceUrl?: string;
}

export interface AudienceSpec {
  readonly userType: UserType;
  readonly publishingStatus: PublishingStatus;
  readonly testUsers: readonly string[];
  readonly verification: VerificationStatus;
}

export interface DataAccessSpec {
  readonly scopes: readonly string[];
}

export interface OAuthClientSpec {
  readonly name: string;
  readonly type: ClientType;
  readonly redirectUris: readonly string[];
  readonly javascriptOrigins: readonly string[];
  /** The app preset this client came from, if any (flectra, odoo, hero_flow, n8n, generic). */
  readonly preset?: string;
  readonly instanceUrl?: string;
  /** Filled once the console step is done and the ID is put in config; client IDs are not secret. */
  readonly clientId?: string;
  /**
   * How the app reaches Gmail (SMTP out, IMAP in, the Gmail API): from the preset or declared. Undefined in specs
   * written before transports existed and for a generic app that declares none: the validator then tests the Gmail API.
   */
  readonly transports?: readonly MailTransport[];
}

export interface ConnectionSpec {
  readonly version: typeof SPEC_VERSION;
  readonly project: ProjectSpec;
  readonly branding: BrandingSpec;
  readonly audience: AudienceSpec;
  readonly dataAccess: DataAccessSpec;
  readonly clients: readonly OAuthClientSpec[];
  /** Principals granted roles/oauthconfig.editor, e.g. `user:ana@example.com`, `group:mail-admins@example.com`. */
  readonly oauthAdmins: readonly string[];
  /** The app's service account, granted access to the client secret in Secret Manager. */
  readonly appServiceAccount?: string;
  /** The Google Workspace / Cloud Identity domain of the organization, when known (Internal apps). */
  readonly organizationDomain?: string;
  /** Service accounts with domain-wide delegation (facts §10); absent when the connection has none. */
  readonly serviceAccounts?: readonly ServiceAccountSpec[];
}

/**
 * How the app signs the JWT it trades for a token as a mailbox (facts §10): `keyless` asks IAM Credentials signJwt
 * with the app's own identity (no key to leak or rotate); `key` uses a downloaded key, stored in Secret Manager.
 */
export type ServiceAccountSigning = "keyless" | "key";

/** A service account the Workspace admin lets act as the domain's users (domain-wide delegation, facts §10). */
export interface ServiceAccountSpec {
  /** The spec's own name for it (Pulumi resource names, Secret Manager ids). */
  readonly name: string;
  /** The part before @: NAME@PROJECT.iam.gserviceaccount.com. */
  readonly accountId: string;
  readonly displayName?: string;
  readonly description?: string;
  /** The Gmail scopes the admin delegates, in the order the runbook lists them. */
  readonly scopes: readonly string[];
  /** The Workspace mailboxes it must be able to act as: each is proven per scope. */
  readonly mailboxes: readonly string[];
  readonly signing: ServiceAccountSigning;
  /** Known after deploy: the numeric unique ID the admin console calls "Client ID". */
  readonly uniqueId?: string;
}
