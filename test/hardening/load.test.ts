// A small, bounded version of bench/load.ts (issue 8 §4): 300 preflight validations at concurrency 32 against the
// in-process emulator leave no descriptor or socket open after close, and the heap does not grow with the runs.
import { afterAll, expect, it } from "vitest";
import { forgetSecrets } from "../../common/redact";
import { runLoad } from "../../bench/load";

afterAll(() => forgetSecrets());

it("300 validations at concurrency 32: all pass, no leaked fds or sockets, bounded heap", async () => {
  const r = await runLoad({ validations: 300, concurrency: 32 });
  expect(r.failed, r.firstFailure).toBe(0);
  // The load was real: many sockets were open at once.
  expect(r.peak.sockets).toBeGreaterThan(r.before.sockets + 32);
  expect(r.after.sockets, "sockets left open").toBeLessThanOrEqual(r.before.sockets);
  expect(r.after.fds, "descriptors left open").toBeLessThanOrEqual(r.before.fds);
  // Retained heap after a full GC; 300 validations that each kept a few KiB would already show here.
  expect(r.heapEndMiB - r.heapWarmMiB, "heap growth (MiB)").toBeLessThan(8);
}, 60_000);
