// Load (issue 8 §4): the emulator and repeated preflight validations under sustained load. It reports the rate, and
// what a leak would show: open file descriptors and sockets (from /proc/self/fd) before and after, and heap and RSS
// growth. The emulator, the app's redirect endpoint and the validator share this process, so every socket either
// side opens is counted. test/hardening/load.test.ts runs a small version and asserts no leak.
import { readdirSync, readlinkSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { startEmulator } from "../emulator/index";
import { runPreflight } from "../validator/preflight";
import type { ValidationInput } from "../validator/types";
import type { BenchRow } from "./types";

export interface LoadOptions {
  readonly validations: number;
  readonly concurrency: number;
}

export interface FdCount {
  readonly fds: number;
  readonly sockets: number;
}

export interface LoadResult {
  readonly validations: number;
  readonly concurrency: number;
  /** Validations whose live checks did not all pass (the scenario is healthy, so any is an error). */
  readonly failed: number;
  readonly firstFailure?: string;
  readonly seconds: number;
  readonly validationsPerSecond: number;
  /** HTTP requests the validator made (four live checks per validation, no retries in a healthy run). */
  readonly requestsPerSecond: number;
  readonly before: FdCount;
  /** While the last validations ran: sockets in use under load. */
  readonly peak: FdCount;
  /** After the emulator and the app endpoint closed. */
  readonly after: FdCount;
  /** Heap after a full GC, in MiB: once warm (after the first tenth), and at the end. */
  readonly heapWarmMiB: number;
  readonly heapEndMiB: number;
  readonly rssBeforeMiB: number;
  /** RSS once warm (after the first tenth): growth from here on would be a leak, growth before it is the pools filling. */
  readonly rssWarmMiB: number;
  readonly rssEndMiB: number;
}

const LIVE_CHECKS_PER_VALIDATION = 4;
const MiB = 1024 * 1024;

/** Open descriptors of this process, and how many of them are sockets. Linux only (/proc). */
export function countFds(): FdCount {
  let fds = 0;
  let sockets = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed between the listing and the read (readdir's own descriptor, for one)
    }
    fds++;
    if (target.startsWith("socket:")) sockets++;
  }
  return { fds, sockets };
}

/** A full collection before each heap reading, so growth means retained memory, not garbage not yet collected. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

function heapMiB(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / MiB;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Servers {
  readonly input: () => ValidationInput;
  close(): Promise<void>;
}

/** The emulator and the app's redirect endpoint, both healthy, so every live check passes. */
async function startServers(): Promise<Servers> {
  const project = "load-mail";
  const clientId = "123456789012-load.apps.googleusercontent.com";
  const secret = "GOCSPX-load-secret-0001";
  const cloudToken = "ya29.load-cloud-token";
  const app: Server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("ok"));
  await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
  const appUri = `http://127.0.0.1:${(app.address() as AddressInfo).port}/cb`;
  const emu = await startEmulator({
    projects: [
      { id: project, number: "123456789012", userType: "external", publishingStatus: "production", verified: true },
    ],
    clients: [{ id: clientId, projectId: project, type: "web", secrets: [secret], redirectUris: [appUri] }],
  });
  emu.admin.addCloudCredential(cloudToken, { projects: [project] });
  return {
    input: () => ({
      clientId,
      clientSecret: secret,
      clientType: "web",
      redirectUris: [appUri],
      scopes: ["https://mail.google.com/"],
      project,
      googleOrigin: emu.origin,
      cloudAccessToken: cloudToken,
      deadline: Date.now() + 30_000,
      provenance: {},
    }),
    close: async () => {
      await emu.close();
      await new Promise<void>((r) => {
        app.close(() => r());
        app.closeAllConnections();
      });
      // Sockets the servers closed are released by the client pool on its next turns of the event loop.
      await settle(200);
    },
  };
}

interface Tally {
  failed: number;
  firstFailure?: string;
}

/** `count` preflights, `concurrency` at a time; `onDone(n)` after each. */
async function validateMany(
  servers: Servers,
  count: number,
  concurrency: number,
  onDone: (n: number) => void = () => {},
): Promise<Tally> {
  const tally: Tally = { failed: 0 };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const results = await runPreflight(servers.input());
      const live = results.filter((r) => r.id.startsWith("live.") && r.id !== "live.clock");
      const bad = live.filter((r) => r.status !== "pass");
      if (live.length !== LIVE_CHECKS_PER_VALIDATION || bad.length > 0) {
        tally.failed++;
        tally.firstFailure ??=
          bad.map((b) => `${b.id}: ${b.status} ${b.detail ?? ""}`).join("; ") || `${live.length} live checks ran`;
      }
      onDone(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return tally;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  // A short warm-up first: Node opens a few descriptors once (libuv keeps /dev/null in reserve for EMFILE) and
  // modules load; the baseline is taken after, so only what a run leaves behind counts.
  const warm = await startServers();
  try {
    await validateMany(warm, opts.concurrency, opts.concurrency);
  } finally {
    await warm.close();
  }
  const before = countFds();
  const rssBefore = process.memoryUsage().rss / MiB;
  const servers = await startServers();
  let heapWarm = 0;
  let rssWarm = 0;
  let peak: FdCount = before;
  const warmAt = Math.max(1, Math.floor(opts.validations / 10));
  const started = performance.now();
  let tally: Tally;
  try {
    tally = await validateMany(servers, opts.validations, opts.concurrency, (done) => {
      if (done === warmAt) {
        heapWarm = heapMiB();
        rssWarm = process.memoryUsage().rss / MiB;
      }
      if (done === Math.max(1, opts.validations - opts.concurrency)) peak = countFds();
    });
  } finally {
    await servers.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const heapEnd = heapMiB();
  return {
    validations: opts.validations,
    concurrency: opts.concurrency,
    failed: tally.failed,
    firstFailure: tally.firstFailure,
    seconds,
    validationsPerSecond: opts.validations / seconds,
    requestsPerSecond: (opts.validations * LIVE_CHECKS_PER_VALIDATION) / seconds,
    before,
    peak,
    after: countFds(),
    heapWarmMiB: heapWarm,
    heapEndMiB: heapEnd,
    rssBeforeMiB: rssBefore,
    rssWarmMiB: rssWarm,
    rssEndMiB: process.memoryUsage().rss / MiB,
  };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function benchLoad(opts: LoadOptions = { validations: 10_000, concurrency: 64 }): Promise<BenchRow[]> {
  const r = await runLoad(opts);
  const run = `${r.validations} preflight validations at concurrency ${r.concurrency} in ${round(r.seconds)} s; emulator in-process`;
  const growth = r.heapEndMiB - r.heapWarmMiB;
  return [
    {
      name: "load: validations per second",
      value: round(r.validationsPerSecond),
      unit: "validations/s",
      note: `${run}; ${r.failed} failed${r.firstFailure ? ` (first: ${r.firstFailure})` : ""}`,
    },
    {
      name: "load: HTTP requests per second",
      value: round(r.requestsPerSecond),
      unit: "requests/s",
      note: `${LIVE_CHECKS_PER_VALIDATION} live checks per validation`,
    },
    {
      name: "load: open file descriptors after close",
      value: r.after.fds,
      unit: "fds",
      baseline: `before: ${r.before.fds}`,
      target: `<= ${r.before.fds}`,
      met: r.after.fds <= r.before.fds,
      note: `under load: ${r.peak.fds}`,
    },
    {
      name: "load: open sockets after close",
      value: r.after.sockets,
      unit: "sockets",
      baseline: `before: ${r.before.sockets}`,
      target: `<= ${r.before.sockets}`,
      met: r.after.sockets <= r.before.sockets,
      note: `under load: ${r.peak.sockets}`,
    },
    {
      name: "load: heap growth after warm-up (after GC)",
      value: round(growth),
      unit: "MiB",
      baseline: `warm: ${round(r.heapWarmMiB)} MiB`,
      target: "< 16",
      met: growth < 16,
      note: `end: ${round(r.heapEndMiB)} MiB`,
    },
    {
      name: "load: RSS growth after warm-up",
      value: round(r.rssEndMiB - r.rssWarmMiB),
      unit: "MiB",
      baseline: `warm: ${round(r.rssWarmMiB)} MiB`,
      note: `before the run: ${round(r.rssBeforeMiB)} MiB, end: ${round(r.rssEndMiB)} MiB (RSS keeps the allocator's free pages, so it is reported, not judged; the heap row is the leak test)`,
    },
  ];
}
