// Resolves a service-account run (`validate --service-account`): which service account, how it signs, which
// mailboxes and scopes to prove, from flags and the spec (google-behaviour.md §10). Every bad value is an InputError naming the flag.
import { serviceAccountKeyFileSchema } from "../../google/serviceAccountKey";
import { InputError } from "../../common/errors";
import { ENV } from "../../common/env";
import { registerSecret } from "../../common/redact";
import type { ConnectionSpec, ServiceAccountSpec } from "../../connection/types";
import {
  isEmail,
  SERVICE_ACCOUNT_EMAIL,
  SERVICE_ACCOUNT_UNIQUE_ID,
  serviceAccountEmail,
} from "../../google/identifiers";
import { canonicalScope, DEFAULT_SCOPE, isGmailScope } from "../../google/scopes";
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from "../fleet/pool";
import { checkedOrigin, DEFAULT_TIMEOUT_SECONDS, findAdcFile, loadDeclaredSpec, readText } from "../inputs";
import type { ValidateFlags } from "../options";
import type { ValidationInput } from "../types";

/** The parts of a downloaded key file the validator uses (google-behaviour.md §10; google-auth-library's format). */
export interface ServiceAccountKey {
  readonly path: string;
  readonly keyId?: string;
  /** Registered with redact() as soon as it is read. */
  readonly privateKey: string;
  readonly clientEmail: string;
  readonly clientId?: string;
}

export interface ServiceAccountRun {
  readonly serviceAccount: string;
  /**
   * The DWD Client ID, when known (spec or key file); the prefilled console link needs it. Unknown: the checks look
   * it up through IAM with the cloud credential (checks.ts).
   */
  readonly uniqueId?: string;
  /** Where uniqueId came from, for the report's detail. */
  readonly uniqueIdSource?: "the spec" | "the key file";
  readonly projectId?: string;
  /** Undefined: keyless, through IAM Credentials signJwt with the cloud credential. */
  readonly key?: ServiceAccountKey;
  readonly mailboxes: readonly string[];
  readonly scopes: readonly string[];
  readonly concurrency: number;
  /** What the link-less checks share with the rest of the validator (origin, deadline, cloud credential). */
  readonly base: ValidationInput;
}

export interface ServiceAccountFlags extends ValidateFlags {
  readonly concurrency?: number;
}

/** Do the flags name one service account (`--service-account`, its key file, `--mailbox`)? Then the run is about it alone. */
export function namesServiceAccount(flags: ServiceAccountFlags): boolean {
  return flags.serviceAccount !== undefined || flags.serviceAccountKeyFile !== undefined || flags.mailbox !== undefined;
}

/** Does this `validate` invocation ask for the service-account path alone (flags, or a spec declaring one and no client)? */
export function wantsServiceAccount(flags: ServiceAccountFlags, spec: ConnectionSpec | undefined): boolean {
  if (namesServiceAccount(flags)) return true;
  return spec !== undefined && spec.clients.length === 0 && (spec.serviceAccounts?.length ?? 0) === 1;
}

/**
 * The spec's service accounts a run over the spec checks, each in its own section beside the client's (issue 26: a
 * spec is checked as declared, not half of it): every declared one, unless a flag narrows the run to one client
 * (`--client`) or to one service account.
 */
export function declaredServiceAccounts(flags: ServiceAccountFlags, spec: ConnectionSpec | undefined): string[] {
  if (!spec || flags.client !== undefined || namesServiceAccount(flags)) return [];
  return (spec.serviceAccounts ?? []).map((s) => serviceAccountEmail(s.accountId, spec.project.id));
}

/**
 * One declared service account's run, as `validate --spec … --service-account EMAIL` resolves it. `--scope` is the
 * client's: the service account is checked for the scopes the spec delegates to it.
 */
export function resolveDeclaredServiceAccount(
  email: string,
  flags: ServiceAccountFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
  spec: ConnectionSpec,
): Promise<ServiceAccountRun> {
  return resolveServiceAccountRun({ ...flags, serviceAccount: email, scope: undefined }, env, cwd, spec);
}

function pickDeclared(spec: ConnectionSpec | undefined, email: string | undefined): ServiceAccountSpec | undefined {
  const declared = spec?.serviceAccounts ?? [];
  if (!spec || declared.length === 0) return undefined;
  const emailOf = (s: ServiceAccountSpec) => serviceAccountEmail(s.accountId, spec.project.id);
  if (email !== undefined) return declared.find((s) => emailOf(s) === email);
  if (declared.length === 1) return declared[0];
  throw new InputError(
    "--service-account",
    `the spec declares ${declared.length} service accounts (${declared.map(emailOf).join(", ")})`,
    "name one with --service-account EMAIL",
  );
}

function readKeyFile(text: string, path: string): ServiceAccountKey {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InputError(
      "--service-account-key-file",
      `${path} is not JSON`,
      "pass the key file the console downloaded",
    );
  }
  const privateKey = (raw as { private_key?: unknown } | null)?.private_key;
  if (typeof privateKey === "string") registerSecret(privateKey);
  const parsed = serviceAccountKeyFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new InputError(
      "--service-account-key-file",
      `${path} is not a service account key (type service_account with private_key and client_email)`,
      "download a JSON key from IAM → Service accounts → Keys, or sign keyless without this flag",
    );
  const o = parsed.data;
  return {
    path,
    privateKey: o.private_key,
    clientEmail: o.client_email.toLowerCase(),
    ...(o.private_key_id !== undefined && { keyId: o.private_key_id }),
    ...(o.client_id !== undefined && { clientId: o.client_id }),
  };
}

export async function resolveServiceAccountRun(
  flags: ServiceAccountFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
  preloadedSpec?: ConnectionSpec,
): Promise<ServiceAccountRun> {
  const spec = preloadedSpec ?? (await loadDeclaredSpec(flags, env, cwd));
  const key =
    flags.serviceAccountKeyFile === undefined
      ? undefined
      : readKeyFile(
          await readText(
            "--service-account-key-file",
            flags.serviceAccountKeyFile,
            cwd,
            "the service account key file",
          ),
          flags.serviceAccountKeyFile,
        );
  const flagEmail = flags.serviceAccount?.trim().toLowerCase();
  if (flagEmail !== undefined && !SERVICE_ACCOUNT_EMAIL.test(flagEmail))
    throw new InputError(
      "--service-account",
      `'${flags.serviceAccount}' is not a service account email`,
      "write NAME@PROJECT.iam.gserviceaccount.com",
    );
  if (flagEmail && key && key.clientEmail !== flagEmail)
    throw new InputError(
      "--service-account-key-file",
      `is a key of ${key.clientEmail}, not of ${flagEmail}`,
      "pass that service account's key file, or drop --service-account",
    );
  const declared = pickDeclared(spec, flagEmail ?? key?.clientEmail);
  const email =
    flagEmail ??
    key?.clientEmail ??
    (declared && spec ? serviceAccountEmail(declared.accountId, spec.project.id) : undefined);
  if (!email)
    throw new InputError(
      "--service-account",
      "is required: no spec declares a service account",
      "pass --service-account NAME@PROJECT.iam.gserviceaccount.com (or --spec with serviceAccounts)",
    );

  const mailboxFlags = flags.mailbox?.map((m) => {
    const v = String(m).trim();
    if (!isEmail(v))
      throw new InputError("--mailbox", `'${m}' is not an email address`, "write it as name@example.com");
    return v.toLowerCase();
  });
  const mailboxes = [...new Set(mailboxFlags ?? declared?.mailboxes ?? [])];
  if (mailboxes.length === 0)
    throw new InputError(
      "--mailbox",
      "is required: name at least one mailbox to act as",
      "e.g. --mailbox billing@acme.com",
    );

  const scopeFlags = flags.scope?.map((s) => {
    const v = String(s).trim();
    const c = canonicalScope(v);
    if (!isGmailScope(c))
      throw new InputError("--scope", `'${s}' is not a Gmail scope`, `e.g. --scope ${DEFAULT_SCOPE}`);
    return c;
  });
  const scopes = [...new Set(scopeFlags ?? declared?.scopes ?? [DEFAULT_SCOPE])];

  const concurrency = flags.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    throw new InputError("--concurrency", `'${flags.concurrency}' is not allowed`, `use 1 to ${MAX_CONCURRENCY}`);

  let timeout = DEFAULT_TIMEOUT_SECONDS;
  if (flags.timeout !== undefined) {
    if (!Number.isFinite(flags.timeout) || flags.timeout <= 0)
      throw new InputError("--timeout", "is not a positive number of seconds", "e.g. --timeout 30");
    timeout = flags.timeout;
  }
  const cloudAccessToken = env[ENV.cloudAccessToken]?.trim() || undefined;
  registerSecret(cloudAccessToken);
  const keyId = key?.clientId && SERVICE_ACCOUNT_UNIQUE_ID.test(key.clientId) ? key.clientId : undefined;
  const uniqueId = declared?.uniqueId ?? keyId;
  const uniqueIdSource = declared?.uniqueId ? "the spec" : keyId ? "the key file" : undefined;
  const projectId = SERVICE_ACCOUNT_EMAIL.exec(email)?.[2];
  const base: ValidationInput = {
    redirectUris: [],
    scopes,
    project: projectId,
    projectNumber: spec?.project.id === projectId ? spec?.project.number : undefined,
    spec,
    googleOrigin: checkedOrigin(flags.googleOrigin, env),
    cloudAccessToken,
    adcFile: cloudAccessToken ? undefined : findAdcFile(env),
    deadline: Date.now() + timeout * 1000,
    provenance: {},
  };
  return {
    serviceAccount: email,
    ...(uniqueId !== undefined && { uniqueId, uniqueIdSource }),
    ...(projectId !== undefined && { projectId }),
    ...(key && { key }),
    mailboxes,
    scopes,
    concurrency,
    base,
  };
}
