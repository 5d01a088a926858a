// Live checks against small node:http fixtures: the answers the emulator does not give (a page rendered in place,
// a redirect back to the app, a token endpoint that accepts anything, a skewed Date header, a broken ADC file).
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { encodeAuthError } from "../../google/authError";
import {
  checkAuthorize,
  checkGmailApi,
  checkToken,
  clockCheck,
  liveContext,
  appRedirectTargets,
  CLOCK_SKEW_LIMIT_MS,
} from "../../validator/live";
import type { ValidationInput } from "../../validator/types";
import { fixture, json, type Fixture, type Handler } from "./helpers";

const CLIENT = "123456789012-abc123.apps.googleusercontent.com";
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

async function ctxWith(handler: Handler, extra: Partial<ValidationInput> = {}) {
  fx = await fixture(handler);
  const input: ValidationInput = {
    clientId: CLIENT,
    clientSecret: "GOCSPX-live-0001",
    redirectUris: ["https://mail.example.com/cb"],
    scopes: ["https://mail.google.com/"],
    project: "acme-mail",
    googleOrigin: fx.origin,
    deadline: Date.now() + 15_000,
    provenance: {},
    ...extra,
  };
  return liveContext(input);
}

describe("authorization endpoint", () => {
  test("sends the probe without following the redirect", async () => {
    const ctx = await ctxWith((_q, res) => {
      res.writeHead(302, { location: "/v3/signin/identifier?x=1" });
      res.end();
    });
    expect((await checkAuthorize(ctx, "https://mail.example.com/cb")).status).toBe("pass");
    expect(fx!.requests).toHaveLength(1);
    const q = new URL(fx!.requests[0]!.url, "http://x").searchParams;
    expect(Object.fromEntries(q)).toMatchObject({
      client_id: CLIENT,
      redirect_uri: "https://mail.example.com/cb",
      response_type: "code",
      scope: "https://mail.google.com/",
      access_type: "offline",
    });
  });

  test("an error page rendered in place is read by its wording", async () => {
    const ctx = await ctxWith((_q, res) => {
      res.writeHead(400, { "content-type": "text/html" });
      res.end(
        "<html>Access blocked: authorisation error<p>The OAuth client was not found.<p>Error 401: invalid_client</html>",
      );
    });
    expect(await checkAuthorize(ctx, "https://mail.example.com/cb")).toMatchObject({
      status: "fail",
      diagnosis: "client_not_found",
    });
  });

  test("a shown access_denied is the test-user block (inferred without the wording); OOB in the request details is OOB", async () => {
    let location = `/signin/oauth/error?authError=${encodeAuthError({ error: "access_denied", httpCode: 403, details: {} })}`;
    const ctx = await ctxWith((_q, res) => {
      res.writeHead(302, { location });
      res.end();
    });
    expect(await checkAuthorize(ctx, "https://mail.example.com/cb")).toMatchObject({
      status: "fail",
      diagnosis: "account_not_test_user",
      inferred: true,
    });
    location = `/signin/oauth/error?authError=${encodeAuthError({ error: "redirect_uri_mismatch", httpCode: 400, details: { redirect_uri: "urn:ietf:wg:oauth:2.0:oob" } })}`;
    expect(await checkAuthorize(ctx, "https://mail.example.com/cb")).toMatchObject({
      status: "fail",
      diagnosis: "oob_flow_blocked",
    });
  });

  test("a redirect back to the app with error= is classified", async () => {
    const ctx = await ctxWith((_q, res) => {
      res.writeHead(302, { location: "https://mail.example.com/cb?error=admin_policy_enforced" });
      res.end();
    });
    expect(await checkAuthorize(ctx, "https://mail.example.com/cb")).toMatchObject({
      status: "fail",
      diagnosis: "admin_policy_enforced",
    });
  });

  test("an undecodable authError, or a redirect somewhere unknown, is inconclusive", async () => {
    let location = "/signin/oauth/error?authError=%%%";
    const ctx = await ctxWith((_q, res) => {
      res.writeHead(302, { location });
      res.end();
    });
    expect((await checkAuthorize(ctx, "https://mail.example.com/cb")).status).toBe("inconclusive");
    location = "https://elsewhere.example.com/";
    const c = await checkAuthorize(ctx, "https://mail.example.com/cb");
    expect(c).toMatchObject({ status: "inconclusive", diagnosis: "google_unavailable" });
    expect(c.detail).toContain("neither a sign-in page nor an error page");
  });
});

describe("token endpoint", () => {
  test("posts the deliberately invalid code with the client credentials", async () => {
    const ctx = await ctxWith((_q, res) =>
      json(res, 400, { error: "invalid_grant", error_description: "Malformed auth code." }),
    );
    expect((await checkToken(ctx)).status).toBe("pass");
    const form = new URLSearchParams(fx!.requests[0]!.body);
    expect(form.get("grant_type")).toBe("authorization_code");
    expect(form.get("client_id")).toBe(CLIENT);
    expect(form.get("code")).toBe("gmail-oauth-validator-deliberately-invalid-code");
  });

  test("a 200 for a made-up code is not Google: inconclusive, never pass", async () => {
    const ctx = await ctxWith((_q, res) => json(res, 200, { access_token: "ya29.fake-token-xyz" }));
    expect(await checkToken(ctx)).toMatchObject({ status: "inconclusive" });
  });

  test("an unknown OAuth error is inconclusive, with what Google said", async () => {
    const ctx = await ctxWith((_q, res) => json(res, 400, { error: "unsupported_grant_type" }));
    const c = await checkToken(ctx);
    expect(c.status).toBe("inconclusive");
    expect(c.detail).toContain("unsupported_grant_type");
  });
});

describe("Service Usage", () => {
  test("sends the cloud token as a bearer to the project's gmail service", async () => {
    const ctx = await ctxWith(
      (_q, res) =>
        json(res, 200, { name: "projects/42/services/gmail.googleapis.com", parent: "projects/42", state: "ENABLED" }),
      { cloudAccessToken: "ya29.cloudtoken-live" },
    );
    expect((await checkGmailApi(ctx)).status).toBe("pass");
    expect(fx!.requests[0]!.url).toBe("/v1/projects/acme-mail/services/gmail.googleapis.com");
    expect(fx!.requests[0]!.headers.authorization).toBe("Bearer ya29.cloudtoken-live");
  });

  test("no project: skipped; an ADC file that fails: inconclusive with the reason", async () => {
    const ctx = await ctxWith((_q, res) => json(res, 500, {}), { project: undefined });
    expect((await checkGmailApi(ctx)).status).toBe("skip");
    const dir = await mkdtemp(join(tmpdir(), "adc-"));
    const adc = join(dir, "adc.json");
    await writeFile(adc, JSON.stringify({ type: "unknown_kind" }));
    const ctx2 = await ctxWith((_q, res) => json(res, 500, {}), { adcFile: adc });
    const c = await checkGmailApi(ctx2);
    expect(c).toMatchObject({ status: "inconclusive", diagnosis: "cloud_credentials_missing" });
    expect(c.detail).toContain("Application Default Credentials");
  });
});

describe("clock and targets", () => {
  test("a Date header far from the local clock warns clock_skew", async () => {
    const ctx = await ctxWith((_q, res) => {
      res.writeHead(400, {
        date: new Date(Date.now() - CLOCK_SKEW_LIMIT_MS - 60_000).toUTCString(),
        "content-type": "application/json",
      });
      res.end(JSON.stringify({ error: "invalid_grant" }));
    });
    await checkToken(ctx);
    expect(clockCheck(ctx)).toMatchObject({ status: "warn", diagnosis: "clock_skew", inferred: true });
    expect(clockCheck(ctx).detail).toMatch(/ahead of Google's/);
  });

  test("Desktop loopback and non-http redirect URIs get no app-endpoint check", () => {
    const base = { scopes: [], deadline: 0, provenance: {} };
    expect(
      appRedirectTargets({
        ...base,
        clientType: "desktop",
        redirectUris: ["http://127.0.0.1:8085/", "urn:ietf:wg:oauth:2.0:oob"],
      }).every((t) => t.skip),
    ).toBe(true);
    expect(
      appRedirectTargets({
        ...base,
        clientType: "web",
        redirectUris: ["http://localhost:8069/cb", "https://a.example.com/cb"],
      }).some((t) => t.skip),
    ).toBe(false);
  });
});
