// --no-browser: the person opens the URL elsewhere and may paste the address the browser landed on. Each pasted
// line goes through the same parser as the loopback callback, so a wrong state is refused here as well.
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { parsePastedRedirect, type CallbackOutcome } from "./callback";

export interface PasteWatcher {
  /** Resolves with the first pasted callback carrying the right state; stays pending at end of input. */
  readonly result: Promise<CallbackOutcome>;
  stop(): void;
}

export function watchPastedRedirect(
  stdin: Readable,
  expectedState: string,
  onRefused: (why: string) => void,
): PasteWatcher {
  const rl = createInterface({ input: stdin, crlfDelay: Infinity, terminal: false });
  let done = false;
  const result = new Promise<CallbackOutcome>((resolve) => {
    rl.on("line", (line) => {
      if (done) return;
      const parsed = parsePastedRedirect(line, expectedState);
      if (parsed.kind === "code" || parsed.kind === "error" || parsed.kind === "refused") {
        done = true;
        resolve(parsed);
        rl.close();
      } else if (parsed.kind === "wrong_state")
        onRefused("refused the pasted address: its state does not match this run");
      else if (line.trim() !== "") onRefused(`ignored the pasted line: ${parsed.reason}`);
    });
  });
  return {
    result,
    stop: () => {
      done = true;
      rl.close();
    },
  };
}
