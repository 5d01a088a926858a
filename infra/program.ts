// The provisioning program: stack config → ConnectionSpec → GmailConnection → stack outputs.
// Kept apart from infra/index.ts so the sandbox and tests can run it under mocks with their own config.
import * as pulumi from "@pulumi/pulumi";
import { configSecretTest } from "./pulumiRuntime";
import { CONFIG_NAMESPACE, readStackConfig, type StackConfig } from "../connection/parse";
import type { ConnectionSpec } from "../connection/types";
import { GmailConnection } from "./gmailConnection";

export interface ProvisionOutputs {
  /** What `gmail-oauth validate --spec` reads; holds no secret. */
  readonly connectionSpec: pulumi.Output<ConnectionSpec>;
  /** Markdown: the console steps no API can do. */
  readonly consoleRunbook: pulumi.Output<string>;
  readonly projectId: pulumi.Output<string>;
  readonly projectNumber: pulumi.Output<string>;
  /** Secret Manager secret id of the first client whose ID and secret are stored (undefined until one is). */
  readonly clientSecretName: pulumi.Output<string | undefined>;
  /** Client name → Secret Manager secret id, for every stored client. */
  readonly clientSecretNames: pulumi.Output<Record<string, string>>;
  /** Service account name → unique ID (the domain-wide delegation Client ID). */
  readonly serviceAccountUniqueIds: pulumi.Output<Record<string, string>>;
}

/** The stack's config under one namespace, keys without the prefix; structured values stay JSON text. */
export function namespaceConfig(namespace: string): { values: Record<string, string>; secretKeys?: string[] } {
  const prefix = `${namespace}:`;
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig()))
    if (key.startsWith(prefix)) values[key.slice(prefix.length)] = value;
  // Without Pulumi's secret test (infra/pulumiRuntime.ts) the plain-text check is skipped.
  const isConfigSecret = configSecretTest();
  const secretKeys = isConfigSecret
    ? Object.keys(values)
        .map((k) => prefix + k)
        .filter((k) => isConfigSecret(k))
    : undefined;
  return { values, ...(secretKeys && { secretKeys }) };
}

/** Each stored client's secret, read through getSecret so it is a secret Output from the start. */
function clientSecrets(config: pulumi.Config, stack: StackConfig): Record<string, pulumi.Output<string>> {
  if (stack.secretKey === "clientSecret")
    return Object.fromEntries(stack.clientsWithSecret.map((name) => [name, config.requireSecret("clientSecret")]));
  if (stack.secretKey === "clientSecrets") {
    const all = config.requireSecretObject<Record<string, string>>("clientSecrets");
    return Object.fromEntries(stack.clientsWithSecret.map((name) => [name, all.apply((m) => m[name] ?? "")]));
  }
  return {};
}

/** Builds everything from stack config. Throws InputErrors (field-level) when the config is wrong. */
export function provision(config: pulumi.Config = new pulumi.Config(CONFIG_NAMESPACE)): ProvisionOutputs {
  const namespace = config.name;
  const { values, secretKeys } = namespaceConfig(namespace);
  const stack = readStackConfig(values, { namespace, ...(secretKeys && { secretKeys }) });
  const connection = new GmailConnection("gmail-connection", {
    spec: stack.spec,
    clientSecrets: clientSecrets(config, stack),
    runbook: { namespace, singleClientShorthand: stack.singleClientShorthand },
  });
  const firstStored = stack.clientsWithSecret[0];
  return {
    connectionSpec: connection.connectionSpec,
    consoleRunbook: connection.consoleRunbook,
    projectId: connection.projectId,
    projectNumber: connection.projectNumber,
    clientSecretName: connection.clientSecretNames.apply((names) => (firstStored ? names[firstStored] : undefined)),
    clientSecretNames: connection.clientSecretNames,
    serviceAccountUniqueIds: connection.serviceAccountUniqueIds,
  };
}
