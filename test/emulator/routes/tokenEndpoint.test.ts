// The token endpoint, tokeninfo, revoke and discovery over real HTTP, against docs/google-behaviour.md §2-§4.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { consent, DESKTOP, EMAIL, exchange, get, MAIL, post, SECRET, SEND, setup, tokens, WEB } from "../helpers";

describe("token endpoint (google-behaviour.md §2)", () => {
  it("code exchange: Bearer, expires_in 3599, refresh_token_expires_in 604799 for External+Testing, id_token with openid", async () => {
    const { emu, cb } = await setup();
    const res = await tokens(emu, cb, { scope: `openid ${MAIL}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      token_type: "Bearer",
      expires_in: 3599,
      refresh_token_expires_in: 604799,
      scope: `openid ${MAIL}`,
    });
    expect(res.body.access_token).toMatch(/^ya29\./);
    expect(res.body.access_token.length).toBeLessThanOrEqual(2048);
    expect(res.body.refresh_token.length).toBeLessThanOrEqual(512);
    const [, payload] = res.body.id_token.split(".");
    expect(JSON.parse(Buffer.from(payload, "base64url").toString())).toMatchObject({ iss: emu.origin, aud: DESKTOP });
  });

  it("the Testing 7-day expiry follows the REQUESTED scopes: Gmail asked but unticked still expires (google-behaviour.md §3)", async () => {
    const { emu, cb } = await setup();
    const res = await tokens(emu, cb, { scope: `openid email ${MAIL} ${SEND}` }, { uncheck: [MAIL, SEND] });
    expect(res.status).toBe(200);
    expect(res.body.scope.split(" ").sort()).toEqual(["openid", EMAIL].sort());
    expect(res.body.refresh_token_expires_in).toBe(604799);
    const refresh = () =>
      post(emu.origin, "/token", {
        grant_type: "refresh_token",
        refresh_token: res.body.refresh_token,
        client_id: DESKTOP,
        client_secret: SECRET,
      });
    emu.admin.advanceClock(7 * 86_400_000);
    expect(await refresh()).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
    });
  });

  it("refresh_token_expires_in counts from consent: a code exchanged 5 minutes later gets 300 s less", async () => {
    const { emu, cb } = await setup({ clock: { now: "2026-03-01T00:00:00Z", frozen: true } });
    const out = await consent(emu, cb, {});
    emu.admin.advanceClock(5 * 60_000);
    const res = await exchange(emu.origin, out.kind === "redirect" ? out.code! : "", cb);
    expect(res.body.refresh_token_expires_in).toBe(604799 - 300);
  });

  it("no refresh token without access_type=offline", async () => {
    const { emu, cb } = await setup();
    const res = await tokens(emu, cb, { access_type: "online" });
    expect(res.body.refresh_token).toBeUndefined();
  });

  it("client errors: not found, wrong secret, missing secret, deleted (bodies and statuses exactly)", async () => {
    const { emu, cb } = await setup();
    const out = await consent(emu, cb, {});
    const code = out.kind === "redirect" ? out.code! : "";
    expect(await exchange(emu.origin, code, cb, { client_id: "9-x.apps.googleusercontent.com" })).toMatchObject({
      status: 401,
      body: { error: "invalid_client", error_description: "The OAuth client was not found." },
    });
    expect(await exchange(emu.origin, code, cb, { client_secret: "GOCSPX-wrong" })).toMatchObject({
      status: 401,
      body: { error: "invalid_client", error_description: "Unauthorized" },
    });
    const { status, body } = await post(emu.origin, "/token", {
      code,
      client_id: DESKTOP,
      redirect_uri: cb.url,
      grant_type: "authorization_code",
    });
    expect({ status, body }).toEqual({
      status: 400,
      body: { error: "invalid_request", error_description: "client_secret is missing." },
    });
    emu.admin.deleteClient(DESKTOP);
    expect(await exchange(emu.origin, code, cb)).toMatchObject({
      status: 401,
      body: { error: "deleted_client", error_description: "The OAuth client was deleted." },
    });
  });

  it("the secret may come by HTTP Basic; either of two secrets works", async () => {
    const { emu, cb } = await setup();
    emu.admin.updateClient(DESKTOP, { secrets: [SECRET, "GOCSPX-secondSecret00000000000"] });
    const out = await consent(emu, cb, {});
    const code = out.kind === "redirect" ? out.code! : "";
    const basic = Buffer.from(`${DESKTOP}:GOCSPX-secondSecret00000000000`).toString("base64");
    const res = await post(
      emu.origin,
      "/token",
      { code, redirect_uri: cb.url, grant_type: "authorization_code" },
      { authorization: `Basic ${basic}` },
    );
    expect(res.status).toBe(200);
  });

  it("codes: malformed, single use, redirect_uri must match, expire by the emulator clock", async () => {
    const { emu, cb } = await setup();
    expect(await exchange(emu.origin, "not-a-code", cb)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_description: "Malformed auth code." },
    });
    const a = await consent(emu, cb, {});
    const code = a.kind === "redirect" ? a.code! : "";
    expect(await exchange(emu.origin, code, cb, { redirect_uri: `${cb.url}x` })).toMatchObject({
      status: 400,
      body: { error: "redirect_uri_mismatch", error_description: "Bad Request" },
    });
    expect((await exchange(emu.origin, code, cb)).status).toBe(200);
    expect(await exchange(emu.origin, code, cb)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_description: "Bad Request" },
    });
    const b = await consent(emu, cb, { prompt: "consent" });
    emu.admin.advanceClock(11 * 60_000);
    expect(await exchange(emu.origin, b.kind === "redirect" ? b.code! : "", cb)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_description: "Bad Request" },
    });
  });

  it("PKCE S256 and plain are enforced", async () => {
    const { emu, cb } = await setup();
    const verifier = `${"v".repeat(20)}-._~${"A1".repeat(10)}`;
    const s256 = createHash("sha256").update(verifier).digest("base64url");
    const a = await consent(emu, cb, { code_challenge: s256, code_challenge_method: "S256" });
    const codeA = a.kind === "redirect" ? a.code! : "";
    expect(await exchange(emu.origin, codeA, cb)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await exchange(emu.origin, codeA, cb, { code_verifier: `${verifier}x` })).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    expect((await exchange(emu.origin, codeA, cb, { code_verifier: verifier })).status).toBe(200);
    // No method means plain (google-behaviour.md §1.5).
    const b = await consent(emu, cb, { code_challenge: verifier, prompt: "consent" });
    const codeB = b.kind === "redirect" ? b.code! : "";
    expect((await exchange(emu.origin, codeB, cb, { code_verifier: s256.padEnd(43, "x") })).status).toBe(400);
    expect((await exchange(emu.origin, codeB, cb, { code_verifier: verifier })).status).toBe(200);
  });

  it("refresh: new access token, no new refresh token; another client's token is unauthorized_client", async () => {
    const { emu, cb } = await setup();
    const { body } = await tokens(emu, cb, {});
    const res = await post(emu.origin, "/token", {
      grant_type: "refresh_token",
      refresh_token: body.refresh_token,
      client_id: DESKTOP,
      client_secret: SECRET,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: "Bearer", expires_in: 3599, scope: MAIL });
    expect(res.body.refresh_token).toBeUndefined();
    const other = await post(emu.origin, "/token", {
      grant_type: "refresh_token",
      refresh_token: body.refresh_token,
      client_id: WEB,
      client_secret: SECRET,
    });
    expect(other).toMatchObject({
      status: 401,
      body: { error: "unauthorized_client", error_description: "Unauthorized" },
    });
  });

  it("refresh tokens of a Testing app die 7 days after consent, by the emulator clock", async () => {
    const { emu, cb } = await setup();
    const { body } = await tokens(emu, cb, {});
    const refresh = () =>
      post(emu.origin, "/token", {
        grant_type: "refresh_token",
        refresh_token: body.refresh_token,
        client_id: DESKTOP,
        client_secret: SECRET,
      });
    emu.admin.advanceClock(7 * 86_400_000 - 60_000);
    expect((await refresh()).status).toBe(200);
    emu.admin.advanceClock(60_000);
    expect(await refresh()).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
    });
  });

  it("unknown grant type and missing client_id", async () => {
    const { emu } = await setup();
    expect(
      (await post(emu.origin, "/token", { grant_type: "password", client_id: DESKTOP, client_secret: SECRET })).body
        .error,
    ).toBe("unsupported_grant_type");
    expect((await post(emu.origin, "/token", { grant_type: "authorization_code" })).body.error).toBe("invalid_request");
  });
});

describe("tokeninfo and revoke (google-behaviour.md §4)", () => {
  it("tokeninfo values are strings; no sub/email without openid/email", async () => {
    const { emu, cb } = await setup({ clock: { now: "2026-03-01T00:00:00Z", frozen: true } });
    const { body } = await tokens(emu, cb, {});
    const info = await get(`${emu.origin}/tokeninfo?access_token=${encodeURIComponent(body.access_token)}`);
    expect(info.status).toBe(200);
    expect(Object.keys(info.body).sort()).toEqual(["access_type", "aud", "azp", "exp", "expires_in", "scope"]);
    for (const v of Object.values(info.body)) expect(typeof v).toBe("string");
    expect(info.body).toMatchObject({
      aud: DESKTOP,
      azp: DESKTOP,
      scope: MAIL,
      access_type: "offline",
      expires_in: "3599",
      exp: String(Date.parse("2026-03-01T00:00:00Z") / 1000 + 3599),
    });
    const withEmail = await tokens(emu, cb, { scope: `openid email ${MAIL}`, prompt: "consent" });
    const info2 = await get(`${emu.origin}/tokeninfo?access_token=${encodeURIComponent(withEmail.body.access_token)}`);
    expect(info2.body).toMatchObject({ email: "ana@example.com", email_verified: "true" });
    expect(info2.body.sub).toMatch(/^1\d{20}$/);
  });

  it("tokeninfo refuses refresh tokens and expired access tokens with 400 invalid_token 'Invalid Value'", async () => {
    const { emu, cb } = await setup();
    const { body } = await tokens(emu, cb, {});
    const bad = { status: 400, body: { error: "invalid_token", error_description: "Invalid Value" } };
    expect(await get(`${emu.origin}/tokeninfo?access_token=${encodeURIComponent(body.refresh_token)}`)).toMatchObject(
      bad,
    );
    emu.admin.advanceClock(3600_000);
    expect(await get(`${emu.origin}/tokeninfo?access_token=${encodeURIComponent(body.access_token)}`)).toMatchObject(
      bad,
    );
  });

  it("revoking the access token revokes its refresh token too; a second revoke is 400 'Token expired or revoked'", async () => {
    const { emu, cb } = await setup();
    const { body } = await tokens(emu, cb, {});
    expect((await post(emu.origin, "/revoke", { token: body.access_token })).status).toBe(200);
    const refreshed = await post(emu.origin, "/token", {
      grant_type: "refresh_token",
      refresh_token: body.refresh_token,
      client_id: DESKTOP,
      client_secret: SECRET,
    });
    expect(refreshed).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
    });
    expect(await post(emu.origin, "/revoke", { token: body.access_token })).toMatchObject({
      status: 400,
      body: { error: "invalid_token", error_description: "Token expired or revoked" },
    });
    expect((await get(`${emu.origin}/revoke?token=x`)).status).toBe(404);
    // The grant is gone: the next authorization asks for consent again.
    const again = await consent(emu, cb, {});
    expect(again).toMatchObject({ kind: "redirect", params: { prompt: "consent" } });
  });
});

describe("discovery", () => {
  it("advertises the emulator's endpoints and PKCE plain and S256", async () => {
    const { emu } = await setup();
    const { body } = await get(`${emu.origin}/.well-known/openid-configuration`);
    expect(body).toMatchObject({
      issuer: emu.origin,
      authorization_endpoint: `${emu.origin}/o/oauth2/v2/auth`,
      token_endpoint: `${emu.origin}/token`,
      revocation_endpoint: `${emu.origin}/revoke`,
    });
    expect(body.code_challenge_methods_supported).toEqual(["plain", "S256"]);
    const jwks = await get(body.jwks_uri);
    expect(jwks.body.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256" });
  });
});
