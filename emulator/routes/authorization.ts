// The browser-facing authorization pages: /o/oauth2/v2/auth, the account chooser, the unverified-app warning, consent,
// and Google's /signin/oauth/error page. Behaviour follows docs/google-behaviour.md; choices the facts do not
// settle are marked "inferred" and listed in docs/emulator.md.
import { decodeAuthError, encodeAuthError, type AuthError } from "../../google/authError";
import { canonicalScope, needsVerification, onlyIdentityScopes, scopeInfo } from "../../google/scopes";
import { brokenErrorPage, chooserPage, consentPage, errorPage, warningPage } from "../pages";
import type { EmulatorStore } from "../store";
import type { Account } from "../store/records";
import type { Session } from "../store/sessions";
import { authError, parseAuthRequest, redirectScopeValue, type AuthRequest } from "./authRequest";
import { html, redirect, type Reply, type RequestContext } from "./handler";

/**
 * The Testing block's "Related developer documentation" link. Facts §1.2 place it among the Request details; how the
 * current page encodes it is not known. It goes in authError field 3 here because the older capture of the same
 * access_denied error carried its help URL there (google-behaviour.md §1.2, decoded); that placement is inferred.
 */
const BRAND_VERIFICATION_HELP =
  "https://developers.google.com/identity/protocols/oauth2/production-readiness/brand-verification#projects-used-in-dev-test-stage";
const SESSION_COOKIE = "EMU_SID";

export class AuthorizationPages {
  constructor(private readonly store: EmulatorStore) {}

  private errorRedirect(ctx: RequestContext, err: AuthError, clientId?: string): Reply {
    const q = new URLSearchParams({ authError: encodeAuthError(err) });
    if (clientId) q.set("client_id", clientId);
    return redirect(`${ctx.origin}/signin/oauth/error?${q}`);
  }

  /** Parse the request carried by a step (`q`), or answer with the error redirect. */
  private request(ctx: RequestContext, q: string | URLSearchParams): AuthRequest | Reply {
    const parsed = parseAuthRequest(this.store.records, typeof q === "string" ? new URLSearchParams(q) : q);
    return "ok" in parsed ? parsed.ok : this.errorRedirect(ctx, parsed.error, parsed.clientId);
  }

  private session(ctx: RequestContext): Session | undefined {
    return this.store.sessions.find(ctx.cookies[SESSION_COOKIE]);
  }

  /** GET/POST /o/oauth2/v2/auth and /o/oauth2/auth. */
  authorize(ctx: RequestContext): Reply {
    const req = this.request(ctx, ctx.params);
    if (!isRequest(req)) return req;
    const session = this.session(ctx);
    // A session with one account and no reason to choose skips the chooser (inferred); a login_hint naming a
    // signed-in account "picks the multi-login session" (google-behaviour.md §1.4).
    const hint = req.loginHint?.toLowerCase();
    if (session && !req.prompt.has("select_account")) {
      const email =
        hint && session.accounts.includes(hint)
          ? hint
          : session.accounts.length === 1 && !hint
            ? session.accounts[0]
            : undefined;
      const account = email ? this.store.records.findAccount(email) : undefined;
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
    return html(
      200,
      chooserPage({
        q: req.q,
        appName: req.project.appName,
        accounts: this.store.records.listAccounts(),
        loginHint: req.loginHint,
      }),
    );
  }

  /** POST /v3/signin/identifier: an account button or the typed identifier. */
  signinSubmit(ctx: RequestContext): Reply {
    const req = this.request(ctx, ctx.params.get("q") ?? "");
    if (!isRequest(req)) return req;
    const email = (ctx.params.get("account") || ctx.params.get("identifier") || "").trim().toLowerCase();
    const account = email ? this.store.records.findAccount(email) : undefined;
    if (!account) {
      const problem = email ? "Couldn’t find your Google Account" : "Enter an email or phone number";
      return html(
        200,
        chooserPage({
          q: req.q,
          appName: req.project.appName,
          accounts: this.store.records.listAccounts(),
          loginHint: req.loginHint,
          problem,
        }),
      );
    }
    let session = this.session(ctx);
    const headers: Record<string, string> = {};
    if (!session) {
      const created = this.store.sessions.create();
      session = created.session;
      headers["set-cookie"] = `${SESSION_COOKIE}=${created.sid}; Path=/; HttpOnly; SameSite=Lax`;
    }
    // The order of `accounts` gives authuser, so a returning account keeps its place; `current` records the pick.
    if (!session.accounts.includes(account.email)) session.accounts.push(account.email);
    session.current = account.email;
    const reply = this.afterSignin(ctx, req, account, session);
    Object.assign(reply.headers, headers);
    return reply;
  }

  /** Audience gates (google-behaviour.md §1.2, §3, §7), in an inferred order; undefined when the account may see consent. */
  private gate(ctx: RequestContext, req: AuthRequest, account: Account, session: Session): Reply | undefined {
    const p = req.project;
    const params = new URLSearchParams(req.q);
    if (p.userType === "internal" && account.orgDomain !== p.organization) {
      return this.errorRedirect(
        ctx,
        authError("org_internal", 403, "This client is restricted to users within its organization.", params),
        req.client.id,
      );
    }
    if (
      p.userType === "external" &&
      p.publishingStatus === "testing" &&
      !onlyIdentityScopes(req.scopes) &&
      !p.testUsers.includes(account.email)
    ) {
      const app = p.appName;
      const message = `${app} has not completed the Google verification process. The app is currently being tested, and can only be accessed by developer-approved testers. If you think you should have access, contact the developer.`;
      return this.errorRedirect(
        ctx,
        authError("access_denied", 403, message, params, BRAND_VERIFICATION_HELP),
        req.client.id,
      );
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
    const granted = this.store.tokens.grantedScopes(account.email, req.project.id);
    // "the user will be prompted only the first time your project requests access" (google-behaviour.md §1.4).
    const needConsent = req.prompt.has("consent") || req.scopes.some((s) => !granted.has(s));
    if (!needConsent)
      return this.success(
        req,
        account,
        session,
        req.includeGranted ? [...new Set([...granted, ...req.scopes])] : req.scopes,
        false,
      );
    // Inferred: prompt=none when consent is needed answers consent_required (OpenID Connect).
    if (req.prompt.has("none")) return this.appRedirect(req, { error: "consent_required" });
    return redirect(`${ctx.origin}/signin/oauth/consent?${req.q}`);
  }

  /**
   * A step after sign-in: the request, the account the person chose (`session.current`, never the login_hint nor the
   * last one signed in), and the gates passed again (no skipping by URL).
   */
  private step(
    ctx: RequestContext,
    q: string,
    allowWarning: boolean,
  ): { req: AuthRequest; account: Account; session: Session } | Reply {
    const req = this.request(ctx, q);
    if (!isRequest(req)) return req;
    const session = this.session(ctx);
    const email = session?.current;
    const account = email ? this.store.records.findAccount(email) : undefined;
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
    // Unverified apps show the redirect domain, not the app name (google-behaviour.md §7).
    const shownName =
      s.req.project.verified || s.req.project.userType === "internal"
        ? s.req.project.appName
        : hostOf(s.req.redirectUri);
    return html(
      200,
      consentPage({ q: s.req.q, shownName, email: s.account.email, identityScopes: identity, otherScopes: other }),
    );
  }

  /** POST /signin/oauth/consent: Allow (with the ticked scopes) or Cancel. */
  consentSubmit(ctx: RequestContext): Reply {
    const s = this.step(ctx, ctx.params.get("q") ?? "", false);
    if (!isStep(s)) return s;
    // Cancel: "?error=access_denied" with state (google-behaviour.md §1.3).
    if (ctx.params.get("action") !== "allow") return this.appRedirect(s.req, { error: "access_denied" });
    const { identity, other } = this.split(s.req);
    const ticked = new Set(ctx.params.getAll("scope").map(canonicalScope));
    const grantedOther =
      other.length > 1 && ctx.params.get("select_all") !== "1" ? other.filter((x) => ticked.has(x)) : other;
    let scopes = [...identity, ...grantedOther];
    // UNCONFIRMED what Google does when nothing at all is granted; the emulator denies (inferred).
    if (scopes.length === 0) return this.appRedirect(s.req, { error: "access_denied" });
    if (s.req.includeGranted)
      scopes = [...new Set([...this.store.tokens.grantedScopes(s.account.email, s.req.project.id), ...scopes])];
    return this.success(s.req, s.account, s.session, scopes, true);
  }

  /** A redirect to the app's redirect URI with `state` (denials and prompt=none answers). */
  private appRedirect(req: AuthRequest, params: Record<string, string>): Reply {
    const u = new URL(req.redirectUri);
    for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
    if (req.state !== undefined) u.searchParams.append("state", req.state);
    return redirect(u.toString());
  }

  private success(
    req: AuthRequest,
    account: Account,
    session: Session,
    scopes: readonly string[],
    consentShown: boolean,
  ): Reply {
    if (consentShown) this.store.tokens.recordConsent(account.email, req.project.id, scopes);
    const code = this.store.tokens.issueCode({
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
    });
    const u = new URL(req.redirectUri);
    // Parameter order of the observed redirect (google-behaviour.md §1.1).
    if (req.state !== undefined) u.searchParams.append("state", req.state);
    u.searchParams.append("iss", this.store.issuer!);
    u.searchParams.append("code", code);
    u.searchParams.append("scope", redirectScopeValue(scopes));
    u.searchParams.append("authuser", String(Math.max(0, session.accounts.indexOf(account.email))));
    if (account.orgDomain) u.searchParams.append("hd", account.orgDomain);
    // Facts §1.1 show prompt=consent after a consent; prompt=none when consent was skipped is inferred.
    u.searchParams.append("prompt", consentShown ? "consent" : "none");
    return redirect(u.toString());
  }

  /** GET /signin/oauth/error: Google's rendered page for the authError (its HTTP status is UNCONFIRMED; 200 here). */
  errorPage(ctx: RequestContext): Reply {
    let err: AuthError;
    try {
      err = decodeAuthError(ctx.params.get("authError") ?? "");
    } catch {
      return html(400, brokenErrorPage());
    }
    const client = this.store.records.findClient(ctx.params.get("client_id") ?? "");
    const appName = client ? (this.store.records.findProject(client.projectId)?.appName ?? "This app") : "This app";
    return html(200, errorPage(err, appName));
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
