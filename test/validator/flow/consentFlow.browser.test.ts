// End to end with a real browser: playwright-core drives Debian's Chromium through the emulator's Google pages
// while runFlow waits on its loopback port (issue 5 §4).
import { DEFAULT_SCOPE as MAIL } from "../../../google/scopes";
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIo } from "../../support/captureIo";
import { forgetSecrets } from "../../../common/redact";
import { startEmulator, type RunningEmulator, type ScenarioInput } from "../../../emulator/index";
import { runFlow } from "../../../validator/flow/consentFlow";
import { renderJson } from "../../../validator/report";
import { exitCodeFor, summarize, type CheckResult, type ValidationInput } from "../../../validator/types";

const CHROMIUM = "/usr/bin/chromium";
const PROJECT = "mail-sync-e2e";
const CLIENT_ID = "424242-e2eclient.apps.googleusercontent.com";
const SECRET = "GOCSPX-e2e-browser-client-secret";
const READ = "https://www.googleapis.com/auth/gmail.readonly";
const SEND = "https://www.googleapis.com/auth/gmail.send";

function scenario(project: Record<string, unknown> = {}, accounts?: ScenarioInput["accounts"]): ScenarioInput {
  return {
    projects: [
      {
        id: PROJECT,
        number: "424242",
        appName: "Mail Sync",
        userType: "external",
        publishingStatus: "testing",
        testUsers: ["ana@example.com", "bob@example.com"],
        verified: false,
        ...project,
      },
    ],
    clients: [{ id: CLIENT_ID, projectId: PROJECT, type: "installed", secrets: [SECRET] }],
    accounts: accounts ?? [{ email: "ana@example.com" }, { email: "bob@example.com" }, { email: "carl@example.com" }],
  };
}

interface Drive {
  readonly pick: string;
  readonly action: "allow" | "cancel";
  readonly untick?: readonly string[];
}

interface Landed {
  /** "result" when the browser reached the validator's page; otherwise the emulator page it stopped on. */
  readonly page: string;
  readonly errorCode?: string;
  readonly html: string;
  readonly url: string;
}

const pageKind = (page: Page) =>
  page
    .locator('meta[name="emulator-page"]')
    .getAttribute("content", { timeout: 2000 })
    .catch(() => null);

/** Clicks through the emulator's chooser, unverified-app warning and consent page as a person would. */
async function driveConsent(page: Page, url: string, d: Drive): Promise<Landed> {
  await page.goto(url);
  for (let step = 0; step < 6; step++) {
    if (await page.locator("#result").count()) break;
    const kind = await pageKind(page);
    if (kind === "signin") await page.click(`button[data-email="${d.pick}"]`);
    else if (kind === "warning") {
      await page.click("#advanced");
      await page.click("#proceed-link");
    } else if (kind === "consent") {
      const boxes = page.locator('input[name="scope"]');
      for (let i = 0; i < (await boxes.count()); i++) {
        const box = boxes.nth(i);
        if (!d.untick?.includes((await box.getAttribute("value")) ?? "")) await box.check();
      }
      await page.click(d.action === "allow" ? "#submit_approve_access" : "#submit_deny_access");
    } else break;
    await page.waitForLoadState("load");
  }
  const html = await page.content();
  if (await page.locator("#result").count()) return { page: "result", html, url: page.url() };
  const errorCode =
    (await page
      .locator('meta[name="error-code"]')
      .getAttribute("content", { timeout: 500 })
      .catch(() => null)) ?? undefined;
  return { page: (await pageKind(page)) ?? "unknown", errorCode, html, url: page.url() };
}

const hasChromium = existsSync(CHROMIUM);

// Skipped on a developer machine without Chromium, but CI installs it (.ci/run): there a missing browser is a failure.
it.runIf(!hasChromium && process.env.CI === "true")("CI has Debian's chromium at /usr/bin/chromium", () => {
  expect(existsSync(CHROMIUM), ".ci/run should have installed Debian's chromium").toBe(true);
});

describe.skipIf(!hasChromium)("validate --flow in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
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

  async function run(sc: ScenarioInput, d: Drive, input: Partial<ValidationInput> = {}, waitMs = 20_000) {
    const emu: RunningEmulator = await startEmulator(sc);
    const context = await browser.newContext();
    const page = await context.newPage();
    const cap = captureIo();
    let landed: Landed | undefined;
    try {
      const results = await runFlow(
        {
          clientId: CLIENT_ID,
          clientSecret: SECRET,
          clientType: "desktop",
          redirectUris: [],
          scopes: [MAIL],
          account: "ana@example.com",
          project: PROJECT,
          googleOrigin: emu.origin,
          deadline: Date.now() + waitMs,
          provenance: {},
          ...input,
        },
        { io: cap.io, openUrl: async (url) => void (landed = await driveConsent(page, url, d)) },
      );
      // openUrl may still be finishing its last read of the page after the callback.
      for (let i = 0; i < 50 && !landed; i++) await new Promise((r) => setTimeout(r, 100));
      return {
        results,
        landed: landed!,
        stderr: cap.err(),
        json: renderJson(summarize(results)),
        state: emu.admin.state(),
      };
    } finally {
      await context.close();
      await emu.close();
      forgetSecrets();
    }
  }

  const byId = (results: readonly CheckResult[], id: string) => results.find((r) => r.id === id);

  it("a healthy Testing app: warns of the 7-day expiry (inferred), exits 0, revokes, leaks nothing", async () => {
    const r = await run(
      scenario(),
      { pick: "ana@example.com", action: "allow" },
      { audience: { userType: "external", publishingStatus: "testing", testUsers: ["ana@example.com"] } },
    );
    expect(r.landed.page).toBe("result");
    expect(byId(r.results, "token.expiry")).toMatchObject({
      status: "warn",
      diagnosis: "testing_refresh_token_expiry",
      inferred: true,
    });
    for (const id of [
      "flow.redirect",
      "flow.consent",
      "flow.exchange",
      "token.refresh-token",
      "token.audience",
      "token.scopes",
      "token.gmail",
      "token.account",
      "flow.refresh",
      "flow.revoke",
    ]) {
      expect(byId(r.results, id)?.status, id).toBe("pass");
    }
    expect(exitCodeFor(summarize(r.results))).toBe(0);
    expect(r.state.refreshTokens.every((t) => !t.live)).toBe(true);
    // Nothing secret on stderr, in the JSON report or on the result page.
    const code = new URL(r.landed.url).searchParams.get("code")!;
    expect(code).toMatch(/^4\/0A/);
    for (const text of [r.stderr, r.json, r.landed.html]) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(encodeURIComponent(code));
      expect(text).not.toContain(SECRET);
      expect(text).not.toMatch(/ya29\.|1\/\/0|GOCSPX-/);
    }
  });

  it("a production app: exit 0 and no warning", async () => {
    const r = await run(
      scenario({ publishingStatus: "production", verified: true }),
      { pick: "ana@example.com", action: "allow" },
      { audience: { userType: "external", publishingStatus: "production" } },
    );
    expect(r.results.filter((c) => c.status !== "pass")).toEqual([]);
    expect(exitCodeFor(summarize(r.results))).toBe(0);
  });

  it("an unticked scope fails scope_not_granted", async () => {
    const r = await run(
      scenario(),
      { pick: "ana@example.com", action: "allow", untick: [SEND] },
      { scopes: [READ, SEND] },
    );
    expect(byId(r.results, "token.scopes")).toMatchObject({ status: "fail", diagnosis: "scope_not_granted" });
    expect(byId(r.results, "token.scopes")!.detail).toContain(SEND);
    expect(exitCodeFor(summarize(r.results))).toBe(1);
  });

  it("Cancel fails consent_denied", async () => {
    const r = await run(scenario(), { pick: "ana@example.com", action: "cancel" });
    expect(r.landed.page).toBe("result");
    expect(r.landed.html).toContain('data-result="denied"');
    expect(byId(r.results, "flow.consent")).toMatchObject({ status: "fail", diagnosis: "consent_denied" });
  });

  it("the wrong account fails wrong_account", async () => {
    const r = await run(scenario(), { pick: "bob@example.com", action: "allow" });
    expect(byId(r.results, "token.account")).toMatchObject({ status: "fail", diagnosis: "wrong_account" });
    expect(byId(r.results, "token.account")!.detail).toContain("bob@example.com");
  });

  it("the Gmail API disabled fails gmail_api_disabled with the activation URL", async () => {
    const r = await run(scenario({ services: { "gmail.googleapis.com": "DISABLED" } }), {
      pick: "ana@example.com",
      action: "allow",
    });
    const gmail = byId(r.results, "token.gmail")!;
    expect(gmail).toMatchObject({ status: "fail", diagnosis: "gmail_api_disabled" });
    expect(gmail.links?.[0]).toBe(
      "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=424242",
    );
  });

  it("the mailbox missing fails mail_service_not_enabled", async () => {
    const r = await run(scenario({}, [{ email: "ana@example.com", hasMailbox: false }]), {
      pick: "ana@example.com",
      action: "allow",
    });
    expect(byId(r.results, "token.gmail")).toMatchObject({ status: "fail", diagnosis: "mail_service_not_enabled" });
  });

  it("--no-browser: the browser cannot reach the loopback, the pasted address completes the flow", async () => {
    const emu = await startEmulator(scenario({ publishingStatus: "production", verified: true }));
    const context = await browser.newContext();
    const page = await context.newPage();
    const cap = captureIo();
    const stdin = cap.stdin;
    try {
      const flow = runFlow(
        {
          clientId: CLIENT_ID,
          clientSecret: SECRET,
          clientType: "desktop",
          redirectUris: [],
          scopes: [MAIL],
          account: "ana@example.com",
          project: PROJECT,
          googleOrigin: emu.origin,
          deadline: Date.now() + 20_000,
          provenance: {},
        },
        { io: cap.io, noBrowser: true },
      );
      let url: string | undefined;
      for (let i = 0; i < 100 && !url; i++) {
        url = /^\s+(http:\/\/\S+\/o\/oauth2\/v2\/auth\?\S+)$/m.exec(cap.err())?.[1];
        if (!url) await new Promise((r) => setTimeout(r, 50));
      }
      expect(url).toBeDefined();
      // The browser runs "elsewhere": its requests to the loopback listener fail, as on another machine.
      const loopback = new URL(new URL(url!).searchParams.get("redirect_uri")!);
      let landedOn: string | undefined;
      // Playwright does not route the redirected request itself, so the consent POST's 302 is read and answered
      // with a "can't be reached" page instead of being followed.
      await context.route(
        (u) => u.pathname === "/signin/oauth/consent",
        async (route) => {
          if (route.request().method() !== "POST") return route.continue();
          const answer = await route.fetch({ maxRedirects: 0 });
          const location = answer.headers().location;
          if (!location?.startsWith(`http://${loopback.host}/`)) return route.fulfill({ response: answer });
          landedOn = location;
          return route.fulfill({ status: 200, contentType: "text/html", body: "<p>This site can't be reached</p>" });
        },
      );
      await driveConsent(page, url!, { pick: "ana@example.com", action: "allow" }).catch(() => undefined);
      expect(landedOn).toMatch(/[?&]code=/);
      stdin.write("http://127.0.0.1:1/?state=forged&code=4%2F0Aforged-code-abcdefghijkl\n");
      stdin.write(`${landedOn}\n`);
      const results = await flow;
      expect(byId(results, "flow.consent")).toMatchObject({
        status: "pass",
        detail: "The code arrived via the pasted address with the expected state.",
      });
      expect(results.filter((c) => c.status !== "pass")).toEqual([]);
      expect(cap.err()).toContain("refused the pasted address: its state does not match this run");
      expect(cap.err()).not.toContain(new URL(landedOn!).searchParams.get("code")!);
    } finally {
      await context.close();
      await emu.close();
      forgetSecrets();
    }
  });

  it("a non-test user: Google's 403 page, no callback, inconclusive with the test-user hint first", async () => {
    const r = await run(
      scenario(),
      { pick: "carl@example.com", action: "allow" },
      {
        account: "carl@example.com",
        audience: {
          userType: "external",
          publishingStatus: "testing",
          testUsers: ["ana@example.com", "bob@example.com"],
        },
      },
      4000,
    );
    expect(r.landed).toMatchObject({ page: "error", errorCode: "access_denied" });
    expect(r.landed.html).toContain("Error 403: access_denied");
    const consent = byId(r.results, "flow.consent")!;
    expect(consent).toMatchObject({ status: "inconclusive", diagnosis: "consent_not_completed" });
    expect(consent.detail).toMatch(/1\. not a test user/);
    expect(exitCodeFor(summarize(r.results))).toBe(3);
  });
});
