// `validate --flow --no-browser` as a person meets it (issue 14 §1): the real CLI process in a pseudo-terminal (tmux:
// send-keys, capture-pane), and once behind a pipe that stays open. Every way the wait ends (a pasted refusal page,
// the loopback callback, Ctrl-C) must end the process with nothing left behind: no process, no listener, no live grant.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator, type ScenarioInput } from "../../../emulator/index";
import { driveConsent } from "../../../emulator/httpBrowser";
import { forgetSecrets } from "../../../common/redact";
import { Interrupted } from "../../../common/errors";
import { clientSecretFile } from "../../../connection/clientSecretFile";
import { runFlow } from "../../../validator/flow/consentFlow";
import { watchPastedRedirect } from "../../../validator/flow/paste";
import type { ValidationInput } from "../../../validator/types";
import { captureIo } from "../../support/captureIo";
import { startTmux, type Tmux } from "../../support/tmux";
import { waitFor as waitUntil } from "../../support/waitFor";

const ROOT = join(__dirname, "../../..");
const RUN_TS = join(ROOT, "test/support/run-ts.cjs");
const CLI = join(ROOT, "cli/main.ts");
const PROJECT = "mail-sync-term";
const CLIENT_ID = "616161-termclient.apps.googleusercontent.com";
const SECRET = "GOCSPX-terminal-test-client-secret";
const AUTH_URL = /(http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?\S+)/;
const REDIRECT = /redirect to http:\/\/127\.0\.0\.1:(\d+)\//;
/** Starting the CLI from its TypeScript sources on a busy two-core machine can take a while; a wait never hangs. */
const STEP_MS = 45_000;

const scenario: ScenarioInput = {
  projects: [
    {
      id: PROJECT,
      number: "616161",
      appName: "Mail Sync",
      userType: "external",
      publishingStatus: "testing",
      testUsers: ["ana@example.com"],
      verified: true,
    },
  ],
  clients: [{ id: CLIENT_ID, projectId: PROJECT, type: "installed", secrets: [SECRET] }],
  accounts: [{ email: "ana@example.com" }, { email: "carl@example.com" }],
};

let emu: RunningEmulator;
let dir: string;
let clientFile: string;
const sessions: Tmux[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "flow-term-"));
  clientFile = join(dir, "client.json");
  // The console's download format, from the kit's own writer.
  const client = {
    name: "term",
    type: "desktop",
    clientId: CLIENT_ID,
    redirectUris: [],
    javascriptOrigins: [],
  } as const;
  writeFileSync(clientFile, JSON.stringify(clientSecretFile(client, PROJECT, SECRET)));
});

afterAll(async () => {
  for (const t of sessions) await t.kill();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await emu?.close();
  forgetSecrets();
});

function validateArgs(account: string): string[] {
  return [
    "validate",
    "--flow",
    "--no-browser",
    "--client-secret-file",
    clientFile,
    "--account",
    account,
    "--google-origin",
    emu.origin,
    "--timeout",
    "300",
  ];
}

/** Bounded: polls until `ready` returns a value, or fails naming what it waited for and what it saw. */
const waitFor = <T>(what: string, ready: () => T | undefined, seen: () => string) =>
  waitUntil(what, ready, { timeoutMs: STEP_MS, seen });

/** The CLI in a real pseudo-terminal (test/support/tmux.ts): stdin, stdout and stderr are the pane's. */
async function openPane(name: string, args: readonly string[]): Promise<Tmux> {
  const t = await startTmux({
    socket: `gmk-flow-${process.pid}-${name}`,
    dir,
    command: ["node", RUN_TS, CLI, ...args],
    env: { PATH: process.env.PATH, NO_COLOR: "1", HOME: "/nonexistent-home" },
    cwd: ROOT,
    width: 400,
  });
  sessions.push(t);
  return t;
}

function processGone(pid: number): boolean {
  expect(pid).toBeGreaterThan(0);
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", () => resolve(true));
  });
}

/** Waits for the consent URL, and notes the CLI's pid while it surely runs (it is waiting for the person). */
async function consentUrl(pane: Tmux): Promise<{ url: string; pid: number }> {
  const url = (await pane.waitFor(AUTH_URL, STEP_MS))[1]!;
  return { url, pid: pane.pid() };
}

/** The loopback listener's port, as the CLI announced it. */
const redirectPort = async (pane: Tmux) => Number(REDIRECT.exec(await pane.screen())![1]);

describe("validate --flow --no-browser in a real terminal (tmux)", () => {
  it("a pasted refusal page ends the run at once: report, exit 1, process gone", { timeout: 180_000 }, async () => {
    emu = await startEmulator(scenario);
    const pane = await openPane("paste", validateArgs("carl@example.com"));
    const { url, pid } = await consentUrl(pane);
    // The person (on another machine) signs in as a non-test user and lands on Google's 403 page.
    const outcome = await driveConsent(url, { account: "carl@example.com" });
    expect(outcome.kind).toBe("blocked");
    await pane.type(outcome.kind === "blocked" ? outcome.url : "");
    // The terminal stays open: only the flow's own release of stdin lets the process end.
    const status = await pane.exitCode(STEP_MS);
    const screen = await pane.screen();
    expect(screen).toContain("[account_not_test_user]");
    expect(screen).toMatch(/read from the error page's address pasted on stdin/);
    expect(status).toBe(1);
    expect(processGone(pid)).toBe(true);
    expect(await portRefuses(await redirectPort(pane))).toBe(true);
  });

  it("the loopback callback ends the run: consent, token checks, grant revoked, process gone", {
    timeout: 180_000,
  }, async () => {
    emu = await startEmulator(scenario);
    const pane = await openPane("loopback", validateArgs("ana@example.com"));
    const { url, pid } = await consentUrl(pane);
    const outcome = await driveConsent(url, { account: "ana@example.com" });
    expect(outcome).toMatchObject({ kind: "redirect", callback: { status: 200 } });
    const status = await pane.exitCode(STEP_MS);
    const screen = await pane.screen();
    // 3, not 0: without a Cloud credential the Gmail API check cannot run, so the verdict is inconclusive.
    expect(status, screen).toBe(3);
    expect(screen).toMatch(/Consent completed .*via the loopback redirect/);
    expect(screen).toContain("Test grant revoked");
    expect(emu.admin.state().refreshTokens.map((t) => t.live)).toEqual([false]);
    expect(processGone(pid)).toBe(true);
    expect(await portRefuses(await redirectPort(pane))).toBe(true);
  });

  it("Ctrl-C while waiting ends the run with 130 and one line; the listener is closed", {
    timeout: 180_000,
  }, async () => {
    emu = await startEmulator(scenario);
    const pane = await openPane("ctrlc", validateArgs("ana@example.com"));
    await pane.waitFor(/Waiting up to/, STEP_MS);
    const port = await redirectPort(pane);
    const pid = pane.pid();
    expect(await portRefuses(port)).toBe(false);
    await pane.keys("C-c");
    expect(await pane.exitCode(STEP_MS)).toBe(130);
    const screen = await pane.screen();
    expect(screen).toMatch(
      /gmail-oauth: interrupted by SIGINT; stopped waiting for the consent; the loopback listener is closed and no grant was made/,
    );
    expect(screen).not.toMatch(/^\s+at /m);
    expect(processGone(pid)).toBe(true);
    expect(await portRefuses(port)).toBe(true);
    expect(emu.admin.state().refreshTokens).toEqual([]);
  });
});

describe("validate --flow --no-browser behind a pipe that stays open", () => {
  it("exits after a pasted refusal page without waiting for the end of input", { timeout: 180_000 }, async () => {
    emu = await startEmulator(scenario);
    const child = spawn(process.execPath, [RUN_TS, CLI, ...validateArgs("carl@example.com")], {
      env: { PATH: process.env.PATH, HOME: "/nonexistent-home", NO_COLOR: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    let code: number | null | undefined;
    void exited.then((c) => (code = c));
    try {
      const url = await waitFor(
        "the consent URL",
        () => AUTH_URL.exec(out)?.[1],
        () => out,
      );
      const outcome = await driveConsent(url, { account: "carl@example.com" });
      child.stdin.write(`${outcome.kind === "blocked" ? outcome.url : ""}\n`);
      // stdin is never ended: the process must release it by itself.
      await waitFor(
        "the process to exit with stdin still open",
        () => code ?? undefined,
        () => out,
      );
      expect(out).toContain("[account_not_test_user]");
      expect(code).toBe(1);
    } finally {
      if (code === undefined) child.kill("SIGKILL");
      await exited;
    }
  });
});

// In-process: Ctrl-C as a signal event, to reach the moment after the code arrived exactly.
const input = (): ValidationInput => ({
  clientId: CLIENT_ID,
  clientSecret: SECRET,
  clientType: "desktop",
  redirectUris: [],
  scopes: ["https://mail.google.com/"],
  account: "ana@example.com",
  project: PROJECT,
  googleOrigin: emu.origin,
  deadline: Date.now() + 60_000,
  provenance: {},
});

const listeners = () => [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];

describe("runFlow and Ctrl-C", () => {
  it("SIGINT during the wait rejects with Interrupted, closes the listener and leaves no listener behind", async () => {
    emu = await startEmulator(scenario);
    const before = listeners();
    const cap = captureIo();
    let redirect = "";
    const flow = runFlow(input(), {
      io: cap.io,
      openUrl: async (url) => {
        redirect = new URL(url).searchParams.get("redirect_uri")!;
        process.emit("SIGINT");
      },
    });
    await expect(flow).rejects.toThrow(Interrupted);
    await expect(flow).rejects.toThrow(
      /^interrupted by SIGINT; stopped waiting for the consent; the loopback listener is closed/,
    );
    await expect(fetch(redirect)).rejects.toThrow();
    expect(listeners()).toEqual(before);
    expect(emu.admin.state().refreshTokens).toEqual([]);
  });

  it("SIGINT once the code arrived skips the checks left and revokes the grant before ending", async () => {
    emu = await startEmulator(scenario);
    const before = listeners();
    const cap = captureIo();
    // Ctrl-C lands exactly when the code has arrived (the flow says so on stderr), before the exchange.
    const stderr = new PassThrough();
    let err = "";
    stderr.on("data", (d) => {
      err += d;
      if (String(d).startsWith("Consent received")) process.emit("SIGINT");
    });
    const flow = runFlow(input(), {
      io: { ...cap.io, stderr },
      openUrl: async (url) => void (await driveConsent(url, { account: "ana@example.com" })),
    });
    await expect(flow).rejects.toThrow(/^interrupted by SIGINT; the test grant was revoked before exiting$/);
    expect(emu.admin.state().refreshTokens.map((t) => t.live)).toEqual([false]);
    expect(err).toContain("Interrupted: revoking the test grant before exiting");
    expect(listeners()).toEqual(before);
  });

  it("a paste watcher releases its input when it stops (a pipe's handle would keep the process alive)", async () => {
    const cap = captureIo();
    const calls: string[] = [];
    Object.assign(cap.stdin, { ref: () => calls.push("ref"), unref: () => calls.push("unref") });
    const watcher = watchPastedRedirect(cap.stdin, "state", () => {});
    watcher.stop();
    expect(calls).toEqual(["ref", "unref"]);
    expect(cap.stdin.listenerCount("data")).toBe(0);
    expect(cap.stdin.isPaused()).toBe(true);
  });
});
