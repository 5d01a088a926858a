// A CliIo whose output the test reads back; shared by the flow and check-token tests.
import { PassThrough } from "node:stream";
import type { CliIo } from "../../cli/context";

export interface CapturedIo {
  readonly io: CliIo;
  readonly stdin: PassThrough;
  out(): string;
  err(): string;
}

export function captureIo(env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let o = "";
  let e = "";
  stdout.on("data", (c) => (o += c));
  stderr.on("data", (c) => (e += c));
  return { io: { stdout, stderr, stdin, env, cwd, exitCode: 0 }, stdin, out: () => o, err: () => e };
}
