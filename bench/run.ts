// `npm run bench`: every suite in one run, one readable table of the ratios measured side by side, and the same rows
// as JSON in bench/results/latest.json (git-ignored). A suite that cannot run is a "not measured" row with the reason,
// never a silent gap. Exit code: 0 every target met, 1 a target missed, 3 something could not be measured.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import type { Writable } from "node:stream";
import { packageRoot } from "./paths";
import type { BenchRow, BenchSuite } from "./types";

export interface SuiteEntry {
  readonly name: string;
  /** Loaded only when it runs: a suite's imports (Pulumi, the emulator) are not free. */
  readonly load: () => Promise<BenchSuite>;
}

export const SUITES: readonly SuiteEntry[] = [
  { name: "emulator", load: async () => (await import("./emulator.js")).benchEmulator },
  { name: "validator", load: async () => (await import("./validator.js")).benchValidator },
  { name: "fleet", load: async () => (await import("./fleet.js")).benchFleet },
  { name: "fleet-scale", load: async () => (await import("./fleetScale.js")).benchFleetScale },
  { name: "infra", load: async () => (await import("./infra.js")).benchInfra },
  { name: "load", load: async () => (await import("./load.js")).benchLoad },
  { name: "package", load: async () => (await import("./package.js")).benchPackage },
  { name: "web", load: async () => (await import("./web.js")).benchWeb },
];

export interface ResultRow extends BenchRow {
  readonly suite: string;
  /** Why the suite produced no measurement. */
  readonly error?: string;
}

export interface BenchResults {
  readonly date: string;
  readonly node: string;
  readonly machine: string;
  readonly seconds: number;
  readonly rows: readonly ResultRow[];
}

function cell(value: string, width: number): string {
  return value.length > width ? `${value.slice(0, width - 1)}…` : value.padEnd(width);
}

function formatValue(r: ResultRow): string {
  if (r.error) return "not measured";
  return `${r.value} ${r.unit}`;
}

function verdict(r: ResultRow): string {
  if (r.error) return "?";
  return r.met === undefined ? "" : r.met ? "met" : "MISSED";
}

/** The readable table: one line per row, then the notes (what was measured beside what, and how). */
export function renderTable(rows: readonly ResultRow[]): string {
  const head = ["Benchmark", "Value", "Baseline (same run)", "Ratio", "Target", ""];
  const body = rows.map((r) => [
    r.name,
    formatValue(r),
    r.baseline ?? "",
    r.ratio === undefined ? "" : String(r.ratio),
    r.target ?? "",
    verdict(r),
  ]);
  const widths = head.map((h, i) =>
    Math.min(i === 0 ? 52 : i === 2 ? 44 : 30, Math.max(h.length, ...body.map((b) => b[i]!.length))),
  );
  const line = (cols: string[]) =>
    cols
      .map((c, i) => cell(c, widths[i]!))
      .join("  ")
      .trimEnd();
  const out = [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line), ""];
  rows.forEach((r, i) => {
    const note = r.error ? `not measured: ${r.error}` : r.note;
    if (note) out.push(`[${i + 1}] ${r.name}: ${note}`);
  });
  return `${out.join("\n")}\n`;
}

export function exitCodeOf(rows: readonly ResultRow[]): 0 | 1 | 3 {
  if (rows.some((r) => r.met === false)) return 1;
  return rows.some((r) => r.error) ? 3 : 0;
}

export interface RunOptions {
  readonly suites?: readonly SuiteEntry[];
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Where the JSON goes; undefined writes none. */
  readonly resultsFile?: string;
}

/** Runs the suites one after the other (side by side they would steal each other's cores) and reports. */
export async function runBench(opts: RunOptions): Promise<{ results: BenchResults; exitCode: number }> {
  const started = performance.now();
  const rows: ResultRow[] = [];
  for (const suite of opts.suites ?? SUITES) {
    opts.stderr.write(`bench: ${suite.name}…\n`);
    const t = performance.now();
    try {
      const run = await suite.load();
      for (const row of await run()) rows.push({ suite: suite.name, ...row });
    } catch (err) {
      rows.push({
        suite: suite.name,
        name: suite.name,
        value: 0,
        unit: "",
        error: (err as Error)?.message?.split("\n")[0] ?? String(err),
      });
    }
    opts.stderr.write(`bench: ${suite.name} done in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
  const results: BenchResults = {
    date: new Date().toISOString(),
    node: process.version,
    machine: `${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the end`,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    rows,
  };
  opts.stdout.write(renderTable(rows));
  if (opts.resultsFile) {
    mkdirSync(dirname(opts.resultsFile), { recursive: true });
    writeFileSync(opts.resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    opts.stdout.write(`\nResults: ${opts.resultsFile} (${results.seconds} s in all)\n`);
  }
  return { results, exitCode: exitCodeOf(rows) };
}

/** `npm run bench [-- SUITE…]`: every suite, or the named ones (emulator, validator, fleet, infra, load, package). */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  const unknown = argv.filter((name) => !SUITES.some((s) => s.name === name));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: no suite ${unknown.map((n) => `'${n}'`).join(", ")}; name some of: ${SUITES.map((s) => s.name).join(", ")}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const suites = argv.length > 0 ? SUITES.filter((s) => argv.includes(s.name)) : SUITES;
  const resultsFile = join(packageRoot(), "bench", "results", "latest.json");
  runBench({ suites, stdout: process.stdout, stderr: process.stderr, resultsFile }).then(
    ({ exitCode }) => {
      process.exitCode = exitCode;
    },
    (err) => {
      process.stderr.write(`bench: ${(err as Error).message}\n`);
      process.exitCode = 3;
    },
  );
}

if (require.main === module) main();
