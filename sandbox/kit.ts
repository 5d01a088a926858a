// Runs the kit's own CLI in-process (the runCli the CLI hands the sandbox), as a user would type the command, and captures what it
// printed. validate and check-token run with --json so the walkthrough judges their real report, not its wording;
// the human view is then rendered by the validator's own renderer (validator/report.ts).
import { PassThrough, Writable } from "node:stream";
import { redact } from "../common/redact";
import type { CliIo, RunCli } from "../common/io";
import type { Report } from "../validator/types";

export interface KitRun {
  /** The command as a user types it (without the --json the sandbox adds to read the report). */
  readonly command: string;
  readonly exitCode: number;
  /** The parsed --json report; undefined when the command printed none (an input error, exit 2). */
  readonly report?: Report;
  /** What the command wrote on stderr (progress, or its one-line error), redacted. */
  readonly stderr: string;
}

class Capture extends Writable {
  text = "";
  constructor(private readonly onLine?: (line: string) => void) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    const s = chunk.toString();
    this.text += s;
    if (this.onLine) for (const line of s.split("\n")) if (line.trim() !== "") this.onLine(line);
    done();
  }
}

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`);

/** `args` as typed (no --json); `progress` receives each stderr line of the command as it comes. */
export async function runKit(
  runCli: RunCli,
  args: readonly string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; progress: (line: string) => void },
): Promise<KitRun> {
  const stdout = new Capture();
  const stderr = new Capture((line) => opts.progress(redact(line)));
  // No stdin: the walkthrough never pastes anything, and an open stream keeps --no-browser waiting as a person would.
  const io: CliIo = { stdout, stderr, stdin: new PassThrough(), env: opts.env, cwd: opts.cwd, exitCode: 0 };
  const exitCode = await runCli([...args, "--json"], io);
  let report: Report | undefined;
  try {
    report = stdout.text.trim() ? (JSON.parse(stdout.text) as Report) : undefined;
  } catch {
    report = undefined;
  }
  return {
    command: redact(["gmail-oauth", ...args].map(quote).join(" ")),
    exitCode,
    ...(report ? { report } : {}),
    stderr: redact(stderr.text),
  };
}

/** Every diagnosis code in a report, in report order, each once. */
export function diagnosesOf(report: Report | undefined): string[] {
  return [...new Set((report?.checks ?? []).flatMap((c) => (c.diagnosis ? [c.diagnosis] : [])))];
}
