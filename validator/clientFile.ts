// The client JSON downloaded from Google (facts §8.3): `{"web":{…}}` or `{"installed":{…}}`. The top-level key is
// the only offline sign of the client type. Anything else (a service-account key, a token file) is refused here.
import { describeJsonError } from "../common/json";
import { InputError } from "../common/errors";
import { consoleLink } from "../google/consoleLinks";
import type { ClientType } from "../google/oauthApp";

export interface ClientFile {
  readonly kind: ClientType;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly projectId?: string;
  readonly redirectUris: readonly string[];
  /** Fields that are missing or not Google's: reported by the offline client-file check, not fatal. */
  readonly problems: readonly string[];
}

const FIELD = "--client-secret-file";
const DOWNLOAD = `download the OAuth client JSON from Google Auth Platform → Clients → Download JSON (${consoleLink("clients")})`;

/** Parse the text of a client file; `source` names it in errors. Throws InputError for anything not a client file. */
export function parseClientFile(text: string, source: string): ClientFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(FIELD, `${source} ${describeJsonError(text, e)}`, DOWNLOAD);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new InputError(FIELD, `${source} is not a JSON object`, DOWNLOAD);
  const top = json as Record<string, unknown>;
  if (top.type === "service_account") {
    throw new InputError(
      FIELD,
      `${source} is a service-account key, not an OAuth client; Gmail for a person's mailbox needs an OAuth client`,
      DOWNLOAD,
    );
  }
  if (typeof top.access_token === "string" || typeof top.refresh_token === "string" || top.type === "authorized_user") {
    throw new InputError(FIELD, `${source} holds tokens or user credentials, not an OAuth client`, DOWNLOAD);
  }
  const kind: ClientType | undefined = "web" in top ? "web" : "installed" in top ? "desktop" : undefined;
  const body = kind === "web" ? top.web : kind === "desktop" ? top.installed : undefined;
  if (kind && (typeof body !== "object" || body === null || Array.isArray(body))) {
    throw new InputError(
      `${FIELD} ${kind === "web" ? "web" : "installed"}`,
      `${source}: must be an object, got ${body === null ? "null" : Array.isArray(body) ? "a list" : typeof body}`,
      DOWNLOAD,
    );
  }
  if (!kind || typeof body !== "object" || body === null) {
    throw new InputError(
      FIELD,
      `${source} has no "web" or "installed" object (found: ${Object.keys(top).join(", ") || "nothing"})`,
      DOWNLOAD,
    );
  }
  const b = body as Record<string, unknown>;
  const key = kind === "web" ? "web" : "installed";
  const str = (k: string) => (typeof b[k] === "string" && (b[k] as string) !== "" ? (b[k] as string) : undefined);
  const clientId = str("client_id");
  if (!clientId)
    throw new InputError(
      `${FIELD} ${key}.client_id`,
      b.client_id === undefined || b.client_id === ""
        ? `${source} has no client_id`
        : `${source}: must be a string, got ${typeof b.client_id}`,
      DOWNLOAD,
    );
  const problems: string[] = [];
  if (!/\.apps\.googleusercontent\.com$/.test(clientId))
    problems.push(`${key}.client_id '${clientId}' does not end in .apps.googleusercontent.com`);
  const clientSecret = str("client_secret");
  if (!clientSecret) problems.push(`${key}.client_secret is missing`);
  for (const [k, host] of [
    ["auth_uri", "https://accounts.google.com/"],
    ["token_uri", "https://oauth2.googleapis.com/"],
  ] as const) {
    const v = str(k);
    // Old files carry accounts.google.com/o/oauth2/token; both are Google's, so only a foreign host is a problem.
    if (!v) problems.push(`${key}.${k} is missing`);
    else if (!v.startsWith(host) && !v.startsWith("https://accounts.google.com/"))
      problems.push(`${key}.${k} points at ${v}, not Google`);
  }
  const uris = Array.isArray(b.redirect_uris) ? b.redirect_uris.filter((u): u is string => typeof u === "string") : [];
  return { kind, clientId, clientSecret, projectId: str("project_id"), redirectUris: uris, problems };
}
