// Fleets of ten thousand (issue 16 §4): `check-token --tokens` over 10,000 stored tokens of one project, and `fleet`
// over a fleet file of 10,000 connections (`--checks token`, one stored token each), against the emulator at 20 ms
// latency, concurrency 64 and a rate limit, each side by side with the same run over 1,000.
// 1. Throughput against the ideal min(rate limit, concurrency ÷ (latency × sequential requests per connection)): a
//    connection refreshes (the token endpoint, the limited lane), then asks tokeninfo and Gmail one after the other.
// 2. Peak RSS of the 10,000 run (< 300 MB) and its ratio to the 1,000 run's (< 1.2): memory stays flat.
// The emulator and each fleet run are separate processes, as in bench/fleet.ts.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { firstLine } from "./child";
import type { BenchRow } from "./types";

export const SCALE = { small: 1_000, large: 10_000, concurrency: 64, latencyMs: 20, ratePerSecond: 200 };
const RSS_LIMIT_MB = 300;
const FLATNESS = 1.2;
const SHARE = 0.8;
/** Requests one connection makes one after the other: refresh, tokeninfo, Gmail getProfile. */
const SEQUENTIAL = 3;
const CLIENT = "565656-scale.apps.googleusercontent.com";
const SECRET = "GOCSPX-bench-scale-secret";

// Child 1: the emulator with N accounts, a grant each, their refresh tokens written one file per mailbox.
const SERVERS = `
const { writeFileSync, mkdirSync } = require("node:fs");
const { join } = require("node:path");
const [emulatorPath, count, latency, dir, client, secret] = process.argv.slice(1);
(async () => {
  const { startEmulator } = require(emulatorPath);
  const n = Number(count);
  const emu = await startEmulator({
    projects: [{ id: "bench-scale", number: "565656", userType: "external", publishingStatus: "production", verified: true }],
    clients: [{ id: client, projectId: "bench-scale", type: "web", secrets: [secret], redirectUris: ["https://mail.example.com/cb"] }],
    accounts: Array.from({ length: n }, (_, i) => ({ email: "u" + i + "@example.com" })),
  });
  mkdirSync(join(dir, "tokens"));
  const names = [];
  for (let i = 0; i < n; i++) {
    const g = emu.admin.mintGrant({ clientId: client, account: "u" + i + "@example.com", scopes: ["https://mail.google.com/"], offline: true });
    const name = "u" + i + "@example.com";
    writeFileSync(join(dir, "tokens", name), g.refresh_token, { mode: 0o600 });
    names.push(join("tokens", name));
  }
  writeFileSync(join(dir, "all.txt"), names.join("\\n") + "\\n");
  writeFileSync(join(dir, "small.txt"), names.slice(0, ${SCALE.small}).join("\\n") + "\\n");
  writeFileSync(join(dir, "warm.txt"), names.slice(0, 64).join("\\n") + "\\n");
  // The same connections as a fleet file: the client in the defaults, one entry per mailbox with its token file.
  const fleet = (list) => JSON.stringify({
    defaults: { clientId: client, clientSecretEnv: "GMAIL_OAUTH_CLIENT_SECRET", timeout: 120 },
    connections: list.map((file) => ({ name: file.slice("tokens/".length), account: file.slice("tokens/".length), refreshTokenFile: file })),
  });
  writeFileSync(join(dir, "fleet-all.json"), fleet(names));
  writeFileSync(join(dir, "fleet-small.json"), fleet(names.slice(0, ${SCALE.small})));
  writeFileSync(join(dir, "fleet-warm.json"), fleet(names.slice(0, 64)));
  emu.admin.setFault("*", { latencyMs: Number(latency) });
  process.stdout.write(JSON.stringify({ origin: emu.origin }) + "\\n");
  process.stdin.on("end", () => process.exit(0)).resume();
})();
`;

// Child 2: one run through runCli, JSON lines to a sink that keeps only the last line (the summary).
const DRIVER = `
const { Writable, PassThrough } = require("node:stream");
const [mainPath, command, list, warm, origin, concurrency, rate, client] = process.argv.slice(1);
const { runCli } = require(mainPath);
function io() {
  let tail = "";
  const stdout = new Writable({ write(chunk, _e, cb) { tail = (tail + chunk).slice(-4096); cb(); } });
  const stderr = new Writable({ write(_c, _e, cb) { cb(); } });
  return { tail: () => tail, io: { stdout, stderr, stdin: new PassThrough(), env: process.env, cwd: process.cwd(), exitCode: 0 } };
}
const shared = ["--concurrency", concurrency, "--rate-limit", rate, "--format", "jsonl"];
const args = (l) => command === "fleet"
  ? ["fleet", l, "--checks", "token", ...shared]
  : ["check-token", "--tokens", l, "--client-id", client, "--google-origin", origin, "--timeout", "120", ...shared];
(async () => {
  await runCli(args(warm), io().io);
  const run = io();
  const t = performance.now();
  const code = await runCli(args(list), run.io);
  const ms = performance.now() - t;
  const lines = run.tail().trimEnd().split("\\n");
  const summary = JSON.parse(lines[lines.length - 1]).summary;
  process.stdout.write(JSON.stringify({ ms, code, summary, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + "\\n");
})().catch((e) => { process.stderr.write(String(e && e.stack || e) + "\\n"); process.exit(1); });
`;

interface Run {
  readonly ms: number;
  readonly code: number;
  readonly summary: { connections: number; connections_ok: number };
  readonly maxRssMb: number;
}

type Command = "check-token" | "fleet";

/** The lists SERVERS wrote, by command: the large run, the small run and the warm-up. */
const LISTS: Readonly<Record<Command, { large: string; small: string; warm: string }>> = {
  "check-token": { large: "all.txt", small: "small.txt", warm: "warm.txt" },
  fleet: { large: "fleet-all.json", small: "fleet-small.json", warm: "fleet-warm.json" },
};

async function drive(dir: string, command: Command, size: "small" | "large", origin: string): Promise<Run> {
  // fleet reads the Google origin from the environment (every entry), check-token from its flag.
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    NO_COLOR: "1",
    GMAIL_OAUTH_CLIENT_SECRET: SECRET,
    GMAIL_OAUTH_GOOGLE_ORIGIN: origin,
  };
  const child = spawn(
    process.execPath,
    [
      "-e",
      DRIVER,
      require.resolve("../cli/main"),
      command,
      LISTS[command][size],
      LISTS[command].warm,
      origin,
      String(SCALE.concurrency),
      String(SCALE.ratePerSecond),
      CLIENT,
    ],
    { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  return JSON.parse(await firstLine(child, `${command} run over ${LISTS[command][size]}`)) as Run;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** What one command's two runs show: its throughput against the ideal, and its memory against the small run's. */
function scaleRows(command: Command, small: Run, large: Run): BenchRow[] {
  const what = command === "fleet" ? "fleet --checks token" : "check-token --tokens";
  const unit = command === "fleet" ? "connections" : "tokens";
  const perSec = SCALE.large / (large.ms / 1000);
  const ideal = Math.min(SCALE.ratePerSecond, SCALE.concurrency / ((SEQUENTIAL * SCALE.latencyMs) / 1000));
  const healthy = (r: Run, n: number) => r.code === 0 && r.summary.connections_ok === n;
  const health =
    healthy(small, SCALE.small) && healthy(large, SCALE.large)
      ? ""
      : `; NOT HEALTHY: ${SCALE.small} run exit ${small.code} (${small.summary.connections_ok} ok), ${SCALE.large} run exit ${large.code} (${large.summary.connections_ok} ok)`;
  const ratio = large.maxRssMb / small.maxRssMb;
  const machine = `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
  return [
    {
      name: `${what} over ${SCALE.large.toLocaleString("en")} ${unit}, ${SCALE.latencyMs} ms latency, concurrency ${SCALE.concurrency}, --rate-limit ${SCALE.ratePerSecond}`,
      value: round(perSec),
      unit: "connections/s",
      baseline: `ideal ${round(ideal)} connections/s = min(rate limit ${SCALE.ratePerSecond}/s on the token endpoint, ${SCALE.concurrency} ÷ (${SEQUENTIAL} × ${SCALE.latencyMs} ms))`,
      ratio: round(perSec / ideal, 2),
      target: `>= ${SHARE}`,
      met: perSec >= SHARE * ideal && health === "",
      note: `${SCALE.large} connections in ${round(large.ms / 1000, 2)} s; one project, so the token endpoint's lane is the limit; ${machine}${health}`,
    },
    {
      name: `${what}: peak RSS at ${SCALE.large.toLocaleString("en")} vs ${SCALE.small.toLocaleString("en")} ${unit}`,
      value: round(large.maxRssMb),
      unit: "MB",
      baseline: `${round(small.maxRssMb)} MB at ${SCALE.small}`,
      ratio: round(ratio, 2),
      target: `< ${RSS_LIMIT_MB} MB and ratio < ${FLATNESS}`,
      met: large.maxRssMb < RSS_LIMIT_MB && ratio < FLATNESS && health === "",
      note: `the whole ${command} process, JSON lines streamed to a sink${health}`,
    },
  ];
}

export async function benchFleetScale(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), "bench-scale-"));
  const servers = spawn(
    process.execPath,
    [
      "-e",
      SERVERS,
      require.resolve("../emulator/index"),
      String(SCALE.large),
      String(SCALE.latencyMs),
      dir,
      CLIENT,
      SECRET,
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  try {
    const { origin } = JSON.parse(await firstLine(servers, "emulator process")) as { origin: string };
    const rows: BenchRow[] = [];
    for (const command of ["check-token", "fleet"] as const) {
      const small = await drive(dir, command, "small", origin);
      const large = await drive(dir, command, "large", origin);
      rows.push(...scaleRows(command, small, large));
    }
    return rows;
  } finally {
    servers.stdin!.end();
    await rm(dir, { recursive: true, force: true });
  }
}
