// `gmail-oauth explain --web` (issue 27): the page's path on stdout, the browser opened on it through $BROWSER (the
// consent flow's opener), or with --no-browser only the path.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { explainPagePath, runExplain } from "../../../cli/handlers/explain";
import { buildExplainPage } from "../../../scripts/build-web";
import { captureIo } from "../../support/captureIo";

const ROOT = join(__dirname, "..", "..", "..");

describe("explain --web", () => {
  beforeAll(() => {
    // From source, the CLI serves the page the build wrote; a fresh clone has run the build (npm ci's prepare).
    const page = explainPagePath();
    if (!existsSync(page)) {
      mkdirSync(dirname(page), { recursive: true });
      writeFileSync(page, buildExplainPage(ROOT));
    }
  });

  it("--no-browser prints the page's path and opens nothing", async () => {
    const c = captureIo({ BROWSER: "/bin/false" });
    expect(await runExplain({ web: true, browser: false }, c.io)).toBe(0);
    const path = c.out().trim();
    expect(path).toMatch(/web[/\\]explain\.html$/);
    expect(readFileSync(path, "utf8")).toContain('id="result"');
    expect(c.err()).toBe("");
  });

  it("opens the page with $BROWSER, its file:// URL as the argument", async () => {
    const c = captureIo({ BROWSER: "true" });
    expect(await runExplain({ web: true }, c.io)).toBe(0);
    expect(c.err()).toContain("opened with $BROWSER (true)");
  });
});
