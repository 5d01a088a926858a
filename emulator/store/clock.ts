// The emulator's clock: real time from a chosen start, or frozen. Token expiry (the 7-day Testing limit, access
// tokens' hour) is tested by advancing it, never by waiting.

export class Clock {
  private offset = 0;
  private frozenAt?: number;

  constructor(start?: string | number, frozen = false) {
    const startMs = typeof start === "string" ? Date.parse(start) : start;
    if (frozen) this.frozenAt = startMs ?? Date.now();
    else if (startMs !== undefined) this.offset = startMs - Date.now();
  }

  now(): number {
    return this.frozenAt ?? Date.now() + this.offset;
  }

  advance(ms: number): number {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offset += ms;
    return this.now();
  }
}
