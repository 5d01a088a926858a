import { afterEach, describe, expect, it } from "vitest";
import { forgetSecrets, redact } from "../../../common/redact";
import { googleEndpoints } from "../../../google/endpoints";
import { exchangeCode, refreshAccessToken, revokeToken, tokenInfo } from "../../../validator/token/calls";
import { cannedServer } from "./cannedServer";

const CLIENT = { clientId: "123-abc.apps.googleusercontent.com", clientSecret: "GOCSPX-calls-test-secret" };

afterEach(() => forgetSecrets());

describe("token calls", () => {
  it("exchanges a code with the verifier and secret, once, and registers every token", async () => {
    const srv = await cannedServer(() => ({
      status: 200,
      json: {
        access_token: "opaque-access-111111",
        refresh_token: "opaque-refresh-22222",
        refresh_token_expires_in: 604799,
        expires_in: 3599,
        scope: "https://mail.google.com/",
        token_type: "Bearer",
      },
    }));
    const r = await exchangeCode(
      { endpoints: googleEndpoints(srv.origin), deadline: Date.now() + 5000 },
      CLIENT,
      "opaque-code-333333",
      "http://127.0.0.1:8085/",
      "v".repeat(43),
    );
    expect(r).toEqual({
      kind: "ok",
      tokens: {
        accessToken: "opaque-access-111111",
        refreshToken: "opaque-refresh-22222",
        refreshTokenExpiresIn: 604799,
        expiresIn: 3599,
        scope: "https://mail.google.com/",
        idToken: undefined,
      },
      // Google's clock, from the answer's Date header (the forecast's "now", issue 16).
      googleTime: expect.any(Number),
    });
    const form = Object.fromEntries(new URLSearchParams(srv.seen[0]!.body));
    expect(form).toEqual({
      grant_type: "authorization_code",
      code: "opaque-code-333333",
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      redirect_uri: "http://127.0.0.1:8085/",
      code_verifier: "v".repeat(43),
    });
    expect(redact("opaque-access-111111 opaque-refresh-22222 opaque-code-333333")).toBe(
      "[REDACTED] [REDACTED] [REDACTED]",
    );
    await srv.close();
  });

  it("never retries a code exchange (a code is single-use)", async () => {
    const srv = await cannedServer(() => ({ status: 503, text: "unavailable" }));
    const r = await exchangeCode(
      { endpoints: googleEndpoints(srv.origin), deadline: Date.now() + 5000 },
      CLIENT,
      "code-abcdefgh",
      "http://127.0.0.1:1/",
      "v".repeat(43),
    );
    expect(r.kind).toBe("inconclusive");
    expect(srv.seen).toHaveLength(1);
    await srv.close();
  });

  it("returns Google's OAuth error for a refresh", async () => {
    const srv = await cannedServer(() => ({
      status: 400,
      json: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
    }));
    const r = await refreshAccessToken(
      { endpoints: googleEndpoints(srv.origin), deadline: Date.now() + 5000 },
      CLIENT,
      "1//0refresh-token-value",
    );
    expect(r).toEqual({
      kind: "error",
      err: {
        status: 400,
        error: "invalid_grant",
        description: "Token has been expired or revoked.",
        subtype: undefined,
      },
      googleTime: expect.any(Number),
    });
    expect(Object.fromEntries(new URLSearchParams(srv.seen[0]!.body))).toMatchObject({
      grant_type: "refresh_token",
      refresh_token: "1//0refresh-token-value",
    });
    await srv.close();
  });

  it("reads tokeninfo's string fields and treats its errors as inconclusive", async () => {
    let ok = true;
    const srv = await cannedServer(() =>
      ok
        ? { status: 200, json: { aud: CLIENT.clientId, email: "a@b.c", scope: "x", exp: "1" } }
        : { status: 400, json: { error: "invalid_token", error_description: "Invalid Value" } },
    );
    const ep = { endpoints: googleEndpoints(srv.origin), deadline: Date.now() + 5000 };
    expect(await tokenInfo(ep, "tok")).toEqual({
      kind: "ok",
      info: { aud: CLIENT.clientId, azp: undefined, email: "a@b.c", scope: "x", sub: undefined },
    });
    ok = false;
    expect(await tokenInfo(ep, "tok")).toEqual({
      kind: "inconclusive",
      reason: "tokeninfo: HTTP 400 invalid_token (Invalid Value)",
    });
    await srv.close();
  });

  it("revokes with a POST form and reads an already-revoked token as an error", async () => {
    let status = 200;
    const srv = await cannedServer(() =>
      status === 200
        ? { status, json: {} }
        : { status, json: { error: "invalid_token", error_description: "Token expired or revoked" } },
    );
    const ep = { endpoints: googleEndpoints(srv.origin), deadline: Date.now() + 5000 };
    expect(await revokeToken(ep, "rt")).toEqual({ kind: "ok" });
    expect(srv.seen[0]).toMatchObject({ method: "POST", path: "/revoke", body: "token=rt" });
    status = 400;
    expect((await revokeToken(ep, "rt")).kind).toBe("error");
    await srv.close();
  });
});
