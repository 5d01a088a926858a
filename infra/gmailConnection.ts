// GmailConnection: the reusable component. From one ConnectionSpec it creates or adopts the project, enables Gmail,
// grants the OAuth admins, stores client secrets, and exports what no API can do as an exact console runbook.
// Other Pulumi programs import it directly; infra/program.ts builds it from stack config.
import type * as secretmanager from "@pulumi/gcp/secretmanager";
import * as pulumi from "@pulumi/pulumi";
import { renderConsoleRunbook, type RunbookOptions } from "../connection/runbook";
import type { ConnectionSpec } from "../connection/types";
import { clientSecretId } from "../connection/clientSecretFile";
import { ClientSecretStore, type StoredClient } from "./clientSecretStore";
import { DelegatedServiceAccount } from "./delegatedServiceAccount";
import { OAuthAdmins } from "./oauthAdmins";
import { GmailProject } from "./project";
import { CONNECTION_TYPE } from "../connection/resourceTypes";

export interface GmailConnectionArgs {
  /** The whole connection; it holds no secret and is passed as the component's inputs for policy packs. */
  readonly spec: ConnectionSpec;
  /** Client name → client secret (a Pulumi secret). Stored for clients that also have a clientId in the spec. */
  readonly clientSecrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /** How the runbook names config keys; `automated` is filled in by the component. */
  readonly runbook?: Omit<RunbookOptions, "automated">;
}

export class GmailConnection extends pulumi.ComponentResource {
  readonly projectId: pulumi.Output<string>;
  readonly projectNumber: pulumi.Output<string>;
  /** The spec with the project number filled in: what `gmail-oauth validate --spec` reads. */
  readonly connectionSpec: pulumi.Output<ConnectionSpec>;
  readonly consoleRunbook: pulumi.Output<string>;
  /** Client name → Secret Manager secret id, for the clients whose secret is stored. */
  readonly clientSecretNames: pulumi.Output<Record<string, string>>;
  /** Client name → the stored version, for programs that must wait for it (dependsOn); its data is secret. */
  readonly clientSecretVersions: Readonly<Record<string, secretmanager.SecretVersion>>;
  /** Service account name → its unique ID, the Client ID the Workspace admin enters for domain-wide delegation. */
  readonly serviceAccountUniqueIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: GmailConnectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CONNECTION_TYPE, name, { spec: args.spec }, opts);
    const { spec } = args;
    const project = new GmailProject(`${name}-project`, { project: spec.project }, { parent: this });
    this.projectId = project.projectId;
    this.projectNumber = project.projectNumber;

    if (spec.oauthAdmins.length > 0) {
      new OAuthAdmins(
        `${name}-oauth-admins`,
        { projectId: project.projectId, members: spec.oauthAdmins },
        { parent: this },
      );
    }

    const stored: StoredClient[] = spec.clients.flatMap((client) => {
      const secret = args.clientSecrets?.[client.name];
      return client.clientId && secret !== undefined
        ? [{ client: { ...client, clientId: client.clientId }, secret }]
        : [];
    });
    const store =
      stored.length > 0
        ? new ClientSecretStore(
            `${name}-client-secrets`,
            { projectId: project.projectId, clients: stored, appServiceAccount: spec.appServiceAccount },
            { parent: this },
          )
        : undefined;
    this.clientSecretNames = pulumi.output(store?.secretIds ?? {});
    this.clientSecretVersions = store?.versions ?? {};

    const delegated = (spec.serviceAccounts ?? []).map(
      (account) =>
        new DelegatedServiceAccount(
          `${name}-sa-${account.name}`,
          { projectId: project.projectId, account, appServiceAccount: spec.appServiceAccount },
          { parent: this },
        ),
    );
    this.serviceAccountUniqueIds = pulumi
      .all(delegated.map((d) => d.uniqueId))
      .apply((ids) => Object.fromEntries((spec.serviceAccounts ?? []).map((a, i) => [a.name, ids[i] ?? ""])));
    // The unique IDs are known after deploy; the spec and runbook carry them so the admin step names the exact ID.
    const deployed = this.serviceAccountUniqueIds.apply(
      (ids): ConnectionSpec =>
        spec.serviceAccounts
          ? {
              ...spec,
              serviceAccounts: spec.serviceAccounts.map((a) => (ids[a.name] ? { ...a, uniqueId: ids[a.name] } : a)),
            }
          : spec,
    );
    this.connectionSpec = pulumi
      .all([deployed, project.projectNumber])
      .apply(([s, number]): ConnectionSpec => ({ ...s, project: { ...s.project, ...(number ? { number } : {}) } }));
    // Secret ids are fixed by client name; only the service accounts' unique IDs wait for deploy.
    this.consoleRunbook = deployed.apply((s) =>
      renderConsoleRunbook(s, {
        ...args.runbook,
        automated: {
          project: spec.project.mode === "create" ? "created" : "adopted",
          gmailApiEnabled: true,
          oauthAdminsGranted: spec.oauthAdmins,
          storedSecrets: Object.fromEntries(stored.map(({ client }) => [client.name, clientSecretId(client.name)])),
        },
      }),
    );
    this.registerOutputs({
      projectId: this.projectId,
      projectNumber: this.projectNumber,
      connectionSpec: this.connectionSpec,
      consoleRunbook: this.consoleRunbook,
      clientSecretNames: this.clientSecretNames,
      serviceAccountUniqueIds: this.serviceAccountUniqueIds,
    });
  }
}
