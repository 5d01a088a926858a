// Fleet benchmarks (issue 7 §3):
// 1. `gmail-oauth fleet` over 500 connections against the emulator with 20 ms latency on every route, at the default
//    concurrency, against the same fleet at concurrency 1. Concurrency 1 runs a sample (25 connections) to keep the
//    bench short, so the ratio compares per-connection throughput; the fleet process used ${round(parallel.cpuMs / 1000, 2)} s of CPU (all threads) in ${round(parallel.ms / 1000, 2)} s at concurrency ${opts.concurrency}, ${round(parallel.cpuMs / opts.connections, 1)} ms per connection: CPU, not latency, bounds the speed-up once that nears the wall time; near-linear speed-up means close to N.
// 2. Peak memory (max RSS) of the 500-connection run, which must stay under 300 MB.
// The emulator (with the app's redirect endpoint) runs in one child process and each fleet run in another: Google
// and the app are remote in real use, and a shared event loop on 2 cores would distort the ratio.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ENV } from "../common/env";
import { DEFAULT_CONCURRENCY } from "../validator/fleet/pool";
import { firstLine } from "./child";
import type { BenchRow } from "./types";

export interface FleetBenchOptions {
  readonly connections: number;
  /** Connections in the concurrency-1 run. */
  readonly sample: number;
  readonly concurrency: number;
  readonly latencyMs: number;
}

export const FLEET_BENCH: FleetBenchOptions = {
  connections: 500,
  sample: 25,
  concurrency: DEFAULT_CONCURRENCY,
  latencyMs: 20,
};
export const RSS_LIMIT_MB = 300;
/** "Near-linear": at least this share of the ideal N-fold throughput. */
export const LINEAR_SHARE = 0.75;
const PROJECT = "bench-fleet";
const NUMBER = "424242424242";
const CLOUD_TOKEN = "ya29.bench-fleet-cloud-credential";

export function clientId(i: number): string {
  return `${NUMBER}-fleet${i}.apps.googleusercontent.com`;
}

function clientSecret(i: number): string {
  return `GOCSPX-bench-fleet-${String(i).padStart(6, "0")}`;
}

/** The emulator scenario: one project, `n` Web clients whose redirect URI is the app endpoint. */
export function fleetScenario(n: number, appUri: string): object {
  return {
    projects: [{ id: PROJECT, number: NUMBER, userType: "external", publishingStatus: "production", verified: true }],
    clients: Array.from({ length: n }, (_, i) => ({
      id: clientId(i),
      projectId: PROJECT,
      type: "web",
      secrets: [clientSecret(i)],
      redirectUris: [appUri],
    })),
  };
}

/** The downloaded client JSON of client `i`, as a platform team keeps one per connection. */
export function clientFile(i: number, appUri: string): string {
  return JSON.stringify({
    web: {
      client_id: clientId(i),
      project_id: PROJECT,
      auth_uri: "https://accounts.google.com/o/oauth2/auth",
      token_uri: "https://oauth2.googleapis.com/token",
      client_secret: clientSecret(i),
      redirect_uris: [appUri],
    },
  });
}

/** A fleet file of the first `n` connections (JSON, which the fleet reads as YAML's subset). */
export function fleetFile(n: number, origin: string, appUri: string): string {
  const connections = Array.from({ length: n }, (_, i) => ({
    name: `conn-${i}`,
    clientSecretFile: `client-${i}.json`,
    redirectUris: [appUri],
  }));
  // The audience is declared as the scenario's project has it: without it the verdict rule (validator/verdict.ts)
  // would leave every row unproven (exit 3), and the bench would time inconclusive rows.
  const defaults = { googleOrigin: origin, timeout: 60, userType: "external", publishingStatus: "production" };
  return JSON.stringify({ defaults, connections }, null, 1);
}

// The fleet child lifts the per-project rate limit (--rate-limit 100000): this bench measures the fleet's own
// concurrency, and the limiter's defaults follow Google's quotas for one project, which all 500 connections share here.

// Child 1: the emulator and the app's redirect endpoint, with the latency on every route of both.
const SERVERS = `
const http = require("node:http");
const [emulatorPath, count, latency, cloudToken, scenarioModule] = process.argv.slice(1);
(async () => {
  const { startEmulator } = require(emulatorPath);
  const { fleetScenario } = require(scenarioModule);
  const app = http.createServer((_q, res) => setTimeout(() => res.writeHead(200).end("ok"), Number(latency)));
  await new Promise((r) => app.listen(0, "127.0.0.1", r));
  const appUri = "http://127.0.0.1:" + app.address().port + "/cb";
  const emu = await startEmulator(fleetScenario(Number(count), appUri));
  emu.admin.addCloudCredential(cloudToken, { projects: ["${PROJECT}"] });
  emu.admin.setFault("*", { latencyMs: Number(latency) });
  process.stdout.write(JSON.stringify({ origin: emu.origin, appUri }) + "\\n");
  process.stdin.on("end", () => process.exit(0)).resume();
})();
`;

// Child 2: one fleet run through the real CLI entry (runCli), timed inside the process so node's own start is not
// counted; a tiny warm-up fleet first, so JIT and module loading weigh the same on both sides of the ratio.
// stdout goes to a sink that keeps only the tail (the summary): the run's own memory is what is measured.
const DRIVER = `
const { Writable, PassThrough } = require("node:stream");
const [mainPath, warmup, file, concurrency] = process.argv.slice(1);
const { runCli } = require(mainPath);
function io() {
  let tail = "";
  const stdout = new Writable({ write(chunk, _e, cb) { tail = (tail + chunk).slice(-4096); cb(); } });
  const stderr = new Writable({ write(_c, _e, cb) { cb(); } });
  return { tail: () => tail, io: { stdout, stderr, stdin: new PassThrough(), env: process.env, cwd: process.cwd(), exitCode: 0 } };
}
(async () => {
  await runCli(["fleet", warmup, "--concurrency", concurrency, "--format", "json", "--rate-limit", "100000"], io().io);
  const run = io();
  const t = performance.now();
  const cpu = process.cpuUsage();
  const code = await runCli(["fleet", file, "--concurrency", concurrency, "--format", "json", "--rate-limit", "100000"], run.io);
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const summary = JSON.parse(run.tail().slice(run.tail().lastIndexOf('"summary":') + 10).replace(/,"ok":.*$/s, ""));
  process.stdout.write(JSON.stringify({ ms, cpuMs, code, summary, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + "\\n");
})().catch((e) => { process.stderr.write(String(e && e.stack || e) + "\\n"); process.exit(1); });
`;

interface DriverResult {
  readonly ms: number;
  /** CPU time of the fleet process during the run: near ms means the run was CPU-bound, not waiting on latency. */
  readonly cpuMs: number;
  readonly code: number;
  readonly summary: {
    connections: number;
    connections_ok: number;
    connections_warn: number;
    checks: Record<string, number>;
  };
  readonly maxRssMb: number;
}

async function runDriver(cwd: string, warmup: string, file: string, concurrency: number): Promise<DriverResult> {
  const mainPath = require.resolve("../cli/main");
  const env = { PATH: process.env.PATH, HOME: cwd, NO_COLOR: "1", [ENV.cloudAccessToken]: CLOUD_TOKEN };
  const child = spawn(process.execPath, ["-e", DRIVER, mainPath, warmup, file, String(concurrency)], {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(await firstLine(child, "fleet run")) as DriverResult;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function benchFleet(opts: FleetBenchOptions = FLEET_BENCH): Promise<BenchRow[]> {
  const servers = spawn(
    process.execPath,
    [
      "-e",
      SERVERS,
      require.resolve("../emulator/index"),
      String(opts.connections),
      String(opts.latencyMs),
      CLOUD_TOKEN,
      __filename,
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  const dir = await mkdtemp(join(tmpdir(), "bench-fleet-"));
  try {
    const { origin, appUri } = JSON.parse(await firstLine(servers, "emulator process")) as {
      origin: string;
      appUri: string;
    };
    for (let i = 0; i < opts.connections; i++) await writeFile(join(dir, `client-${i}.json`), clientFile(i, appUri));
    const warmup = Math.min(4, opts.sample);
    await writeFile(join(dir, "warmup.json"), fleetFile(warmup, origin, appUri));
    await writeFile(join(dir, "fleet.json"), fleetFile(opts.connections, origin, appUri));
    await writeFile(join(dir, "sample.json"), fleetFile(opts.sample, origin, appUri));

    const serial = await runDriver(dir, "warmup.json", "sample.json", 1);
    const parallel = await runDriver(dir, "warmup.json", "fleet.json", opts.concurrency);
    // A connection that works with warnings (exit 0) is healthy: the verdict rule of one validate run.
    const working = (r: DriverResult) => r.summary.connections_ok + r.summary.connections_warn;
    const healthy = (r: DriverResult, n: number) => r.code === 0 && working(r) === n;
    const perSecN = opts.connections / (parallel.ms / 1000);
    const perSec1 = opts.sample / (serial.ms / 1000);
    const speedup = perSecN / perSec1;
    const unhealthy = [
      healthy(serial, opts.sample) ? "" : `concurrency-1 run exit ${serial.code}`,
      healthy(parallel, opts.connections)
        ? ""
        : `concurrency-${opts.concurrency} run exit ${parallel.code}, ${working(parallel)}/${opts.connections} working`,
    ].filter(Boolean);
    const health = unhealthy.length ? `; NOT HEALTHY: ${unhealthy.join("; ")}` : "";
    const machine = `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
    return [
      {
        name: `fleet of ${opts.connections}, ${opts.latencyMs} ms latency, concurrency ${opts.concurrency}`,
        value: round(perSecN),
        unit: "connections/s",
        baseline: `concurrency 1: ${round(perSec1)} connections/s`,
        ratio: round(speedup, 2),
        target: `>= ${round(LINEAR_SHARE * opts.concurrency, 2)} (near-linear up to ${opts.concurrency})`,
        met: speedup >= LINEAR_SHARE * opts.concurrency && unhealthy.length === 0,
        note: `${opts.connections} connections in ${round(parallel.ms / 1000, 2)} s; concurrency 1 measured on a ${opts.sample}-connection sample (${round(serial.ms / 1000, 2)} s), so the ratio compares per-connection throughput; the fleet process used ${round(parallel.cpuMs / 1000, 2)} s of CPU (all threads) in ${round(parallel.ms / 1000, 2)} s at concurrency ${opts.concurrency}, ${round(parallel.cpuMs / opts.connections, 1)} ms per connection: CPU, not latency, bounds the speed-up once that nears the wall time; fleet and emulator in separate processes; ${machine}${health}`,
      },
      {
        name: `fleet of ${opts.connections}: peak memory (max RSS)`,
        value: round(parallel.maxRssMb),
        unit: "MB",
        target: `< ${RSS_LIMIT_MB} MB`,
        met: parallel.maxRssMb < RSS_LIMIT_MB && unhealthy.length === 0,
        note: `the whole fleet process (node, the CLI, ${opts.connections} connections at concurrency ${opts.concurrency}, JSON report streamed)${health}`,
      },
    ];
  } finally {
    servers.stdin!.end();
    await rm(dir, { recursive: true, force: true });
  }
}
