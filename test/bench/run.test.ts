// The bench runner's plumbing with stand-in suites: no timing is asserted (benchmarks are never tests).
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../bench/paths";
import { exitCodeOf, renderTable, runBench, SUITES, type ResultRow, type SuiteEntry } from "../../bench/run";
import { captureStream } from "../support/captureIo";

const ratioRow = {
  name: "thing vs floor",
  value: 12.5,
  unit: "ms",
  baseline: "floor: 10 ms",
  ratio: 1.25,
  target: "< 1.3",
  met: true,
  note: "median of 3",
};

describe("runBench", () => {
  test("every suite's rows, a failed suite as a 'not measured' row, the table on stdout, the JSON file", async () => {
    const suites: SuiteEntry[] = [
      { name: "good", load: async () => async () => [ratioRow] },
      {
        name: "broken",
        load: async () => async () => {
          throw new Error("dist/ is missing\nstack");
        },
      },
      {
        name: "unloadable",
        load: async () => {
          throw new Error("cannot load");
        },
      },
    ];
    const out = captureStream();
    const err = captureStream();
    const resultsFile = join(await mkdtemp(join(tmpdir(), "bench-run-")), "results", "latest.json");
    const { results, exitCode } = await runBench({ suites, stdout: out.stream, stderr: err.stream, resultsFile });
    await new Promise((r) => setImmediate(r));
    expect(exitCode).toBe(3);
    expect(results.rows.map((r) => [r.suite, r.error])).toEqual([
      ["good", undefined],
      ["broken", "dist/ is missing"],
      ["unloadable", "cannot load"],
    ]);
    expect(JSON.parse(await readFile(resultsFile, "utf8"))).toEqual(JSON.parse(JSON.stringify(results)));
    expect(out.text()).toContain("thing vs floor");
    expect(out.text()).toContain("[2] broken: not measured: dist/ is missing");
    expect(err.text()).toContain("bench: good…");
  });

  test("the table: a column per field, the verdict, notes below", () => {
    const rows: ResultRow[] = [
      { suite: "s", ...ratioRow },
      { suite: "s", ...ratioRow, name: "missed", met: false },
    ];
    const lines = renderTable(rows).split("\n");
    expect(lines[0]).toMatch(/^Benchmark +Value +Baseline \(same run\) +Ratio +Target$/);
    expect(lines[2]).toMatch(/^thing vs floor +12\.5 ms +floor: 10 ms +1\.25 +< 1\.3 +met$/);
    expect(lines[3]).toMatch(/MISSED$/);
    expect(lines).toContain("[1] thing vs floor: median of 3");
  });

  test("exit codes: all met 0, a target missed 1, only unmeasured 3", () => {
    const row: ResultRow = { suite: "s", ...ratioRow };
    expect(exitCodeOf([row])).toBe(0);
    expect(exitCodeOf([row, { ...row, met: false }, { ...row, error: "x" }])).toBe(1);
    expect(exitCodeOf([row, { ...row, error: "x" }])).toBe(3);
  });

  test("the real suites are all registered, and the results land under the package root", () => {
    expect(SUITES.map((s) => s.name)).toEqual([
      "emulator",
      "validator",
      "fleet",
      "fleet-scale",
      "infra",
      "load",
      "package",
      "web",
    ]);
    expect(packageRoot(join(__dirname, "..", "..", "dist", "bench"))).toBe(join(__dirname, "..", ".."));
  });
});
