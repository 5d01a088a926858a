// Validator benchmarks (issue 4, Performance):
// 1. With 50 ms of latency on every emulator route, the whole preflight against the slowest single check run alone:
//    the checks run side by side with no needless round trips, so the ratio should stay under 1.3.
// 2. `gmail-oauth --help` against `node -e 0`: the CLI loads heavy modules lazily, so under 3×.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { checkAppRedirect, checkAuthorize, checkGmailApi, checkToken, liveContext } from "../validator/live";
import { runPreflight } from "../validator/preflight";
import type { ValidationInput } from "../validator/types";
import { packageRoot } from "./paths";
import { startChild } from "./child";
import { serviceAccountRows } from "./serviceAccounts";
import type { BenchRow } from "./types";

const LATENCY_MS = 50;
const RUNS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function medianOf(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up: module loading and JIT are not what is measured
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timed(fn));
  return median(times);
}

// The emulator and the app endpoint run in a child process, as Google and the app are remote in real use: their
// request handling must not queue behind the validator's on one event loop and inflate the concurrent run.
const SERVERS = `
const http = require("node:http");
const [emulatorPath, scenarioJson, latency] = process.argv.slice(1);
(async () => {
  const { startEmulator } = require(emulatorPath);
  const s = JSON.parse(scenarioJson);
  const app = http.createServer((_q, res) => setTimeout(() => res.writeHead(200).end("ok"), Number(latency)));
  await new Promise((r) => app.listen(0, "127.0.0.1", r));
  const appUri = "http://127.0.0.1:" + app.address().port + "/cb";
  s.scenario.clients[0].redirectUris = [appUri];
  const emu = await startEmulator(s.scenario);
  emu.admin.addCloudCredential(s.cloudToken, { projects: [s.scenario.projects[0].id] });
  emu.admin.setFault("*", { latencyMs: Number(latency) });
  process.stdout.write(JSON.stringify({ origin: emu.origin, appUri }) + "\\n");
  process.stdin.on("end", () => process.exit(0)).resume();
})();
`;

async function startServers(
  scenario: object,
  cloudToken: string,
): Promise<{ origin: string; appUri: string; stop(): void }> {
  const { ready, stop } = await startChild<{ origin: string; appUri: string }>(
    SERVERS,
    [require.resolve("../emulator/index"), JSON.stringify({ scenario, cloudToken }), String(LATENCY_MS)],
    "emulator process",
  );
  return { ...ready, stop };
}

async function preflightRows(): Promise<BenchRow[]> {
  const project = "bench-mail";
  const clientId = "123456789012-bench.apps.googleusercontent.com";
  const secret = "GOCSPX-bench-secret-0001";
  const cloudToken = "ya29.bench-cloud-token";
  const scenario = {
    projects: [
      { id: project, number: "123456789012", userType: "external", publishingStatus: "production", verified: true },
    ],
    clients: [{ id: clientId, projectId: project, type: "web", secrets: [secret], redirectUris: [] as string[] }],
  };
  const servers = await startServers(scenario, cloudToken);
  try {
    const { origin, appUri } = servers;
    const input = (): ValidationInput => ({
      clientId,
      clientSecret: secret,
      clientType: "web",
      redirectUris: [appUri],
      scopes: ["https://mail.google.com/"],
      project,
      googleOrigin: origin,
      cloudAccessToken: cloudToken,
      deadline: Date.now() + 30_000,
      provenance: {},
    });
    const full = await medianOf(async () => {
      const results = await runPreflight(input());
      const bad = results.filter((r) => r.status === "fail" || r.status === "inconclusive");
      if (bad.length)
        throw new Error(`benchmark scenario is not healthy: ${bad.map((b) => `${b.id} ${b.detail}`).join("; ")}`);
    });
    const singles: Record<string, () => Promise<unknown>> = {
      authorize: () => checkAuthorize(liveContext(input()), appUri),
      token: () => checkToken(liveContext(input())),
      "gmail-api": () => checkGmailApi(liveContext(input())),
      "app-redirect": () => checkAppRedirect(liveContext(input()), appUri),
    };
    let slowest = { name: "", ms: 0 };
    for (const [name, fn] of Object.entries(singles)) {
      const ms = await medianOf(fn);
      if (ms > slowest.ms) slowest = { name, ms };
    }
    const ratio = full / slowest.ms;
    return [
      {
        name: "validate preflight, 50 ms latency per route",
        value: Math.round(full * 10) / 10,
        unit: "ms",
        baseline: `slowest single check (${slowest.name}): ${Math.round(slowest.ms * 10) / 10} ms`,
        ratio: Math.round(ratio * 100) / 100,
        target: "< 1.3",
        met: ratio < 1.3,
        note: `median of ${RUNS} runs after a warm-up; emulator in its own process; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
      },
    ];
  } finally {
    servers.stop();
  }
}

function runNode(args: string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    execFile(process.execPath, args, { cwd }, (err) => (err ? reject(err) : resolve(performance.now() - t)));
  });
}

async function helpRows(): Promise<BenchRow[]> {
  const root = packageRoot();
  if (!existsSync(join(root, "dist", "cli", "main.js"))) {
    return [
      {
        name: "gmail-oauth --help startup",
        value: 0,
        unit: "ms",
        note: "not measured: dist/ is missing, run `npm run build` first",
      },
    ];
  }
  const node = await medianOf(() => runNode(["-e", "0"], root));
  const help = await medianOf(() => runNode([join(root, "bin", "gmail-oauth.js"), "--help"], root));
  const ratio = help / node;
  return [
    {
      name: "gmail-oauth --help startup",
      value: Math.round(help),
      unit: "ms",
      baseline: `node -e 0: ${Math.round(node)} ms`,
      ratio: Math.round(ratio * 100) / 100,
      target: "< 3",
      met: ratio < 3,
      note: `median of ${RUNS} runs after a warm-up`,
    },
  ];
}

export async function benchValidator(): Promise<BenchRow[]> {
  return [...(await preflightRows()), ...(await helpRows()), ...(await serviceAccountRows())];
}
