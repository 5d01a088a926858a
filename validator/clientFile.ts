// The client JSON downloaded from Google (google-behaviour.md §8.3): `{"web":{…}}` or `{"installed":{…}}`. The top-level key is
// the only offline sign of the client type. Anything else (a service-account key, a token file) is refused here.
import { describeJsonError } from "../common/json";
import { InputError } from "../common/errors";
import { Problems, throwProblems } from "../common/readers";
import { CLIENT_SECRET_FILE_FIELDS, clientSecretFileBodySchema } from "../connection/clientSecretFile";
import { fieldPath, valueAt } from "../common/schema";
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

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return typeof value === "string" ? "a string" : `a ${typeof value}`;
}

/**
 * Every field of the body whose type is wrong, each named (`web.redirect_uris: expected a list of URIs, got a
 * string`), so a mistyped field is reported instead of being dropped as if absent. The types are the download
 * format's schema (connection/clientSecretFile.ts); zod's issues are put in the kit's words here. Missing fields are
 * not this check's business: the client-file check reports those as problems.
 */
function typeProblems(b: Record<string, unknown>, key: string, source: string): Problems {
  const p = new Problems();
  const parsed = clientSecretFileBodySchema.partial().safeParse(b);
  for (const issue of parsed.error?.issues ?? []) {
    const [name] = issue.path;
    const kind = typeof name === "string" ? fieldKind(name) : undefined;
    const what = issue.path.length > 1 || kind === "uri" ? "a URI" : kind === "uri-list" ? "a list of URIs" : "text";
    p.add(
      `${FIELD} ${key}.${fieldPath(issue.path)}`,
      `${source}: expected ${what}, got ${kindOf(valueAt(b, issue.path))}`,
      DOWNLOAD,
    );
  }
  return p;
}

function fieldKind(
  name: string,
): (typeof CLIENT_SECRET_FILE_FIELDS)[keyof typeof CLIENT_SECRET_FILE_FIELDS] | undefined {
  return Object.hasOwn(CLIENT_SECRET_FILE_FIELDS, name)
    ? CLIENT_SECRET_FILE_FIELDS[name as keyof typeof CLIENT_SECRET_FILE_FIELDS]
    : undefined;
}
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
  throwProblems(typeProblems(b, key, source));
  // Every field has its type now: a string here is a string in the file, and "" counts as missing.
  const str = (k: string) => (b[k] as string | undefined) || undefined;
  const clientId = str("client_id");
  if (!clientId) throw new InputError(`${FIELD} ${key}.client_id`, `${source} has no client_id`, DOWNLOAD);
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
  const uris = (b.redirect_uris as string[] | undefined) ?? [];
  return { kind, clientId, clientSecret, projectId: str("project_id"), redirectUris: uris, problems };
}
