// The scopes the consent flow requests (issue 5 §1). The request itself (google/authorizeUrl.ts): state and PKCE S256
// always, offline access with a forced consent screen (so a refresh token comes back every time), and the intended
// account as login_hint.
import { allowsGetProfile, canonicalScope } from "../../google/scopes";

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
