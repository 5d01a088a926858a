import { request } from "node:http";
import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { forgetSecrets } from "../../../common/redact";
import { startLoopbackServer, type LoopbackServer } from "../../../validator/flow/loopback";
import type { LoopbackPlan } from "../../../validator/flow/redirect";

const STATE = "the-expected-state-0123456789abcdef";
const CODE = "4/0AX4XfWh-secret-code-9876543210";
const PLAN: LoopbackPlan = { bindHost: "127.0.0.1", uriHost: "127.0.0.1", port: 0, path: "/" };

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  forgetSecrets();
});

function get(
  port: number,
  path: string,
  opts: { host?: string; method?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: opts.method ?? "GET",
        headers: { host: opts.host ?? `127.0.0.1:${port}` },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** A request line written by hand: http clients normalise `..` away before sending. */
function rawGet(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () =>
      s.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`),
    );
    let out = "";
    s.setEncoding("utf8");
    s.on("data", (c) => (out += c));
    s.on("end", () => resolve(out));
    s.on("error", reject);
  });
}

const q = (params: Record<string, string>) => `/?${new URLSearchParams(params).toString()}`;

describe("loopback server", () => {
  it("binds 127.0.0.1 on a free port and answers the right callback once with a plain page", async () => {
    server = await startLoopbackServer(PLAN, STATE);
    expect(server.redirectUri).toBe(`http://127.0.0.1:${server.port}/`);
    const res = await get(server.port, q({ state: STATE, code: CODE, scope: "https://mail.google.com/" }));
    expect(res.status).toBe(200);
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.body).toContain('data-result="received"');
    expect(res.body).not.toContain(CODE);
    expect(res.body).not.toContain(encodeURIComponent(CODE));
    expect(res.body).not.toContain(STATE);
    await expect(server.callback).resolves.toEqual({
      kind: "code",
      code: CODE,
      scope: "https://mail.google.com/",
      iss: undefined,
    });
    // One callback only: the listener is gone afterwards.
    await expect(get(server.port, q({ state: STATE, code: CODE }))).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("refuses a wrong state and keeps waiting for the genuine callback", async () => {
    server = await startLoopbackServer(PLAN, STATE);
    const forged = await get(server.port, q({ state: "forged", code: CODE }));
    expect(forged.status).toBe(400);
    expect(forged.body).toContain("state does not match");
    expect(forged.body).not.toContain(CODE);
    const denied = await get(server.port, q({ state: STATE, error: "access_denied" }));
    expect(denied.status).toBe(200);
    expect(denied.body).toContain('data-result="denied"');
    await expect(server.callback).resolves.toEqual({ kind: "error", error: "access_denied", description: undefined });
    expect(server.refused()).toEqual(["refused: the state does not match this run (a stale or forged callback)"]);
  });

  it("refuses a wrong Host header (DNS rebinding), other methods and other paths", async () => {
    server = await startLoopbackServer({ ...PLAN, path: "/cb" }, STATE);
    const port = server.port;
    expect(
      (await get(port, `/cb${q({ state: STATE, code: CODE }).slice(1)}`, { host: `evil.example:${port}` })).status,
    ).toBe(421);
    expect((await get(port, `/cb?state=${STATE}&code=x`, { host: `127.0.0.1:${port + 1}` })).status).toBe(421);
    expect((await get(port, `/cb?state=${STATE}&code=x`, { method: "POST" })).status).toBe(405);
    expect((await get(port, "/other")).status).toBe(404);
    expect(server.refused()).toHaveLength(3);
    const ok = await get(port, `/cb?state=${STATE}&code=genuine-code-value`);
    expect(ok.status).toBe(200);
  });

  it("refuses path traversal and encoded separators cleanly", async () => {
    server = await startLoopbackServer(PLAN, STATE);
    for (const target of ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc", "/a\\..\\b"]) {
      const res = await rawGet(server.port, target);
      expect(res, target).toMatch(/^HTTP\/1\.1 400 /);
      expect(res).not.toContain("root:");
    }
  });

  it("refuses a huge query without crashing, then still accepts the callback", async () => {
    server = await startLoopbackServer(PLAN, STATE);
    const huge = await get(server.port, `/?state=${STATE}&code=${"a".repeat(6000)}`);
    expect(huge.status).toBe(414);
    const giant = await rawGet(server.port, `/?state=${STATE}&code=${"a".repeat(100_000)}`);
    expect(giant).toMatch(/^HTTP\/1\.1 431 /);
    const ok = await get(server.port, q({ state: STATE, code: CODE }));
    expect(ok.status).toBe(200);
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

  it("is bound to the loopback address only", async () => {
    server = await startLoopbackServer(PLAN, STATE);
    const s = connect(server.port, "127.0.0.1");
    await new Promise((r) => s.once("connect", r));
    expect(s.remoteAddress).toBe("127.0.0.1");
    s.destroy();
  });

  it.skipIf(!external)(
    `cannot be reached from a non-loopback address (${external ?? "none on this machine"})`,
    async () => {
      server = await startLoopbackServer(PLAN, STATE);
      const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
        const s = connect(server!.port, external!);
        s.once("connect", () => {
          s.destroy();
          resolve(Object.assign(new Error("connected"), { code: "CONNECTED" }));
        });
        s.once("error", resolve);
      });
      expect(err.code).toBe("ECONNREFUSED");
    },
  );

  it("reports a port already in use as a bind error", async () => {
    server = await startLoopbackServer(PLAN, STATE);
    await expect(startLoopbackServer({ ...PLAN, port: server.port }, STATE)).rejects.toMatchObject({
      name: "LoopbackBindError",
      code: "EADDRINUSE",
    });
  });
});
