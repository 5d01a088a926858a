// Bounded concurrency with ordered, streaming delivery: results leave in input order as soon as every earlier item
// is done, so output is deterministic and nothing but the not-yet-deliverable results is held in memory.

export const DEFAULT_CONCURRENCY = 8;
/** Above this the run stops being polite to Google's shared endpoints; see docs/fleet.md. */
export const MAX_CONCURRENCY = 64;

/**
 * Runs `work` over `items` with at most `concurrency` in flight and calls `deliver` in index order.
 * `work` must not reject: a failure is a result (an inconclusive check), not a reason to stop the other items.
 */
export async function runOrdered<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
  deliver: (result: R, index: number) => void,
): Promise<void> {
  const pending = new Map<number, R>();
  let nextToStart = 0;
  let nextToDeliver = 0;
  const flush = () => {
    while (pending.has(nextToDeliver)) {
      const r = pending.get(nextToDeliver)!;
      pending.delete(nextToDeliver);
      deliver(r, nextToDeliver++);
    }
  };
  const worker = async () => {
    while (nextToStart < items.length) {
      const i = nextToStart++;
      pending.set(i, await work(items[i], i));
      flush();
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(concurrency), items.length));
  await Promise.all(Array.from({ length: lanes }, worker));
}
