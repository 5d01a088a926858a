// Step of `npm run build` after minify-build: the browser page of `explain` (issue 27). web/explain/page.ts, which
// imports the very explain() the CLI runs, is bundled for the browser (a Node module anywhere below it fails the
// build), minified, and inlined with the stylesheet into one HTML file, dist/web/explain.html. The page's
// Content-Security-Policy allows only that script and that stylesheet, by their SHA-256, and no connection at all.
// Run: node dist/scripts/build-web.js (from the package root).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSync } from "esbuild";

export const WEB_PAGE = join("dist", "web", "explain.html");

const sha256 = (text: string) => `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;

/** The page as one self-contained HTML text. */
export function buildExplainPage(root: string): string {
  const bundle = buildSync({
    entryPoints: [join(root, "web", "explain", "page.ts")],
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2020",
    minify: true,
    write: false,
    legalComments: "none",
  });
  // "</script" inside the bundle would end the element early; escaped, the script reads the same.
  const script = bundle.outputFiles[0]!.text.replace(/<\/script/gi, "<\\/script").trim();
  const style = readFileSync(join(root, "web", "explain", "page.css"), "utf8").trim();
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  const template = readFileSync(join(root, "web", "explain", "page.html"), "utf8");
  return template
    .replace("{{SCRIPT_HASH}}", sha256(script))
    .replace("{{STYLE_HASH}}", sha256(style))
    .replace("{{VERSION}}", version)
    .replace("/*STYLE*/", () => style)
    .replace("/*SCRIPT*/", () => script);
}

if (require.main === module) {
  const root = process.cwd();
  const html = buildExplainPage(root);
  mkdirSync(join(root, "dist", "web"), { recursive: true });
  writeFileSync(join(root, WEB_PAGE), html);
  process.stdout.write(`web page: ${WEB_PAGE}, ${Math.round(html.length / 1024)} kB\n`);
}
