// The token endpoint (code exchange, refresh), tokeninfo, revoke, and OpenID discovery with its JWKS. Error bodies
// follow google-behaviour.md §2-§4; choices the facts do not settle are marked "inferred" and listed in docs/emulator.md.
import { constantTimeEqual, isValidVerifier, s256Challenge } from "../../google/pkce";
import { jwks } from "../idToken";
import type { EmulatorStore } from "../store";
import type { Client } from "../store/records";
import { CODE_SHAPE } from "../tokens";
import { JWT_BEARER_GRANT } from "../../google/domainWideDelegation";
import { jwtBearerGrant } from "./jwtBearer";
import { noStoreJson, oauthError, type Reply, type RequestContext } from "./handler";

function basicAuth(header: string | string[] | undefined): { id: string; secret: string } | undefined {
  if (typeof header !== "string" || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const i = decoded.indexOf(":");
  if (i < 0) return undefined;
  try {
    return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  } catch {
    return undefined;
  }
}

export class TokenEndpoints {
  constructor(private readonly store: EmulatorStore) {}

  /**
   * POST /token: client authentication first, then the grant (google-behaviour.md §2.3). Facts §2.1 document a form body with the
   * secret in it; also accepting a JSON body and HTTP Basic, and answering GET with 404, are inferred.
   */
  token(ctx: RequestContext): Reply {
    const p = ctx.params;
    const grantType = p.get("grant_type") ?? "";
    // A service account authenticates by its signed JWT, not by a client secret (google-behaviour.md §10).
    if (grantType === JWT_BEARER_GRANT) return jwtBearerGrant(this.store, ctx);
    const basic = basicAuth(ctx.headers.authorization);
    const clientId = p.get("client_id") ?? basic?.id;
    const secret = p.get("client_secret") ?? basic?.secret;
    // Inferred wording for a missing client_id.
    if (!clientId) return oauthError(400, "invalid_request", "Could not determine client ID from request.");
    const client = this.store.records.findClient(clientId);
    if (!client) return oauthError(401, "invalid_client", "The OAuth client was not found.");
    if (client.deleted) return oauthError(401, "deleted_client", "The OAuth client was deleted.");
    // PKCE does not replace the secret for Web or Desktop clients (google-behaviour.md §1.5).
    if (!secret) return oauthError(400, "invalid_request", "client_secret is missing.");
    if (!client.secrets.some((s) => constantTimeEqual(s, secret)))
      return oauthError(401, "invalid_client", "Unauthorized");
    if (grantType === "authorization_code") return this.exchangeCode(client, p);
    if (grantType === "refresh_token") return this.refresh(client, p);
    // Inferred wording.
    return oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${grantType}`);
  }

  private exchangeCode(client: Client, p: URLSearchParams): Reply {
    const code = p.get("code");
    // Inferred wording for the missing-parameter errors here and below.
    if (!code) return oauthError(400, "invalid_request", "Missing required parameter: code");
    if (!CODE_SHAPE.test(code)) return oauthError(400, "invalid_grant", "Malformed auth code.");
    const rec = this.store.tokens.findCode(code);
    // Reused, expired, unknown, or another client's: all "Bad Request" (google-behaviour.md §2.3).
    if (!rec || rec.clientId !== client.id) return oauthError(400, "invalid_grant", "Bad Request");
    const redirectUri = p.get("redirect_uri");
    if (!redirectUri) return oauthError(400, "invalid_request", "Missing required parameter: redirect_uri");
    if (redirectUri !== rec.redirectUri) return oauthError(400, "redirect_uri_mismatch", "Bad Request");
    if (rec.challenge !== undefined) {
      const verifier = p.get("code_verifier");
      // Descriptions inferred; the error code is documented (google-behaviour.md §1.5).
      if (!verifier) return oauthError(400, "invalid_grant", "Missing code verifier.");
      const expected = rec.method === "S256" ? s256Challenge(verifier) : verifier;
      if (!isValidVerifier(verifier) || !constantTimeEqual(expected, rec.challenge))
        return oauthError(400, "invalid_grant", "Invalid code verifier.");
    }
    this.store.tokens.consumeCode(code);
    const account = this.store.records.findAccount(rec.account);
    if (!account) return oauthError(400, "invalid_grant", "Bad Request");
    return noStoreJson(
      200,
      this.store.tokens.issueTokens(client, account, rec.scopes, {
        offline: rec.offline,
        consentShown: rec.consentShown,
        nonce: rec.nonce,
        consentAt: rec.consentAt,
        requested: rec.requested,
      }),
    );
  }

  private refresh(client: Client, p: URLSearchParams): Reply {
    const token = p.get("refresh_token");
    if (!token) return oauthError(400, "invalid_request", "Missing required parameter: refresh_token");
    const rec = this.store.tokens.findRefresh(token);
    // Inferred: a token Google never issued is "Bad Request"; an issued one that died is "expired or revoked".
    if (!rec) return oauthError(400, "invalid_grant", "Bad Request");
    if (rec.clientId !== client.id) return oauthError(401, "unauthorized_client", "Unauthorized");
    if (this.store.tokens.refreshProblem(rec) !== undefined)
      return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
    return noStoreJson(200, this.store.tokens.refreshAccess(rec, client));
  }

  /** GET/POST /tokeninfo?access_token=: every value a string (google-behaviour.md §4.1). Refresh tokens are not accepted. */
  tokeninfo(ctx: RequestContext): Reply {
    const token = ctx.params.get("access_token") ?? "";
    const rec = token ? this.store.tokens.findAccess(token) : undefined;
    if (!rec) return oauthError(400, "invalid_token", "Invalid Value");
    const exp = Math.floor(rec.expiresAt / 1000);
    const body: Record<string, string> = { azp: rec.clientId, aud: rec.clientId };
    const hasEmail = rec.scopes.includes("https://www.googleapis.com/auth/userinfo.email");
    // Facts §4.1: sub and email are absent without openid/email. `sub` for an openid-only token is inferred.
    if (hasEmail || rec.scopes.includes("openid")) body.sub = this.store.records.findAccount(rec.account)!.sub;
    Object.assign(body, {
      scope: rec.scopes.join(" "),
      exp: String(exp),
      expires_in: String(Math.max(0, Math.floor((rec.expiresAt - this.store.clock.now()) / 1000))),
    });
    if (hasEmail) Object.assign(body, { email: rec.account, email_verified: "true" });
    body.access_type = rec.offline ? "offline" : "online";
    return noStoreJson(200, body);
  }

  /** POST /revoke (token in the form or the query). GET answers 404 (google-behaviour.md §4.2; the route table says so). */
  revoke(ctx: RequestContext): Reply {
    const token = ctx.params.get("token");
    // Inferred wording for a missing token.
    if (!token) return oauthError(400, "invalid_request", "Bad Request");
    if (!this.store.tokens.revoke(token)) return oauthError(400, "invalid_token", "Token expired or revoked");
    // Inferred: an empty JSON object on success.
    return noStoreJson(200, {});
  }

  discovery(ctx: RequestContext): Reply {
    const o = ctx.origin;
    return noStoreJson(200, {
      issuer: this.store.issuer,
      authorization_endpoint: `${o}/o/oauth2/v2/auth`,
      token_endpoint: `${o}/token`,
      revocation_endpoint: `${o}/revoke`,
      jwks_uri: `${o}/oauth2/v3/certs`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "email", "profile"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      claims_supported: ["aud", "email", "email_verified", "exp", "hd", "iat", "iss", "nonce", "sub"],
      code_challenge_methods_supported: ["plain", "S256"],
      grant_types_supported: ["authorization_code", "refresh_token", JWT_BEARER_GRANT],
    });
  }

  jwks(): Reply {
    return noStoreJson(200, jwks());
  }
}
