import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The package root (where package.json is), from the compiled dist/bench/ or from bench/. */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
