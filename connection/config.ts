// The stack config's shape as a TypeScript type, and the spec builder a consumer's own Pulumi program uses: a plain
// object in, a ConnectionSpec out, checked by the same reader as `Pulumi.<stack>.yaml` (connection/parse.ts), so every
// problem is the same field-level error, all of them at once (InputErrors).
import type { ClientType, PublishingStatus, UserType } from "../google/oauthApp";
import { CONFIG_NAMESPACE, parseStackConfig } from "./parse";
import type { PresetName } from "./presets";
import type { ConnectionSpec, VerificationStatus } from "./types";

/** One OAuth client, as under `gmail-oauth:clients` (docs/provisioning.md). */
export interface ClientConfig {
  /** Lower-case letters, digits and hyphens; also the client's name in the console and its secret's name. */
  readonly name?: string;
  readonly preset?: PresetName;
  readonly instanceUrl?: string;
  readonly callbackPath?: string;
  readonly type?: ClientType;
  readonly redirectUris?: readonly string[];
  readonly javascriptOrigins?: readonly string[];
  /** Filled in after the client exists in the console; with a secret, the component stores both. */
  readonly clientId?: string;
}

/**
 * Every key of the stack config without the `gmail-oauth:` prefix, minus the secrets (pass those to GmailConnection
 * as `clientSecrets`). Either `clients`, or the single-client shorthand (`preset`, `instanceUrl`, …) at the top.
 */
export interface ConnectionConfig extends Omit<ClientConfig, "name" | "type" | "redirectUris" | "javascriptOrigins"> {
  readonly project: {
    readonly mode?: "create" | "adopt";
    readonly id: string;
    readonly name?: string;
    readonly orgId?: string;
    readonly folderId?: string;
    readonly billingAccount?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly deletionProtection?: boolean;
  };
  readonly branding: {
    readonly appName: string;
    readonly supportEmail: string;
    readonly developerContacts?: readonly string[];
    readonly authorizedDomains?: readonly string[];
    readonly homepageUrl?: string;
    readonly privacyPolicyUrl?: string;
    readonly termsOfServiceUrl?: string;
  };
  readonly audience?: {
    readonly userType?: UserType;
    readonly publishingStatus?: PublishingStatus;
    readonly testUsers?: readonly string[];
    readonly verification?: VerificationStatus;
  };
  readonly scopes?: readonly string[];
  readonly clients?: readonly ClientConfig[];
  readonly oauthAdmins?: readonly string[];
  readonly appServiceAccount?: string;
  readonly organizationDomain?: string;
}

export interface ConnectionSpecOptions {
  /** Prefix of the field names in errors (default `gmail-oauth`, as in stack config: `gmail-oauth:clients[0].name`). */
  readonly namespace?: string;
}

/** The ConnectionSpec of a plain object; throws InputErrors naming every wrong field, as stack config does. */
export function connectionSpec(config: ConnectionConfig, opts: ConnectionSpecOptions = {}): ConnectionSpec {
  return parseStackConfig(config as unknown as Record<string, unknown>, {
    namespace: opts.namespace ?? CONFIG_NAMESPACE,
  });
}
