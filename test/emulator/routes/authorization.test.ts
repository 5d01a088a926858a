// The authorization endpoint and its pages over real HTTP, against docs/google-behaviour.md §1.
import { describe, expect, it } from "vitest";
import { decodeAuthError } from "../../../google/authError";
import {
  authParams,
  authUrl,
  consent,
  DESKTOP,
  EMAIL,
  exchange,
  get,
  INTERNAL,
  MAIL,
  post,
  PROD,
  READONLY,
  SEND,
  setup,
  tokens,
  WEB,
} from "../helpers";

async function authorizeError(origin: string, params: Record<string, string>) {
  const res = await get(authUrl(origin, params));
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location")!);
  expect(location.pathname).toBe("/signin/oauth/error");
  return { location, err: decodeAuthError(location.searchParams.get("authError")!) };
}

describe("authorization endpoint: errors Google renders (302 to /signin/oauth/error, google-behaviour.md §1.2)", () => {
  it("unknown client: invalid_client 401 'The OAuth client was not found.', with client_id on the error URL", async () => {
    const { emu, cb } = await setup();
    const { location, err } = await authorizeError(
      emu.origin,
      authParams(cb, { client_id: "9999-nope.apps.googleusercontent.com" }),
    );
    expect(err).toMatchObject({ error: "invalid_client", httpCode: 401, message: "The OAuth client was not found." });
    expect(location.searchParams.get("client_id")).toBe("9999-nope.apps.googleusercontent.com");
    // The payload starts "\n\x0einvalid_client" as the captured one does.
    expect(Buffer.from(location.searchParams.get("authError")!, "base64url").subarray(0, 16).toString("latin1")).toBe(
      "\n\x0einvalid_client",
    );
  });

  it("deleted client: deleted_client 401, and it works again once restored", async () => {
    const { emu, cb } = await setup();
    emu.admin.deleteClient(DESKTOP);
    expect((await authorizeError(emu.origin, authParams(cb))).err).toMatchObject({
      error: "deleted_client",
      httpCode: 401,
      message: "The OAuth client was deleted.",
    });
    emu.admin.updateClient(DESKTOP, { deleted: false });
    const res = await get(authUrl(emu.origin, authParams(cb)));
    expect(new URL(res.headers.get("location")!).pathname).toBe("/v3/signin/identifier");
  });

  it("sign-in disabled for the client: disabled_client 401 with Google's sentence, its page titled as Google titles it", async () => {
    const { emu, cb } = await setup();
    emu.admin.updateClient(DESKTOP, { signInDisabled: true });
    const { location, err } = await authorizeError(emu.origin, authParams(cb));
    expect(err).toMatchObject({
      error: "disabled_client",
      httpCode: 401,
      message: "This app has not been verified yet by Google in order to use Google Sign In.",
    });
    const page = await get(location.href);
    expect(page.body).toContain("Sign in with Google temporarily disabled for this app");
    expect(page.body).toContain("Error 401: disabled_client");
  });

  it("unregistered redirect URI on a Web client: redirect_uri_mismatch 400 with help URL and Request details", async () => {
    const { emu, cb } = await setup();
    const { err } = await authorizeError(emu.origin, authParams(cb, { client_id: WEB, redirect_uri: `${cb.url}/` }));
    expect(err.error).toBe("redirect_uri_mismatch");
    expect(err.httpCode).toBe(400);
    expect(err.helpUrl).toBe(
      "https://developers.google.com/identity/protocols/oauth2/web-server#authorization-errors-redirect-uri-mismatch",
    );
    expect(err.message).toContain("doesn't comply with Google's OAuth 2.0 policy");
    expect(err.details).toMatchObject({
      redirect_uri: `${cb.url}/`,
      flowName: "GeneralOAuthFlow",
      response_type: "code",
      access_type: "offline",
      state: "st-123",
    });
  });

  it("a different loopback port on a Web client is a mismatch; any loopback port on a Desktop client is fine", async () => {
    const { emu, cb } = await setup();
    const other = cb.url.replace(/:\d+\//, ":1/");
    expect((await authorizeError(emu.origin, authParams(cb, { client_id: WEB, redirect_uri: other }))).err.error).toBe(
      "redirect_uri_mismatch",
    );
    const ok = await get(authUrl(emu.origin, authParams(cb, { redirect_uri: other })));
    expect(new URL(ok.headers.get("location")!).pathname).toBe("/v3/signin/identifier");
  });

  it("OOB and custom schemes: invalid_request with Google's wording", async () => {
    const { emu, cb } = await setup();
    const oob = await authorizeError(emu.origin, authParams(cb, { redirect_uri: "urn:ietf:wg:oauth:2.0:oob" }));
    expect(oob.err).toMatchObject({ error: "invalid_request", httpCode: 400 });
    expect(oob.err.message).toMatch(/^The out-of-band \(OOB\) flow has been blocked in order to keep users secure/);
    const custom = await authorizeError(
      emu.origin,
      authParams(cb, { client_id: WEB, redirect_uri: "com.example.app:/cb" }),
    );
    expect(custom.err.message).toBe("Custom scheme URIs are not allowed for 'WEB' client type.");
  });

  it("invalid scope and missing parameters", async () => {
    const { emu, cb } = await setup();
    const bad = await authorizeError(emu.origin, authParams(cb, { scope: `${MAIL} gmail` }));
    expect(bad.err).toMatchObject({
      error: "invalid_scope",
      httpCode: 400,
      message: `Some requested scopes were invalid. {valid=[${MAIL}], invalid=[gmail]}`,
    });
    const { scope: _s, ...noScope } = authParams(cb);
    expect((await authorizeError(emu.origin, noScope)).err.message).toBe("Missing required parameter: scope");
    const { client_id: _c, ...noClient } = authParams(cb);
    expect((await authorizeError(emu.origin, noClient)).err.message).toBe("Missing required parameter: client_id");
    expect(
      (
        await authorizeError(
          emu.origin,
          authParams(cb, { code_challenge: "x".repeat(43), code_challenge_method: "S512" }),
        )
      ).err.error,
    ).toBe("invalid_request");
  });

  it("the error page renders the decoded authError as Google's page", async () => {
    const { emu, cb } = await setup();
    const { location } = await authorizeError(
      emu.origin,
      authParams(cb, { client_id: WEB, redirect_uri: "http://127.0.0.1:1/x" }),
    );
    const page = await get(location.toString());
    expect(page.status).toBe(200);
    // A straight apostrophe, as docs/google-behaviour.md quotes the title (HTML-escaped in the page).
    expect(page.body).toContain("Access blocked: This app&#39;s request is invalid");
    expect(page.body).not.toContain("app’s");
    expect(page.body).toContain("Error 400: redirect_uri_mismatch");
    expect(page.body).toContain("redirect_uri=http://127.0.0.1:1/x");
    expect((await get(`${emu.origin}/signin/oauth/error?authError=!!!`)).status).toBe(400);
  });

  it("a valid request without a session goes to the sign-in page; /o/oauth2/auth behaves the same", async () => {
    const { emu, cb } = await setup();
    for (const path of ["/o/oauth2/v2/auth", "/o/oauth2/auth"]) {
      const res = await get(authUrl(emu.origin, authParams(cb), path));
      expect(res.status).toBe(302);
      const to = new URL(res.headers.get("location")!);
      expect(to.pathname).toBe("/v3/signin/identifier");
      expect(to.searchParams.get("client_id")).toBe(DESKTOP);
    }
  });
});

describe("consent flow", () => {
  it("success redirect carries state, iss, code, scope, authuser and prompt, in that order; the callback is called", async () => {
    const { emu, cb } = await setup();
    const out = await consent(emu, cb, {});
    expect(out.kind).toBe("redirect");
    if (out.kind !== "redirect") return;
    expect(Object.keys(out.params)).toEqual(["state", "iss", "code", "scope", "authuser", "prompt"]);
    expect(out.params).toMatchObject({
      state: "st-123",
      iss: emu.origin,
      scope: MAIL,
      authuser: "0",
      prompt: "consent",
    });
    expect(out.code).toMatch(/^4\/0A/);
    expect(Buffer.byteLength(out.code!)).toBeLessThanOrEqual(256);
    expect(out.pages).toEqual(["signin", "warning", "consent"]);
    expect(cb.hits).toHaveLength(1);
    expect(cb.hits[0]).toContain("code=4%2F0A");
  });

  it("a non-test user of a Testing app is blocked with access_denied 403 and no callback", async () => {
    const { emu, cb } = await setup();
    const out = await consent(emu, cb, {}, { account: "bob@example.com" });
    expect(out).toMatchObject({ kind: "blocked", error: "access_denied", httpCode: 403 });
    if (out.kind !== "blocked") return;
    expect(out.title).toBe("Access blocked: Demo Mail has not completed the Google verification process");
    expect(out.message).toContain("can only be accessed by developer-approved testers");
    expect(cb.hits).toHaveLength(0);
  });

  it("identity-only requests skip test-user gating (google-behaviour.md §3)", async () => {
    const { emu, cb } = await setup();
    const out = await consent(
      emu,
      cb,
      { scope: "openid email", access_type: "online" },
      { account: "bob@example.com" },
    );
    expect(out).toMatchObject({ kind: "redirect", pages: ["signin", "consent"] });
  });

  it("Internal apps: org_internal 403 for outsiders, consent for the organisation's users (with hd)", async () => {
    const { emu, cb } = await setup();
    expect(await consent(emu, cb, { client_id: INTERNAL }, { account: "ana@example.com" })).toMatchObject({
      kind: "blocked",
      error: "org_internal",
      httpCode: 403,
      title: "Access blocked: Corp Mail can only be used within its organization",
      message: "This client is restricted to users within its organization.",
    });
    const ok = await consent(emu, cb, { client_id: INTERNAL }, { account: "carol@example.org" });
    expect(ok).toMatchObject({ kind: "redirect", pages: ["signin", "consent"] });
    if (ok.kind === "redirect") expect(ok.params.hd).toBe("example.org");
  });

  it("granular consent: unticked scopes are not granted, and the token scope says so", async () => {
    const { emu, cb } = await setup();
    const res = await tokens(emu, cb, { scope: `openid email ${MAIL} ${SEND}` }, { uncheck: [SEND] });
    expect(res.status).toBe(200);
    expect(res.body.scope.split(" ").sort()).toEqual(["openid", EMAIL, MAIL].sort());
  });

  it("Cancel redirects with error=access_denied and state", async () => {
    const { emu, cb } = await setup();
    const out = await consent(emu, cb, {}, { action: "cancel" });
    expect(out).toMatchObject({ kind: "redirect", error: "access_denied", state: "st-123" });
  });

  it("a verified production app shows no warning; a repeat authorization skips consent and gives no refresh token", async () => {
    const { emu, cb } = await setup();
    const first = await tokens(emu, cb, { client_id: PROD }, { account: "bob@example.com" });
    expect(first.body.refresh_token).toMatch(/^1\/\/0/);
    expect(first.body.refresh_token_expires_in).toBeUndefined();
    const again = await consent(emu, cb, { client_id: PROD }, { account: "bob@example.com" });
    expect(again).toMatchObject({ kind: "redirect", pages: ["signin"], params: { prompt: "none" } });
    if (again.kind !== "redirect") return;
    const second = await exchange(emu.origin, again.code!, cb, { client_id: PROD });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toBeUndefined();
    const forced = await tokens(emu, cb, { client_id: PROD, prompt: "consent" }, { account: "bob@example.com" });
    expect(forced.body.refresh_token).toMatch(/^1\/\/0/);
  });

  it("a signed-in session skips the chooser; prompt=none answers with a code, or consent_required / login_required", async () => {
    const { emu, cb } = await setup();
    const chooser = await get(authUrl(emu.origin, authParams(cb, { client_id: PROD, scope: "openid" })));
    const q = new URL(chooser.headers.get("location")!).search.slice(1);
    const signin = await post(emu.origin, "/v3/signin/identifier", { q, account: "bob@example.com" });
    const cookie = signin.headers.get("set-cookie")!.split(";")[0]!;
    expect(new URL(signin.headers.get("location")!).pathname).toBe("/signin/oauth/consent");
    const consentPost = await fetch(`${emu.origin}/signin/oauth/consent`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie },
      body: new URLSearchParams({ q, action: "allow" }),
    });
    expect(new URL(consentPost.headers.get("location")!).searchParams.get("prompt")).toBe("consent");
    const silent = await get(
      authUrl(emu.origin, authParams(cb, { client_id: PROD, scope: "openid", prompt: "none" })),
      { cookie },
    );
    const to = new URL(silent.headers.get("location")!);
    expect(to.origin + to.pathname).toBe(cb.url);
    expect(to.searchParams.get("code") ?? to.toString()).toMatch(/^4\/0A/);
    expect(to.searchParams.get("prompt")).toBe("none");
    const more = await get(
      authUrl(emu.origin, authParams(cb, { client_id: PROD, scope: `openid ${MAIL}`, prompt: "none" })),
      { cookie },
    );
    expect(new URL(more.headers.get("location")!).searchParams.get("error")).toBe("consent_required");
    const noSession = await get(
      authUrl(emu.origin, authParams(cb, { client_id: PROD, scope: "openid", prompt: "none" })),
    );
    expect(new URL(noSession.headers.get("location")!).searchParams.get("error")).toBe("login_required");
  });

  it("consent steps cannot be skipped by URL: no session goes back to sign-in, a non-test user is still blocked", async () => {
    const { emu, cb } = await setup();
    const q = new URLSearchParams(authParams(cb)).toString();
    const direct = await get(`${emu.origin}/signin/oauth/consent?${q}`);
    expect(new URL(direct.headers.get("location")!).pathname).toBe("/v3/signin/identifier");
    const signin = await post(emu.origin, "/v3/signin/identifier", { q, account: "bob@example.com" });
    const cookie = signin.headers.get("set-cookie")!.split(";")[0]!;
    const forced = await fetch(`${emu.origin}/signin/oauth/consent`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie },
      body: new URLSearchParams({ q, action: "allow" }),
    });
    expect(decodeAuthError(new URL(forced.headers.get("location")!).searchParams.get("authError")!).error).toBe(
      "access_denied",
    );
    expect(cb.hits).toHaveLength(0);
  });

  it("consent and the code follow the account the person picks, not the last one signed in nor the login_hint", async () => {
    const { emu, cb } = await setup();
    const params = authParams(cb, { client_id: PROD, scope: "openid email", access_type: "online", prompt: "consent" });
    const q = new URLSearchParams(params).toString();
    const pick = async (account: string, cookie?: string, query = q) => {
      const res = await post(emu.origin, "/v3/signin/identifier", { q: query, account }, cookie ? { cookie } : {});
      expect(new URL(res.headers.get("location")!).pathname).toBe("/signin/oauth/consent");
      return {
        cookie: cookie ?? res.headers.get("set-cookie")!.split(";")[0]!,
        next: new URL(res.headers.get("location")!),
      };
    };
    const consentFor = async (cookie: string, next: URL) => {
      const page = await get(next.toString(), { cookie });
      const shown = /id="account-email">([^<]*)</.exec(page.body)?.[1];
      const allow = await fetch(`${emu.origin}/signin/oauth/consent`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie },
        body: new URLSearchParams({ q: next.search.slice(1), action: "allow" }),
      });
      const to = new URL(allow.headers.get("location")!);
      const tok = await exchange(emu.origin, to.searchParams.get("code")!, cb, { client_id: PROD });
      const info = await get(`${emu.origin}/tokeninfo?access_token=${encodeURIComponent(tok.body.access_token)}`);
      return { shown, authuser: to.searchParams.get("authuser"), email: info.body.email };
    };
    // a, then b, then a again: the consent page and the code are a's, authuser is a's place in the session.
    const { cookie } = await pick("ana@example.com");
    await pick("bob@example.com", cookie);
    const again = await pick("ana@example.com", cookie);
    expect(await consentFor(cookie, again.next)).toEqual({
      shown: "ana@example.com",
      authuser: "0",
      email: "ana@example.com",
    });
    // A login_hint naming a signed-in account does not override the account the person picks on the chooser.
    const hinted = new URLSearchParams({ ...params, login_hint: "bob@example.com" }).toString();
    const chosen = await pick("ana@example.com", cookie, hinted);
    expect(await consentFor(cookie, chosen.next)).toEqual({
      shown: "ana@example.com",
      authuser: "0",
      email: "ana@example.com",
    });
    // Picking b keeps b's place (authuser 1): the accounts list is not reordered.
    const b = await pick("bob@example.com", cookie);
    expect(await consentFor(cookie, b.next)).toEqual({
      shown: "bob@example.com",
      authuser: "1",
      email: "bob@example.com",
    });
  });

  it("the unverified-app warning names the app's support email, or no address when the state has none", async () => {
    const { emu, cb } = await setup();
    const warningFor = async () => {
      const q = new URLSearchParams(authParams(cb)).toString();
      const signin = await post(emu.origin, "/v3/signin/identifier", { q, account: "ana@example.com" });
      const cookie = signin.headers.get("set-cookie")!.split(";")[0]!;
      const to = new URL(signin.headers.get("location")!);
      expect(to.pathname).toBe("/signin/oauth/warning");
      return (await get(to.toString(), { cookie })).body as string;
    };
    const none = await warningFor();
    expect(none).toContain("Until the developer verifies this app");
    expect(none).not.toContain("ana@example.com");
    emu.admin.updateProject("demo-project", { supportEmail: "Support@Example.com" });
    expect(await warningFor()).toContain("Until the developer (support@example.com) verifies this app");
  });

  it("include_granted_scopes=true adds earlier grants to the new code", async () => {
    const { emu, cb } = await setup();
    await tokens(emu, cb, { scope: READONLY });
    const res = await tokens(emu, cb, { scope: SEND, include_granted_scopes: "true" });
    expect(res.body.scope.split(" ").sort()).toEqual([READONLY, SEND].sort());
  });
});
