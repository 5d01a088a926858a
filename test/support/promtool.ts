// Prometheus' own promtool (Debian's prometheus package, installed by .ci/run when missing): the metrics and the
// alert rules are checked by the real parsers. On a developer machine without it those tests skip; under CI=true a
// missing promtool is a failing test (missingPromtoolInCi), never a silent skip.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";

function find(): string | undefined {
  try {
    return execFileSync("sh", ["-c", "command -v promtool"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const PROMTOOL = find();
export const missingPromtoolInCi = !PROMTOOL && process.env.CI === "true";

export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs promtool with ARGS (and INPUT on stdin); bounded, never throws for a non-zero exit. */
export async function promtool(args: readonly string[], input?: string, cwd?: string): Promise<ToolRun> {
  const run = promisify(execFile);
  const child = run(PROMTOOL!, [...args], { cwd, timeout: 60_000, maxBuffer: 16 << 20 });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  }
  try {
    const r = await child;
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : 1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}
