// A bounded wait for tests: polls until `probe` returns a value, or fails naming what it waited for and what it saw,
// so a stuck test says why instead of spinning until the runner's timeout (issue 14 §6).
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  opts: { timeoutMs?: number; seen?: () => string | Promise<string>; intervalMs?: number } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until)
      throw new Error(
        `gave up after ${timeoutMs / 1000}s waiting for ${what}${opts.seen ? `; saw:\n${await opts.seen()}` : ""}`,
      );
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 20));
  }
}
