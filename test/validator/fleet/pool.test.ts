import { describe, expect, test } from "vitest";
import { runOrdered } from "../../../validator/fleet/pool";

describe("runOrdered", () => {
  test("delivers in input order although items finish out of order, with at most N in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const delivered: number[] = [];
    const run = runOrdered(
      [0, 1, 2, 3, 4, 5],
      3,
      async (n) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise<void>((r) => releases.push(r));
        inFlight--;
        return n * 10;
      },
      (r, i) => delivered.push(r, i),
    );
    // Finish in reverse order of start, as each batch arrives.
    while (releases.length > 0 || delivered.length < 12) {
      await new Promise((r) => setImmediate(r));
      const batch = releases.splice(0);
      batch.reverse().forEach((r) => {
        r();
      });
      if (batch.length === 0 && delivered.length >= 12) break;
    }
    await run;
    expect(peak).toBe(3);
    expect(delivered).toEqual([0, 0, 10, 1, 20, 2, 30, 3, 40, 4, 50, 5]);
  });

  test("an empty list and a concurrency larger than the list", async () => {
    const seen: number[] = [];
    await runOrdered(
      [],
      8,
      async () => 1,
      () => seen.push(1),
    );
    await runOrdered(
      [7],
      8,
      async (n) => n,
      (r) => seen.push(r),
    );
    expect(seen).toEqual([7]);
  });
});
