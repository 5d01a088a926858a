// Long-running commands (the emulator, the sandbox's --serve) end on the first SIGINT or SIGTERM.

/** Settles on the first SIGINT or SIGTERM, and removes its listeners. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(sig);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}
