// Reading the redirect back from Google: the loopback request and a URL pasted on stdin go through the same parser,
// so both refuse a wrong state the same way.
import { registerSecret } from "../../common/redact";
import { decodeAuthError, type AuthError } from "../../google/authError";
import { stateMatches } from "./flowSecrets";

export type CallbackOutcome =
  | { readonly kind: "code"; readonly code: string; readonly scope?: string; readonly iss?: string }
  | { readonly kind: "error"; readonly error: string; readonly description?: string }
  /** Google's own refusal page (/signin/oauth/error?authError=…), pasted by the person: Google never redirects it. */
  | { readonly kind: "refused"; readonly authError: AuthError };

export type CallbackParse =
  | CallbackOutcome
  | { readonly kind: "wrong_state" }
  | { readonly kind: "not_callback"; readonly reason: string };

/** Google's codes are at most 256 bytes (google-behaviour.md §2.1); anything far longer is not a code from Google. */
const MAX_CODE_LENGTH = 1024;

/** What a redirect to the loopback can be: Google's refusals are pages, never redirects. */
export type RedirectParse = Exclude<CallbackParse, { readonly kind: "refused" }>;

export function parseCallbackParams(params: URLSearchParams, expectedState: string): RedirectParse {
  const code = params.get("code");
  // Registered before any verdict: even a refused callback's code must never be echoed.
  registerSecret(code);
  const error = params.get("error");
  if (code === null && error === null) return { kind: "not_callback", reason: "neither code nor error in the query" };
  if (!stateMatches(expectedState, params.get("state"))) return { kind: "wrong_state" };
  if (error !== null) return { kind: "error", error, description: params.get("error_description") ?? undefined };
  if (!code || code.length > MAX_CODE_LENGTH) return { kind: "not_callback", reason: "the code is empty or too long" };
  return { kind: "code", code, scope: params.get("scope") ?? undefined, iss: params.get("iss") ?? undefined };
}

/** A pasted line: the whole redirect URL from the address bar, or only its query (`?code=…&state=…`). */
export function parsePastedRedirect(line: string, expectedState: string): CallbackParse {
  const text = line.trim();
  if (text === "") return { kind: "not_callback", reason: "empty line" };
  let query: string;
  if (/^https?:\/\//i.test(text)) {
    try {
      query = new URL(text).search;
    } catch {
      return { kind: "not_callback", reason: "not a URL" };
    }
  } else {
    query = text.startsWith("?") ? text : text.includes("=") ? `?${text}` : "";
  }
  if (query === "")
    return {
      kind: "not_callback",
      reason: "no query string: paste the whole address of the page the browser landed on",
    };
  const params = new URLSearchParams(query);
  const encoded = params.get("authError");
  if (encoded !== null) return parsePastedRefusal(encoded, expectedState);
  return parseCallbackParams(params, expectedState);
}

/**
 * The address of Google's error page. Its "Request details" carry the request's state, so a refusal from another
 * run (another tab, an old page) is told apart like a wrong-state callback.
 */
function parsePastedRefusal(encoded: string, expectedState: string): CallbackParse {
  let authError: AuthError;
  try {
    authError = decodeAuthError(encoded);
  } catch (e) {
    return {
      kind: "not_callback",
      reason: `this is Google's error page, but its authError could not be read (${(e as Error).message}); run \`gmail-oauth explain\` on the whole address`,
    };
  }
  const state = authError.details.state;
  if (state !== undefined && !stateMatches(expectedState, state)) return { kind: "wrong_state" };
  return { kind: "refused", authError };
}
