// The stack config's shape as a TypeScript type, and the spec builder a consumer's own Pulumi program uses: a plain
// object in, a ConnectionSpec out, checked by the same reader as `Pulumi.<stack>.yaml` (connection/parse.ts), so every
// problem is the same field-level error, all of them at once (InputErrors). The types are inferred from the stack
// config's schema (connection/schema.ts): every key the reader accepts is in them.
import type { z } from "zod";
import { CONFIG_NAMESPACE, parseStackConfig } from "./parse";
import type { clientConfigSchema, connectionConfigSchema, serviceAccountConfigSchema } from "./schema";
import type { ConnectionSpec } from "./types";

/** One OAuth client, as under `gmail-oauth:clients` (docs/provisioning.md). */
export type ClientConfig = z.input<typeof clientConfigSchema>;

/** One service account with domain-wide delegation, as under `gmail-oauth:serviceAccounts` (docs/provisioning.md). */
export type ServiceAccountConfig = z.input<typeof serviceAccountConfigSchema>;

/**
 * Every key of the stack config without the `gmail-oauth:` prefix, minus the secrets (pass those to GmailConnection
 * as `clientSecrets`). Either `clients`, or the single-client shorthand (`preset`, `instanceUrl`, …) at the top.
 */
export type ConnectionConfig = z.input<typeof connectionConfigSchema>;

export interface ConnectionSpecOptions {
  /** Prefix of the field names in errors (default `gmail-oauth`, as in stack config: `gmail-oauth:clients[0].name`). */
  readonly namespace?: string;
}

/** The ConnectionSpec of a plain object; throws InputErrors naming every wrong field, as stack config does. */
export function connectionSpec(config: ConnectionConfig, opts: ConnectionSpecOptions = {}): ConnectionSpec {
  return parseStackConfig(config, { namespace: opts.namespace ?? CONFIG_NAMESPACE });
}
