// Gmail, Service Usage and Resource Manager over real HTTP, compared with google-behaviour.md §5 and §6.
import { describe, expect, it } from "vitest";
import { DESKTOP, get, MAIL, NOGMAIL, READONLY, SEND, setup } from "../helpers";

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const raw = (s: string) => Buffer.from(s).toString("base64url");

async function send(origin: string, token: string, body: unknown) {
  const res = await fetch(`${origin}/gmail/v1/users/me/messages/send`, {
    method: "POST",
    headers: { ...bearer(token), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("Gmail API", () => {
  it("getProfile returns emailAddress, messagesTotal, threadsTotal and a string historyId", async () => {
    const { emu } = await setup();
    const { access_token } = emu.admin.mintGrant({ clientId: DESKTOP, account: "ana@example.com", scopes: [MAIL] });
    const res = await get(`${emu.origin}/gmail/v1/users/me/profile`, bearer(access_token));
    expect(res).toMatchObject({
      status: 200,
      body: { emailAddress: "ana@example.com", messagesTotal: 12, threadsTotal: 7 },
    });
    expect(typeof res.body.historyId).toBe("string");
    expect((await get(`${emu.origin}/gmail/v1/users/ana%40example.com/profile`, bearer(access_token))).status).toBe(
      200,
    );
  });

  it("401 with Google's body for a missing, unknown or expired token", async () => {
    const { emu } = await setup();
    const { access_token } = emu.admin.mintGrant({ clientId: DESKTOP, account: "ana@example.com", scopes: [MAIL] });
    const expected = {
      error: {
        code: 401,
        message:
          "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        errors: [
          {
            message: "Invalid Credentials",
            domain: "global",
            reason: "authError",
            location: "Authorization",
            locationType: "header",
          },
        ],
        status: "UNAUTHENTICATED",
      },
    };
    expect(await get(`${emu.origin}/gmail/v1/users/me/profile`)).toMatchObject({ status: 401, body: expected });
    expect(await get(`${emu.origin}/gmail/v1/users/me/profile`, bearer("ya29.unknown"))).toMatchObject({
      status: 401,
      body: expected,
    });
    emu.admin.advanceClock(3600_000);
    expect(await get(`${emu.origin}/gmail/v1/users/me/profile`, bearer(access_token))).toMatchObject({
      status: 401,
      body: expected,
    });
  });

  it("SERVICE_DISABLED: 403 with errors[] and details, the activation URL carrying the project NUMBER", async () => {
    const { emu } = await setup();
    const { access_token } = emu.admin.mintGrant({ clientId: NOGMAIL, account: "ana@example.com", scopes: [MAIL] });
    const res = await get(`${emu.origin}/gmail/v1/users/me/profile`, bearer(access_token));
    const url = "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=444455556666";
    const message = `Gmail API has not been used in project 444455556666 before or it is disabled. Enable it by visiting ${url} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: {
        code: 403,
        message,
        errors: [
          {
            message,
            domain: "usageLimits",
            reason: "accessNotConfigured",
            extendedHelp: "https://console.developers.google.com",
          },
        ],
        status: "PERMISSION_DENIED",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "SERVICE_DISABLED",
            domain: "googleapis.com",
            metadata: {
              service: "gmail.googleapis.com",
              serviceTitle: "Gmail API",
              consumer: "projects/444455556666",
              containerInfo: "444455556666",
              activationUrl: url,
            },
          },
          { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", locale: "en-US", message },
          {
            "@type": "type.googleapis.com/google.rpc.Help",
            links: [{ description: "Google developers console API activation", url }],
          },
        ],
      },
    });
    // Enabling through Service Usage makes the same token work.
    const enable = await fetch(`${emu.origin}/v1/projects/nogmail-project/services/gmail.googleapis.com:enable`, {
      method: "POST",
      headers: bearer("ya29.cloud-admin-token"),
    });
    expect(enable.status).toBe(200);
    expect((await get(`${emu.origin}/gmail/v1/users/me/profile`, bearer(access_token))).status).toBe(200);
  });

  it("insufficient scope: getProfile with gmail.send only is 403 ACCESS_TOKEN_SCOPE_INSUFFICIENT", async () => {
    const { emu } = await setup();
    const { access_token } = emu.admin.mintGrant({ clientId: DESKTOP, account: "ana@example.com", scopes: [SEND] });
    const res = await get(`${emu.origin}/gmail/v1/users/me/profile`, bearer(access_token));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: 403,
      message: "Request had insufficient authentication scopes.",
      errors: [{ message: "Insufficient Permission", domain: "global", reason: "insufficientPermissions" }],
      status: "PERMISSION_DENIED",
    });
    expect(res.body.error.details[0]).toMatchObject({
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
      domain: "googleapis.com",
      metadata: { service: "gmail.googleapis.com" },
    });
    const readonly = emu.admin.mintGrant({ clientId: DESKTOP, account: "ana@example.com", scopes: [READONLY] });
    expect((await send(emu.origin, readonly.access_token, { raw: raw("To: a@b.c\r\n\r\nhi") })).status).toBe(403);
  });

  it("an account without a mailbox: 400 Mail service not enabled", async () => {
    const { emu } = await setup();
    const { access_token } = emu.admin.mintGrant({ clientId: DESKTOP, account: "dave@example.com", scopes: [MAIL] });
    expect(await get(`${emu.origin}/gmail/v1/users/me/profile`, bearer(access_token))).toEqual(
      expect.objectContaining({
        status: 400,
        body: {
          error: {
            code: 400,
            message: "Mail service not enabled",
            errors: [{ message: "Mail service not enabled", domain: "global", reason: "failedPrecondition" }],
            status: "FAILED_PRECONDITION",
          },
        },
      }),
    );
  });

  it("messages.send records the message and updates the profile counters", async () => {
    const { emu } = await setup();
    const { access_token } = emu.admin.mintGrant({ clientId: DESKTOP, account: "ana@example.com", scopes: [SEND] });
    const res = await send(emu.origin, access_token, {
      raw: raw("From: ana@example.com\r\nTo: bob@example.com\r\nSubject: Hello\r\n\r\nBody"),
    });
    expect(res.status).toBe(200);
    expect(res.body.labelIds).toEqual(["SENT"]);
    const sent = emu.admin.sentMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      id: res.body.id,
      account: "ana@example.com",
      clientId: DESKTOP,
      headers: { to: "bob@example.com", subject: "Hello" },
    });
    expect(emu.admin.state().accounts.find((a) => a.email === "ana@example.com")?.messagesTotal).toBe(13);
    expect((await send(emu.origin, access_token, {})).body.error.status).toBe("INVALID_ARGUMENT");
    expect((await send(emu.origin, access_token, { raw: raw("Subject: none\r\n\r\nx") })).body.error.message).toBe(
      "Recipient address required",
    );
  });

  it("the project's per-user quota per minute: getProfile costs 1 unit, send 100; 403 rateLimitExceeded past it, per user, freed a minute later", async () => {
    const { emu } = await setup({ clock: { now: "2026-01-01T00:00:00Z", frozen: true } });
    emu.admin.updateProject("demo-project", { gmailUserQuotaPerMinute: 101 });
    const ana = emu.admin.mintGrant({ clientId: DESKTOP, account: "ana@example.com", scopes: [MAIL] }).access_token;
    const profile = (t: string) => get(`${emu.origin}/gmail/v1/users/me/profile`, bearer(t));
    expect((await send(emu.origin, ana, { raw: raw("To: bob@example.com\r\n\r\nx") })).status).toBe(200);
    expect((await profile(ana)).status).toBe(200);
    const refused = await profile(ana);
    const message =
      "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:123456789012'.";
    expect(refused).toMatchObject({
      status: 403,
      body: {
        error: {
          code: 403,
          message,
          errors: [{ message, domain: "usageLimits", reason: "rateLimitExceeded" }],
          status: "PERMISSION_DENIED",
        },
      },
    });
    // Per user: another mailbox of the same project is not affected.
    emu.admin.updateProject("demo-project", { testUsers: ["ana@example.com", "bob@example.com"] });
    const bob = emu.admin.mintGrant({ clientId: DESKTOP, account: "bob@example.com", scopes: [MAIL] }).access_token;
    expect((await profile(bob)).status).toBe(200);
    emu.admin.advanceClock(60_001);
    expect((await profile(ana)).status).toBe(200);
  });

  it("the mailbox's daily sending limit: 429 'User-rate limit exceeded' with the time to retry and (Mail sending)", async () => {
    const { emu } = await setup({ clock: { now: "2026-01-01T00:00:00Z", frozen: true } });
    emu.admin.updateAccount("ana@example.com", { dailySendLimit: 2 });
    // A fresh access token for each send: they last an hour, and the clock moves by hours here.
    const token = () =>
      emu.admin.mintGrant({ clientId: DESKTOP, account: "ana@example.com", scopes: [SEND] }).access_token;
    const mail = { raw: raw("To: bob@example.com\r\n\r\nx") };
    expect((await send(emu.origin, token(), mail)).status).toBe(200);
    emu.admin.advanceClock(3_600_000);
    expect((await send(emu.origin, token(), mail)).status).toBe(200);
    const refused = await send(emu.origin, token(), mail);
    const message = "User-rate limit exceeded.  Retry after 2026-01-02T00:00:00.000Z (Mail sending)";
    expect(refused).toEqual({
      status: 429,
      body: {
        error: {
          code: 429,
          message,
          errors: [{ message, domain: "usageLimits", reason: "rateLimitExceeded" }],
          status: "RESOURCE_EXHAUSTED",
        },
      },
    });
    expect(emu.admin.sentMessages()).toHaveLength(2);
    // A rolling 24 hours: the first send's slot frees a day after it.
    emu.admin.advanceClock(23 * 3_600_000);
    expect((await send(emu.origin, token(), mail)).status).toBe(200);
  });
});

describe("Service Usage and Resource Manager", () => {
  const cloud = bearer("ya29.cloud-admin-token");

  it("services.get answers with the project NUMBER in name and parent, by id or number", async () => {
    const { emu } = await setup();
    for (const ref of ["demo-project", "123456789012"]) {
      const res = await get(`${emu.origin}/v1/projects/${ref}/services/gmail.googleapis.com`, cloud);
      expect(res).toMatchObject({
        status: 200,
        body: {
          name: "projects/123456789012/services/gmail.googleapis.com",
          parent: "projects/123456789012",
          state: "ENABLED",
          config: { name: "gmail.googleapis.com", title: "Gmail API" },
        },
      });
    }
    expect(
      (await get(`${emu.origin}/v1/projects/nogmail-project/services/gmail.googleapis.com`, cloud)).body.state,
    ).toBe("DISABLED");
  });

  it(":disable and :enable change the state; refusals are 403 PERMISSION_DENIED with ErrorInfo", async () => {
    const { emu } = await setup();
    const call = (action: string, headers: Record<string, string>) =>
      fetch(`${emu.origin}/v1/projects/demo-project/services/gmail.googleapis.com:${action}`, {
        method: "POST",
        headers,
      });
    const op = (await (await call("disable", cloud)).json()) as any;
    expect(op).toMatchObject({ done: true, response: { service: { state: "DISABLED" } } });
    expect(emu.admin.state().projects.find((p) => p.id === "demo-project")?.services["gmail.googleapis.com"]).toBe(
      "DISABLED",
    );
    emu.admin.addCloudCredential("ya29.read-only-token", { projects: ["demo-project"], canEnable: false });
    const denied = await call("enable", bearer("ya29.read-only-token"));
    expect(denied.status).toBe(403);
    const body = (await denied.json()) as any;
    expect(body.error.message).toMatch(/^Permission denied to enable service \[gmail\.googleapis\.com\]\nHelp Token: /);
    expect(body.error.details[1]).toEqual({
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "AUTH_PERMISSION_DENIED",
      domain: "serviceusage.googleapis.com",
    });
    expect((await get(`${emu.origin}/v1/projects/prod-project/services/gmail.googleapis.com`, cloud)).status).toBe(403);
    expect((await get(`${emu.origin}/v1/projects/demo-project/services/gmail.googleapis.com`)).status).toBe(401);
  });

  it("Resource Manager v3 get: name by number, organisation parent; 403 when not allowed", async () => {
    const { emu } = await setup();
    expect(await get(`${emu.origin}/v3/projects/corp-project`, cloud)).toMatchObject({
      status: 200,
      body: {
        name: "projects/222233334444",
        projectId: "corp-project",
        parent: "organizations/998877",
        state: "ACTIVE",
      },
    });
    expect(await get(`${emu.origin}/v3/projects/prod-project`, cloud)).toMatchObject({
      status: 403,
      body: { error: { status: "PERMISSION_DENIED" } },
    });
  });
});
