// FaultTable: counting down `times`, seeded `fraction`, the catch-all route.
import { describe, expect, it } from "vitest";
import { FaultTable, seededRandom, transientErrorBody } from "../../emulator/faults";

describe("FaultTable", () => {
  it("applies a `times` fault exactly N times, then clears it", () => {
    const t = new FaultTable();
    t.set("token", { status: 503, times: 3 });
    expect([1, 2, 3, 4].map(() => t.pick("token")?.status)).toEqual([503, 503, 503, undefined]);
    expect(t.list()).toEqual({});
  });

  it("prefers the route's own fault over the catch-all, and leaves other routes alone", () => {
    const t = new FaultTable();
    t.set("*", { status: 500 });
    t.set("token", { drop: true });
    expect(t.pick("token")).toEqual({ drop: true });
    expect(t.pick("revoke")).toEqual({ status: 500 });
    t.clear("*");
    expect(t.pick("revoke")).toBeUndefined();
  });

  it("a fraction hits about that share of requests, the same ones for the same seed", () => {
    const run = (seed: number) => {
      const t = new FaultTable(seed);
      t.set("gmail.profile", { status: 429, fraction: 0.25 });
      return Array.from({ length: 400 }, () => t.pick("gmail.profile") !== undefined);
    };
    const hits = run(3).filter(Boolean).length;
    expect(hits).toBeGreaterThan(60);
    expect(hits).toBeLessThan(140);
    expect(run(3)).toEqual(run(3));
    expect(run(4)).not.toEqual(run(3));
  });

  it("seededRandom stays in [0, 1)", () => {
    const r = seededRandom(9);
    for (let i = 0; i < 1000; i++) {
      const x = r();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it("transient bodies use Google's status names", () => {
    expect(transientErrorBody(429)).toEqual({
      error: { code: 429, message: "Resource has been exhausted (e.g. check quota).", status: "RESOURCE_EXHAUSTED" },
    });
  });

  it("the token endpoint's 500 is OAuth's internal_failure, as pasted from client libraries", () => {
    expect(transientErrorBody(500, "token")).toEqual({ error: "internal_failure" });
    expect(transientErrorBody(503, "token")).toMatchObject({ error: { code: 503, status: "UNAVAILABLE" } });
  });
});
