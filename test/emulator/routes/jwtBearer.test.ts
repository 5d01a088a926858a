// The JWT bearer grant, IAM Credentials signJwt and Gmail as the impersonated user, over real HTTP, compared with
// google-behaviour.md §10 (Google's error bodies quoted there).
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator/index";
import { dwdClaims, JWT_BEARER_GRANT, signJwtRs256 } from "../../../google/domainWideDelegation";
import {
  dwdScenario,
  INTERN_TOKEN,
  KEY_ID,
  keyPair,
  MAIL,
  OPS_TOKEN,
  PROJECT,
  READONLY,
  SA,
  SA_ID,
  SEND,
  SIGNER_ONLY_TOKEN,
} from "../../support/dwdScenario";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(delegated?: string[]) {
  emu = await startEmulator(dwdScenario(delegated));
  return emu;
}

async function token(origin: string, assertion: string) {
  const res = await fetch(`${origin}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const signed = (sub: string | undefined, scopes: string[], opts: { now?: number; key?: string } = {}) =>
  signJwtRs256(dwdClaims(SA, sub, scopes, opts.now ?? Date.now()), opts.key ?? keyPair().privateKey, KEY_ID);

const UNAUTHORIZED = {
  error: "unauthorized_client",
  error_description:
    "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.",
};

async function profile(origin: string, accessToken: string, user = "me") {
  const res = await fetch(`${origin}/gmail/v1/users/${user}/profile`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("JWT bearer grant (google-behaviour.md §10)", () => {
  it("a key-signed JWT for a delegated scope gets an hour's access token, no refresh token, and Gmail as the user", async () => {
    const { origin } = await start([MAIL, READONLY]);
    const res = await token(origin, signed("ana@acme.com", [READONLY]));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^ya29\./),
      expires_in: 3599,
      token_type: "Bearer",
    });
    const p = await profile(origin, res.body.access_token as string);
    expect(p).toMatchObject({ status: 200, body: { emailAddress: "ana@acme.com", messagesTotal: 3 } });
    // Another user's mailbox with ana's token: Delegation denied (google-behaviour.md §10).
    const other = await profile(origin, res.body.access_token as string, "bob%40acme.com");
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe("Delegation denied for ana@acme.com");
  });

  it("unauthorized_client when the client ID is not delegated, when one scope is missing, and for a consumer account", async () => {
    const { origin, admin } = await start([SEND]);
    expect(await token(origin, signed("ana@acme.com", [SEND, READONLY]))).toEqual({ status: 401, body: UNAUTHORIZED });
    expect(await token(origin, signed("someone@gmail.com", [SEND]))).toEqual({ status: 401, body: UNAUTHORIZED });
    admin.setDelegation({ domain: "acme.com", clientId: SA_ID, scopes: [] });
    expect(await token(origin, signed("ana@acme.com", [SEND]))).toEqual({ status: 401, body: UNAUTHORIZED });
  });

  it("invalid_grant for a user the domain does not have, a malformed subject, and a stale or too long JWT", async () => {
    const { origin } = await start([MAIL]);
    expect(await token(origin, signed("ghost@acme.com", [MAIL]))).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: "Invalid email or User ID" },
    });
    expect((await token(origin, signed("not an address", [MAIL]))).body.error_description).toBe("Not a valid email.");
    const stale = await token(origin, signed("ana@acme.com", [MAIL], { now: Date.now() - 3 * 3600_000 }));
    expect(stale).toEqual({
      status: 400,
      body: {
        error: "invalid_grant",
        error_description:
          "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
      },
    });
    const now = Math.floor(Date.now() / 1000);
    const long = signJwtRs256(
      { ...dwdClaims(SA, "ana@acme.com", [MAIL], Date.now()), exp: now + 7200 },
      keyPair().privateKey,
      KEY_ID,
    );
    expect((await token(origin, long)).body.error).toBe("invalid_grant");
  });

  it("checks the RS256 signature: another key, a disabled or a deleted key get Invalid JWT Signature.", async () => {
    const { origin, admin } = await start([MAIL]);
    const other = admin.createServiceAccountKey(SA);
    // A key the emulator made verifies, so the check is a real signature check, not a key-ID lookup.
    expect((await token(origin, signed("ana@acme.com", [MAIL], { key: other.private_key }))).status).toBe(200);
    const forged = signJwtRs256(dwdClaims(SA, "ana@acme.com", [MAIL], Date.now()), other.private_key, KEY_ID);
    expect((await token(origin, forged)).status).toBe(200);
    const tampered = `${signed("ana@acme.com", [MAIL]).slice(0, -6)}AAAAAA`;
    const bad = { status: 400, body: { error: "invalid_grant", error_description: "Invalid JWT Signature." } };
    expect(await token(origin, tampered)).toEqual(bad);
    admin.updateServiceAccountKey(SA, KEY_ID, { disabled: true });
    expect(await token(origin, signed("ana@acme.com", [MAIL]))).toEqual(bad);
    admin.updateServiceAccountKey(SA, KEY_ID, { disabled: false, deleted: true });
    expect(await token(origin, signed("ana@acme.com", [MAIL]))).toEqual(bad);
  });

  it("an unknown service account is invalid_client The OAuth client was not found.", async () => {
    const { origin } = await start();
    const claims = {
      ...dwdClaims(SA, "ana@acme.com", [MAIL], Date.now()),
      iss: `nobody@${PROJECT}.iam.gserviceaccount.com`,
    };
    expect(await token(origin, signJwtRs256(claims, keyPair().privateKey))).toEqual({
      status: 401,
      body: { error: "invalid_client", error_description: "The OAuth client was not found." },
    });
  });

  it("without a subject the token is the service account's own, and Gmail answers Precondition check failed.", async () => {
    const { origin } = await start([MAIL]);
    const res = await token(origin, signed(undefined, [MAIL]));
    expect(res.status).toBe(200);
    expect(await profile(origin, res.body.access_token as string)).toEqual({
      status: 400,
      body: {
        error: {
          code: 400,
          message: "Precondition check failed.",
          errors: [{ message: "Precondition check failed.", domain: "global", reason: "failedPrecondition" }],
          status: "FAILED_PRECONDITION",
        },
      },
    });
  });

  it("a user without Gmail gets a token, and Gmail answers Mail service not enabled", async () => {
    const { origin } = await start([MAIL]);
    const res = await token(origin, signed("nomail@acme.com", [MAIL]));
    expect((await profile(origin, res.body.access_token as string)).body.error.message).toBe(
      "Mail service not enabled",
    );
  });
});

describe("IAM Credentials signJwt (google-behaviour.md §10)", () => {
  const signJwt = async (origin: string, bearer: string, sa = SA, body: unknown = undefined) => {
    const res = await fetch(`${origin}/v1/projects/-/serviceAccounts/${encodeURIComponent(sa)}:signJwt`, {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: JSON.stringify(body ?? { payload: JSON.stringify(dwdClaims(sa, "ana@acme.com", [MAIL], Date.now())) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it("a token creator gets a JWT signed by a Google-managed key, which the token endpoint accepts", async () => {
    const { origin } = await start([MAIL]);
    const res = await signJwt(origin, OPS_TOKEN);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ keyId: expect.stringMatching(/^[0-9a-f]{40}$/), signedJwt: expect.any(String) });
    expect(res.body.keyId).not.toBe(KEY_ID);
    expect((await token(origin, res.body.signedJwt)).status).toBe(200);
  });

  it("403 iam.serviceAccounts.signJwt for a caller without the role, or an unknown account; 401 without a credential", async () => {
    const { origin } = await start();
    const denied = await signJwt(origin, INTERN_TOKEN);
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({
      code: 403,
      message: "Permission 'iam.serviceAccounts.signJwt' denied on resource (or it may not exist).",
      status: "PERMISSION_DENIED",
    });
    expect((await signJwt(origin, OPS_TOKEN, `ghost@${PROJECT}.iam.gserviceaccount.com`)).status).toBe(403);
    expect((await signJwt(origin, "ya29.nobody-knows-this")).status).toBe(401);
    expect((await signJwt(origin, OPS_TOKEN, SA, { payload: "not json" })).status).toBe(400);
  });
});

describe("admin and scenario", () => {
  it("state shows service accounts, keys and delegation rows, never a key", async () => {
    const { admin } = await start([SEND]);
    const state = admin.state();
    expect(state.serviceAccounts).toEqual([
      expect.objectContaining({
        email: SA,
        uniqueId: SA_ID,
        tokenCreators: ["user:ops@acme.com", "serviceAccount:mail-app@acme-apps.iam.gserviceaccount.com"],
      }),
    ]);
    expect(state.delegations).toEqual([{ domain: "acme.com", clientId: SA_ID, scopes: [SEND] }]);
    expect(JSON.stringify(state)).not.toMatch(/PRIVATE KEY|PUBLIC KEY/);
  });

  it("names the field of a bad service account or delegation", async () => {
    await expect(
      startEmulator({ ...dwdScenario(), serviceAccounts: [{ email: "relay@example.com" }] }),
    ).rejects.toThrow(/serviceAccounts\[0\]\.email.*not a service account email/);
    await expect(
      startEmulator({
        ...dwdScenario(),
        delegations: [{ domain: "acme.com", clientId: SA_ID, scopes: ["gmail.sendd"] }],
      }),
    ).rejects.toThrow(/delegations\[0\]\.scopes\[0\]/);
  });
});

describe("IAM projects.serviceAccounts.get (the unique ID delegation names)", () => {
  async function get(origin: string, bearer: string, project = PROJECT, email = SA) {
    const res = await fetch(`${origin}/v1/projects/${project}/serviceAccounts/${encodeURIComponent(email)}`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  it("answers Google's ServiceAccount shape, with the project named or as '-'", async () => {
    const { origin } = await start();
    for (const project of [PROJECT, "-"]) {
      const r = await get(origin, OPS_TOKEN, project);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        name: `projects/${PROJECT}/serviceAccounts/${SA}`,
        projectId: PROJECT,
        uniqueId: SA_ID,
        email: SA,
        etag: expect.any(String),
        oauth2ClientId: SA_ID,
      });
    }
  });

  it("a caller who may not read the project: 403 naming iam.serviceAccounts.get, whether or not the account exists", async () => {
    const { origin } = await start();
    const r = await get(origin, SIGNER_ONLY_TOKEN);
    const message = `Permission iam.serviceAccounts.get is required to perform this operation on service account projects/${PROJECT}/serviceAccounts/${SA}.`;
    expect(r).toEqual({
      status: 403,
      body: {
        error: {
          code: 403,
          message,
          errors: [{ message, domain: "global", reason: "forbidden" }],
          status: "PERMISSION_DENIED",
        },
      },
    });
    const ghost = `ghost-relay@${PROJECT}.iam.gserviceaccount.com`;
    expect((await get(origin, SIGNER_ONLY_TOKEN, PROJECT, ghost)).status).toBe(403);
    expect((await get(origin, "ya29.unknown")).status).toBe(401);
  });

  it("a deleted service account: 404 NOT_FOUND; signJwt and the key's JWTs are refused too", async () => {
    const e = await start();
    e.admin.deleteServiceAccount(SA);
    const r = await get(e.origin, OPS_TOKEN);
    expect(r).toEqual({
      status: 404,
      body: {
        error: {
          code: 404,
          message: "Unknown service account",
          errors: [{ message: "Unknown service account", domain: "global", reason: "notFound" }],
          status: "NOT_FOUND",
        },
      },
    });
    const sign = await fetch(`${e.origin}/v1/projects/-/serviceAccounts/${encodeURIComponent(SA)}:signJwt`, {
      method: "POST",
      headers: { authorization: `Bearer ${OPS_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ payload: JSON.stringify(dwdClaims(SA, "ana@acme.com", [MAIL], Date.now())) }),
    });
    expect(sign.status).toBe(403);
    expect((await token(e.origin, signed("ana@acme.com", [MAIL]))).body.error).toBe("invalid_client");
    // Google never hands a deleted account's unique ID to another one.
    expect(() =>
      e.admin.addServiceAccount({ email: `other-relay@${PROJECT}.iam.gserviceaccount.com`, uniqueId: SA_ID }),
    ).toThrow(/deleted/);
  });
});
