// Captured output for tests: a stream whose text the test reads back, and a CliIo built from such streams. Shared by
// the CLI, flow, check-token, sandbox, emulator and bench tests.
import { PassThrough } from "node:stream";
import type { CliIo } from "../../common/io";

export interface CapturedStream {
  readonly stream: PassThrough;
  text(): string;
}

export function captureStream(): CapturedStream {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (c) => (text += c));
  return { stream, text: () => text };
}

export interface CapturedIo {
  readonly io: CliIo;
  readonly stdin: PassThrough;
  out(): string;
  err(): string;
}

export function captureIo(env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): CapturedIo {
  const stdout = captureStream();
  const stderr = captureStream();
  const stdin = new PassThrough();
  return {
    io: { stdout: stdout.stream, stderr: stderr.stream, stdin, env, cwd, exitCode: 0 },
    stdin,
    out: stdout.text,
    err: stderr.text,
  };
}
