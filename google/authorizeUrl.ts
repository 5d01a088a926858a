// The authorization request (google-behaviour.md §1.1) as every part of the kit sends it: the validator's consent flow and its
// probe, the sandbox's example URL for an app, the bench and the emulator tests. Offline access always, since the
// kit exists to obtain refresh tokens.
import type { GoogleEndpoints } from "./endpoints";

/** The request's state, plus the PKCE challenge (google-behaviour.md §1.5) when the caller holds a verifier; FlowSecrets fits. */
export type AuthorizeSecrets =
  | { readonly state: string; readonly challenge?: undefined }
  | { readonly state: string; readonly challenge: string; readonly method: "S256" };

export interface AuthorizeRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly secrets: AuthorizeSecrets;
  /** Sent as login_hint. */
  readonly account?: string;
  /** Default "consent", so a refresh token comes back every time; null sends no prompt at all. */
  readonly prompt?: "consent" | "none" | "select_account" | null;
}

export function authorizeParams(req: AuthorizeRequest): URLSearchParams {
  const params = new URLSearchParams({
    client_id: req.clientId,
    redirect_uri: req.redirectUri,
    response_type: "code",
    scope: req.scopes.join(" "),
    state: req.secrets.state,
  });
  if (req.secrets.challenge !== undefined) {
    params.set("code_challenge", req.secrets.challenge);
    params.set("code_challenge_method", req.secrets.method);
  }
  params.set("access_type", "offline");
  const prompt = req.prompt === undefined ? "consent" : req.prompt;
  if (prompt !== null) params.set("prompt", prompt);
  if (req.account) params.set("login_hint", req.account);
  return params;
}

export function buildAuthorizeUrl(endpoints: GoogleEndpoints, req: AuthorizeRequest): string {
  return `${endpoints.authorize}?${authorizeParams(req).toString()}`;
}
