import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The package root (where package.json is), from the compiled dist/bench/ or from bench/. */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The longest input in test/fixtures/wild (both splits): the worst case `explain` meets in real pastes. */
export function largestWildInput(root: string): string | undefined {
  const dir = join(root, "test", "fixtures", "wild");
  if (!existsSync(dir)) return undefined;
  let largest = "";
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    for (const c of JSON.parse(readFileSync(join(dir, f), "utf8")) as { input: string }[])
      if (c.input.length > largest.length) largest = c.input;
  }
  return largest || undefined;
}
