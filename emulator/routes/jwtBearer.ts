// The JWT bearer grant at the token endpoint (google-behaviour.md §10): a service account's signed JWT in, an access token for the
// subject out, or Google's exact errors. The order of the checks, the error for an assertion that is not a JWT, the
// audience and missing-scope wordings, and the 5-minute clock leeway are inferred (docs/emulator.md).
import { decodeJwt, MAX_ASSERTION_LIFETIME_S, TOKEN_AUDIENCE } from "../../google/domainWideDelegation";
import { EMAIL, emailDomain, isConsumerAddress } from "../../google/identifiers";
import { parseScopeList } from "../../google/scopes";
import type { EmulatorStore } from "../store";
import { noStoreJson, oauthError, type Reply, type RequestContext } from "./handler";

/** Google's words (google-behaviour.md §10). */
export const UNAUTHORIZED_CLIENT =
  "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.";
export const BAD_TIMEFRAME =
  "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.";
const LEEWAY_S = 300;

export function jwtBearerGrant(store: EmulatorStore, ctx: RequestContext): Reply {
  const assertion = ctx.params.get("assertion");
  if (!assertion) return oauthError(400, "invalid_request", "Missing required parameter: assertion");
  const jwt = decodeJwt(assertion);
  if (!jwt) return oauthError(400, "invalid_grant", "Invalid JWT Signature.");
  const c = jwt.claims;
  const iss = typeof c.iss === "string" ? c.iss : "";
  const sa = store.serviceAccounts.find(iss);
  if (!sa || sa.disabled) return oauthError(401, "invalid_client", "The OAuth client was not found.");
  if (!store.serviceAccounts.verifyingKey(sa, jwt)) return oauthError(400, "invalid_grant", "Invalid JWT Signature.");
  const now = Math.floor(store.clock.now() / 1000);
  const iat = typeof c.iat === "number" ? c.iat : Number.NaN;
  const exp = typeof c.exp === "number" ? c.exp : Number.NaN;
  if (
    !Number.isFinite(iat) ||
    !Number.isFinite(exp) ||
    exp <= iat ||
    exp - iat > MAX_ASSERTION_LIFETIME_S ||
    iat > now + LEEWAY_S ||
    exp < now - LEEWAY_S
  )
    return oauthError(400, "invalid_grant", BAD_TIMEFRAME);
  const aud = typeof c.aud === "string" ? c.aud : "";
  if (aud !== TOKEN_AUDIENCE && aud !== `${ctx.origin}/token`)
    return oauthError(400, "invalid_grant", "Invalid JWT: Failed audience check.");
  const scopes = parseScopeList(typeof c.scope === "string" ? c.scope : "");
  if (scopes.length === 0) return oauthError(400, "invalid_scope", "Empty or missing scope not allowed.");
  const sub = typeof c.sub === "string" ? c.sub.toLowerCase() : undefined;
  // No subject: the service account acts as itself; Gmail then refuses it (it has no mailbox).
  if (sub === undefined) return noStoreJson(200, store.serviceAccounts.issueAccess(sa, "", scopes));
  if (!EMAIL.test(sub)) return oauthError(400, "invalid_grant", "Not a valid email.");
  // Consumer accounts cannot be impersonated: Google answers as for a missing delegation (google-behaviour.md §10).
  if (isConsumerAddress(sub)) return oauthError(401, "unauthorized_client", UNAUTHORIZED_CLIENT);
  const account = store.records.findAccount(sub);
  const domain = account?.orgDomain ?? emailDomain(sub);
  const delegated = store.serviceAccounts.delegatedScopes(domain, sa.uniqueId);
  if (!scopes.every((s) => delegated.has(s))) return oauthError(401, "unauthorized_client", UNAUTHORIZED_CLIENT);
  // Widely reported, UNCONFIRMED in the facts: a sub that is not a user of the domain.
  if (!account?.orgDomain) return oauthError(400, "invalid_grant", "Invalid email or User ID");
  return noStoreJson(200, store.serviceAccounts.issueAccess(sa, account.email, scopes));
}
