// An authorization request read and checked the way Google checks it: client, redirect URI, then the rest, and the
// authError (google-behaviour.md §1.2) each refusal carries to /signin/oauth/error. Where docs/google-behaviour.md has no answer the choice is
// marked "inferred" and listed in docs/emulator.md.
import type { AuthError } from "../../google/authError";
import { OOB_REDIRECT_URI, redirectUriMatches, redirectUriProblems } from "../../google/redirectUris";
import { canonicalScope, isKnownScope, scopeInfo } from "../../google/scopes";
import { isValidVerifier } from "../../google/pkce";
import type { Client, Project, Records } from "../store/records";

const WS = "https://developers.google.com/identity/protocols/oauth2/web-server";
/** Inferred: docs/google-behaviour.md quotes the OOB message but not its help link. */
const OOB_HELP = "https://developers.google.com/identity/protocols/oauth2/resources/oob-migration";
/** Non-Gmail Google API scopes are accepted (as non-sensitive); the emulator cannot know Google's whole list (inferred). */
const OTHER_GOOGLE_SCOPE = /^https:\/\/www\.googleapis\.com\/auth\/[a-z0-9._-]+$/;
/**
 * The request parameters listed under "Request details", in the order of the capture behind google-behaviour.md §1.2 (FujiNet
 * issue #1486: access_type scope response_type redirect_uri state prompt flowName client_id). Facts §1.1 name only
 * redirect_uri, access_type, response_type and state; scope, prompt and client_id come from that capture, and
 * include_granted_scopes (and its place) is inferred.
 */
const DETAIL_KEYS = [
  "access_type",
  "scope",
  "response_type",
  "redirect_uri",
  "state",
  "prompt",
  "include_granted_scopes",
];
export interface AuthRequest {
  readonly q: string;
  readonly client: Client;
  readonly project: Project;
  readonly redirectUri: string;
  /** Canonical URLs, in request order. */
  readonly scopes: readonly string[];
  readonly state?: string;
  readonly offline: boolean;
  readonly prompt: ReadonlySet<string>;
  readonly loginHint?: string;
  readonly includeGranted: boolean;
  readonly challenge?: string;
  readonly method?: "S256" | "plain";
  readonly nonce?: string;
}

export type Parsed = { ok: AuthRequest } | { error: AuthError; clientId?: string };

export function authError(
  error: string,
  httpCode: number,
  message: string,
  params: URLSearchParams,
  helpUrl?: string,
): AuthError {
  const details: Record<string, string> = {};
  for (const k of DETAIL_KEYS) {
    const v = params.get(k);
    if (v !== null) details[k] = v;
  }
  details.flowName = "GeneralOAuthFlow";
  const clientId = params.get("client_id");
  if (clientId !== null) details.client_id = clientId;
  return { error, httpCode, message, helpUrl, details };
}

/** Inferred wording: google-behaviour.md §1.2 only say invalid_request covers "missing required parameters". */
const missing = (p: URLSearchParams, name: string) =>
  authError("invalid_request", 400, `Missing required parameter: ${name}`, p);

/**
 * Validate an authorization request: client, redirect URI, then the rest. Client and redirect errors are shown to the
 * user (google-behaviour.md §1.2); the order of the checks, and of those after the redirect URI, is inferred.
 */
export function parseAuthRequest(records: Records, p: URLSearchParams): Parsed {
  const clientId = p.get("client_id");
  if (!clientId) return { error: missing(p, "client_id") };
  const client = records.findClient(clientId);
  if (!client) return { error: authError("invalid_client", 401, "The OAuth client was not found.", p), clientId };
  if (client.deleted) return { error: authError("deleted_client", 401, "The OAuth client was deleted.", p), clientId };
  // Observed page text (Error 401: disabled_client); that it is checked right after deletion is inferred.
  if (client.signInDisabled)
    return {
      error: authError(
        "disabled_client",
        401,
        "This app has not been verified yet by Google in order to use Google Sign In.",
        p,
      ),
      clientId,
    };
  const project = records.findProject(client.projectId)!;
  const redirectUri = p.get("redirect_uri");
  if (!redirectUri) return { error: missing(p, "redirect_uri"), clientId };
  const kind = client.type === "installed" ? "desktop" : "web";
  if (redirectUri === OOB_REDIRECT_URI) {
    return {
      error: authError(
        "invalid_request",
        400,
        "The out-of-band (OOB) flow has been blocked in order to keep users secure. Follow the Out-of-Band (OOB) flow migration guide linked in the developer docs below to migrate your app to an alternative method.",
        p,
        OOB_HELP,
      ),
      clientId,
    };
  }
  if (!redirectUriMatches(redirectUri, client.redirectUris, kind)) {
    // Checked only on a miss (a registered URI is never a custom scheme), to keep the hot path cheap.
    if (redirectUriProblems(redirectUri, kind).some((x) => x.code === "custom_scheme_on_web_client")) {
      return {
        error: authError("invalid_request", 400, "Custom scheme URIs are not allowed for 'WEB' client type.", p),
        clientId,
      };
    }
    return {
      error: authError(
        "redirect_uri_mismatch",
        400,
        "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.\n\nIf you're the app developer, register the redirect URI in the Google Cloud Console.",
        p,
        `${WS}#authorization-errors-redirect-uri-mismatch`,
      ),
      clientId,
    };
  }
  const responseType = p.get("response_type");
  if (!responseType) return { error: missing(p, "response_type"), clientId };
  // Inferred: the emulator serves the code flow only; the message is inferred too.
  if (responseType !== "code")
    return { error: authError("invalid_request", 400, `Invalid response_type: ${responseType}`, p), clientId };
  const rawScope = p.get("scope");
  if (!rawScope?.trim()) return { error: missing(p, "scope"), clientId };
  const requested = rawScope.split(/\s+/).filter(Boolean);
  const invalid = requested.filter((s) => !isKnownScope(s) && !OTHER_GOOGLE_SCOPE.test(s));
  if (invalid.length) {
    const valid = requested.filter((s) => !invalid.includes(s));
    return {
      error: authError(
        "invalid_scope",
        400,
        `Some requested scopes were invalid. {valid=[${valid.join(", ")}], invalid=[${invalid.join(", ")}]}`,
        p,
      ),
      clientId,
    };
  }
  // Inferred: the invalid_request messages below (access_type, prompt, PKCE) are the emulator's wording; google-behaviour.md §1.2
  // only say invalid_request means "not properly formatted" or "missing required parameters".
  const accessType = p.get("access_type") ?? "online";
  if (accessType !== "online" && accessType !== "offline")
    return { error: authError("invalid_request", 400, `Invalid access_type: ${accessType}`, p), clientId };
  const prompt = new Set((p.get("prompt") ?? "").split(/\s+/).filter(Boolean));
  for (const v of prompt)
    if (!["none", "consent", "select_account"].includes(v))
      return { error: authError("invalid_request", 400, `Invalid prompt: ${v}`, p), clientId };
  if (prompt.has("none") && prompt.size > 1)
    return {
      error: authError("invalid_request", 400, "prompt=none cannot be combined with other values", p),
      clientId,
    };
  const challenge = p.get("code_challenge") ?? undefined;
  let method: AuthRequest["method"];
  if (challenge !== undefined) {
    // "defaults to plain when a code_challenge is sent without it" (google-behaviour.md §1.5).
    const m = p.get("code_challenge_method") ?? "plain";
    if (m !== "S256" && m !== "plain")
      return { error: authError("invalid_request", 400, `Invalid code_challenge_method: ${m}`, p), clientId };
    if (!isValidVerifier(challenge))
      return {
        error: authError(
          "invalid_request",
          400,
          "Invalid code_challenge: it must be 43-128 characters of [A-Za-z0-9-._~]",
          p,
        ),
        clientId,
      };
    method = m;
  }
  return {
    ok: {
      q: p.toString(),
      client,
      project,
      redirectUri,
      scopes: [...new Set(requested.map(canonicalScope))],
      state: p.get("state") ?? undefined,
      offline: accessType === "offline",
      prompt,
      loginHint: p.get("login_hint") ?? undefined,
      includeGranted: p.get("include_granted_scopes") === "true",
      challenge,
      method,
      nonce: p.get("nonce") ?? undefined,
    },
  };
}

/** The `scope` of a success redirect: Google puts the aliases beside the identity URLs (google-behaviour.md §1.1). */
export function redirectScopeValue(scopes: readonly string[]): string {
  const aliases = scopes.flatMap((s) => scopeInfo(s)?.aliases ?? []);
  return [...aliases, ...scopes].join(" ");
}
