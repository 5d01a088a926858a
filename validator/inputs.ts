// Resolves a validation run's inputs from the spec (file or stack), the client file, flags and the environment.
// Precedence: flags, then the client file, then the spec. Every bad value is an InputError naming the flag.
import { describeJsonError } from "../common/json";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { InputError } from "../common/errors";
import { ENV } from "../common/env";
import { registerSecret } from "../common/redact";
import { resolveGoogleOrigin } from "../google/endpoints";
import { MAIL_TRANSPORTS, type MailTransport } from "../google/mail";
import { DEFAULT_SCOPE } from "../google/scopes";
import { Problems } from "../common/readers";
import { checkClientId } from "../connection/rules";
import { isEmail, PROJECT_ID } from "../google/identifiers";
import type { AudienceSpec, ConnectionSpec, OAuthClientSpec } from "../connection/types";
import type { PublishingStatus, UserType } from "../google/oauthApp";
import { parseClientFile, type ClientFile } from "./clientFile";
import type { ValidateFlags } from "./options";
import type { Provenance, ValidationInput } from "./types";

export { validateOptions, type ValidateFlags } from "./options";

export const DEFAULT_TIMEOUT_SECONDS = 60;

function fromCwd(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** A file named by a flag, BOM dropped; an unreadable one is an InputError naming the flag. Also `setup`'s reader. */
export async function readText(field: string, path: string, cwd: string, what: string): Promise<string> {
  try {
    // Windows editors save a byte-order mark that JSON.parse refuses; it is not part of the content.
    return (await readFile(fromCwd(cwd, path), "utf8")).replace(/^\uFEFF/, "");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "does not exist"
        : code === "EISDIR"
          ? "is a directory"
          : code === "EACCES"
            ? "is not readable"
            : (e as Error).message;
    throw new InputError(field, `${path} ${why}`, `pass the path of ${what}`);
  }
}

function runPulumi(stack: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      "pulumi",
      ["stack", "output", "--json", "--show-secrets", "--stack", stack],
      { cwd, env, maxBuffer: 16 << 20, timeout: 120_000 },
      (err, stdout, stderr) => {
        if (!err) return resolvePromise(stdout);
        if ((err as NodeJS.ErrnoException).code === "ENOENT") {
          return reject(
            new InputError(
              "--stack",
              "the pulumi CLI is not installed (not found on PATH)",
              "install it (https://www.pulumi.com/docs/install/), or save `pulumi stack output --json` to a file elsewhere and pass --spec FILE",
            ),
          );
        }
        const first =
          String(stderr)
            .split("\n")
            .find((l) => l.trim() !== "")
            ?.trim() ?? err.message;
        reject(
          new InputError(
            "--stack",
            `\`pulumi stack output --stack ${stack}\` failed: ${first}`,
            "check the stack name with `pulumi stack ls` and that you are logged in (`pulumi login`)",
          ),
        );
      },
    );
  });
}

/** Stack outputs read with --show-secrets may hold secrets besides the spec: mask them all before anything prints. */
function registerSecretsIn(value: unknown, key = ""): void {
  if (typeof value === "string") {
    // Pulumi prints "[secret]" for secrets read without --show-secrets: a placeholder, not a value to mask.
    if (/secret|token|password|key/i.test(key) && value !== "[secret]") registerSecret(value);
  } else if (Array.isArray(value))
    value.forEach((v) => {
      registerSecretsIn(v, key);
    });
  else if (typeof value === "object" && value !== null)
    for (const [k, v] of Object.entries(value)) registerSecretsIn(v, k);
}

async function loadSpec(field: "--spec" | "--stack", text: string, source: string): Promise<ConnectionSpec> {
  let outputs: unknown;
  try {
    outputs = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      field,
      `${source} ${describeJsonError(text, e)}`,
      "pass the output of `pulumi stack output --json` unchanged",
    );
  }
  registerSecretsIn(outputs);
  // The parser takes both the whole stack output (with connectionSpec) and a bare spec, and names the field.
  const { parseConnectionSpec } = await import("../connection/parse.js");
  return parseConnectionSpec(outputs, source);
}

function pickClient(spec: ConnectionSpec, name: string | undefined): OAuthClientSpec | undefined {
  const names = spec.clients.map((c) => c.name);
  if (name !== undefined) {
    const found = spec.clients.find((c) => c.name === name);
    if (!found)
      throw new InputError(
        "--client",
        `the spec has no client '${name}'`,
        names.length ? `use one of: ${names.join(", ")}` : "add the client to the stack config",
      );
    return found;
  }
  if (spec.clients.length === 1) return spec.clients[0];
  if (spec.clients.length === 0) return undefined;
  throw new InputError(
    "--client",
    `the spec has ${spec.clients.length} clients (${names.join(", ")})`,
    "name one with --client NAME",
  );
}

function checkedEmail(field: string, value: string): string {
  const v = value.trim();
  if (!isEmail(v)) throw new InputError(field, `'${value}' is not an email address`, "write it as name@example.com");
  return v.toLowerCase();
}

function nonEmpty(field: string, values: readonly string[] | undefined, fix: string): string[] | undefined {
  if (values === undefined) return undefined;
  const list = values.map((v) => String(v));
  const blank = list.findIndex((v) => v.trim() === "");
  if (blank >= 0) throw new InputError(field, "is empty", fix);
  return [...new Set(list)];
}

function oneOf<T extends string>(field: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase() as T;
  if (!allowed.includes(v))
    throw new InputError(field, `'${value}' is not one of ${allowed.join(", ")}`, `use ${allowed.join(" or ")}`);
  return v;
}

/** `--user-type`'s value, any case, narrowed to the library's type; an InputError naming the flag otherwise. */
export function userTypeFlag(value: string | undefined): UserType | undefined {
  return oneOf<UserType>("--user-type", value, ["external", "internal"]);
}

/** `--publishing-status`'s value, any case, narrowed to the library's type; an InputError naming the flag otherwise. */
export function publishingStatusFlag(value: string | undefined): PublishingStatus | undefined {
  return oneOf<PublishingStatus>("--publishing-status", value, ["testing", "production"]);
}

export function checkedOrigin(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const value = resolveGoogleOrigin(flag, env);
  if (value === undefined) return undefined;
  const field = flag !== undefined ? "--google-origin" : ENV.googleOrigin;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new InputError(field, `'${value}' is not a URL`, "write an origin such as http://127.0.0.1:8080");
  }
  if (
    (u.protocol !== "http:" && u.protocol !== "https:") ||
    (u.pathname !== "/" && u.pathname !== "") ||
    u.search ||
    u.hash
  ) {
    throw new InputError(
      field,
      `'${value}' is not an http(s) origin`,
      `write only scheme, host and port, e.g. ${u.protocol.startsWith("http") ? u.origin : "http://127.0.0.1:8080"}`,
    );
  }
  return u.origin;
}

/** The ADC file google-auth-library would read, when one exists; without it we never try ADC (no metadata-server probe). */
export function findAdcFile(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GOOGLE_APPLICATION_CREDENTIALS) return env.GOOGLE_APPLICATION_CREDENTIALS;
  const configDir =
    env.CLOUDSDK_CONFIG ??
    (env.APPDATA ? join(env.APPDATA, "gcloud") : join(env.HOME ?? homedir(), ".config", "gcloud"));
  const wellKnown = join(configDir, "application_default_credentials.json");
  return existsSync(wellKnown) ? wellKnown : undefined;
}

/** The spec named by --spec FILE or --stack NAME (running `pulumi stack output` once), or undefined when neither is given. */
export async function loadDeclaredSpec(
  flags: Pick<ValidateFlags, "spec" | "stack">,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<ConnectionSpec | undefined> {
  if (flags.spec !== undefined && flags.stack !== undefined)
    throw new InputError("--stack", "cannot be combined with --spec", "pass one of them");
  if (flags.spec !== undefined)
    return loadSpec(
      "--spec",
      await readText("--spec", flags.spec, cwd, "the JSON saved from `pulumi stack output --json`"),
      flags.spec,
    );
  if (flags.stack !== undefined) {
    if (flags.stack.trim() === "") throw new InputError("--stack", "is empty", "name a stack, e.g. --stack dev");
    return loadSpec("--stack", await runPulumi(flags.stack, cwd, env), `stack ${flags.stack}`);
  }
  return undefined;
}

/** `--client-secret` is refused (it ends up in shell history and `ps`); the value is still masked in every output. */
export function refuseSecretFlag(flags: Pick<ValidateFlags, "clientSecret">): void {
  if (flags.clientSecret === undefined) return;
  registerSecret(String(flags.clientSecret));
  throw new InputError(
    "--client-secret",
    "secrets are never taken on the command line (they end up in shell history and `ps`)",
    `set ${ENV.clientSecret}, or pass --client-secret-file`,
  );
}

/**
 * Everything a run needs, from flags, files and the environment. `preloadedSpec` lets a caller that validates several
 * clients of one spec (`--all`) load it once instead of once per client.
 */
/** --transport smtp --transport imap, or --transport smtp,imap. */
export function readTransportFlag(values: readonly string[] | undefined): MailTransport[] | undefined {
  if (values === undefined) return undefined;
  const out: MailTransport[] = [];
  for (const v of values.flatMap((x) => String(x).split(",")).map((x) => x.trim().toLowerCase())) {
    if (!(MAIL_TRANSPORTS as readonly string[]).includes(v))
      throw new InputError(
        "--transport",
        `'${v}' is not a transport`,
        `use ${MAIL_TRANSPORTS.join(", ")} (repeatable or comma-separated)`,
      );
    if (!out.includes(v as MailTransport)) out.push(v as MailTransport);
  }
  if (out.length === 0) throw new InputError("--transport", "is empty", `use ${MAIL_TRANSPORTS.join(", ")}`);
  return out;
}

export async function resolveInput(
  flags: ValidateFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
  preloadedSpec?: ConnectionSpec,
): Promise<ValidationInput> {
  const provenance: Record<string, Provenance> = {};
  refuseSecretFlag(flags);
  const spec = preloadedSpec ?? (await loadDeclaredSpec(flags, env, cwd));
  if (flags.client !== undefined && !spec)
    throw new InputError(
      "--client",
      "selects a client of the spec, but no spec was given",
      "pass --spec FILE or --stack NAME, or drop --client",
    );
  const client = spec ? pickClient(spec, flags.client) : undefined;

  let file: ClientFile | undefined;
  if (flags.clientSecretFile !== undefined) {
    file = parseClientFile(
      await readText("--client-secret-file", flags.clientSecretFile, cwd, "the client JSON downloaded from Google"),
      flags.clientSecretFile,
    );
    registerSecret(file.clientSecret);
  }

  // Client ID: flag, file, spec. A flag contradicting the file is a mix-up worth stopping for.
  let clientId: string | undefined;
  if (flags.clientId !== undefined) {
    const p = new Problems();
    checkClientId(flags.clientId.trim(), "--client-id", p);
    if (!p.empty) throw p.errors[0];
    if (file && file.clientId !== flags.clientId.trim())
      throw new InputError(
        "--client-id",
        `differs from client_id in ${flags.clientSecretFile}`,
        "drop --client-id, or pass the file of that client",
      );
    clientId = flags.clientId.trim();
    provenance.clientId = "flag";
  } else if (file) {
    clientId = file.clientId;
    provenance.clientId = "client-file";
  } else if (client?.clientId) {
    clientId = client.clientId;
    provenance.clientId = "spec";
  }

  let clientSecret: string | undefined;
  const envSecret = env[ENV.clientSecret];
  if (file?.clientSecret) {
    clientSecret = file.clientSecret;
    provenance.clientSecret = "client-file";
  } else if (envSecret) {
    clientSecret = envSecret.trim();
    registerSecret(envSecret);
    registerSecret(clientSecret);
    provenance.clientSecret = "env";
  }

  const redirectFlag = nonEmpty(
    "--redirect-uri",
    flags.redirectUri,
    "pass the full URI, e.g. --redirect-uri https://mail.example.com/google_gmail/confirm",
  );
  const redirectUris = redirectFlag ?? [...(client?.redirectUris ?? [])];
  provenance.redirectUris = redirectFlag ? "flag" : client ? "spec" : "default";

  const scopeFlag = nonEmpty("--scope", flags.scope, `pass a scope URL, e.g. --scope ${DEFAULT_SCOPE}`);
  const scopes = scopeFlag ?? (spec?.dataAccess.scopes.length ? [...spec.dataAccess.scopes] : [DEFAULT_SCOPE]);
  provenance.scopes = scopeFlag ? "flag" : spec?.dataAccess.scopes.length ? "spec" : "default";

  const account = flags.account !== undefined ? checkedEmail("--account", flags.account) : undefined;
  if (account) provenance.account = "flag";
  const transportFlag = readTransportFlag(flags.transport);
  const transports = transportFlag ?? client?.transports;
  if (transports) provenance.transports = transportFlag ? "flag" : "spec";
  const sendTestTo = flags.sendTestTo !== undefined ? checkedEmail("--send-test-to", flags.sendTestTo) : undefined;

  let project: string | undefined;
  let projectNumber: string | undefined = spec?.project.number;
  if (flags.project !== undefined) {
    const v = flags.project.trim();
    if (/^\d+$/.test(v)) projectNumber = v;
    else if (!PROJECT_ID.test(v))
      throw new InputError(
        "--project",
        `'${flags.project}' is neither a project ID nor a project number`,
        "use the ID (6-30 lower-case letters, digits, hyphens) or the number from the console dashboard",
      );
    project = v;
    provenance.project = "flag";
  } else if (spec) {
    project = spec.project.id;
    provenance.project = "spec";
  } else if (file?.projectId) {
    project = file.projectId;
    provenance.project = "client-file";
  }

  const userType = userTypeFlag(flags.userType);
  const publishingStatus = publishingStatusFlag(flags.publishingStatus);
  const testUsers = flags.testUser?.map((u) => checkedEmail("--test-user", u));
  const audience: Partial<AudienceSpec> = {
    ...(spec?.audience ?? {}),
    ...(userType ? { userType } : {}),
    ...(publishingStatus ? { publishingStatus } : {}),
    ...(testUsers ? { testUsers } : {}),
  };
  provenance.audience = userType || publishingStatus || testUsers ? "flag" : spec ? "spec" : "default";

  let timeout = DEFAULT_TIMEOUT_SECONDS;
  if (flags.timeout !== undefined) {
    // yargs turns a non-number into NaN, so there is no original text to quote.
    if (Number.isNaN(flags.timeout))
      throw new InputError("--timeout", "is not a number", "give seconds, e.g. --timeout 30");
    if (!Number.isFinite(flags.timeout) || flags.timeout <= 0)
      throw new InputError("--timeout", `'${flags.timeout}' is not a positive number of seconds`, "e.g. --timeout 30");
    timeout = flags.timeout;
  }

  const cloudAccessToken = env[ENV.cloudAccessToken]?.trim() || undefined;
  registerSecret(cloudAccessToken);

  const clientKind = file?.kind ?? client?.type;
  return {
    clientId,
    clientSecret,
    clientType: clientKind,
    clientName: client?.name,
    registeredRedirectUris: file?.kind === "web" ? file.redirectUris : undefined,
    redirectUris,
    scopes,
    account,
    ...(transports && { transports: [...transports] }),
    ...(sendTestTo && { sendTestTo }),
    project,
    projectNumber,
    audience: Object.keys(audience).length > 0 ? audience : undefined,
    organizationDomain: spec?.organizationDomain,
    spec,
    googleOrigin: checkedOrigin(flags.googleOrigin, env),
    clientFile: file && flags.clientSecretFile ? { path: flags.clientSecretFile, problems: file.problems } : undefined,
    cloudAccessToken,
    adcFile: cloudAccessToken ? undefined : findAdcFile(env),
    deadline: Date.now() + timeout * 1000,
    provenance,
  };
}
