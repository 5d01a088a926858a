// The fleet's client-side rate limit (issue 16 §4): the flag, the endpoint classes, the spacing per project and
// endpoint, and a 429 storm from the emulator that slows a fleet without failing a row.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../cli/main";
import { forgetSecrets } from "../../common/redact";
import { scenario, startEmulator, type RunningEmulator } from "../../emulator/index";
import {
  DEFAULT_RATE_LIMITS,
  endpointClass,
  MAX_THROTTLED_RETRIES,
  RateLimiter,
  readRateLimits,
} from "../../validator/rateLimit";
import { captureIo } from "../support/captureIo";

describe("--rate-limit", () => {
  it("one number for every endpoint, or ENDPOINT=N pairs over the defaults", () => {
    expect(Object.values(readRateLimits("20"))).toEqual(Object.values(DEFAULT_RATE_LIMITS).map(() => 20));
    expect(readRateLimits("token=2, gmail=7.5")).toEqual({ ...DEFAULT_RATE_LIMITS, token: 2, gmail: 7.5 });
    expect(readRateLimits(undefined)).toEqual(DEFAULT_RATE_LIMITS);
  });

  it.each([
    ["0", "--rate-limit: '0' is not a positive number"],
    ["smtp=3", "--rate-limit: 'smtp=3' is not ENDPOINT=REQUESTS_PER_SECOND"],
    ["token=fast", "--rate-limit: 'fast' is not a positive number"],
  ])("refuses %j, naming the flag", (text, message) => {
    expect(() => readRateLimits(text)).toThrow(message);
  });
});

describe("endpointClass", () => {
  it.each([
    ["https://oauth2.googleapis.com/token", "token"],
    ["https://oauth2.googleapis.com/tokeninfo?access_token=x", "tokeninfo"],
    ["https://oauth2.googleapis.com/revoke", "revoke"],
    ["https://gmail.googleapis.com/gmail/v1/users/me/profile", "gmail"],
    ["https://serviceusage.googleapis.com/v1/projects/1/services/gmail.googleapis.com", "serviceusage"],
    ["https://accounts.google.com/o/oauth2/v2/auth?client_id=x", "authorize"],
    ["https://flectra.example.com/cb", "other"],
  ])("%s → %s", (url, cls) => expect(endpointClass(new URL(url))).toBe(cls));
});

describe("RateLimiter", () => {
  it("spaces one project's requests to an endpoint; other projects and endpoints have their own lanes", async () => {
    const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, token: 50 }); // 20 ms apart
    const token = new URL("https://oauth2.googleapis.com/token");
    const waits = await Promise.all([1, 2, 3, 4].map(() => limiter.turn("p1", token)));
    // Reservations are spaced 20 ms apart from the first; what each waited is its place in the queue.
    expect(waits[0]).toBe(0);
    expect(waits.slice(1).every((w, i) => w > 20 * (i + 1) - 5)).toBe(true);
    expect(await limiter.turn("p2", token)).toBe(0);
    expect(await limiter.turn("p1", new URL("https://gmail.googleapis.com/gmail/v1/users/me/profile"))).toBe(0);
  });

  it("a 429's Retry-After pauses the lane for everyone on that project", async () => {
    const limiter = new RateLimiter(DEFAULT_RATE_LIMITS);
    const token = new URL("https://oauth2.googleapis.com/token");
    limiter.pause("p1", token, 150);
    expect(await limiter.turn("p1", token)).toBeGreaterThan(100);
    expect(await limiter.turn("p2", token)).toBe(0);
  });
});

describe("a 429 storm against a fleet", () => {
  let emu: RunningEmulator;
  afterEach(async () => {
    await emu?.close();
    forgetSecrets();
  });

  it("slows the fleet (every 429 honoured with its Retry-After) without failing a row", async () => {
    const CLIENT = "838383-storm.apps.googleusercontent.com";
    const SECRET = "GOCSPX-storm-client-secret";
    const storm = scenario()
      .project({
        id: "storm-proj",
        number: "838383",
        userType: "external",
        publishingStatus: "production",
        verified: true,
      })
      .client({ id: CLIENT, type: "web", secrets: [SECRET], redirectUris: ["https://mail.example.com/cb"] });
    for (let i = 0; i < 8; i++) storm.account(`u${i}@example.com`);
    emu = await startEmulator({ scenario: storm });
    const dir = mkdtempSync(join(tmpdir(), "storm-"));
    mkdirSync(join(dir, "tokens"));
    for (let i = 0; i < 8; i++) {
      const grant = emu.admin.mintGrant({
        clientId: CLIENT,
        account: `u${i}@example.com`,
        scopes: ["https://mail.google.com/"],
        offline: true,
      });
      writeFileSync(join(dir, "tokens", `u${i}@example.com`), grant.refresh_token!);
    }
    // 24 answers of 429 with Retry-After: 1 s: each of the 8 connections' refresh meets about three, as many as
    // its attempts; without the shared pause and the absorbed retries the rows would end inconclusive.
    emu.admin.setFault("token", { status: 429, retryAfterSeconds: 1, times: 24 });
    const cap = captureIo({ NO_COLOR: "1", GMAIL_OAUTH_CLIENT_SECRET: SECRET }, dir);
    const code = await runCli(
      [
        "check-token",
        ...["--google-origin", emu.origin, "--client-id", CLIENT, "--tokens", "tokens"],
        ...["--concurrency", "8", "--rate-limit", "100", "--format", "json"],
      ],
      cap.io,
    );
    const doc = JSON.parse(cap.out()) as { connections: { name: string; ok: boolean }[]; summary: { checks: object } };
    expect(doc.connections.filter((c) => !c.ok)).toEqual([]);
    expect(doc.connections).toHaveLength(8);
    expect(code).toBe(0);
    // Every 429 was served (the fault is used up, the next answer is a real one): the storm happened.
    const after = await fetch(`${emu.origin}/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "x" }),
    });
    expect(after.status).not.toBe(429);
    expect(MAX_THROTTLED_RETRIES).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
