// A service account for domain-wide delegation (google-behaviour.md §10): the account itself, the app's right to sign as it
// keylessly (roles/iam.serviceAccountTokenCreator, the default), or, only when the spec asks for `key`, a key stored
// as a Secret Manager version (never a plain output). Delegation itself is console-only: the runbook prints it.
import * as projects from "@pulumi/gcp/projects";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceAccountSpec } from "../connection/types";
import { TOKEN_CREATOR_ROLE } from "../google/domainWideDelegation";
import { SECRET_ACCESSOR, SECRET_MANAGER_SERVICE } from "./clientSecretStore";

export const IAM_CREDENTIALS_SERVICE = "iamcredentials.googleapis.com";

export interface DelegatedServiceAccountArgs {
  readonly projectId: pulumi.Input<string>;
  readonly account: ServiceAccountSpec;
  /** The app's identity (a service account email): it signs keylessly, or reads the stored key. */
  readonly appServiceAccount?: string;
}

/** The Secret Manager id of a stored service-account key. */
export const serviceAccountKeySecretId = (name: string) => `gmail-oauth-sa-key-${name}`;

export class DelegatedServiceAccount extends pulumi.ComponentResource {
  readonly email: pulumi.Output<string>;
  /** The numeric unique ID: the "Client ID" of Manage Domain Wide Delegation. */
  readonly uniqueId: pulumi.Output<string>;
  /** Only with signing: key. The secret id, never the key. */
  readonly keySecretId?: pulumi.Output<string>;

  constructor(name: string, args: DelegatedServiceAccountArgs, opts?: pulumi.ComponentResourceOptions) {
    const { account } = args;
    super(
      "gmail-oauth:index:DelegatedServiceAccount",
      name,
      { account, appServiceAccount: args.appServiceAccount },
      opts,
    );
    const sa = new serviceaccount.Account(
      name,
      {
        project: args.projectId,
        accountId: account.accountId,
        displayName: account.displayName ?? `Gmail: ${account.name}`,
        description:
          account.description ??
          `Acts as Workspace mailboxes through domain-wide delegation (gmail-oauth); scopes: ${account.scopes.join(" ")}`,
      },
      { parent: this },
    );
    this.email = sa.email;
    this.uniqueId = sa.uniqueId;
    const app = args.appServiceAccount ? `serviceAccount:${args.appServiceAccount}` : undefined;

    if (account.signing === "keyless") {
      new projects.Service(
        `${name}-iamcredentials`,
        { project: args.projectId, service: IAM_CREDENTIALS_SERVICE, disableOnDestroy: false },
        { parent: this },
      );
      if (app)
        new serviceaccount.IAMMember(
          `${name}-token-creator`,
          { serviceAccountId: sa.name, role: TOKEN_CREATOR_ROLE, member: app },
          { parent: this },
        );
    } else {
      const key = new serviceaccount.Key(`${name}-key`, { serviceAccountId: sa.name }, { parent: this });
      const api = new projects.Service(
        `${name}-secretmanager`,
        { project: args.projectId, service: SECRET_MANAGER_SERVICE, disableOnDestroy: false },
        { parent: this },
      );
      const secret = new secretmanager.Secret(
        `${name}-key`,
        {
          project: args.projectId,
          secretId: serviceAccountKeySecretId(account.name),
          replication: { auto: {} },
          labels: { "managed-by": "gmail-oauth", "service-account": account.name },
        },
        { parent: this, dependsOn: [api] },
      );
      // privateKey is the key file JSON, base64-encoded; it is stored decoded, and only ever as a secret.
      new secretmanager.SecretVersion(
        `${name}-key`,
        {
          secret: secret.id,
          secretData: pulumi.secret(key.privateKey.apply((b64) => Buffer.from(b64 ?? "", "base64").toString("utf8"))),
        },
        { parent: this },
      );
      if (app)
        new secretmanager.SecretIamMember(
          `${name}-key-accessor`,
          { project: args.projectId, secretId: secret.secretId, role: SECRET_ACCESSOR, member: app },
          { parent: this },
        );
      this.keySecretId = secret.secretId;
    }
    this.registerOutputs({ email: this.email, uniqueId: this.uniqueId, keySecretId: this.keySecretId });
  }
}
