// The `pulumi up` load row is judged against Pulumi's empty-program floor measured in the same run (issue 26), not
// against the SDKs alone: the run entry by itself costs ~1.4× them, which no program can help. No timing is measured
// here (benchmarks are never tests): the judgement of given medians is.
import { describe, expect, test } from "vitest";
import { MAX_PROGRAM_OVER_FLOOR, programLoadRow } from "../../bench/package";

const row = (programMs: number, floorMs: number) => programLoadRow({ programMs, floorMs, runs: 5, machine: "test" });

describe("the pulumi up load row", () => {
  test("what the program adds to the floor is judged, with the floor as its baseline", () => {
    const r = row(1090, 1000);
    expect(r).toMatchObject({ ratio: 1.09, target: `≤ ${MAX_PROGRAM_OVER_FLOOR}`, met: true });
    expect(r.baseline).toBe("the same run entry with an empty program: 1000 ms");
  });

  test("a program that adds more than 15% to the floor misses the target", () => {
    expect(MAX_PROGRAM_OVER_FLOOR).toBe(1.15);
    expect(row(1160, 1000)).toMatchObject({ ratio: 1.16, met: false });
    expect(row(1150, 1000).met).toBe(true);
  });
});
