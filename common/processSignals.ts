// Ending on a signal. Long-running commands (the emulator, the sandbox's --serve) end on the first SIGINT or SIGTERM;
// interactive waits (the consent flow) watch for one so that Ctrl-C releases what they hold before the process ends.

export interface SignalWatch {
  /** Settles on the first SIGINT or SIGTERM after the watch began. */
  readonly signal: Promise<NodeJS.Signals>;
  /** The signal received so far, if any. */
  received(): NodeJS.Signals | undefined;
  /** Removes the listeners (idempotent); the default handling (exit on Ctrl-C) is back. */
  stop(): void;
}

/**
 * Watches for SIGINT and SIGTERM until the first one or stop(). The listeners go as soon as one signal arrives, so a
 * second Ctrl-C ends the process at once, as a person pressing it twice expects.
 */
export function watchSignals(): SignalWatch {
  let received: NodeJS.Signals | undefined;
  let resolve!: (sig: NodeJS.Signals) => void;
  const signal = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const on = (sig: NodeJS.Signals) => {
    stop();
    received = sig;
    resolve(sig);
  };
  // One closure per signal: the name comes from the closure, not from the caller (process.emit passes none).
  const onInt = () => on("SIGINT");
  const onTerm = () => on("SIGTERM");
  function stop() {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return { signal, received: () => received, stop };
}

/** Settles on the first SIGINT or SIGTERM, and removes its listeners. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return watchSignals().signal;
}
