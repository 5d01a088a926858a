// --no-browser: the person opens the URL elsewhere and may paste the address the browser landed on. Each pasted
// line goes through the same parser as the loopback callback, so a wrong state is refused here as well.
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { parsePastedRedirect, type CallbackOutcome } from "./callback";

export interface PasteWatcher {
  /** Resolves with the first pasted callback carrying the right state; stays pending at end of input. */
  readonly result: Promise<CallbackOutcome>;
  /** Stops reading and releases the input, so an open stdin no longer keeps the process alive (issue 14 §1). */
  stop(): void;
}

/** process.stdin (a TTY or a pipe) has a handle the event loop waits on; a PassThrough in tests has none. */
type InputWithHandle = Readable & { ref?: () => void; unref?: () => void };

export function watchPastedRedirect(
  stdin: Readable,
  expectedState: string,
  onRefused: (why: string) => void,
): PasteWatcher {
  const input = stdin as InputWithHandle;
  // An earlier watcher may have released it: waiting on the person is what keeps the process alive now.
  input.ref?.();
  const rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
  let done = false;
  const release = () => {
    done = true;
    rl.close();
    // Closing readline only pauses the stream; a pipe's handle keeps reading (and the process alive) until its writer
    // closes it. Unref lets the process end once its work is done, while another reader may still ref() and resume.
    input.pause();
    input.unref?.();
  };
  const result = new Promise<CallbackOutcome>((resolve) => {
    rl.on("line", (line) => {
      if (done) return;
      const parsed = parsePastedRedirect(line, expectedState);
      if (parsed.kind === "code" || parsed.kind === "error" || parsed.kind === "refused") {
        release();
        resolve(parsed);
      } else if (parsed.kind === "wrong_state")
        onRefused("refused the pasted address: its state does not match this run");
      else if (line.trim() !== "") onRefused(`ignored the pasted line: ${parsed.reason}`);
    });
  });
  return { result, stop: release };
}
