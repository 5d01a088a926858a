// setup's pure parts: the spec and stack config its answers declare, the progress file, the runbook lines as terminal
// text, and the input errors of the command (one line naming the flag, exit 2), in-process through runCli.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../../cli/main";
import { readStackConfig } from "../../connection/parse";
import { loadProgress, newProgress, saveProgress } from "../../setup/progress";
import { specOf, stackValues } from "../../setup/session";
import { plainLine, setupSteps } from "../../setup/steps";
import { captureIo } from "../support/captureIo";

const answers = {
  app: "flectra",
  appUrl: "https://erp.example.com/",
  account: "mailbox@example.com",
  project: "acme-mail",
  appName: "Acme Mail",
  supportEmail: "it@example.com",
};

describe("the spec setup declares", () => {
  test("Flectra: the preset's redirect URI, Web type, the mailbox as the one test user, the project adopted", () => {
    const spec = specOf(answers);
    expect(spec.project).toMatchObject({ mode: "adopt", id: "acme-mail" });
    expect(spec.clients).toEqual([
      expect.objectContaining({
        preset: "flectra",
        type: "web",
        redirectUris: ["https://erp.example.com/google_gmail/confirm"],
      }),
    ]);
    expect(spec.audience).toMatchObject({
      userType: "external",
      publishingStatus: "testing",
      testUsers: ["mailbox@example.com"],
    });
    expect(spec.dataAccess.scopes).toEqual(["https://mail.google.com/"]);
    // The stack config is the program's own: read back, it is the same spec.
    expect(readStackConfig(stackValues(answers)).spec).toEqual(spec);
  });

  test("a bad answer is named by its flag, not by the config key", () => {
    expect(() => specOf({ ...answers, appUrl: "ftp://erp.example.com" })).toThrow(/^--app-url/);
  });

  test("the steps follow the runbook's order, with the checks setup adds", () => {
    const steps = setupSteps(specOf(answers), answers);
    expect(steps.map((s) => s.key)).toEqual([
      "project",
      "start",
      "branding",
      "audience",
      "scopes",
      "client",
      "consent",
      "app",
    ]);
    expect(steps.filter((s) => s.check).map((s) => s.key)).toEqual(["project", "client", "consent", "app"]);
    expect(
      plainLine("Click **Publish app** after step {branding}: `x`", (k) => (k === "branding" ? 3 : undefined)),
    ).toBe("Click Publish app after step 3: x");
  });
});

describe("the progress file", () => {
  test("round-trips the answers and step states, mode 0600, and refuses a file that is not one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "setup-progress-"));
    const file = join(dir, "p.json");
    const p = newProgress({ ...answers, clientId: "1-abc.apps.googleusercontent.com" });
    p.steps.project = "passed";
    p.steps.branding = "skipped";
    await saveProgress(file, p);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await loadProgress(file)).toEqual(p);
    expect(await loadProgress(join(dir, "missing.json"))).toBeUndefined();
    writeFileSync(file, '{"version": 9}');
    await expect(loadProgress(file)).rejects.toThrow(/^--progress-file: .* is not a progress file/);
    expect(readFileSync(file, "utf8")).toBe('{"version": 9}');
  });
});

describe("input errors (exit 2, one line each)", () => {
  const run = async (args: string[]) => {
    const cap = captureIo({ PATH: process.env.PATH }, mkdtempSync(join(tmpdir(), "setup-cli-")));
    const code = await runCli(["setup", ...args], cap.io);
    return { code, err: cap.err(), out: cap.out() };
  };

  test("--non-interactive without the values it cannot ask for", async () => {
    const r = await run(["--non-interactive", "--app", "flectra"]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toEqual([
      "gmail-oauth: --app-url: is required with --non-interactive; pass it, or run without --non-interactive",
      "gmail-oauth: --account: is required with --non-interactive; pass it, or run without --non-interactive",
      "gmail-oauth: --project: is required with --non-interactive; pass it, or run without --non-interactive",
    ]);
  });

  test("an unknown app, a bad project ID, --resume without progress", async () => {
    expect((await run(["--app", "odooo"])).err).toBe(
      "gmail-oauth: --app: 'odooo' is not a known app; use one of flectra, odoo, hero_flow, n8n, generic\n",
    );
    expect((await run(["--project", "Acme Mail"])).err).toMatch(
      /^gmail-oauth: --project: 'Acme Mail' is not a project ID;/,
    );
    const resume = await run(["--resume"]);
    expect(resume.code).toBe(2);
    expect(resume.err).toMatch(/^gmail-oauth: --resume: there is no progress file .*; start without --resume\n$/);
  });
});
