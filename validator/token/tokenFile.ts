// Where refresh tokens live outside the process: --keep-token writes one (mode 0600, atomically), check-token reads
// one from GMAIL_OAUTH_REFRESH_TOKEN or --refresh-token-file (the bare token, or an `authorized_user` JSON).
import { describeJsonError } from "../../common/json";
import { ENV } from "../../common/env";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { InputError } from "../../common/errors";
import { registerSecret } from "../../common/redact";

/**
 * Writes the bare refresh token (one line) with mode 0600: through a fresh temp file and a rename, so the token
 * never sits in a file someone else can read, even when FILE existed with looser permissions.
 */
export async function writeKeptToken(file: string, refreshToken: string): Promise<void> {
  const target = path.resolve(file);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await fs.open(tmp, "wx", 0o600);
  try {
    await handle.chmod(0o600); // the umask cannot widen 0600, but a weird one can narrow it to useless
    await handle.writeFile(`${refreshToken}\n`, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

export interface StoredToken {
  readonly refreshToken: string;
  /** Where it came from, for the report (never the token itself). */
  readonly source: string;
  /** From an authorized_user JSON; the caller decides whether they fill in missing client flags. */
  readonly clientId?: string;
  readonly clientSecret?: string;
}

function fromText(text: string, field: string, source: string): StoredToken {
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
    return {
      refreshToken: j.refresh_token,
      source,
      clientId: typeof j.client_id === "string" && j.client_id !== "" ? j.client_id : undefined,
      clientSecret,
    };
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
    return fromText(text, "--refresh-token-file", `--refresh-token-file ${file}`);
  }
  const value = env[ENV.refreshToken];
  if (value !== undefined && value !== "") return fromText(value, ENV.refreshToken, ENV.refreshToken);
  throw new InputError(
    "--refresh-token-file",
    "no refresh token given",
    `set ${ENV.refreshToken} or pass --refresh-token-file FILE`,
  );
}
