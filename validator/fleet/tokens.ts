// The stored tokens of `check-token --tokens`: every file of a directory, or the files a list file names (one path a
// line, # comments, relative to the list). A file named after a mailbox (ana@example.com, ana@example.com.json)
// also checks that the token belongs to that mailbox.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { InputError } from "../../common/errors";
import { redact } from "../../common/redact";
import { isEmail } from "../../google/identifiers";

export interface TokenSource {
  /** The path as the user would write it (for the report and errors). */
  readonly name: string;
  readonly file: string;
  readonly account?: string;
}

const FIELD = "--tokens";

/** The mailbox a token file is named after, if it is: `ana@example.com`, `ana@example.com.token`, `…​.json`. */
export function accountFromName(file: string): string | undefined {
  const base = path.basename(file).replace(/\.(json|token|txt)$/i, "");
  return isEmail(base) ? base.toLowerCase() : undefined;
}

function source(name: string, file: string): TokenSource {
  const account = accountFromName(file);
  return { name, file, ...(account ? { account } : {}) };
}

async function fromDirectory(dir: string, shown: string): Promise<TokenSource[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  // Dot files are editor and temp files (writeKeptToken's own temp file among them), never tokens.
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort()
    .map((n) => source(path.join(shown, n), path.join(dir, n)));
}

function fromList(text: string, listFile: string, shown: string): TokenSource[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const secretShaped = lines.some((l) => l !== "" && redact(l) !== l);
  if (text.trimStart().startsWith("{") || secretShaped) {
    throw new InputError(
      FIELD,
      `${shown} holds a token, not a list of token files`,
      "use --refresh-token-file for one token, or give a directory or a file listing token paths, one a line",
    );
  }
  const base = path.dirname(listFile);
  return lines.filter((l) => l !== "" && !l.startsWith("#")).map((l) => source(l, path.resolve(base, l)));
}

export async function listTokenSources(given: string, cwd: string): Promise<TokenSource[]> {
  if (given.trim() === "")
    throw new InputError(FIELD, "is empty", "give a directory of token files or a file listing them");
  const full = path.resolve(cwd, given);
  let stat: Awaited<ReturnType<typeof fs.stat>>;
  try {
    stat = await fs.stat(full);
  } catch (e) {
    throw new InputError(
      FIELD,
      `${given} ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read"}`,
      "give a directory of token files or a file listing them",
    );
  }
  const sources = stat.isDirectory()
    ? await fromDirectory(full, given)
    : fromList(await fs.readFile(full, "utf8"), full, given);
  if (sources.length === 0)
    throw new InputError(
      FIELD,
      `${given} lists no token file`,
      "put one refresh token per file (named after its mailbox, e.g. ana@example.com)",
    );
  return sources;
}
