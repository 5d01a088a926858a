// Issue 27: the self-contained `explain` page in Debian's Chromium (playwright-core), opened from file://. It gives the
// diagnosis `gmail-oauth explain --json` gives (the CLI's own handler, in-process) on every case of the corpus of real
// errors, makes no network request, passes axe-core's rules in light and dark at desktop and phone width, and copies
// its answer as Markdown with secrets redacted.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExplain } from "../../cli/handlers/explain";
import { buildExplainPage } from "../../scripts/build-web";
import { captureIo } from "../support/captureIo";
import { loadWild } from "../validator/corpus/wild";

const CHROMIUM = "/usr/bin/chromium";

/** The paste box as a test script inside the page sees it (the test compiles without the DOM library). */
interface PasteBox {
  value: string;
  dispatchEvent(e: Event): boolean;
}
const hasChromium = existsSync(CHROMIUM);
const ROOT = join(__dirname, "..", "..");
const CASES = [...loadWild("tune"), ...loadWild("test")];

/** What `gmail-oauth explain --json INPUT` prints, through the CLI's own handler. */
async function cliDiagnosis(input: string): Promise<string | null> {
  const c = captureIo();
  await runExplain({ input, json: true }, c.io);
  return (JSON.parse(c.out()) as { diagnosis: string | null }).diagnosis;
}

describe.skipIf(!hasChromium)(
  `the explain page in headless Chromium (${hasChromium ? CHROMIUM : `skipped: ${CHROMIUM} is absent; CI installs it`})`,
  () => {
    let browser: Browser;
    let dir: string;
    let url: string;
    const requests: string[] = [];
    /** A server the page could reach if its policy let it: any request it receives is a leak. */
    let server: Server;
    let serverUrl: string;
    let serverHits = 0;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "explain-page-"));
      const file = join(dir, "explain.html");
      writeFileSync(file, buildExplainPage(ROOT));
      url = pathToFileURL(file).href;
      server = createServer((_req, res) => {
        serverHits++;
        res.writeHead(200, { "access-control-allow-origin": "*" }).end("reached");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const { chromium } = await import("playwright-core");
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
      });
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => server?.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    });

    async function open(opts: Parameters<Browser["newContext"]>[0] = {}): Promise<Page> {
      const context = await browser.newContext(opts);
      const page = await context.newPage();
      page.on("request", (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      await page.goto(url);
      return page;
    }

    it("gives the CLI's diagnosis on every case of the corpus, without a single network request", async () => {
      const page = await open();
      const mismatches: string[] = [];
      for (const c of CASES) {
        await page.fill("#input", c.input);
        const shown = await page.getAttribute("#result", "data-diagnosis");
        const cli = await cliDiagnosis(c.input);
        if ((shown || null) !== cli) mismatches.push(`${c.source}: page ${shown}, CLI ${cli}`);
      }
      expect(mismatches).toEqual([]);
      expect(CASES.length).toBeGreaterThanOrEqual(500);
      // The policy forbids a connection even when a script in the page tries one, to a server that would answer.
      const fetched = await page.evaluate(
        (target) =>
          fetch(target).then(
            () => "reached",
            () => "blocked",
          ),
        serverUrl,
      );
      expect(fetched).toBe("blocked");
      expect(serverHits).toBe(0);
      await page.context().close();
    }, 300_000);

    it("shows the cause, fix, console link, evidence and other readings; an unrecognized paste says what would tell", async () => {
      const page = await open();
      await page.fill(
        "#input",
        "Error 400: redirect_uri_mismatch\nRequest details: redirect_uri=https://erp.example.com/google_gmail/confirm flowName=GeneralOAuthFlow client_id=123-abc.apps.googleusercontent.com",
      );
      const result = page.locator("#result");
      await expect.poll(() => result.getAttribute("data-diagnosis")).toBe("redirect_uri_not_registered");
      const text = await result.textContent();
      expect(text).toContain("Cause");
      expect(text).toContain("Fix");
      expect(text).toContain("Evidence");
      expect(await result.locator("a[href*='console.cloud.google.com']").count()).toBeGreaterThan(0);
      expect(await result.locator("mark").count()).toBeGreaterThan(0);

      await page.fill(
        "#input",
        "535-5.7.8 Username and Password not accepted. https://support.google.com/mail/?p=BadCredentials - gsmtp",
      );
      expect(await result.textContent()).toContain("Other readings");

      await page.fill("#input", "POST https://oauth2.googleapis.com/token returned HTTP 400");
      expect(await result.getAttribute("data-diagnosis")).toBe("");
      expect(await result.textContent()).toContain("gmail-oauth check-token");
      await page.context().close();
    });

    it("copies the answer as Markdown with secrets and tokens redacted", async () => {
      const page = await open({ permissions: ["clipboard-read", "clipboard-write"] });
      await page.fill(
        "#input",
        "google.auth.exceptions.RefreshError: ('invalid_grant: Token has been expired or revoked.', {'error': 'invalid_grant'}) refresh_token=1//0gSECRETSECRETSECRET client_secret=GOCSPX-abcdefghijkl",
      );
      await page.click("#copy");
      // The context grants the clipboard, so the copy must succeed and the Markdown can be read back.
      await expect.poll(() => page.locator("#status").textContent()).toMatch(/^Copied/);
      const md = await page.evaluate<string>("navigator.clipboard.readText()");
      expect(md).toContain("`refresh_token_invalid`");
      expect(md).toContain("[REDACTED]");
      expect(md).not.toContain("1//0gSECRET");
      expect(md).not.toContain("GOCSPX-abcdefghijkl");
      // Shown on the page too only redacted.
      expect(await page.locator("#result").textContent()).not.toContain("GOCSPX-abcdefghijkl");
      await page.context().close();
    });

    for (const scheme of ["light", "dark"] as const)
      for (const [width, height] of [
        [1280, 900],
        [375, 740],
      ] as const)
        it(`axe-core finds no violation (${scheme}, ${width}px), and nothing overflows sideways`, async () => {
          // axe is injected through the DevTools protocol: the page's own policy admits no script but its own.
          const page = await open({ colorScheme: scheme, viewport: { width, height }, bypassCSP: true });
          await page.fill(
            "#input",
            "Error 403: access_denied\nThe app is currently being tested, and can only be accessed by developer-approved testers.",
          );
          await page.evaluate(readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
          const violations = await page.evaluate(async () => {
            const axe = (
              globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; help: string }[] }> } }
            ).axe;
            return (await axe.run()).violations.map((v) => `${v.id}: ${v.help}`);
          });
          expect(violations).toEqual([]);
          const overflow = await page.evaluate<number>(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth",
          );
          expect(overflow).toBeLessThanOrEqual(0);
          await page.context().close();
        });

    it("answers a large paste once typing pauses, and refuses more than 1 MiB as the CLI does", async () => {
      const page = await open();
      // Set directly with one input event, as a paste does (fill would type it key by key).
      const paste = (text: string) =>
        page.evaluate((t) => {
          const box = (
            globalThis as unknown as { document: { getElementById(id: string): PasteBox } }
          ).document.getElementById("input");
          box.value = t;
          box.dispatchEvent(new Event("input"));
        }, text);
      await paste(`${"2024-05-01 INFO job done\n".repeat(4000)}Error 401: deleted_client\n`);
      await expect.poll(() => page.getAttribute("#result", "data-diagnosis")).toBe("client_deleted");
      await paste("x".repeat((1 << 20) + 1));
      await expect.poll(() => page.locator("#result").textContent()).toContain("more than 1 MiB");
      expect(await page.getAttribute("#result", "data-diagnosis")).toBe("");
      await page.context().close();
    });

    it("is usable from the keyboard: Tab reaches the paste box, then the copy button", async () => {
      const page = await open();
      await page.keyboard.press("Tab");
      expect(await page.evaluate<string>("document.activeElement.id")).toBe("input");
      await page.keyboard.type("Error 401: deleted_client");
      await page.keyboard.press("Tab");
      expect(await page.evaluate<string>("document.activeElement.id")).toBe("copy");
      expect(await page.getAttribute("#result", "data-diagnosis")).toBe("client_deleted");
      await page.context().close();
    });

    // Last in the file: every page opened by the tests above, not one request beyond the page file itself.
    it("no page made a network request in any of the tests above", () => {
      expect(requests).toEqual([]);
      expect(serverHits).toBe(0);
    });
  },
);
