// Google's OAuth endpoints: authorization (with its sign-in, warning and consent pages), token, tokeninfo, revoke,
// discovery. Behaviour and error bodies follow ../shared/google-oauth-facts.md; where that file has no answer the
// choice is marked "inferred" here and listed in docs/emulator.md.
import { randomBytes } from "node:crypto";
import { decodeAuthError, encodeAuthError, type AuthError } from "../google/authError";
import { OOB_REDIRECT_URI, redirectUriMatches, redirectUriProblems } from "../google/redirectUris";
import { canonicalScope, isKnownScope, needsVerification, onlyIdentityScopes, scopeInfo } from "../google/scopes";
import { constantTimeEqual, isValidVerifier, s256Challenge } from "../google/pkce";
import type { Account, Client, Project } from "./model";
import { jwks } from "./idToken";
import { brokenErrorPage, chooserPage, consentPage, errorPage, warningPage } from "./pages";
import { html, noStoreJson, notFound, oauthError, redirect, type Reply } from "./reply";
import type { EmulatorState } from "./state";
import { CODE_SHAPE, CODE_TTL_MS, newCode } from "./tokens";

/** What a handler sees of a request. `params` merges the query and a form or JSON body. */
export interface RequestContext {
  readonly method: string;
  readonly url: URL;
  readonly params: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly cookies: Readonly<Record<string, string>>;
  readonly origin: string;
}

const WS = "https://developers.google.com/identity/protocols/oauth2/web-server";
/**
 * The Testing block's "Related developer documentation" link. Facts §1.2 place it among the Request details; how the
 * current page encodes it is not known. It goes in authError field 3 here because the older capture of the same
 * access_denied error carried its help URL there (facts §1.2, decoded); that placement is inferred.
 */
const BRAND_VERIFICATION_HELP = "https://developers.google.com/identity/protocols/oauth2/production-readiness/brand-verification#projects-used-in-dev-test-stage";
/** Inferred: the facts file quotes the OOB message but not its help link. */
const OOB_HELP = "https://developers.google.com/identity/protocols/oauth2/resources/oob-migration";
/** Non-Gmail Google API scopes are accepted (as non-sensitive); the emulator cannot know Google's whole list (inferred). */
const OTHER_GOOGLE_SCOPE = /^https:\/\/www\.googleapis\.com\/auth\/[a-z0-9._-]+$/;
/**
 * The request parameters listed under "Request details", in the order of the capture behind facts §1.2 (FujiNet
 * issue #1486: access_type scope response_type redirect_uri state prompt flowName client_id). Facts §1.1 name only
 * redirect_uri, access_type, response_type and state; scope, prompt and client_id come from that capture, and
 * include_granted_scopes (and its place) is inferred.
 */
const DETAIL_KEYS = ["access_type", "scope", "response_type", "redirect_uri", "state", "prompt", "include_granted_scopes"];
const SESSION_COOKIE = "EMU_SID";
const MAX_SESSIONS = 10_000;
const MAX_CODES = 100_000;

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

interface CodeRecord {
  readonly clientId: string;
  readonly account: string;
  readonly redirectUri: string;
  /** Granted scopes (what the token carries). */
  readonly scopes: readonly string[];
  /** Requested scopes: they decide the Testing 7-day expiry (facts §3 "the only OAuth scopes requested"). */
  readonly requested: readonly string[];
  readonly offline: boolean;
  readonly consentShown: boolean;
  readonly challenge?: string;
  readonly method?: "S256" | "plain";
  readonly nonce?: string;
  readonly consentAt: number;
  readonly expiresAt: number;
}

interface Session {
  /** Signed-in accounts, in sign-in order; the index is `authuser` (never reordered). */
  accounts: string[];
  /** The account the person chose last (chooser, or the session's pick); the steps after sign-in act for it. */
  current?: string;
  /** Projects whose unverified-app warning this session clicked through. */
  warned: Set<string>;
}

type Parsed = { ok: AuthRequest } | { error: AuthError; clientId?: string };

function authError(error: string, httpCode: number, message: string, params: URLSearchParams, helpUrl?: string): AuthError {
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

/** Inferred wording: facts §1.2 only say invalid_request covers "missing required parameters". */
const missing = (p: URLSearchParams, name: string) => authError("invalid_request", 400, `Missing required parameter: ${name}`, p);

/**
 * Validate an authorization request: client, redirect URI, then the rest. Client and redirect errors are shown to the
 * user (facts §1.2); the order of the checks, and of those after the redirect URI, is inferred.
 */
export function parseAuthRequest(state: EmulatorState, p: URLSearchParams): Parsed {
  const clientId = p.get("client_id");
  if (!clientId) return { error: missing(p, "client_id") };
  const client = state.findClient(clientId);
  if (!client) return { error: authError("invalid_client", 401, "The OAuth client was not found.", p), clientId };
  if (client.deleted) return { error: authError("deleted_client", 401, "The OAuth client was deleted.", p), clientId };
  const project = state.findProject(client.projectId)!;
  const redirectUri = p.get("redirect_uri");
  if (!redirectUri) return { error: missing(p, "redirect_uri"), clientId };
  const kind = client.type === "installed" ? "desktop" : "web";
  if (redirectUri === OOB_REDIRECT_URI) {
    return { error: authError("invalid_request", 400, "The out-of-band (OOB) flow has been blocked in order to keep users secure. Follow the Out-of-Band (OOB) flow migration guide linked in the developer docs below to migrate your app to an alternative method.", p, OOB_HELP), clientId };
  }
  if (!redirectUriMatches(redirectUri, client.redirectUris, kind)) {
    // Checked only on a miss (a registered URI is never a custom scheme), to keep the hot path cheap.
    if (redirectUriProblems(redirectUri, kind).some((x) => x.code === "custom_scheme_on_web_client")) {
      return { error: authError("invalid_request", 400, "Custom scheme URIs are not allowed for 'WEB' client type.", p), clientId };
    }
    return { error: authError("redirect_uri_mismatch", 400, "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.\n\nIf you're the app developer, register the redirect URI in the Google Cloud Console.", p, `${WS}#authorization-errors-redirect-uri-mismatch`), clientId };
  }
  const responseType = p.get("response_type");
  if (!responseType) return { error: missing(p, "response_type"), clientId };
  // Inferred: the emulator serves the code flow only; the message is inferred too.
  if (responseType !== "code") return { error: authError("invalid_request", 400, `Invalid response_type: ${responseType}`, p), clientId };
  const rawScope = p.get("scope");
  if (!rawScope || !rawScope.trim()) return { error: missing(p, "scope"), clientId };
  const requested = rawScope.split(/\s+/).filter(Boolean);
  const invalid = requested.filter((s) => !isKnownScope(s) && !OTHER_GOOGLE_SCOPE.test(s));
  if (invalid.length) {
    const valid = requested.filter((s) => !invalid.includes(s));
    return { error: authError("invalid_scope", 400, `Some requested scopes were invalid. {valid=[${valid.join(", ")}], invalid=[${invalid.join(", ")}]}`, p), clientId };
  }
  // Inferred: the invalid_request messages below (access_type, prompt, PKCE) are the emulator's wording; facts §1.2
  // only say invalid_request means "not properly formatted" or "missing required parameters".
  const accessType = p.get("access_type") ?? "online";
  if (accessType !== "online" && accessType !== "offline") return { error: authError("invalid_request", 400, `Invalid access_type: ${accessType}`, p), clientId };
  const prompt = new Set((p.get("prompt") ?? "").split(/\s+/).filter(Boolean));
  for (const v of prompt) if (!["none", "consent", "select_account"].includes(v)) return { error: authError("invalid_request", 400, `Invalid prompt: ${v}`, p), clientId };
  if (prompt.has("none") && prompt.size > 1) return { error: authError("invalid_request", 400, "prompt=none cannot be combined with other values", p), clientId };
  const challenge = p.get("code_challenge") ?? undefined;
  let method: AuthRequest["method"];
  if (challenge !== undefined) {
    // "defaults to plain when a code_challenge is sent without it" (facts §1.5).
    const m = p.get("code_challenge_method") ?? "plain";
    if (m !== "S256" && m !== "plain") return { error: authError("invalid_request", 400, `Invalid code_challenge_method: ${m}`, p), clientId };
    if (!isValidVerifier(challenge)) return { error: authError("invalid_request", 400, "Invalid code_challenge: it must be 43-128 characters of [A-Za-z0-9-._~]", p), clientId };
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

/** The `scope` of a success redirect: Google puts the aliases beside the identity URLs (facts §1.1). */
export function redirectScopeValue(scopes: readonly string[]): string {
  const aliases = scopes.flatMap((s) => scopeInfo(s)?.aliases ?? []);
  return [...aliases, ...scopes].join(" ");
}

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

export class OAuthEndpoints {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly state: EmulatorState) {}

  // ---- authorization --------------------------------------------------------------------------------------------

  private errorRedirect(ctx: RequestContext, err: AuthError, clientId?: string): Reply {
    const q = new URLSearchParams({ authError: encodeAuthError(err) });
    if (clientId) q.set("client_id", clientId);
    return redirect(`${ctx.origin}/signin/oauth/error?${q}`);
  }

  /** Parse the request carried by a step (`q`), or answer with the error redirect. */
  private request(ctx: RequestContext, q: string | URLSearchParams): AuthRequest | Reply {
    const parsed = parseAuthRequest(this.state, typeof q === "string" ? new URLSearchParams(q) : q);
    return "ok" in parsed ? parsed.ok : this.errorRedirect(ctx, parsed.error, parsed.clientId);
  }

  private session(ctx: RequestContext): Session | undefined {
    const sid = ctx.cookies[SESSION_COOKIE];
    return sid ? this.sessions.get(sid) : undefined;
  }

  /** GET/POST /o/oauth2/v2/auth and /o/oauth2/auth. */
  authorize(ctx: RequestContext): Reply {
    const req = this.request(ctx, ctx.params);
    if (!isRequest(req)) return req;
    const session = this.session(ctx);
    // A session with one account and no reason to choose skips the chooser (inferred); a login_hint naming a
    // signed-in account "picks the multi-login session" (facts §1.4).
    const hint = req.loginHint?.toLowerCase();
    if (session && !req.prompt.has("select_account")) {
      const email = hint && session.accounts.includes(hint) ? hint : session.accounts.length === 1 && !hint ? session.accounts[0] : undefined;
      const account = email ? this.state.findAccount(email) : undefined;
      if (account) return this.afterSignin(ctx, req, account, session);
    }
    // Inferred: prompt=none without a session answers login_required on the redirect URI (OpenID Connect).
    if (req.prompt.has("none")) return this.appRedirect(req, { error: "login_required" });
    return redirect(`${ctx.origin}/v3/signin/identifier?${req.q}`);
  }

  /** GET /v3/signin/identifier: the account chooser. */
  signinPage(ctx: RequestContext): Reply {
    const req = this.request(ctx, ctx.params.toString());
    if (!isRequest(req)) return req;
    return html(200, chooserPage({ q: req.q, appName: req.project.appName, accounts: this.state.listAccounts(), loginHint: req.loginHint }));
  }

  /** POST /v3/signin/identifier: an account button or the typed identifier. */
  signinSubmit(ctx: RequestContext): Reply {
    const req = this.request(ctx, ctx.params.get("q") ?? "");
    if (!isRequest(req)) return req;
    const email = (ctx.params.get("account") || ctx.params.get("identifier") || "").trim().toLowerCase();
    const account = email ? this.state.findAccount(email) : undefined;
    if (!account) {
      const problem = email ? "Couldn’t find your Google Account" : "Enter an email or phone number";
      return html(200, chooserPage({ q: req.q, appName: req.project.appName, accounts: this.state.listAccounts(), loginHint: req.loginHint, problem }));
    }
    let session = this.session(ctx);
    const headers: Record<string, string> = {};
    if (!session) {
      const sid = randomBytes(18).toString("base64url");
      session = { accounts: [], warned: new Set() };
      if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
      this.sessions.set(sid, session);
      headers["set-cookie"] = `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`;
    }
    // The order of `accounts` gives authuser, so a returning account keeps its place; `current` records the pick.
    if (!session.accounts.includes(account.email)) session.accounts.push(account.email);
    session.current = account.email;
    const reply = this.afterSignin(ctx, req, account, session);
    Object.assign(reply.headers, headers);
    return reply;
  }

  /** Audience gates (facts §1.2, §3, §7), in an inferred order; undefined when the account may see consent. */
  private gate(ctx: RequestContext, req: AuthRequest, account: Account, session: Session): Reply | undefined {
    const p = req.project;
    const params = new URLSearchParams(req.q);
    if (p.userType === "internal" && account.orgDomain !== p.organization) {
      return this.errorRedirect(ctx, authError("org_internal", 403, "This client is restricted to users within its organization.", params), req.client.id);
    }
    if (p.userType === "external" && p.publishingStatus === "testing" && !onlyIdentityScopes(req.scopes) && !p.testUsers.includes(account.email)) {
      const app = p.appName;
      const message = `${app} has not completed the Google verification process. The app is currently being tested, and can only be accessed by developer-approved testers. If you think you should have access, contact the developer.`;
      return this.errorRedirect(ctx, authError("access_denied", 403, message, params, BRAND_VERIFICATION_HELP), req.client.id);
    }
    if (p.userType === "external" && !p.verified && req.scopes.some(needsVerification) && !session.warned.has(p.id)) {
      return redirect(`${ctx.origin}/signin/oauth/warning?${req.q}`);
    }
    return undefined;
  }

  private afterSignin(ctx: RequestContext, req: AuthRequest, account: Account, session: Session): Reply {
    session.current = account.email;
    const blocked = this.gate(ctx, req, account, session);
    if (blocked) return blocked;
    const granted = this.state.grantedScopes(account.email, req.project.id);
    // "the user will be prompted only the first time your project requests access" (facts §1.4).
    const needConsent = req.prompt.has("consent") || req.scopes.some((s) => !granted.has(s));
    if (!needConsent) return this.success(req, account, session, req.includeGranted ? [...new Set([...granted, ...req.scopes])] : req.scopes, false);
    // Inferred: prompt=none when consent is needed answers consent_required (OpenID Connect).
    if (req.prompt.has("none")) return this.appRedirect(req, { error: "consent_required" });
    return redirect(`${ctx.origin}/signin/oauth/consent?${req.q}`);
  }

  /**
   * A step after sign-in: the request, the account the person chose (`session.current`, never the login_hint nor the
   * last one signed in), and the gates passed again (no skipping by URL).
   */
  private step(ctx: RequestContext, q: string, allowWarning: boolean): { req: AuthRequest; account: Account; session: Session } | Reply {
    const req = this.request(ctx, q);
    if (!isRequest(req)) return req;
    const session = this.session(ctx);
    const email = session?.current;
    const account = email ? this.state.findAccount(email) : undefined;
    if (!session || !account) return redirect(`${ctx.origin}/v3/signin/identifier?${req.q}`);
    const blocked = this.gate(ctx, req, account, session);
    if (blocked && !(allowWarning && blocked.headers.location?.includes("/signin/oauth/warning"))) return blocked;
    return { req, account, session };
  }

  /** GET /signin/oauth/warning: the unverified-app screen; the developer shown is the app's support email. */
  warningPage(ctx: RequestContext): Reply {
    const s = this.step(ctx, ctx.params.toString(), true);
    if (!isStep(s)) return s;
    return html(200, warningPage({ q: s.req.q, appName: s.req.project.appName, email: s.req.project.supportEmail }));
  }

  /** POST /signin/oauth/warning: "Advanced > Go to … (unsafe)" continues; "Back to safety" denies (inferred). */
  warningSubmit(ctx: RequestContext): Reply {
    const s = this.step(ctx, ctx.params.get("q") ?? "", true);
    if (!isStep(s)) return s;
    if (ctx.params.get("action") !== "continue") return this.appRedirect(s.req, { error: "access_denied" });
    s.session.warned.add(s.req.project.id);
    return this.afterSignin(ctx, s.req, s.account, s.session);
  }

  private split(req: AuthRequest) {
    const identity = req.scopes.filter((s) => scopeInfo(s)?.class === "identity");
    const other = req.scopes.filter((s) => !identity.includes(s));
    return { identity, other };
  }

  /** GET /signin/oauth/consent. */
  consentPage(ctx: RequestContext): Reply {
    const s = this.step(ctx, ctx.params.toString(), false);
    if (!isStep(s)) return s;
    const { identity, other } = this.split(s.req);
    // Unverified apps show the redirect domain, not the app name (facts §7).
    const shownName = s.req.project.verified || s.req.project.userType === "internal" ? s.req.project.appName : hostOf(s.req.redirectUri);
    return html(200, consentPage({ q: s.req.q, shownName, email: s.account.email, identityScopes: identity, otherScopes: other }));
  }

  /** POST /signin/oauth/consent: Allow (with the ticked scopes) or Cancel. */
  consentSubmit(ctx: RequestContext): Reply {
    const s = this.step(ctx, ctx.params.get("q") ?? "", false);
    if (!isStep(s)) return s;
    // Cancel: "?error=access_denied" with state (facts §1.3).
    if (ctx.params.get("action") !== "allow") return this.appRedirect(s.req, { error: "access_denied" });
    const { identity, other } = this.split(s.req);
    const ticked = new Set(ctx.params.getAll("scope").map(canonicalScope));
    const grantedOther = other.length > 1 && ctx.params.get("select_all") !== "1" ? other.filter((x) => ticked.has(x)) : other;
    let scopes = [...identity, ...grantedOther];
    // UNCONFIRMED what Google does when nothing at all is granted; the emulator denies (inferred).
    if (scopes.length === 0) return this.appRedirect(s.req, { error: "access_denied" });
    if (s.req.includeGranted) scopes = [...new Set([...this.state.grantedScopes(s.account.email, s.req.project.id), ...scopes])];
    return this.success(s.req, s.account, s.session, scopes, true);
  }

  /** A redirect to the app's redirect URI with `state` (denials and prompt=none answers). */
  private appRedirect(req: AuthRequest, params: Record<string, string>): Reply {
    const u = new URL(req.redirectUri);
    for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
    if (req.state !== undefined) u.searchParams.append("state", req.state);
    return redirect(u.toString());
  }

  private success(req: AuthRequest, account: Account, session: Session, scopes: readonly string[], consentShown: boolean): Reply {
    if (consentShown) this.state.recordConsent(account.email, req.project.id, scopes);
    if (this.codes.size >= MAX_CODES) this.sweepCodes();
    const code = newCode();
    this.codes.set(code, {
      clientId: req.client.id,
      account: account.email,
      redirectUri: req.redirectUri,
      scopes,
      requested: req.scopes,
      offline: req.offline,
      consentShown,
      challenge: req.challenge,
      method: req.method,
      nonce: req.nonce,
      consentAt: this.state.now(),
      expiresAt: this.state.now() + CODE_TTL_MS,
    });
    const u = new URL(req.redirectUri);
    // Parameter order of the observed redirect (facts §1.1).
    if (req.state !== undefined) u.searchParams.append("state", req.state);
    u.searchParams.append("iss", this.state.issuer!);
    u.searchParams.append("code", code);
    u.searchParams.append("scope", redirectScopeValue(scopes));
    u.searchParams.append("authuser", String(Math.max(0, session.accounts.indexOf(account.email))));
    if (account.orgDomain) u.searchParams.append("hd", account.orgDomain);
    // Facts §1.1 show prompt=consent after a consent; prompt=none when consent was skipped is inferred.
    u.searchParams.append("prompt", consentShown ? "consent" : "none");
    return redirect(u.toString());
  }

  private sweepCodes(): void {
    const now = this.state.now();
    for (const [code, rec] of this.codes) if (rec.expiresAt <= now) this.codes.delete(code);
  }

  /** GET /signin/oauth/error: Google's rendered page for the authError (its HTTP status is UNCONFIRMED; 200 here). */
  errorPage(ctx: RequestContext): Reply {
    let err: AuthError;
    try {
      err = decodeAuthError(ctx.params.get("authError") ?? "");
    } catch {
      return html(400, brokenErrorPage());
    }
    const client = this.state.findClient(ctx.params.get("client_id") ?? "");
    const appName = client ? (this.state.findProject(client.projectId)?.appName ?? "This app") : "This app";
    return html(200, errorPage(err, appName));
  }

  // ---- token endpoint -------------------------------------------------------------------------------------------

  /**
   * POST /token: client authentication first, then the grant (facts §2.3). Facts §2.1 document a form body with the
   * secret in it; also accepting a JSON body and HTTP Basic, and answering GET with 404, are inferred.
   */
  token(ctx: RequestContext): Reply {
    if (ctx.method !== "POST") return notFound();
    const p = ctx.params;
    const grantType = p.get("grant_type") ?? "";
    const basic = basicAuth(ctx.headers.authorization);
    const clientId = p.get("client_id") ?? basic?.id;
    const secret = p.get("client_secret") ?? basic?.secret;
    // Inferred wording for a missing client_id.
    if (!clientId) return oauthError(400, "invalid_request", "Could not determine client ID from request.");
    const client = this.state.findClient(clientId);
    if (!client) return oauthError(401, "invalid_client", "The OAuth client was not found.");
    if (client.deleted) return oauthError(401, "deleted_client", "The OAuth client was deleted.");
    // PKCE does not replace the secret for Web or Desktop clients (facts §1.5).
    if (!secret) return oauthError(400, "invalid_request", "client_secret is missing.");
    if (!client.secrets.some((s) => constantTimeEqual(s, secret))) return oauthError(401, "invalid_client", "Unauthorized");
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
    const rec = this.codes.get(code);
    // Reused, expired, unknown, or another client's: all "Bad Request" (facts §2.3).
    if (!rec || rec.expiresAt <= this.state.now() || rec.clientId !== client.id) return oauthError(400, "invalid_grant", "Bad Request");
    const redirectUri = p.get("redirect_uri");
    if (!redirectUri) return oauthError(400, "invalid_request", "Missing required parameter: redirect_uri");
    if (redirectUri !== rec.redirectUri) return oauthError(400, "redirect_uri_mismatch", "Bad Request");
    if (rec.challenge !== undefined) {
      const verifier = p.get("code_verifier");
      // Descriptions inferred; the error code is documented (facts §1.5).
      if (!verifier) return oauthError(400, "invalid_grant", "Missing code verifier.");
      const expected = rec.method === "S256" ? s256Challenge(verifier) : verifier;
      if (!isValidVerifier(verifier) || !constantTimeEqual(expected, rec.challenge)) return oauthError(400, "invalid_grant", "Invalid code verifier.");
    }
    // Single use: consumed by the first successful exchange.
    this.codes.delete(code);
    const account = this.state.findAccount(rec.account);
    if (!account) return oauthError(400, "invalid_grant", "Bad Request");
    return noStoreJson(200, this.state.issueTokens(client, account, rec.scopes, { offline: rec.offline, consentShown: rec.consentShown, nonce: rec.nonce, consentAt: rec.consentAt, requested: rec.requested }));
  }

  private refresh(client: Client, p: URLSearchParams): Reply {
    const token = p.get("refresh_token");
    if (!token) return oauthError(400, "invalid_request", "Missing required parameter: refresh_token");
    const rec = this.state.findRefresh(token);
    // Inferred: a token Google never issued is "Bad Request"; an issued one that died is "expired or revoked".
    if (!rec) return oauthError(400, "invalid_grant", "Bad Request");
    if (rec.clientId !== client.id) return oauthError(401, "unauthorized_client", "Unauthorized");
    if (this.state.refreshProblem(rec) !== undefined) return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
    return noStoreJson(200, this.state.refreshAccess(rec, client));
  }

  // ---- tokeninfo and revoke -------------------------------------------------------------------------------------

  /** GET/POST /tokeninfo?access_token=: every value a string (facts §4.1). Refresh tokens are not accepted. */
  tokeninfo(ctx: RequestContext): Reply {
    const token = ctx.params.get("access_token") ?? "";
    const rec = token ? this.state.findAccess(token) : undefined;
    if (!rec) return oauthError(400, "invalid_token", "Invalid Value");
    const exp = Math.floor(rec.expiresAt / 1000);
    const body: Record<string, string> = { azp: rec.clientId, aud: rec.clientId };
    const hasEmail = rec.scopes.includes("https://www.googleapis.com/auth/userinfo.email");
    // Facts §4.1: sub and email are absent without openid/email. `sub` for an openid-only token is inferred.
    if (hasEmail || rec.scopes.includes("openid")) body.sub = this.state.findAccount(rec.account)!.sub;
    Object.assign(body, { scope: rec.scopes.join(" "), exp: String(exp), expires_in: String(Math.max(0, Math.floor((rec.expiresAt - this.state.now()) / 1000))) });
    if (hasEmail) Object.assign(body, { email: rec.account, email_verified: "true" });
    body.access_type = rec.offline ? "offline" : "online";
    return noStoreJson(200, body);
  }

  /** POST /revoke (token in the form or the query). GET answers 404 (facts §4.2). */
  revoke(ctx: RequestContext): Reply {
    if (ctx.method !== "POST") return notFound();
    const token = ctx.params.get("token");
    // Inferred wording for a missing token.
    if (!token) return oauthError(400, "invalid_request", "Bad Request");
    if (!this.state.revoke(token)) return oauthError(400, "invalid_token", "Token expired or revoked");
    // Inferred: an empty JSON object on success.
    return noStoreJson(200, {});
  }

  // ---- discovery ------------------------------------------------------------------------------------------------

  discovery(ctx: RequestContext): Reply {
    const o = ctx.origin;
    return noStoreJson(200, {
      issuer: this.state.issuer,
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
      grant_types_supported: ["authorization_code", "refresh_token"],
    });
  }

  jwks(): Reply {
    return noStoreJson(200, jwks());
  }
}

function isRequest(x: AuthRequest | Reply): x is AuthRequest {
  return "client" in x;
}

function isStep<T extends object>(x: T | Reply): x is T {
  return !("status" in x && "body" in x);
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).host;
  } catch {
    return uri;
  }
}
