// The stack the sandbox provisions: a Pulumi stack-config file (Pulumi.<stack>.yaml format), the bundled
// sandbox/stack.example.yaml unless --stack-config names another. It is checked with the program's own reader
// (connection/parse.ts readStackConfig), so a bad key fails here, before anything starts, with the key and the file named.
import { isRecord } from "../common/json";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, isAbsolute, join, resolve } from "node:path";
import YAML from "yaml";
import { InputError, InputErrors } from "../common/errors";
import { CONFIG_NAMESPACE, readStackConfig, type StackConfig } from "../connection/parse";
import type { OAuthClientSpec } from "../connection/types";

export const STACK_FLAG = "--stack-config";
const PREFIX = `${CONFIG_NAMESPACE}:`;

export interface SandboxStack {
  /** How errors and output name the file. */
  readonly source: string;
  /** Keys of the program's namespace without the prefix (`project`, `clients`…), values as YAML gave them. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly parsed: StackConfig;
}

/** Where the bundled stack is: next to this module in the sources, or at the repository's sandbox/ from dist/. */
export function bundledStackPath(): string {
  const candidates = [
    join(__dirname, "stack.example.yaml"),
    join(__dirname, "..", "..", "sandbox", "stack.example.yaml"),
  ];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

/** The program reads structured config as JSON text, exactly as Pulumi hands it over. */
export function configText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Pulumi writes encrypted values as `{secure: "v1:…"}`, at any depth (`pulumi config set --secret --path`). */
function holdsSecureValue(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(holdsSecureValue);
  if (!isRecord(v)) return false;
  return (Object.keys(v).length === 1 && typeof v.secure === "string") || Object.values(v).some(holdsSecureValue);
}

function prefixed(source: string, errors: readonly InputError[]): InputErrors {
  return new InputErrors(errors.map((e) => new InputError(`${source}: ${e.field}`, e.problem, e.fix)));
}

/** Parse and check the text of a stack file. Throws InputError(s) naming `source` and the config key. */
export function parseStackFile(text: string, source: string): SandboxStack {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new InputError(
      source,
      `is not valid YAML: ${(e as Error).message.split("\n")[0]}`,
      "fix the syntax (it is a Pulumi.<stack>.yaml file)",
    );
  }
  if (!isRecord(doc) || !isRecord(doc.config)) {
    throw new InputError(
      `${source}: config`,
      "is missing: a stack file holds its settings under `config:`",
      "write it like Pulumi.example.yaml (config: → gmail-oauth:project: …)",
    );
  }
  const values: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(doc.config)) {
    // Pulumi reads a key without a namespace as the project's own.
    const key = rawKey.includes(":") ? rawKey : `${PREFIX}${rawKey}`;
    if (!key.startsWith(PREFIX)) continue; // other providers' settings (gcp:project…) do not concern the program
    if (holdsSecureValue(value)) {
      throw new InputError(
        `${source}: ${key}`,
        "holds an encrypted (secure) value, which only the Pulumi CLI can decrypt",
        "remove it: the sandbox creates the OAuth client and its secret itself",
      );
    }
    values[key.slice(PREFIX.length)] = value;
  }
  const asConfig = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, configText(v)]));
  try {
    return { source, values, parsed: readStackConfig(asConfig, { namespace: CONFIG_NAMESPACE, secretKeys: [] }) };
  } catch (e) {
    if (e instanceof InputErrors) throw prefixed(source, e.errors);
    if (e instanceof InputError) throw prefixed(source, [e]);
    throw e;
  }
}

/** The bundled stack, or the --stack-config file (relative to cwd). */
export async function loadStack(file: string | undefined, cwd: string): Promise<SandboxStack> {
  const path = file === undefined ? bundledStackPath() : isAbsolute(file) ? file : resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (file === undefined) throw new Error(`the bundled stack ${path} is missing (${code ?? (e as Error).message})`);
    throw new InputError(
      STACK_FLAG,
      `cannot read ${file} (${code === "ENOENT" ? "no such file" : (code ?? (e as Error).message)})`,
      "pass the path of a Pulumi.<stack>.yaml file",
    );
  }
  return parseStackFile(text, file === undefined ? `sandbox/${basename(path)}` : file);
}

/** What the walkthrough needs from the stack: the client it breaks and fixes, and the mailbox it connects. */
export interface WalkthroughTarget {
  /** Index in spec.clients of the Web client whose first redirect URI gets the trailing-slash mistake. */
  readonly clientIndex: number;
  readonly client: OAuthClientSpec;
  /** The redirect URI the app sends. */
  readonly appRedirectUri: string;
  /** The mailbox being connected: the last test user, the one forgotten on purpose. */
  readonly mailbox: string;
}

/** The walkthrough shows Testing-mode mistakes and the 7-day expiry: it refuses a stack where they cannot happen. */
export function walkthroughTarget(stack: SandboxStack): WalkthroughTarget {
  const { spec } = stack.parsed;
  const at = (key: string) => `${stack.source}: ${PREFIX}${key}`;
  if (spec.audience.userType !== "external" || spec.audience.publishingStatus !== "testing") {
    throw new InputError(
      at("audience.publishingStatus"),
      `is ${spec.audience.userType}/${spec.audience.publishingStatus}; the walkthrough shows a forgotten test user and the 7-day Testing expiry, which only an External app in Testing has`,
      "set audience.userType: external and audience.publishingStatus: testing, or use `gmail-oauth sandbox --serve` for any stack",
    );
  }
  const mailbox = spec.audience.testUsers[spec.audience.testUsers.length - 1];
  if (!mailbox)
    throw new InputError(
      at("audience.testUsers"),
      "is empty; the walkthrough connects the last test user's mailbox",
      "list at least one test user",
    );
  const clientIndex = spec.clients.findIndex((c) => c.type === "web" && c.redirectUris.length > 0);
  const client = spec.clients[clientIndex];
  if (!client)
    throw new InputError(
      at("clients"),
      "has no Web client with a redirect URI; the walkthrough registers one with a trailing slash on purpose",
      "declare a Web client, e.g. preset: flectra with instanceUrl",
    );
  return { clientIndex, client, appRedirectUri: client.redirectUris[0], mailbox };
}

/**
 * The config as Pulumi hands it to the program, with the client IDs and secrets put in after the console step, as
 * the runbook's `pulumi config set` commands do. Returns the config and the keys held as secrets.
 */
export function pulumiConfig(
  stack: SandboxStack,
  credentials: readonly { name: string; clientId: string; secret: string }[] = [],
  values = stack.values,
): { config: Record<string, string>; secretKeys: string[] } {
  const next: Record<string, unknown> = { ...values };
  const secretKeys: string[] = [];
  if (credentials.length > 0) {
    if (stack.parsed.singleClientShorthand) {
      next.clientId = credentials[0].clientId;
      next.clientSecret = credentials[0].secret;
      secretKeys.push(`${PREFIX}clientSecret`);
    } else {
      const byName = new Map(credentials.map((c) => [c.name, c]));
      next.clients = stack.parsed.spec.clients.map((c, i) => ({
        ...(Array.isArray(values.clients) && isRecord(values.clients[i]) ? values.clients[i] : {}),
        ...(byName.has(c.name) ? { clientId: byName.get(c.name)!.clientId } : {}),
      }));
      next.clientSecrets = Object.fromEntries(credentials.map((c) => [c.name, c.secret]));
      secretKeys.push(`${PREFIX}clientSecrets`);
    }
  }
  return {
    config: Object.fromEntries(Object.entries(next).map(([k, v]) => [`${PREFIX}${k}`, configText(v)])),
    secretKeys,
  };
}

/** The same stack with one origin (scheme://host:port) replaced in its URLs: for a loopback port that is taken. */
export function withOrigin(stack: SandboxStack, from: string, to: string): SandboxStack {
  const values = Object.fromEntries(
    Object.entries(stack.values).map(([k, v]) => [
      k,
      JSON.parse(
        JSON.stringify(v ?? null)
          .split(from)
          .join(to),
      ) as unknown,
    ]),
  );
  return parseStackFile(
    YAML.stringify({ config: Object.fromEntries(Object.entries(values).map(([k, v]) => [`${PREFIX}${k}`, v])) }),
    stack.source,
  );
}
