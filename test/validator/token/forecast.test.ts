// Expiry forecasts (issue 16 §1): the boundary around the 7 days, Google's clock against a skewed local one, old
// token files, and check-token end to end against the emulator with a file --keep-token's format.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../../cli/main";
import { forgetSecrets } from "../../../common/redact";
import { startEmulator, type RunningEmulator, type ScenarioInput } from "../../../emulator/index";
import {
  DEFAULT_WARN_BEFORE_MS,
  FORECAST_TOLERANCE_MS,
  forecastCheck,
  readWarnBefore,
} from "../../../validator/token/forecast";
import { keptTokenJson, readStoredToken, type ConsentRecord } from "../../../validator/token/tokenFile";
import type { CheckResult } from "../../../validator/types";
import { captureIo } from "../../support/captureIo";

const DAY = 86_400_000;
const CONSENT_AT = Date.parse("2026-03-02T09:00:00Z");
const TESTING: ConsentRecord = {
  at: CONSENT_AT,
  clock: "google",
  clientId: "616161-cronclient.apps.googleusercontent.com",
  account: "ana@example.com",
  scopes: ["https://mail.google.com/"],
  refreshTokenExpiresIn: 604_799, // google-behaviour.md §2.2: what Testing apps are told
};
const EXPIRY = CONSENT_AT + 604_799_000;
const at = (ms: number) => ({ ms, clock: "google" as const });
const opts = { warnBeforeMs: DEFAULT_WARN_BEFORE_MS };

describe("forecastCheck around the 7 days", () => {
  it("right after consent: passes and says when (7 days less a second)", () => {
    const c = forecastCheck(TESTING, at(CONSENT_AT), { ...opts, refreshWorked: true });
    expect(c).toMatchObject({ id: "token.forecast", status: "pass", expiresAt: "2026-03-09T08:59:59.000Z" });
    expect(c.detail).toBe(
      "The refresh token expires in 6 days 23 hours, on Mon, 09 Mar 2026 08:59:59 UTC (by Google's clock; refresh_token_expires_in=604799 at consent on Mon, 02 Mar 2026 09:00:00 UTC).",
    );
  });

  it("just outside the warning window passes; at its edge it warns", () => {
    expect(forecastCheck(TESTING, at(EXPIRY - DEFAULT_WARN_BEFORE_MS - 1000), opts).status).toBe("pass");
    const edge = forecastCheck(TESTING, at(EXPIRY - DEFAULT_WARN_BEFORE_MS), opts);
    expect(edge).toMatchObject({ status: "warn", diagnosis: "refresh_token_expires_soon" });
    expect(edge.detail).toMatch(/^The refresh token expires in 2 days, on Mon, 09 Mar 2026 08:59:59 UTC /);
  });

  it("one second before the expiry warns; at it and after it fails", () => {
    const before = forecastCheck(TESTING, at(EXPIRY - 1000), { ...opts, refreshWorked: true });
    expect(before).toMatchObject({ status: "warn", diagnosis: "refresh_token_expires_soon" });
    expect(before.detail).toMatch(/expires in 1 second/);
    const atExpiry = forecastCheck(TESTING, at(EXPIRY), { ...opts, refreshWorked: true });
    expect(atExpiry).toMatchObject({ status: "fail", diagnosis: "refresh_token_expired" });
    const after = forecastCheck(TESTING, at(EXPIRY + DAY), { ...opts, refreshWorked: false });
    expect(after).toMatchObject({ status: "fail", diagnosis: "refresh_token_expired" });
    expect(after.detail).toMatch(/^Expired on Mon, 09 Mar 2026 08:59:59 UTC, 1 day ago by Google's clock/);
  });

  it("a refresh that still works well past the forecast: a warning that the forecast did not hold, not a failure", () => {
    const c = forecastCheck(TESTING, at(EXPIRY + FORECAST_TOLERANCE_MS + 1000), { ...opts, refreshWorked: true });
    expect(c).toMatchObject({ status: "warn", inferred: true });
    expect(c.detail).toMatch(/yet the refresh worked: the announced lifetime did not hold/);
  });

  it("--warn-before widens the window; a local clock is named as such", () => {
    const week = forecastCheck(TESTING, { ms: CONSENT_AT + DAY, clock: "local" }, { warnBeforeMs: 7 * DAY });
    expect(week.status).toBe("warn");
    expect(week.detail).toMatch(/by this machine's clock \(Google's could not be read\)/);
  });

  it("no announced lifetime: nothing to forecast (inferred to be a published app)", () => {
    const c = forecastCheck({ ...TESTING, refreshTokenExpiresIn: undefined }, at(CONSENT_AT + 300 * DAY), opts);
    expect(c).toMatchObject({ status: "pass", inferred: true });
    expect(c.expiresAt).toBeUndefined();
  });

  it("--warn-before reads durations and names itself when it cannot", () => {
    expect(readWarnBefore(undefined)).toBe(2 * DAY);
    expect(readWarnBefore("36h")).toBe(1.5 * DAY);
    expect(() => readWarnBefore("soon")).toThrow(
      "--warn-before: 'soon' is not a duration; e.g. --warn-before 2d (also 36h, 90m, 1w)",
    );
  });
});

describe("the kept token file", () => {
  const dir = mkdtempSync(join(tmpdir(), "forecast-file-"));
  afterEach(() => forgetSecrets());

  it("round-trips the consent record; the derived expires_at is for people", async () => {
    const text = keptTokenJson("1//0kept-token-for-forecast", TESTING);
    expect(JSON.parse(text)).toEqual({
      type: "authorized_user",
      client_id: TESTING.clientId,
      refresh_token: "1//0kept-token-for-forecast",
      consent: {
        time: "2026-03-02T09:00:00.000Z",
        clock: "google",
        account: "ana@example.com",
        scopes: ["https://mail.google.com/"],
        refresh_token_expires_in: 604799,
        expires_at: "2026-03-09T08:59:59.000Z",
      },
    });
    writeFileSync(join(dir, "kept.json"), text);
    const stored = await readStoredToken("kept.json", {}, dir);
    expect(stored.consent).toEqual(TESTING);
    expect(stored.clientId).toBe(TESTING.clientId);
  });

  it("an old one-line file still reads, without a consent record", async () => {
    writeFileSync(join(dir, "old"), "1//0old-one-line-token\n");
    const stored = await readStoredToken("old", {}, dir);
    expect(stored).toEqual({ refreshToken: "1//0old-one-line-token", source: "--refresh-token-file old" });
  });

  it("a broken consent record names its field", async () => {
    const j = JSON.parse(keptTokenJson("1//0kept-token-broken", TESTING)) as { consent: Record<string, unknown> };
    j.consent.time = "last Monday";
    writeFileSync(join(dir, "broken.json"), JSON.stringify(j));
    await expect(readStoredToken("broken.json", {}, dir)).rejects.toThrow(
      "--refresh-token-file: consent.time: is not an ISO 8601 time",
    );
  });
});

describe("check-token with a kept file, against the emulator", () => {
  const PROJECT = "forecast-proj";
  const CLIENT_ID = "717171-forecast.apps.googleusercontent.com";
  const SECRET = "GOCSPX-forecast-client-secret";
  const dir = mkdtempSync(join(tmpdir(), "forecast-e2e-"));
  let emu: RunningEmulator;
  afterEach(async () => {
    await emu?.close();
    forgetSecrets();
  });

  // The emulator's clock starts months away from this machine's: the forecast must follow Google's (skew).
  const scenario: ScenarioInput = {
    clock: { now: "2026-03-02T09:00:00Z" },
    projects: [
      {
        id: PROJECT,
        number: "717171",
        userType: "external",
        publishingStatus: "testing",
        testUsers: ["ana@example.com"],
        verified: true,
      },
    ],
    clients: [
      { id: CLIENT_ID, projectId: PROJECT, type: "web", secrets: [SECRET], redirectUris: ["https://a.example.com/cb"] },
    ],
    accounts: [{ email: "ana@example.com" }],
  };

  async function keep(): Promise<void> {
    const consentAt = emu.admin.now();
    const grant = emu.admin.mintGrant({
      clientId: CLIENT_ID,
      account: "ana@example.com",
      scopes: ["https://mail.google.com/"],
      offline: true,
    });
    expect(grant.refresh_token_expires_in).toBe(604_799);
    const record = {
      ...TESTING,
      at: consentAt,
      clientId: CLIENT_ID,
      refreshTokenExpiresIn: grant.refresh_token_expires_in,
    };
    writeFileSync(join(dir, "kept.json"), keptTokenJson(grant.refresh_token!, record), { mode: 0o600 });
  }

  async function check(...extra: string[]): Promise<{ code: number; forecast?: CheckResult; out: string }> {
    const cap = captureIo({ NO_COLOR: "1", GMAIL_OAUTH_CLIENT_SECRET: SECRET }, dir);
    const code = await runCli(
      ["check-token", "--google-origin", emu.origin, "--refresh-token-file", "kept.json", "--json", ...extra],
      cap.io,
    );
    const checks = (JSON.parse(cap.out()) as { checks: CheckResult[] }).checks;
    return { code, forecast: checks.find((c) => c.id === "token.forecast"), out: cap.out() };
  }

  it("day 0 passes with the date, day 6 warns (exit 0), day 8 fails with the refresh (exit 1)", async () => {
    emu = await startEmulator(scenario);
    await keep();
    const day0 = await check();
    expect(day0.forecast).toMatchObject({ status: "pass" });
    expect(day0.forecast!.detail).toMatch(
      /^The refresh token expires in 6 days 23 hours, on Mon, 09 Mar 2026 (08:59:5\d|09:00:0\d) UTC \(by Google's clock/,
    );
    expect(day0.code).toBe(0);

    emu.admin.advanceClock(6 * DAY);
    const day6 = await check();
    expect(day6.forecast).toMatchObject({ status: "warn", diagnosis: "refresh_token_expires_soon" });
    expect(day6.forecast!.detail).toMatch(/expires in (23 hours 59 minutes|1 day)/);
    expect(day6.code).toBe(0);

    // The same run as metrics (issue 16 §2): on stdout and in the textfile collector's file, the forecast as a time.
    const m = captureIo({ NO_COLOR: "1", GMAIL_OAUTH_CLIENT_SECRET: SECRET }, dir);
    const mArgs = ["check-token", "--google-origin", emu.origin, "--refresh-token-file", "kept.json"];
    expect(await runCli([...mArgs, "--format", "openmetrics", "--metrics-file", "gmail.prom"], m.io)).toBe(0);
    const expiry = Date.parse(day6.forecast!.expiresAt!) / 1000;
    expect(m.out()).toContain(`gmail_oauth_token_expiry_timestamp_seconds{connection="ana@example.com"} ${expiry}\n`);
    expect(m.out()).toContain(
      'gmail_oauth_connection_diagnosis{connection="ana@example.com",diagnosis="refresh_token_expires_soon",status="warn"} 1',
    );
    expect(m.out()).toContain('gmail_oauth_connection_up{connection="ana@example.com"} 1\n');
    expect(readFileSync(join(dir, "gmail.prom"), "utf8")).toMatch(/^# HELP gmail_oauth_connection_up [\s\S]*# EOF\n$/);
    expect(m.out() + readFileSync(join(dir, "gmail.prom"), "utf8")).not.toMatch(/1\/\/0|ya29\.|GOCSPX-/);

    const narrow = await check("--warn-before", "12h");
    expect(narrow.forecast).toMatchObject({ status: "pass" });

    // The same forecast per row of a fleet of stored tokens (check-token --tokens).
    mkdirSync(join(dir, "tokens"), { recursive: true });
    copyFileSync(join(dir, "kept.json"), join(dir, "tokens", "ana@example.com.json"));
    const cap = captureIo({ NO_COLOR: "1", GMAIL_OAUTH_CLIENT_SECRET: SECRET }, dir);
    const args = ["check-token", "--google-origin", emu.origin, "--client-id", CLIENT_ID, "--tokens", "tokens"];
    expect(await runCli([...args, "--format", "json"], cap.io)).toBe(0);
    const rows = (JSON.parse(cap.out()) as { connections: { checks: CheckResult[] }[] }).connections;
    expect(rows[0]!.checks.find((c) => c.id === "token.forecast")).toMatchObject({
      status: "warn",
      diagnosis: "refresh_token_expires_soon",
    });
    // JUnit for CI and the metrics file for Prometheus from one fleet run (docs/monitoring.md).
    const both = captureIo({ NO_COLOR: "1", GMAIL_OAUTH_CLIENT_SECRET: SECRET }, dir);
    expect(await runCli([...args, "--format", "junit", "--metrics-file", "fleet.prom"], both.io)).toBe(0);
    expect(both.out()).toMatch(/^<\?xml/);
    expect(readFileSync(join(dir, "fleet.prom"), "utf8")).toContain(
      'gmail_oauth_connection_diagnosis{connection="tokens/ana@example.com.json",diagnosis="refresh_token_expires_soon",status="warn"} 1',
    );

    emu.admin.advanceClock(2 * DAY);
    const day8 = await check();
    expect(day8.forecast).toMatchObject({ status: "fail", diagnosis: "refresh_token_expired" });
    expect(day8.code).toBe(1);
    expect(day8.out).not.toMatch(/1\/\/0|GOCSPX-/);
  });
});
