// What a command needs from the outside world, injected so tests run commands in-process and capture everything.
// It lives in common/ because the validator, the emulator command and the sandbox all write through it.
import type { Readable, Writable } from "node:stream";

export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: Readable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Set by a handler; the runner turns it into the process exit code. */
  exitCode: number;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    exitCode: 0,
  };
}

/** The CLI run in-process: what the sandbox and tests are handed instead of importing cli/. */
export type RunCli = (args: readonly string[], io: CliIo) => Promise<number>;
