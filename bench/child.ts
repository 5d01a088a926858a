// Benchmarks run servers (the emulator, a bare baseline) and drivers in child processes, so the process being measured
// does not share its event loop with the load it is measured under. Each child prints one line when ready.
import { spawn, type ChildProcess } from "node:child_process";

/** The child's first stdout line; rejects with its first stderr line if it exits before printing one. */
export function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    let err = "";
    child.stdout!.on("data", (d) => {
      buf += d;
      if (buf.includes("\n")) resolve(buf.split("\n")[0]!);
    });
    child.stderr?.on("data", (d) => (err += d));
    child.on("exit", (code) => reject(new Error(`${what} exited (${code}) ${err.split("\n")[0] ?? ""}`)));
  });
}

/**
 * Start `node -e script ...args`, wait for its ready line (JSON), and stop it by closing its stdin: each script ends
 * with `process.stdin.on("end", () => process.exit(0)).resume()`.
 */
export async function startChild<T>(
  script: string,
  args: readonly string[],
  what: string,
): Promise<{ ready: T; stop(): void }> {
  const child = spawn(process.execPath, ["-e", script, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  try {
    return { ready: JSON.parse(await firstLine(child, what)) as T, stop: () => child.stdin!.end() };
  } catch (e) {
    child.kill();
    throw e;
  }
}
