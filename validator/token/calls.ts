// The token calls the flow and check-token share: code exchange, refresh, tokeninfo, revoke, Gmail getProfile.
// Each returns an outcome and never throws; every token that comes back is registered as a secret before anything
// else can print it.
import { registerSecret } from "../../common/redact";
import type { GoogleEndpoints } from "../../google/endpoints";
import { describeInconclusive, httpRequest, type HttpOutcome, type NetworkFault } from "../http";

export interface TokenSet {
  readonly accessToken: string;
  readonly expiresIn?: number;
  readonly refreshToken?: string;
  /** Seconds; present for Testing apps and time-based access (google-behaviour.md §2.2). */
  readonly refreshTokenExpiresIn?: number;
  /** The granted scopes, space-delimited (google-behaviour.md §2.1). */
  readonly scope?: string;
  readonly idToken?: string;
}

export interface OAuthError {
  readonly status: number;
  readonly error: string;
  readonly description?: string;
  readonly subtype?: string;
}

export type TokenCall =
  | { readonly kind: "ok"; readonly tokens: TokenSet; readonly googleTime?: number }
  | { readonly kind: "error"; readonly err: OAuthError; readonly googleTime?: number }
  | Unanswered;

/** A call Google did not answer; `fault` names what failed in between when the client could tell. */
export interface Unanswered {
  readonly kind: "inconclusive";
  readonly reason: string;
  readonly fault?: NetworkFault;
}

function faultOf(outcome: HttpOutcome): { fault?: NetworkFault } {
  return outcome.kind === "unreachable" && outcome.fault ? { fault: outcome.fault } : {};
}

/**
 * Google's clock (ms since epoch) from the answer's Date header: expiry is counted by Google, so a forecast judged
 * by it does not move with a skewed local clock. Second resolution, which is all a 7-day forecast needs.
 */
export function googleTimeOf(headers: Headers): number | undefined {
  const v = headers.get("date");
  const t = v ? Date.parse(v) : Number.NaN;
  return Number.isFinite(t) ? t : undefined;
}

export interface CallContext {
  readonly endpoints: GoogleEndpoints;
  /** Absolute deadline for this call (ms since epoch). */
  readonly deadline: number;
}

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function oauthError(outcome: HttpOutcome & { kind: "response" }): OAuthError | undefined {
  const j = outcome.json as Record<string, unknown> | undefined;
  const error = str(j?.error);
  if (!error) return undefined;
  return { status: outcome.status, error, description: str(j?.error_description), subtype: str(j?.error_subtype) };
}

async function postToken(ctx: CallContext, form: Record<string, string>): Promise<TokenCall> {
  // One attempt for code exchanges: a code is single-use, and a retry after a lost response reads as "reused".
  const outcome = await httpRequest(ctx.endpoints.token, {
    method: "POST",
    form,
    deadline: ctx.deadline,
    attempts: form.grant_type === "authorization_code" ? 1 : 3,
  });
  if (outcome.kind !== "response")
    return { kind: "inconclusive", reason: `token endpoint: ${describeInconclusive(outcome)}`, ...faultOf(outcome) };
  const j = outcome.json as Record<string, unknown> | undefined;
  if (outcome.status === 200 && j && str(j.access_token)) {
    const tokens: TokenSet = {
      accessToken: str(j.access_token)!,
      expiresIn: num(j.expires_in),
      refreshToken: str(j.refresh_token),
      refreshTokenExpiresIn: num(j.refresh_token_expires_in),
      scope: typeof j.scope === "string" ? j.scope : undefined,
      idToken: str(j.id_token),
    };
    registerSecret(tokens.accessToken);
    registerSecret(tokens.refreshToken);
    registerSecret(tokens.idToken);
    return { kind: "ok", tokens, googleTime: googleTimeOf(outcome.headers) };
  }
  const err = oauthError(outcome);
  if (err && outcome.status < 500) return { kind: "error", err, googleTime: googleTimeOf(outcome.headers) };
  return {
    kind: "inconclusive",
    reason: `token endpoint: ${describeInconclusive(outcome)}${outcome.status === 200 ? " without an access_token" : ""}`,
  };
}

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export function exchangeCode(
  ctx: CallContext,
  client: ClientCredentials,
  code: string,
  redirectUri: string,
  codeVerifier: string,
): Promise<TokenCall> {
  registerSecret(code);
  return postToken(ctx, {
    grant_type: "authorization_code",
    code,
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uri: redirectUri,
    code_verifier: codeVerifier,
  });
}

export function refreshAccessToken(
  ctx: CallContext,
  client: ClientCredentials,
  refreshToken: string,
): Promise<TokenCall> {
  registerSecret(refreshToken);
  return postToken(ctx, {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
}

export interface TokenInfo {
  readonly aud?: string;
  readonly azp?: string;
  readonly email?: string;
  readonly scope?: string;
  readonly sub?: string;
}

export type TokenInfoCall = { readonly kind: "ok"; readonly info: TokenInfo } | Unanswered;

export async function tokenInfo(ctx: CallContext, accessToken: string): Promise<TokenInfoCall> {
  const url = `${ctx.endpoints.tokeninfo}?access_token=${encodeURIComponent(accessToken)}`;
  const outcome = await httpRequest(url, { deadline: ctx.deadline });
  if (outcome.kind === "response" && outcome.status === 200 && outcome.json && typeof outcome.json === "object") {
    const j = outcome.json as Record<string, unknown>;
    return {
      kind: "ok",
      info: { aud: str(j.aud), azp: str(j.azp), email: str(j.email), scope: str(j.scope), sub: str(j.sub) },
    };
  }
  // Google says tokeninfo is for debugging and may be throttled (google-behaviour.md §4.1): never a verdict on its own.
  const err = outcome.kind === "response" ? oauthError(outcome) : undefined;
  return {
    kind: "inconclusive",
    reason: `tokeninfo: ${describeInconclusive(outcome)}${err ? ` ${err.error}${err.description ? ` (${err.description})` : ""}` : ""}`,
    ...faultOf(outcome),
  };
}

export type RevokeCall = { readonly kind: "ok" } | { readonly kind: "error"; readonly err: OAuthError } | Unanswered;

export async function revokeToken(ctx: CallContext, token: string): Promise<RevokeCall> {
  const outcome = await httpRequest(ctx.endpoints.revoke, { method: "POST", form: { token }, deadline: ctx.deadline });
  if (outcome.kind === "response" && outcome.status === 200) return { kind: "ok" };
  if (outcome.kind === "response" && outcome.status === 400) {
    const err = oauthError(outcome);
    if (err) return { kind: "error", err };
  }
  return { kind: "inconclusive", reason: `revoke: ${describeInconclusive(outcome)}`, ...faultOf(outcome) };
}

export function gmailGet(ctx: CallContext, accessToken: string, path: string): Promise<HttpOutcome> {
  return httpRequest(ctx.endpoints.gmail(path), {
    headers: { authorization: `Bearer ${accessToken}` },
    deadline: ctx.deadline,
  });
}
