// The progress line of a long fleet run, on stderr: rewritten in place on a terminal, or one line every N seconds
// when stderr is a file or a CI log (so cron mail and CI output stay short).
import type { Writable } from "node:stream";
import type { ConnectionVerdict } from "./output";

export const PROGRESS_EVERY_MS = 10_000;
/** On a terminal, at most this often: redrawing per connection would cost more than the checks at high rates. */
const TTY_REDRAW_MS = 100;

export interface ProgressState {
  readonly total: number;
  readonly done: number;
  readonly running: number;
  readonly failing: number;
  readonly inconclusive: number;
  readonly elapsedMs: number;
}

export function progressLine(s: ProgressState): string {
  return `fleet: ${s.done}/${s.total} done, ${s.failing} failing, ${s.inconclusive} inconclusive, ${s.running} running, ${(s.elapsedMs / 1000).toFixed(0)} s`;
}

export class Progress {
  private done = 0;
  private running = 0;
  private failing = 0;
  private inconclusive = 0;
  private lastWrite = 0;
  private timer?: NodeJS.Timeout;
  private readonly started: number;

  constructor(
    private readonly stream: Writable & { isTTY?: boolean },
    private readonly total: number,
    private readonly everyMs = PROGRESS_EVERY_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
    this.lastWrite = this.started;
  }

  private get tty(): boolean {
    return this.stream.isTTY === true;
  }

  state(): ProgressState {
    return {
      total: this.total,
      done: this.done,
      running: this.running,
      failing: this.failing,
      inconclusive: this.inconclusive,
      elapsedMs: this.now() - this.started,
    };
  }

  /** Off a terminal, a line every `everyMs` even when no connection finishes (a slow one is what you want to see). */
  start(): void {
    if (!this.tty && this.everyMs > 0) {
      this.timer = setInterval(() => this.write(), this.everyMs);
      this.timer.unref();
    }
  }

  began(): void {
    this.running++;
  }

  finished(verdict: ConnectionVerdict): void {
    this.running--;
    this.done++;
    if (verdict === "fail") this.failing++;
    if (verdict === "inconclusive") this.inconclusive++;
    if (this.tty && (this.now() - this.lastWrite >= TTY_REDRAW_MS || this.done === this.total)) this.write();
  }

  write(): void {
    this.lastWrite = this.now();
    const line = progressLine(this.state());
    this.stream.write(this.tty ? `\r${line}\u001b[K` : `${line}\n`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    // Leave the terminal line clean for whatever prints next.
    if (this.tty) this.stream.write("\r\u001b[K");
  }
}
