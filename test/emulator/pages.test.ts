// The consent pages in a real headless Chromium (playwright-core + Debian's chromium): account chooser, the
// unverified-app warning, granular scopes, Allow, ending at a loopback redirect. Plus the pages' escaping.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { chooserPage, consentPage } from "../../emulator/pages";
import { authParams, authUrl, DESKTOP, exchange, MAIL, SEND, setup } from "./helpers";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);

describe("page HTML", () => {
  it("escapes everything it echoes", () => {
    const page = chooserPage({ q: 'a="b"&<c>', appName: "<App>", accounts: [], loginHint: '"><script>' });
    expect(page).not.toContain("<App>");
    expect(page).not.toContain('"><script>');
    expect(page).toContain("a=&quot;b&quot;&amp;&lt;c&gt;");
  });

  it("shows checkboxes only when more than one non-identity scope is asked", () => {
    const one = consentPage({ q: "", shownName: "x", email: "a@b.c", identityScopes: ["openid"], otherScopes: [MAIL] });
    const two = consentPage({ q: "", shownName: "x", email: "a@b.c", identityScopes: [], otherScopes: [MAIL, SEND] });
    expect(one).not.toContain('type="checkbox"');
    expect(two).toContain('id="scope-0"');
    expect(two).toContain('id="scope-1"');
    expect(two).toContain('id="select-all"');
  });
});

describe.skipIf(!hasChromium)(
  `consent in headless Chromium (${hasChromium ? CHROMIUM : `skipped: ${CHROMIUM} is absent; CI installs it`})`,
  () => {
    let browser: Browser;
    beforeAll(async () => {
      const { chromium } = await import("playwright-core");
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--disable-quic",
        ],
      });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("chooser (login_hint first), warning, granular scopes, Allow, loopback redirect with the code", async () => {
      const { emu, cb } = await setup();
      const page = await browser.newPage();
      try {
        await page.goto(
          authUrl(emu.origin, authParams(cb, { scope: `openid email ${MAIL} ${SEND}`, login_hint: "ana@example.com" })),
        );
        expect(await page.locator("#account-0").getAttribute("data-email")).toBe("ana@example.com");
        await page.click('#account-list button[data-email="ana@example.com"]');
        await page.click("#advanced");
        await page.click("#proceed-link");
        await page.waitForSelector("#consent-form");
        expect(await page.locator("#account-email").textContent()).toBe("ana@example.com");
        await page.check("#select-all");
        expect(await page.isChecked("#scope-1")).toBe(true);
        await page.uncheck(`input[name=scope][value="${SEND}"]`);
        expect(await page.isChecked("#select-all")).toBe(false);
        await page.click("#submit_approve_access");
        await page.waitForURL((u) => u.toString().startsWith(cb.url));
        const url = new URL(page.url());
        expect(await page.textContent("body")).toBe("callback ok");
        expect(url.searchParams.get("state")).toBe("st-123");
        const tok = await exchange(emu.origin, url.searchParams.get("code")!, cb, { client_id: DESKTOP });
        expect(tok.status).toBe(200);
        expect(tok.body.scope.split(" ")).toContain(MAIL);
        expect(tok.body.scope.split(" ")).not.toContain(SEND);
      } finally {
        await page.close();
      }
    });

    it("a non-test user sees Google's block page and the app gets no callback", async () => {
      const { emu, cb } = await setup();
      const page = await browser.newPage();
      try {
        await page.goto(authUrl(emu.origin, authParams(cb)));
        await page.fill("#identifierId", "bob@example.com");
        await page.click("#identifierNext");
        await page.waitForSelector("#error-code");
        expect(await page.textContent("#error-code")).toBe("Error 403: access_denied");
        expect(await page.textContent("#error-title")).toContain("has not completed the Google verification process");
        expect(cb.hits).toHaveLength(0);
      } finally {
        await page.close();
      }
    });
  },
);
