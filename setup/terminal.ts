// The person at the terminal: prompts on stderr, answers from stdin, one line at a time, and Ctrl-C as a request to
// stop cleanly at the next safe point (never a kill mid-step). Answers are read with one readline for the whole
// session, so lines typed while a check runs are dropped instead of answering the next question by surprise.
import { createInterface, type Interface } from "node:readline";
import { Writable } from "node:stream";
import type { CliIo } from "../common/io";
import { redact } from "../common/redact";
import { watchSignals } from "../common/processSignals";

/**
 * Thrown by a prompt when the person pressed Ctrl-C, answered q, or stdin ended. Not common/errors' Interrupted (a
 * signal after a flow's cleanup): setup catches this itself, saves its progress and exits 130.
 */
export class SetupStopped extends Error {
  override name = "SetupStopped";
  constructor(readonly why: "ctrl-c" | "end of input") {
    super(why === "ctrl-c" ? "interrupted (Ctrl-C)" : "stdin ended before the setup was done");
  }
}

export interface Terminal {
  /** Prints a line of progress (stderr, redacted). */
  say(line?: string): void;
  /** Asks one question; resolves with the line typed (trimmed), rejects with SetupStopped. */
  ask(question: string): Promise<string>;
  /** Like ask, but what is typed or pasted is not echoed; reads lines until `complete(lines)` says the input is whole. */
  askHidden(question: string, complete: (lines: readonly string[]) => boolean): Promise<string>;
  /** Aborted on Ctrl-C: long checks (the consent wait) listen to it. */
  readonly signal: AbortSignal;
  /** Lends stdin to another reader (the consent flow's paste watcher) and takes it back; lines typed meanwhile are theirs. */
  lend(lent: boolean): void;
  close(): void;
}

export function openTerminal(io: CliIo): Terminal {
  const abort = new AbortController();
  let muted = false;
  // readline echoes through this stream, so muting it hides a pasted client JSON (the secret) from the screen.
  const echo = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      if (!muted) io.stderr.write(chunk);
      done();
    },
  });
  const tty = io.stdin.isTTY === true;
  const rl: Interface = createInterface({
    input: io.stdin,
    output: echo,
    terminal: tty,
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const queue: string[] = [];
  let waiting: { resolve: (l: string) => void; reject: (e: Error) => void } | undefined;
  let closed = false;
  let ended: SetupStopped | undefined;
  let ignoreLines = false;

  const stop = (why: SetupStopped["why"]) => {
    if (ended) return;
    ended = new SetupStopped(why);
    abort.abort(ended);
    const w = waiting;
    waiting = undefined;
    w?.reject(ended);
  };
  // In a terminal, readline holds stdin in raw mode and reports Ctrl-C itself; otherwise it arrives as SIGINT.
  rl.on("SIGINT", () => stop("ctrl-c"));
  // Outside raw mode (stdin not a terminal), or a SIGTERM: the same stop.
  const signals = watchSignals();
  void signals.signal.then(() => stop("ctrl-c"));
  rl.on("close", () => {
    if (!closed) stop("end of input");
  });
  const term: Terminal = {
    signal: abort.signal,
    lend(lent) {
      ignoreLines = lent;
      // The paste watcher pauses stdin when it stops (rl.close()); paused, stdin would let the process exit
      // in the middle of the session (the same cause as issue 14's `validate --flow --no-browser`).
      // It also lets go of stdin's handle (unref) so that a finished flow never keeps the process alive: take it back.
      if (!lent && !closed) {
        (io.stdin as { ref?: () => void }).ref?.();
        io.stdin.resume();
      }
    },
    say: (line = "") => {
      io.stderr.write(`${redact(line)}\n`);
    },
    ask(question) {
      if (ended) return Promise.reject(ended);
      // Only the question's last line is readline's prompt, so a redraw (backspace) keeps it on screen.
      const cut = question.lastIndexOf("\n") + 1;
      if (cut > 0) io.stderr.write(redact(question.slice(0, cut)));
      rl.setPrompt(redact(question.slice(cut)));
      rl.prompt();
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(queued.trim());
      return new Promise<string>((resolve, reject) => {
        waiting = { resolve: (l) => resolve(l.trim()), reject };
      });
    },
    async askHidden(question, complete) {
      const lines: string[] = [];
      io.stderr.write(`${redact(question)}\n`);
      muted = true;
      try {
        for (;;) {
          lines.push(await term.ask(""));
          if (complete(lines)) break;
        }
      } finally {
        muted = false;
      }
      io.stderr.write(`(${lines.length} line${lines.length === 1 ? "" : "s"} read, not shown)\n`);
      return lines.join("\n");
    },
    close() {
      closed = true;
      signals.stop();
      rl.close();
      // Leave the terminal as we found it, and let the process exit: nothing may keep reading stdin.
      if (tty && typeof (io.stdin as { setRawMode?: (b: boolean) => void }).setRawMode === "function")
        (io.stdin as unknown as { setRawMode: (b: boolean) => void }).setRawMode(false);
      io.stdin.pause();
    },
  };
  rl.on("line", (line) => {
    if (ignoreLines) return;
    const w = waiting;
    waiting = undefined;
    if (w) w.resolve(line);
    else queue.push(line);
  });
  return term;
}
