// `--output FILE --resume`: a long fleet run that stopped (a reboot, a deploy, Ctrl-C) goes on where it stopped.
// The JSON lines file it wrote is the record: every connection with a line in it was checked and is skipped.
import { createReadStream, promises as fs } from "node:fs";
import { createInterface } from "node:readline";
import { InputError } from "../../common/errors";

/**
 * The names of the connections FILE already holds a result for. A last line cut off mid-write (the run was killed)
 * is removed, so the lines appended next start on a line of their own. Read line by line: memory stays flat.
 */
export async function checkedConnections(file: string): Promise<Set<string>> {
  const done = new Set<string>();
  const st = await fs.stat(file).catch(() => undefined);
  if (!st) return done; // nothing checked yet: the run starts from the beginning
  let goodBytes = 0;
  let lineNo = 0;
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    lineNo++;
    let row: { name?: unknown; checks?: unknown } | undefined;
    try {
      row = JSON.parse(line) as { name?: unknown; checks?: unknown };
    } catch {
      row = undefined;
    }
    if (row === undefined) {
      if (goodBytes + Buffer.byteLength(line) >= st.size) break; // the cut-off last line
      throw new InputError(
        "--resume",
        `line ${lineNo} of ${file} is not JSON`,
        "resume only from a file this command wrote with --format jsonl --output FILE",
      );
    }
    if (typeof row.name === "string" && Array.isArray(row.checks)) done.add(row.name);
    goodBytes += Buffer.byteLength(line) + 1;
  }
  if (goodBytes < st.size) await fs.truncate(file, Math.min(goodBytes, st.size));
  return done;
}
