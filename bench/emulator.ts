// Emulator throughput: the token endpoint (refresh grant) and the authorization redirect, 32 concurrent keep-alive
// clients, bounded in time and count. A bare node:http server measured in the same run is the baseline, so the
// ratio compares across machines. Client and server share this process (and its core), as in the validator's tests.
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator } from "../emulator/index";
import type { BenchRow } from "./types";

const CONCURRENCY = 32;
const DURATION_MS = 1000;
/** Best of this many rounds: the machine is shared, and a round that lost its core to a neighbour says nothing. */
const ROUNDS = 2;
const MAX_REQUESTS = 40_000;
const TARGET_RPS = 5000;

interface LoadResult {
  requests: number;
  seconds: number;
  unexpected: number;
}

async function best(run: () => Promise<LoadResult>): Promise<LoadResult> {
  let top: LoadResult | undefined;
  for (let i = 0; i < ROUNDS; i++) {
    const r = await run();
    if (!top || r.requests / r.seconds > top.requests / top.seconds) top = { ...r, unexpected: r.unexpected + (top?.unexpected ?? 0) };
    else top.unexpected += r.unexpected;
  }
  return top!;
}

/** Drive one request at a time from each of 32 workers until the time or request budget runs out. */
async function load(origin: string, method: "GET" | "POST", path: string, body: string | undefined, expectStatus: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const { hostname, port } = new URL(origin);
  const headers: Record<string, string | number> = body ? { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) } : {};
  let requests = 0;
  let unexpected = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = request({ host: hostname, port, method, path, agent, headers }, (res) => {
        if (res.statusCode !== expectStatus) unexpected++;
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", () => {
        unexpected++;
        resolve();
      });
      req.end(body);
    });
  const start = process.hrtime.bigint();
  const deadline = Date.now() + DURATION_MS;
  const worker = async () => {
    while (Date.now() < deadline && requests < MAX_REQUESTS) {
      requests++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  return { requests, seconds, unexpected };
}

async function bareServerRps(): Promise<number> {
  const server = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const r = await best(() => load(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "GET", "/", undefined, 200));
    return r.requests / r.seconds;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

export async function benchEmulator(): Promise<BenchRow[]> {
  const client = "1111-bench.apps.googleusercontent.com";
  const secret = "GOCSPX-benchSecret00000000000000";
  const emu = await startEmulator({
    // Production: refresh tokens do not expire during the run.
    projects: [{ id: "bench-project", publishingStatus: "production", verified: true }],
    clients: [{ id: client, projectId: "bench-project", type: "installed", secrets: [secret] }],
    accounts: [{ email: "bench@example.com" }],
  });
  try {
    const baseline = await bareServerRps();
    const { refresh_token } = emu.admin.mintGrant({ clientId: client, account: "bench@example.com", scopes: ["https://mail.google.com/"], offline: true });
    const tokenBody = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refresh_token!, client_id: client, client_secret: secret }).toString();
    const authorizePath = `/o/oauth2/v2/auth?${new URLSearchParams({ client_id: client, redirect_uri: "http://127.0.0.1:8765/callback", response_type: "code", scope: "https://mail.google.com/", access_type: "offline", state: "bench" })}`;
    const token = await best(() => load(emu.origin, "POST", "/token", tokenBody, 200));
    const authorize = await best(() => load(emu.origin, "GET", authorizePath, undefined, 302));
    const row = (name: string, r: LoadResult): BenchRow => {
      const rps = r.requests / r.seconds;
      return {
        name,
        value: Math.round(rps),
        unit: "req/s",
        baseline: `bare node:http server, ${Math.round(baseline)} req/s`,
        ratio: Math.round((rps / baseline) * 100) / 100,
        target: `> ${TARGET_RPS} req/s`,
        met: rps > TARGET_RPS && r.unexpected === 0,
        note: `best of ${ROUNDS} rounds: ${r.requests} requests in ${r.seconds.toFixed(2)} s, ${CONCURRENCY} keep-alive clients in-process${r.unexpected ? `, ${r.unexpected} unexpected answers` : ""}`,
      };
    };
    return [row("emulator token endpoint (refresh grant)", token), row("emulator authorization redirect (302 to sign-in)", authorize)];
  } finally {
    await emu.close();
  }
}
