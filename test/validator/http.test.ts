import { afterEach, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describeInconclusive, httpRequest } from "../../validator/http";

let servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((r) => {
          s.closeAllConnections();
          s.close(() => r());
        }),
    ),
  );
  servers = [];
});

async function serve(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe("httpRequest", () => {
  it("retries a 503 and returns the eventual answer, counting attempts", async () => {
    let n = 0;
    const origin = await serve((_req, res) => {
      n++;
      if (n < 3) {
        res.writeHead(503);
        res.end("busy");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
    const out = await httpRequest(`${origin}/x`, { backoffMs: 5 });
    expect(out.kind).toBe("response");
    if (out.kind !== "response") return;
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ ok: true });
    expect(out.attempts).toBe(3);
  });

  it("gives back the last 5xx when retries run out, so the caller can say inconclusive", async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(500);
      res.end("no");
    });
    const out = await httpRequest(`${origin}/x`, { backoffMs: 1, attempts: 2 });
    expect(out.kind === "response" && out.status).toBe(500);
    expect(describeInconclusive(out)).toBe("HTTP 500 after 2 attempts");
  });

  it("honours Retry-After on 429, and gives up when it is longer than allowed", async () => {
    let n = 0;
    const origin = await serve((_req, res) => {
      n++;
      res.writeHead(429, { "retry-after": n === 1 ? "0" : "3600" });
      res.end();
    });
    const out = await httpRequest(`${origin}/x`, { backoffMs: 1000, attempts: 5 });
    expect(out.kind === "response" && out.status).toBe(429);
    expect(n).toBe(2);
  });

  it("does not retry a definite answer such as 400", async () => {
    let n = 0;
    const origin = await serve((_req, res) => {
      n++;
      res.writeHead(400, { "content-type": "application/json" });
      res.end('{"error":"invalid_grant"}');
    });
    const out = await httpRequest(`${origin}/token`, { form: { code: "x" } });
    expect(n).toBe(1);
    expect(out.kind === "response" && out.json).toEqual({ error: "invalid_grant" });
  });

  it("keeps a redirect as the outcome so probes can read Location", async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(302, { location: "https://accounts.google.com/signin/oauth/error?authError=x" });
      res.end();
    });
    const out = await httpRequest(`${origin}/o/oauth2/v2/auth`);
    expect(out.kind === "response" && out.status).toBe(302);
    expect(out.kind === "response" && out.headers.get("location")).toMatch(/authError=x/);
  });

  it("flags a JSON content type with a body that does not parse", async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{not json");
    });
    const out = await httpRequest(`${origin}/x`);
    expect(out.kind === "response" && out.malformed).toMatch(/malformed JSON/);
  });

  it("reports a refused connection at once, without retrying", async () => {
    const origin = await serve((_req, res) => res.end());
    const port = new URL(origin).port;
    await new Promise<void>((r) => {
      const s = servers.pop()!;
      s.close(() => r());
    });
    const out = await httpRequest(`http://127.0.0.1:${port}/`, { attempts: 3 });
    expect(out).toMatchObject({ kind: "unreachable", reason: "connection refused", attempts: 1 });
  });

  it("times out a server that never answers and stays within the deadline", async () => {
    const origin = await serve(() => {
      /* never answers */
    });
    const deadline = Date.now() + 600;
    const out = await httpRequest(`${origin}/slow`, { timeoutMs: 200, deadline, backoffMs: 1 });
    expect(out.kind).toBe("unreachable");
    expect(out.kind === "unreachable" && out.reason).toMatch(/timed out|deadline/);
    // Correctness of the deadline, not speed: generous slack for a loaded 2-core machine.
    expect(Date.now()).toBeLessThan(deadline + 2_000);
  });

  it("reports a dropped connection as unreachable, not as an answer", async () => {
    const origin = await serve((req) => req.socket.destroy());
    const out = await httpRequest(`${origin}/x`, { attempts: 2, backoffMs: 1 });
    expect(out.kind).toBe("unreachable");
    expect(out.attempts).toBe(2);
  });
});

describe("httpRequest with a request that can never be sent", () => {
  it("reports a forbidden port at once instead of retrying it", async () => {
    const out = await httpRequest("http://127.0.0.1:6000/", { attempts: 3, backoffMs: 1 });
    expect(out.kind).toBe("unreachable");
    expect(out.attempts).toBe(1);
  });
});

describe("httpRequest over https (Google is https)", () => {
  it("refuses a self-signed certificate at once, naming it, and never retries it", async () => {
    const { execFileSync } = await import("node:child_process");
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const https = await import("node:https");
    const dir = mkdtempSync(join(tmpdir(), "tls-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        join(dir, "k.pem"),
        "-out",
        join(dir, "c.pem"),
      ],
      { stdio: "ignore" },
    );
    let hits = 0;
    const server = https.createServer(
      { key: readFileSync(join(dir, "k.pem")), cert: readFileSync(join(dir, "c.pem")) },
      (_req, res) => {
        hits++;
        res.end("{}");
      },
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      const out = await httpRequest(`https://127.0.0.1:${(server.address() as AddressInfo).port}/token`, {
        attempts: 3,
        backoffMs: 1,
      });
      expect(out).toMatchObject({ kind: "unreachable", reason: "TLS certificate is self-signed", attempts: 1 });
      expect(hits).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
