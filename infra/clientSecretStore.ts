// The OAuth clients' IDs and secrets in Secret Manager, in client_secret.json format, readable by the app's
// service account. The secret value only ever travels as a Pulumi secret Output.
import * as projects from "@pulumi/gcp/projects";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as pulumi from "@pulumi/pulumi";
import { clientSecretFile, clientSecretId } from "../connection/clientSecretFile";
import type { OAuthClientSpec } from "../connection/types";

export const SECRET_MANAGER_SERVICE = "secretmanager.googleapis.com";
export const SECRET_ACCESSOR = "roles/secretmanager.secretAccessor";

export interface StoredClient {
  readonly client: OAuthClientSpec & { clientId: string };
  readonly secret: pulumi.Input<string>;
}

export interface ClientSecretStoreArgs {
  readonly projectId: pulumi.Input<string>;
  readonly clients: readonly StoredClient[];
  /** Granted read access to each stored secret, when set. */
  readonly appServiceAccount?: string;
}

export class ClientSecretStore extends pulumi.ComponentResource {
  /** Client name → Secret Manager secret id. */
  readonly secretIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** Client name → the stored version (its secretData is secret). */
  readonly versions: Readonly<Record<string, secretmanager.SecretVersion>>;

  constructor(name: string, args: ClientSecretStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "gmail-oauth:index:ClientSecretStore",
      name,
      { clients: args.clients.map((c) => c.client.name), appServiceAccount: args.appServiceAccount },
      opts,
    );
    const api = new projects.Service(
      `${name}-secretmanager`,
      { project: args.projectId, service: SECRET_MANAGER_SERVICE, disableOnDestroy: false },
      { parent: this },
    );
    const secretIds: Record<string, pulumi.Output<string>> = {};
    const versions: Record<string, secretmanager.SecretVersion> = {};
    for (const { client, secret } of args.clients) {
      const stored = new secretmanager.Secret(
        `${name}-${client.name}`,
        {
          project: args.projectId,
          secretId: clientSecretId(client.name),
          replication: { auto: {} },
          labels: { "managed-by": "gmail-oauth", client: client.name },
        },
        { parent: this, dependsOn: [api] },
      );
      const data = pulumi
        .all([args.projectId, secret])
        .apply(([projectId, value]) => JSON.stringify(clientSecretFile(client, projectId, value)));
      // pulumi.secret: the payload holds the client secret, so it and everything derived from it stay encrypted.
      versions[client.name] = new secretmanager.SecretVersion(
        `${name}-${client.name}`,
        { secret: stored.id, secretData: pulumi.secret(data) },
        { parent: this },
      );
      if (args.appServiceAccount) {
        new secretmanager.SecretIamMember(
          `${name}-${client.name}-accessor`,
          {
            project: args.projectId,
            secretId: stored.secretId,
            role: SECRET_ACCESSOR,
            member: `serviceAccount:${args.appServiceAccount}`,
          },
          { parent: this },
        );
      }
      secretIds[client.name] = stored.secretId;
    }
    this.secretIds = secretIds;
    this.versions = versions;
    this.registerOutputs({ secretIds });
  }
}
