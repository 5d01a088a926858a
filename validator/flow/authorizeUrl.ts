// The authorization request of the consent flow (issue 5 §1): state always, PKCE S256 always, offline access with
// a forced consent screen (so a refresh token comes back every time), and the intended account as login_hint.
import type { GoogleEndpoints } from "../../google/endpoints";
import { allowsGetProfile, canonicalScope } from "../../google/scopes";
import type { FlowSecrets } from "./pkce";

const EMAIL_SCOPE = canonicalScope("email");

/**
 * The scopes to request: the connection's own, plus userinfo.email only when an account must be checked and no
 * granted Gmail scope could name the mailbox (send-only). Identity scopes need no verification, and adding one to
 * a read-capable set would change the consent screen for nothing.
 */
export function flowScopes(scopes: readonly string[], account: string | undefined): string[] {
  const canonical = [...new Set(scopes.map(canonicalScope))];
  if (account && !allowsGetProfile(canonical) && !canonical.includes(EMAIL_SCOPE)) canonical.push(EMAIL_SCOPE);
  return canonical;
}

export interface AuthorizeRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly secrets: FlowSecrets;
  readonly account?: string;
}

export function buildAuthorizeUrl(endpoints: GoogleEndpoints, req: AuthorizeRequest): string {
  const params = new URLSearchParams({
    client_id: req.clientId,
    redirect_uri: req.redirectUri,
    response_type: "code",
    scope: req.scopes.join(" "),
    state: req.secrets.state,
    code_challenge: req.secrets.challenge,
    code_challenge_method: req.secrets.method,
    access_type: "offline",
    prompt: "consent",
  });
  if (req.account) params.set("login_hint", req.account);
  return `${endpoints.authorize}?${params.toString()}`;
}
