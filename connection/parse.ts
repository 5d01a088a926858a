// Parsing a connection spec from stack config (the Pulumi program) or from a spec file (the validator's --spec).
// Both go through one reader, so a rule holds the same way in both places; only the field names differ
// (`gmail-oauth:clients[1].redirectUris[0]` versus `stack.json:connectionSpec.clients[1].redirectUris[0]`).
import { describeJsonError, isRecord } from "../common/json";
import { InputError, InputErrors } from "../common/errors";
import { Problems, quote, readObject, unknownKeyProblem } from "../common/readers";
import { NUMERIC_ID, readConnection } from "./readConnection";
import { readClientSecrets, type ClientSecretKeys } from "./clientSecrets";
import { connectionSpecSchema, keysOf, SHORTHAND_CLIENT_KEYS, stackConfigSchema } from "./schema";
import type { FieldNamer } from "./rules";
import { SPEC_VERSION, type ConnectionSpec } from "./types";

export const CONFIG_NAMESPACE = "gmail-oauth";

/** Every stack config key (without the namespace), in the order docs and Pulumi.example.yaml present them. */
export const CONFIG_KEYS = keysOf(stackConfigSchema);

const SPEC_KEYS = keysOf(connectionSpecSchema.unwrap());

/** What the program needs beyond the spec: which config key holds the client secrets and for which clients. */
export interface StackConfig extends ClientSecretKeys {
  readonly spec: ConnectionSpec;
  /** The single client is configured with top-level keys (`preset`, `instanceUrl`, `clientId`, `clientSecret`). */
  readonly singleClientShorthand: boolean;
}

export interface StackConfigOptions {
  readonly namespace?: string;
  /**
   * Full keys (`gmail-oauth:clientSecret`) Pulumi holds encrypted. When given, a client secret stored in plain text
   * is an error: it would sit readable in Pulumi.<stack>.yaml.
   */
  readonly secretKeys?: readonly string[];
}

/** The spec from stack config; every problem is reported at once as InputErrors naming the full config key. */
export function parseStackConfig(values: Record<string, unknown>, opts: StackConfigOptions = {}): ConnectionSpec {
  return readStackConfig(values, opts).spec;
}

export function readStackConfig(values: Record<string, unknown>, opts: StackConfigOptions = {}): StackConfig {
  const ns = opts.namespace ?? CONFIG_NAMESPACE;
  const p = new Problems();
  for (const key of Object.keys(values))
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) unknownKeyProblem(`${ns}:${key}`, key, CONFIG_KEYS, p);

  const shorthand = values.clients === undefined && SHORTHAND_CLIENT_KEYS.some((k) => values[k] !== undefined);
  const at: FieldNamer = (path) => {
    if (path === "dataAccess.scopes" || path.startsWith("dataAccess.scopes["))
      return `${ns}:${path.slice("dataAccess.".length)}`;
    if (shorthand && path.startsWith("clients[0].")) return `${ns}:${path.slice("clients[0].".length)}`;
    if (shorthand && path === "clients") return `${ns}:preset`;
    return `${ns}:${path}`;
  };
  if (values.clients !== undefined) {
    for (const k of SHORTHAND_CLIENT_KEYS)
      if (values[k] !== undefined)
        p.add(
          `${ns}:${k}`,
          "is the single-client shorthand, but clients is also set",
          `move it into an entry of ${ns}:clients`,
        );
  }
  const rawClients = shorthand
    ? [Object.fromEntries(SHORTHAND_CLIENT_KEYS.filter((k) => values[k] !== undefined).map((k) => [k, values[k]]))]
    : values.clients;

  const spec = readConnection(
    { ...values, clients: rawClients, dataAccess: values.scopes === undefined ? undefined : { scopes: values.scopes } },
    at,
    p,
    "config",
  );
  const secrets = spec && readClientSecrets(values, spec, ns, opts.secretKeys, p);
  if (
    spec &&
    secrets &&
    secrets.clientsWithSecret.length > 0 &&
    spec.project.mode === "create" &&
    !spec.project.billingAccount
  ) {
    // Secret Manager is a billable API; Google refuses to enable it on a project without billing (inferred: not in
    // docs/google-behaviour.md, but the common failure of `pulumi up` here).
    p.add(
      `${ns}:project.billingAccount`,
      "is needed to store the client secret: Secret Manager only runs on a project with billing (inferred)",
      `set ${ns}:project.billingAccount, or remove the client secret from config until billing is set up`,
    );
  }
  // `secrets` is read whenever `spec` is; the test narrows both.
  if (!p.empty || !spec || !secrets) throw new InputErrors(p.errors);
  return { spec, ...secrets, singleClientShorthand: shorthand };
}

/**
 * The spec for the validator's `--spec FILE`: the whole `pulumi stack output --json` object (spec under
 * `connectionSpec`, possibly as a JSON string) or a bare spec. Throws InputError naming `source` and the JSON path.
 */
export function parseConnectionSpec(value: unknown, source: string): ConnectionSpec {
  const p = new Problems();
  // An editor's pointer to the shipped JSON Schema (setup writes one) is not part of the spec.
  let raw = isRecord(value) && "$schema" in value ? withoutKey(value, "$schema") : value;
  let prefix = "";
  if (isRecord(raw) && "connectionSpec" in raw) {
    prefix = "connectionSpec.";
    raw = raw.connectionSpec;
    if (raw === "[secret]")
      throw new InputError(
        `${source}:connectionSpec`,
        "is shown as [secret]",
        "the spec holds no secret; re-run `pulumi up` with this kit's program so connectionSpec is exported in clear",
      );
    if (typeof raw === "string") {
      try {
        raw = JSON.parse(raw);
      } catch (e) {
        throw new InputError(
          `${source}:connectionSpec`,
          describeJsonError(raw as string, e),
          "write the file with `pulumi stack output --json > FILE`",
        );
      }
    }
  } else if (!isRecord(raw) || !("version" in raw && "project" in raw)) {
    throw new InputError(
      source,
      "is neither `pulumi stack output --json` output (with connectionSpec) nor a connection spec",
      "write it with `pulumi stack output --json > FILE` in the stack's directory",
    );
  }
  const at: FieldNamer = (path) => `${source}:${prefix}${path}`;
  const obj = readObject(raw, prefix ? `${source}:connectionSpec` : source, p);
  // Unknown keys are named like every other field (`FILE:key`, `FILE:connectionSpec.key`), so checked here.
  if (obj)
    for (const key of Object.keys(obj))
      if (!(SPEC_KEYS as readonly string[]).includes(key)) unknownKeyProblem(at(key), key, SPEC_KEYS, p);
  if (obj) {
    if (obj.version !== SPEC_VERSION)
      p.add(
        at("version"),
        `is ${quote(obj.version)}; this kit reads spec version ${SPEC_VERSION}`,
        "use the gmail-oauth version that matches the program that wrote the spec",
      );
    const number = isRecord(obj.project) ? obj.project.number : undefined;
    const project = isRecord(obj.project) ? withoutKey(obj.project, "number") : obj.project;
    const spec = readConnection({ ...obj, project }, at, p, "spec");
    if (number !== undefined && !(typeof number === "string" && NUMERIC_ID.test(number)))
      p.add(
        at("project.number"),
        `must be the project number as digits, got ${quote(number)}`,
        "take it from the stack output or the console's project info",
      );
    if (p.empty && spec)
      return number === undefined ? spec : { ...spec, project: { ...spec.project, number: number as string } };
  }
  throw (
    p.errors[0] ??
    new InputError(source, "is not a connection spec", "write it with `pulumi stack output --json > FILE`")
  );
}

function withoutKey(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = obj;
  return rest;
}
