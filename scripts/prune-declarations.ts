// Last step of `npm run build`: keeps only the declarations a consumer can reach. tsc emits a .d.ts for every module
// the entry points import at run time; the types of the exports map's entries reach far fewer, and the rest would
// only add to the package's size. Run: node dist/scripts/prune-declarations.js (from the package root).
import { existsSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

/** The `types` files the exports map names (package.json), relative to the package root. */
export function declarationEntries(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    exports: Record<string, string | { types?: string }>;
  };
  return Object.values(pkg.exports).flatMap((e) => (typeof e === "object" && e.types ? [normalize(e.types)] : []));
}

const RELATIVE_IMPORT = /(?:from |import\()["'](\.[^"']+)["']/g;

/** The relative imports of one declaration file, each resolved to a .d.ts path, or to undefined when none exists. */
export function declarationImports(root: string, file: string): { specifier: string; target?: string }[] {
  const text = readFileSync(join(root, file), "utf8");
  return [...text.matchAll(RELATIVE_IMPORT)].map((m) => {
    const base = normalize(join(dirname(file), m[1]!)).replace(/\.js$/, "");
    const target = [`${base}.d.ts`, join(base, "index.d.ts")].find((c) => existsSync(join(root, c)));
    return { specifier: m[1]!, ...(target ? { target } : {}) };
  });
}

/** Every declaration file the entries reach through their imports, entries included. */
export function declarationClosure(root: string, entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(join(root, file))) continue;
    seen.add(file);
    for (const { target } of declarationImports(root, file)) if (target) queue.push(target);
  }
  return seen;
}

function declarationsUnder(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? declarationsUnder(root, join(dir, e.name)) : e.name.endsWith(".d.ts") ? [join(dir, e.name)] : [],
  );
}

export function pruneDeclarations(root: string): { kept: number; removed: number } {
  const keep = declarationClosure(root, declarationEntries(root));
  let removed = 0;
  for (const file of declarationsUnder(root, "dist")) {
    if (keep.has(file)) continue;
    unlinkSync(join(root, file));
    removed++;
  }
  return { kept: keep.size, removed };
}

if (require.main === module) {
  const root = join(__dirname, "..", "..");
  const { kept, removed } = pruneDeclarations(root);
  process.stdout.write(
    `declarations: ${kept} kept, ${removed} unreachable from the exports map removed (${relative(process.cwd(), join(root, "dist"))})\n`,
  );
}
