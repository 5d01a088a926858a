// Last step of `npm run build`: the JavaScript the package ships is minified in place, which keeps the tarball under
// its 1 MB budget (issue 13; bench/package.ts measures it) with the docs still inside. Whitespace, syntax and names
// inside each module are shortened; exported names are properties of `exports` and stay, and keepNames gives every
// function and class its `name` back, which V8 prints for functions, so a `--debug` stack trace still reads
// `at runOrdered` (a method's frame shows its class under the short name).
// Left as tsc wrote them: bench/ and scripts/ (built, never shipped), and the entry points of the exports map. An ES
// module consumer's `import { validate }` finds a CommonJS module's names with Node's cjs-module-lexer, which reads
// tsc's re-export getters only in the exact form tsc writes them (`enumerable: true, get: function () { ... }`).
// The build emits no source maps (tsconfig.build.json): a map of tsc's output would not match the minified file.
// Run: node dist/scripts/minify-build.js (from the package root).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { transformSync } from "esbuild";

interface PackageJson {
  readonly files: readonly string[];
  readonly exports: Record<string, string | { default?: string }>;
}

const readPackage = (root: string) => JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as PackageJson;

/** The `default` files of package.json's exports map, relative to dist/ (`index.js`, `validator/index.js`, …). */
export function entryScripts(pkg: PackageJson): Set<string> {
  return new Set(
    Object.values(pkg.exports).flatMap((e) =>
      typeof e === "object" && e.default?.startsWith("./dist/") ? [e.default.slice("./dist/".length)] : [],
    ),
  );
}

/** The top-level folders of dist/ that package.json's "files" leaves out (`!dist/bench/`, …). */
export function notShipped(pkg: PackageJson): Set<string> {
  return new Set(pkg.files.flatMap((f) => /^!dist\/([^/*]+)\/$/.exec(f)?.[1] ?? []));
}

/** The shipped .js files under `dist`, relative to it. */
export function shippedScripts(dist: string, left: ReadonlySet<string>): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = join(dir, e.name);
      if (e.isDirectory()) return dir === dist && left.has(e.name) ? [] : walk(full);
      return e.name.endsWith(".js") ? [relative(dist, full).split(sep).join("/")] : [];
    });
  return walk(dist).sort();
}

/** One compiled module, minified; what it does is unchanged (esbuild's minifier is semantics-preserving). */
export function minifyScript(code: string, file: string): string {
  return transformSync(code, {
    minify: true,
    keepNames: true,
    format: "cjs",
    loader: "js",
    target: "node20",
    sourcefile: file,
    legalComments: "none",
  }).code;
}

export function minifyBuild(root: string): { files: number; before: number; after: number } {
  const dist = join(root, "dist");
  let before = 0;
  let after = 0;
  const pkg = readPackage(root);
  const entries = entryScripts(pkg);
  const files = shippedScripts(dist, notShipped(pkg)).filter((f) => !entries.has(f));
  for (const file of files) {
    const path = join(dist, file);
    const code = readFileSync(path, "utf8");
    const small = minifyScript(code, file);
    before += Buffer.byteLength(code);
    after += Buffer.byteLength(small);
    writeFileSync(path, small);
  }
  return { files: files.length, before, after };
}

if (require.main === module) {
  const { files, before, after } = minifyBuild(process.cwd());
  console.log(
    `minified: ${files} shipped modules (the exports map's entries left as tsc wrote them), ${Math.round(before / 1000)} kB → ${Math.round(after / 1000)} kB`,
  );
}
