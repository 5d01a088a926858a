// The server: faults per route (scenario and run time), the admin HTTP API, robustness, and prompt close.
import { once } from "node:events";
import { Agent, request } from "node:http";
import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DESKTOP, get, MAIL, post, SECRET, setup } from "./helpers";

const tokenForm = {
  grant_type: "refresh_token",
  refresh_token: "1//0unknownunknownunknown",
  client_id: DESKTOP,
  client_secret: SECRET,
};

describe("faults", () => {
  it("status for the next N requests, with Retry-After, then normal answers", async () => {
    const { emu } = await setup({ faults: { token: { status: 503, times: 2, retryAfterSeconds: 7 } } });
    for (let i = 0; i < 2; i++) {
      const r = await post(emu.origin, "/token", tokenForm);
      expect(r.status).toBe(503);
      expect(r.headers.get("retry-after")).toBe("7");
      expect(r.body).toEqual({
        error: { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" },
      });
    }
    expect((await post(emu.origin, "/token", tokenForm)).status).toBe(400);
    expect(emu.admin.state().faults).toEqual({});
  });

  it("a fraction of requests, reproducibly with the same seed", async () => {
    const run = async () => {
      const { emu } = await setup({ seed: 42, faults: { tokeninfo: { status: 429, fraction: 0.5 } } });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await get(`${emu.origin}/tokeninfo?access_token=x`)).status);
      return statuses;
    };
    const a = await run();
    expect(a.filter((s) => s === 429).length).toBeGreaterThan(8);
    expect(a.filter((s) => s === 400).length).toBeGreaterThan(8);
    expect(await run()).toEqual(a);
  });

  it("malformed body, HTML instead of JSON, dropped connection, redirect loop, latency", async () => {
    const { emu } = await setup();
    emu.admin.setFault("token", { malformedBody: true, times: 1 });
    const malformed = await fetch(`${emu.origin}/token`, { method: "POST", body: new URLSearchParams(tokenForm) });
    expect(malformed.headers.get("content-type")).toContain("application/json");
    await expect(malformed.json()).rejects.toThrow();

    emu.admin.setFault("gmail.profile", { html: true, times: 1 });
    const page = await get(`${emu.origin}/gmail/v1/users/me/profile`);
    expect(page.status).toBe(502);
    expect(page.headers.get("content-type")).toContain("text/html");

    emu.admin.setFault("revoke", { drop: true, times: 1 });
    await expect(
      fetch(`${emu.origin}/revoke`, { method: "POST", body: new URLSearchParams({ token: "x" }) }),
    ).rejects.toThrow();

    emu.admin.setFault("authorize", { redirectLoop: true, times: 1 });
    const loop = await get(`${emu.origin}/o/oauth2/v2/auth?client_id=x`);
    expect(loop.status).toBe(302);
    expect(loop.headers.get("location")).toBe(`${emu.origin}/o/oauth2/v2/auth?client_id=x`);

    emu.admin.setFault("openid", { latencyMs: 20, times: 1 });
    expect((await get(`${emu.origin}/.well-known/openid-configuration`)).status).toBe(200);

    // After all of that the server still answers normally.
    expect((await post(emu.origin, "/revoke", { token: "x" })).status).toBe(400);
  });

  it("the catch-all route applies to every Google route but not to the admin API", async () => {
    const { emu } = await setup({ faults: { "*": { status: 500 } } });
    expect((await get(`${emu.origin}/tokeninfo?access_token=x`)).status).toBe(500);
    expect((await get(`${emu.origin}/__emulator/now`)).status).toBe(200);
    emu.admin.clearFaults();
    expect((await get(`${emu.origin}/tokeninfo?access_token=x`)).status).toBe(400);
  });

  it("bad faults are refused with the field named", () => {
    return setup().then(({ emu }) => {
      expect(() => emu.admin.setFault("token", { status: 404 as never })).toThrow(
        /fault.status: must be 500, 503 or 429/,
      );
      expect(() => emu.admin.setFault("nope" as never, { drop: true })).toThrow(/route: unknown route/);
      expect(() => emu.admin.setFault("token", { drop: true, html: true })).toThrow(/at most one effect/);
    });
  });
});

describe("admin HTTP API", () => {
  const admin = (origin: string, op: string, args: unknown[]) =>
    fetch(`${origin}/__emulator/${op}`, { method: "POST", body: JSON.stringify(args) }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as any,
    }));

  it("serves the admin operations as POST /__emulator/<name> with a JSON argument array", async () => {
    const { emu } = await setup();
    expect((await admin(emu.origin, "addAccount", [{ email: "eve@example.com" }])).status).toBe(200);
    expect(
      (await admin(emu.origin, "updateProject", ["demo-project", { testUsers: ["eve@example.com"] }])).body.result
        .testUsers,
    ).toEqual(["eve@example.com"]);
    const grant = await admin(emu.origin, "mintGrant", [
      { clientId: DESKTOP, account: "eve@example.com", scopes: [MAIL] },
    ]);
    expect(grant.body.result.access_token).toMatch(/^ya29\./);
    const before = emu.admin.now();
    const after = (await admin(emu.origin, "advanceClock", [86_400_000])).body.result;
    expect(after - before).toBeGreaterThanOrEqual(86_400_000);
    expect((await admin(emu.origin, "setFault", ["token", { status: 500, times: 1 }])).status).toBe(200);
    expect((await post(emu.origin, "/token", tokenForm)).status).toBe(500);
    const state = await get(`${emu.origin}/__emulator/state`);
    expect(state.body.result.accounts.map((a: { email: string }) => a.email)).toContain("eve@example.com");
  });

  it("input errors come back as 400 naming the field; unknown operations as 404", async () => {
    const { emu } = await setup();
    const bad = await admin(emu.origin, "addClient", [
      { id: "1-a.apps.googleusercontent.com", projectId: "demo-project", redirectUris: ["http://example.com/cb"] },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("client.redirectUris[0]");
    expect((await admin(emu.origin, "constructor", [])).status).toBe(404);
    const notJson = await fetch(`${emu.origin}/__emulator/addAccount`, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
  });

  it("the snapshot holds no secret or token values", async () => {
    const { emu } = await setup();
    const grant = emu.admin.mintGrant({ clientId: DESKTOP, account: "ana@example.com", scopes: [MAIL] });
    const text = JSON.stringify(emu.admin.state());
    for (const secret of [SECRET, grant.access_token, grant.refresh_token!, "ya29.cloud-admin-token"])
      expect(text).not.toContain(secret);
    expect(text).toContain("****0001");
  });
});

describe("robustness and lifecycle", () => {
  it("unknown paths are 404 and garbage requests do not stop the server", async () => {
    const { emu } = await setup();
    expect((await get(`${emu.origin}/nope`)).status).toBe(404);
    const port = Number(new URL(emu.origin).port);
    await new Promise<void>((resolve) => {
      const req = request(
        { host: "127.0.0.1", port, method: "POST", path: "/token", headers: { "content-type": "application/json" } },
        (res) => {
          res.resume();
          res.on("end", () => resolve());
        },
      );
      req.end("{not json");
    });
    expect((await get(`${emu.origin}/.well-known/openid-configuration`)).status).toBe(200);
  });

  it("listens on 127.0.0.1 only and close() ends keep-alive sockets promptly", async () => {
    const emu = await startEmulator();
    expect(emu.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(startEmulator({}, { host: "0.0.0.0" })).rejects.toThrow(/host: '0.0.0.0' is not a loopback address/);
    const port = Number(new URL(emu.origin).port);
    const agent = new Agent({ keepAlive: true });
    const socket = await new Promise<Socket>((resolve) => {
      const req = request({ host: "127.0.0.1", port, path: "/.well-known/openid-configuration", agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(req.socket!));
      });
      req.end();
    });
    expect(socket.destroyed).toBe(false);
    const closed = once(socket, "close");
    await emu.close();
    // Without closeAllConnections this would wait for the idle timeout; the test timeout would catch that.
    await closed;
    expect(socket.destroyed).toBe(true);
    agent.destroy();
  });
});
