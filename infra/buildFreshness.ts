// Pulumi runs the compiled program (Pulumi.yaml's main is dist/infra/index.js), so a source edited after the last
// build would deploy the old code without a word. In a clone the sources sit beside dist/: compare them. An installed
// package ships no sources, and a run from the sources (tests) has nothing to compare, so both pass.
import { type Dirent, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** What the program is built from: the folders infra/ may import (docs/architecture.md). */
const PROGRAM_FOLDERS = ["common", "google", "connection", "infra"] as const;

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function sources(dir: string, rel: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // no sources here: an installed package
  }
  return entries.flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name), `${rel}/${e.name}`)
      : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")
        ? [`${rel}/${e.name}`]
        : [],
  );
}

/** The first source (relative to `root`) newer than its compiled file, or undefined when the build is current. */
export function staleSource(root: string, folders: readonly string[] = PROGRAM_FOLDERS): string | undefined {
  for (const folder of folders) {
    for (const file of sources(join(root, folder), folder)) {
      const source = mtime(join(root, file));
      const built = mtime(join(root, "dist", `${file.slice(0, -3)}.js`));
      if (source !== undefined && (built === undefined || built < source)) return file;
    }
  }
  return undefined;
}
