// The client secrets of a stack config: `clientSecret` (the one client) or `clientSecrets` (by client name), each
// registered for masking the moment it is read, refused in plain text, and matched to a declared client with an ID.
import { isRecord } from "../common/json";
import { registerSecret } from "../common/redact";
import { child, type Problems } from "../common/readers";
import type { ConnectionSpec } from "./types";

/** Which config key holds the client secrets, and the clients that have both an ID and a secret in config. */
export interface ClientSecretKeys {
  /** `clientSecret` (one client) or `clientSecrets` (a map by client name); undefined when no secret is set yet. */
  readonly secretKey?: "clientSecret" | "clientSecrets";
  /** Clients whose ID and secret are both in config, in spec order: the ones the program stores in Secret Manager. */
  readonly clientsWithSecret: readonly string[];
}

export function readClientSecrets(
  values: Record<string, unknown>,
  spec: ConnectionSpec,
  ns: string,
  secretKeys: readonly string[] | undefined,
  p: Problems,
): ClientSecretKeys {
  const single = values.clientSecret;
  const map = values.clientSecrets;
  if (single !== undefined && map !== undefined)
    p.add(
      `${ns}:clientSecret`,
      "clientSecret and clientSecrets are both set",
      `keep clientSecrets (one entry per client) and remove ${ns}:clientSecret`,
    );
  const secretKey = map !== undefined ? "clientSecrets" : single !== undefined ? "clientSecret" : undefined;
  if (!secretKey) return { clientsWithSecret: [] };
  const field = `${ns}:${secretKey}`;
  const setCommand = (client: string) =>
    secretKey === "clientSecret"
      ? `pulumi config set --secret ${ns}:clientSecret`
      : `pulumi config set --secret --path '${ns}:clientSecrets.${client}'`;
  if (secretKeys && !secretKeys.includes(field)) {
    p.add(
      field,
      "is stored in plain text in the stack file",
      `remove it and set it again with \`${setCommand(spec.clients[0]?.name ?? "NAME")}\``,
    );
  }
  const entries: [string, unknown, string][] = [];
  if (secretKey === "clientSecret") {
    if (spec.clients.length !== 1)
      p.add(
        field,
        `names no client: the stack has ${spec.clients.length} clients`,
        `use ${ns}:clientSecrets with one entry per client name`,
      );
    else entries.push([spec.clients[0].name, single, field]);
  } else {
    // The values are secrets: shape errors name the key, never the value.
    const obj = typeof map === "string" ? safeJson(map) : map;
    if (!isRecord(obj))
      p.add(field, "must be a map from client name to secret", `set each with \`${setCommand("NAME")}\``);
    else for (const [name, v] of Object.entries(obj)) entries.push([name, v, child(field, name)]);
  }
  const clientsWithSecret: string[] = [];
  for (const [name, secret, f] of entries) {
    const client = spec.clients.find((c) => c.name === name);
    if (typeof secret !== "string" || secret.length === 0) {
      p.add(f, "must be the client secret as text", `set it with \`${setCommand(name)}\``);
      continue;
    }
    registerSecret(secret);
    if (!client) {
      p.add(f, `names no declared client`, `use one of: ${spec.clients.map((c) => c.name).join(", ")}`);
      continue;
    }
    const idField =
      spec.clients.length === 1 && values.clients === undefined
        ? `${ns}:clientId`
        : `${ns}:clients[${spec.clients.indexOf(client)}].clientId`;
    if (!client.clientId)
      p.add(
        f,
        "is set, but the client's ID is not",
        `set ${idField} too: the secret is stored together with its client ID`,
      );
    else clientsWithSecret.push(name);
  }
  clientsWithSecret.sort(
    (a, b) => spec.clients.findIndex((c) => c.name === a) - spec.clients.findIndex((c) => c.name === b),
  );
  return { secretKey, clientsWithSecret };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
