// Files the kit writes for others to read (the kept refresh token, the metrics file): replaced atomically, with the
// target checked before a run, so a bad path is an input error at once rather than after the work.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { InputError } from "./errors";

/**
 * Writes FILE through a fresh temp file in the same directory and a rename: a reader never sees half a file, and
 * the content never sits under looser permissions than `mode`, even when FILE existed with other ones. The temp
 * name starts with a dot and ends in .tmp, so directory scanners (a textfile collector, `--tokens DIR`) skip it.
 */
export async function writeFileAtomically(file: string, text: string, mode: number): Promise<void> {
  const target = path.resolve(file);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await fs.open(tmp, "wx", mode);
  try {
    await handle.chmod(mode); // the umask may have narrowed it
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** FLAG's FILE must be writable: its directory exists and lets us write, and FILE is not a directory. */
export async function checkWritableTarget(flag: string, file: string, cwd: string): Promise<string> {
  const full = path.resolve(cwd, file);
  try {
    await fs.access(path.dirname(full), fs.constants.W_OK);
  } catch {
    throw new InputError(
      flag,
      `cannot write in ${path.dirname(full)}`,
      "give a file in an existing, writable directory",
    );
  }
  const st = await fs.stat(full).catch(() => undefined);
  if (st?.isDirectory()) throw new InputError(flag, `${file} is a directory`, "give a file name");
  return full;
}
