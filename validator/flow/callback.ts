// Reading the redirect back from Google: the loopback request and a URL pasted on stdin go through the same parser,
// so both refuse a wrong state the same way.
import { registerSecret } from "../../common/redact";
import { stateMatches } from "./pkce";

export type CallbackOutcome =
  | { readonly kind: "code"; readonly code: string; readonly scope?: string; readonly iss?: string }
  | { readonly kind: "error"; readonly error: string; readonly description?: string };

export type CallbackParse =
  | CallbackOutcome
  | { readonly kind: "wrong_state" }
  | { readonly kind: "not_callback"; readonly reason: string };

/** Google's codes are at most 256 bytes (facts §2.1); anything far longer is not a code from Google. */
const MAX_CODE_LENGTH = 1024;

export function parseCallbackParams(params: URLSearchParams, expectedState: string): CallbackParse {
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
  if (query === "") return { kind: "not_callback", reason: "no query string: paste the whole address of the page the browser landed on" };
  return parseCallbackParams(new URLSearchParams(query), expectedState);
}
