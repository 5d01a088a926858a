// The HTTP browser and the $BROWSER script: outcomes at the redirect URI, at Google's pages, and failures.
import { describe, expect, it } from "vitest";
import { runBrowserScript } from "../../emulator/browser-script";
import { driveConsent } from "../../emulator/httpBrowser";
import { authParams, authUrl, consent, MAIL, SEND, setup, WEB } from "./helpers";

describe("driveConsent", () => {
  it("types the account when the chooser has no button for it, and reports an unknown account as failed", async () => {
    const { emu, cb } = await setup();
    const out = await consent(emu, cb, {}, { account: "zed@example.com" });
    expect(out).toMatchObject({ kind: "failed" });
    if (out.kind === "failed") expect(out.reason).toContain("no account zed@example.com");
  });

  it("'Back to safety' on the unverified-app warning denies", async () => {
    const { emu, cb } = await setup();
    expect(await consent(emu, cb, {}, { action: "cancel" })).toMatchObject({
      kind: "redirect",
      error: "access_denied",
      pages: ["signin", "warning"],
    });
  });

  it("unticking every granular scope denies (unconfirmed in docs/google-behaviour.md; the emulator's choice)", async () => {
    const { emu, cb } = await setup();
    expect(await consent(emu, cb, { scope: `${MAIL} ${SEND}` }, { uncheck: [MAIL, SEND] })).toMatchObject({
      kind: "redirect",
      error: "access_denied",
    });
  });

  it("blocked before any page: the decoded authError of a bad redirect", async () => {
    const { emu, cb } = await setup();
    const out = await driveConsent(
      authUrl(emu.origin, authParams(cb, { client_id: WEB, redirect_uri: "http://localhost:9/cb" })),
      { account: "ana@example.com" },
    );
    expect(out).toMatchObject({ kind: "blocked", error: "redirect_uri_mismatch", httpCode: 400, pages: ["error"] });
    if (out.kind === "blocked") expect(out.details.redirect_uri).toBe("http://localhost:9/cb");
  });

  it("reports an unreachable callback instead of throwing", async () => {
    const { emu, cb } = await setup();
    const out = await consent(emu, cb, { redirect_uri: "http://127.0.0.1:9/cb" });
    expect(out.kind).toBe("redirect");
    if (out.kind === "redirect") expect(out.callback).toHaveProperty("error");
  });

  it("deliver: false stops at Google's redirect: the app sees nothing until the caller delivers the code", async () => {
    const { emu, cb } = await setup();
    const out = await consent(emu, cb, {}, { deliver: false });
    expect(out).toMatchObject({ kind: "redirect", state: "st-123" });
    if (out.kind !== "redirect") return;
    expect(out.code).toMatch(/\S/);
    expect(out.callback).toBeUndefined();
    expect(cb.hits).toEqual([]);
    await (await fetch(out.url)).text();
    expect(cb.hits).toHaveLength(1);
    expect(cb.hits[0]).toContain("state=st-123");
  });

  it("stops on a redirect loop", async () => {
    const { emu, cb } = await setup({ faults: { authorize: { redirectLoop: true } } });
    expect(await consent(emu, cb, {})).toMatchObject({
      kind: "failed",
      reason: expect.stringContaining("redirect loop"),
    });
  });
});

describe("browser-script ($BROWSER)", () => {
  it("drives the flow from the environment and prints a redacted JSON line", async () => {
    const { emu, cb } = await setup();
    const env = { GMAIL_OAUTH_EMULATOR_ACCOUNT: "ana@example.com", GMAIL_OAUTH_EMULATOR_UNCHECK: SEND };
    const r = await runBrowserScript([authUrl(emu.origin, authParams(cb, { scope: `${MAIL} ${SEND}` }))], env);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.output);
    expect(out).toMatchObject({ kind: "redirect", scope: MAIL, code: "[REDACTED]" });
    expect(cb.hits).toHaveLength(1);
  });

  it("exit 1 when blocked, 2 on bad input naming the variable", async () => {
    const { emu, cb } = await setup();
    expect(
      (
        await runBrowserScript([authUrl(emu.origin, authParams(cb))], {
          GMAIL_OAUTH_EMULATOR_ACCOUNT: "bob@example.com",
        })
      ).exitCode,
    ).toBe(1);
    expect(await runBrowserScript([authUrl(emu.origin, authParams(cb))], {})).toMatchObject({
      exitCode: 2,
      output: expect.stringContaining("GMAIL_OAUTH_EMULATOR_ACCOUNT"),
    });
    expect(
      await runBrowserScript([authUrl(emu.origin, authParams(cb))], {
        GMAIL_OAUTH_EMULATOR_ACCOUNT: "a@b.c",
        GMAIL_OAUTH_EMULATOR_ACTION: "maybe",
      }),
    ).toMatchObject({ exitCode: 2, output: expect.stringContaining("GMAIL_OAUTH_EMULATOR_ACTION") });
    expect((await runBrowserScript([], {})).exitCode).toBe(2);
  });
});
