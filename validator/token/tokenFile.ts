// Where refresh tokens live outside the process: --keep-token writes one (mode 0600, atomically), check-token reads
// one from GMAIL_OAUTH_REFRESH_TOKEN or --refresh-token-file (the bare token, or an `authorized_user` JSON). The kept
// file is an `authorized_user` JSON without the client secret, plus a `consent` record (when, for which client,
// account and scopes, and the lifetime Google announced) from which check-token forecasts the token's death.
import { describeJsonError } from "../../common/json";
import { ENV } from "../../common/env";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { InputError } from "../../common/errors";
import { registerSecret } from "../../common/redact";
import { writeFileAtomically } from "../../common/files";

/** What --keep-token records about the consent beside the token (never a secret: the client secret is not kept). */
export interface ConsentRecord {
  /** When Google answered the code exchange (ms since epoch), by Google's clock when its Date header was read. */
  readonly at: number;
  readonly clock: "google" | "local";
  readonly clientId: string;
  readonly account?: string;
  readonly scopes: readonly string[];
  /** refresh_token_expires_in as Google announced it (seconds from `at`); absent when Google announced none. */
  readonly refreshTokenExpiresIn?: number;
}

/** The kept file's text: an authorized_user JSON (gcloud's shape, minus the secret) with the consent record. */
export function keptTokenJson(refreshToken: string, consent: ConsentRecord): string {
  const expires =
    consent.refreshTokenExpiresIn === undefined
      ? {}
      : {
          refresh_token_expires_in: consent.refreshTokenExpiresIn,
          // Derived, for people reading the file; check-token recomputes it from the two fields above.
          expires_at: new Date(consent.at + consent.refreshTokenExpiresIn * 1000).toISOString(),
        };
  const record = {
    type: "authorized_user",
    client_id: consent.clientId,
    refresh_token: refreshToken,
    consent: {
      time: new Date(consent.at).toISOString(),
      clock: consent.clock,
      ...(consent.account ? { account: consent.account } : {}),
      scopes: consent.scopes,
      ...expires,
    },
  };
  return `${JSON.stringify(record, null, 2)}\n`;
}

/**
 * Writes the token with mode 0600: through a fresh temp file and a rename, so the token never sits in a file
 * someone else can read, even when FILE existed with looser permissions. With a consent record the file is JSON
 * (keptTokenJson); without one, the bare token on one line as before.
 */
export async function writeKeptToken(file: string, refreshToken: string, consent?: ConsentRecord): Promise<void> {
  const text = consent ? keptTokenJson(refreshToken, consent) : `${refreshToken}\n`;
  await writeFileAtomically(file, text, 0o600);
}

export interface StoredToken {
  readonly refreshToken: string;
  /** Where it came from, for the report (never the token itself). */
  readonly source: string;
  /** From an authorized_user JSON; the caller decides whether they fill in missing client flags. */
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** From a file --keep-token wrote: what the expiry forecast rests on. */
  readonly consent?: ConsentRecord;
}

function readConsent(value: unknown, field: string, clientId: string | undefined): ConsentRecord | undefined {
  if (value === undefined) return undefined;
  const fix = "write the file again with `validate --flow --keep-token`, or remove the consent block";
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InputError(`${field}: consent`, "is not an object", fix);
  const c = value as Record<string, unknown>;
  const at = typeof c.time === "string" ? Date.parse(c.time) : Number.NaN;
  if (!Number.isFinite(at)) throw new InputError(`${field}: consent.time`, "is not an ISO 8601 time", fix);
  const lifetime = c.refresh_token_expires_in;
  if (lifetime !== undefined && !(typeof lifetime === "number" && Number.isInteger(lifetime) && lifetime > 0))
    throw new InputError(`${field}: consent.refresh_token_expires_in`, "is not a whole number of seconds", fix);
  const scopes = c.scopes ?? [];
  if (!Array.isArray(scopes) || !scopes.every((x) => typeof x === "string"))
    throw new InputError(`${field}: consent.scopes`, "is not a list of scope strings", fix);
  if (!clientId) throw new InputError(`${field}: client_id`, "is missing beside the consent record", fix);
  return {
    at,
    clock: c.clock === "google" ? "google" : "local",
    clientId,
    account: typeof c.account === "string" && c.account !== "" ? c.account : undefined,
    scopes: scopes as string[],
    refreshTokenExpiresIn: lifetime as number | undefined,
  };
}

/** A refresh token (or an authorized_user JSON) given as text; `field` and `source` name it in errors and the report. */
export function storedTokenFromText(text: string, field: string, source: string): StoredToken {
  const trimmed = text.trim();
  if (trimmed === "")
    throw new InputError(field, "is empty", "put the refresh token (or an authorized_user JSON) in it");
  if (trimmed.startsWith("{")) {
    let j: Record<string, unknown>;
    try {
      j = JSON.parse(trimmed) as Record<string, unknown>;
    } catch (e) {
      throw new InputError(
        field,
        describeJsonError(trimmed, e),
        "give the bare refresh token, or an authorized_user JSON as gcloud writes it",
      );
    }
    if (j.type !== undefined && j.type !== "authorized_user")
      throw new InputError(
        `${field}: type`,
        `is "${String(j.type)}", not "authorized_user"`,
        "give a file with a user's refresh token (service account keys have none)",
      );
    if (typeof j.refresh_token !== "string" || j.refresh_token === "")
      throw new InputError(
        `${field}: refresh_token`,
        "is missing",
        "the authorized_user JSON must carry refresh_token",
      );
    const clientSecret = typeof j.client_secret === "string" && j.client_secret !== "" ? j.client_secret : undefined;
    registerSecret(j.refresh_token);
    registerSecret(clientSecret);
    const clientId = typeof j.client_id === "string" && j.client_id !== "" ? j.client_id : undefined;
    const consent = readConsent(j.consent, field, clientId);
    return { refreshToken: j.refresh_token, source, clientId, clientSecret, ...(consent ? { consent } : {}) };
  }
  if (/\s/.test(trimmed))
    throw new InputError(
      field,
      "holds more than one word",
      "put only the refresh token in it (one line), or an authorized_user JSON",
    );
  registerSecret(trimmed);
  return { refreshToken: trimmed, source };
}

/** The flag wins over the environment, as every other flag does. */
export async function readStoredToken(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<StoredToken> {
  if (file !== undefined && file !== "") {
    const full = path.resolve(cwd, file);
    let text: string;
    try {
      text = await fs.readFile(full, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(
        "--refresh-token-file",
        `cannot read ${file} (${code ?? (e as Error).message})`,
        "give the path of a file holding the refresh token",
      );
    }
    return storedTokenFromText(text, "--refresh-token-file", `--refresh-token-file ${file}`);
  }
  const value = env[ENV.refreshToken];
  if (value !== undefined && value !== "") return storedTokenFromText(value, ENV.refreshToken, ENV.refreshToken);
  throw new InputError(
    "--refresh-token-file",
    "no refresh token given",
    `set ${ENV.refreshToken} or pass --refresh-token-file FILE`,
  );
}
