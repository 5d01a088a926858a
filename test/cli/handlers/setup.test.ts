// `gmail-oauth setup` as a person meets it: the real CLI in a real process, in a pseudo-terminal (tmux: send-keys,
// capture-pane), against the emulator. The test plays the person: it answers the prompts, does each console step
// through the emulator's admin API (as clicking through the console would), downloads the client JSON, and signs in
// with the emulator's scripted browser (emulator/httpBrowser.ts driveConsent, or the $BROWSER script).
import { DEFAULT_SCOPE as MAIL } from "../../../google/scopes";
import { schemaUrl } from "../../../connection/schemaFiles";
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import { afterAll, afterEach, beforeEach, describe, expect, test } from "vitest";
import { clientSecretFile } from "../../../connection/clientSecretFile";
import { parseConnectionSpec, readStackConfig } from "../../../connection/parse";
import { newClientId, startEmulator, type RunningEmulator } from "../../../emulator/index";
import { driveConsent } from "../../../emulator/httpBrowser";
import { startTmux, type Tmux } from "../../support/tmux";

const ROOT = join(__dirname, "..", "..", "..");
const RUN_TS = join(ROOT, "test", "support", "run-ts.cjs");
const MAIN = join(ROOT, "cli", "main.ts");
const BROWSER_SCRIPT = join(ROOT, "emulator", "browser-script.ts");
const PROJECT = "acme-flectra-mail";
const NUMBER = "424242424242";
const MAILBOX = "mailbox@example.com";
const ADMIN = "it@example.com";
const CLOUD = "ya29.setup-test-cloud-credential-0001";
const SECRET_SHAPES = /GOCSPX-|ya29\.|1\/\/0|4\/0A/;
const CONSENT_URL = /(http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?\S+)/;

let emu: RunningEmulator;
let flectra: Server;
let flectraUrl: string;
let dir: string;
let loopback: string;
const sessions: Tmux[] = [];
let count = 0;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "setup-tty-"));
  emu = await startEmulator({
    projects: [{ id: PROJECT, number: NUMBER }],
    accounts: [{ email: MAILBOX }, { email: ADMIN }],
  });
  emu.admin.addCloudCredential(CLOUD, { projects: [PROJECT] });
  // A stand-in for Flectra: its Gmail callback answers, everything else is 404.
  flectra = createServer((req, res) => {
    res.writeHead(req.url?.startsWith("/google_gmail/confirm") ? 200 : 404).end();
  });
  await new Promise<void>((r) => flectra.listen(0, "127.0.0.1", r));
  flectraUrl = `http://127.0.0.1:${(flectra.address() as AddressInfo).port}`;
  loopback = `http://127.0.0.1:${await freePort()}/`;
});

afterEach(async () => {
  await emu.close();
  await new Promise((r) => flectra.close(r));
});

afterAll(async () => {
  for (const s of sessions) await s.kill();
});

function setup(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Tmux> {
  return startTmux({
    socket: `gmail-setup-${process.pid}-${++count}`,
    dir,
    cwd: dir,
    command: [process.execPath, RUN_TS, MAIN, "setup", "--loopback-uri", loopback, ...args],
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      TERM: "xterm",
      NO_COLOR: "1",
      GMAIL_OAUTH_GOOGLE_ORIGIN: emu.origin,
      GOOGLE_OAUTH_ACCESS_TOKEN: CLOUD,
      ...env,
    },
  }).then((t) => {
    sessions.push(t);
    return t;
  });
}

/** The person's clicks in Branding, Audience and Data access. */
function consentScreen(testUsers: string[]): void {
  emu.admin.updateProject(PROJECT, {
    appName: "Flectra Gmail",
    supportEmail: MAILBOX,
    userType: "external",
    publishingStatus: "testing",
    testUsers,
    scopes: [MAIL],
  });
}

/** Creates a client in the "console" and downloads its JSON as the console's Download JSON button does. */
function createClient(type: "web" | "installed", redirectUris: string[], file: string): { id: string; secret: string } {
  const created = emu.admin.addClient({
    id: newClientId(NUMBER),
    projectId: PROJECT,
    type,
    redirectUris: type === "web" ? redirectUris : [],
    name: "flectra",
  });
  download(created.id, type, redirectUris, created.secrets[0]!, file);
  return { id: created.id, secret: created.secrets[0]! };
}

function download(id: string, type: "web" | "installed", uris: string[], secret: string, file: string): void {
  const spec = {
    name: "flectra",
    type: type === "web" ? ("web" as const) : ("desktop" as const),
    redirectUris: uris,
    javascriptOrigins: [],
    clientId: id,
  };
  writeFileSync(file, JSON.stringify(clientSecretFile(spec, PROJECT, secret)));
}

const appRedirect = () => `${flectraUrl}/google_gmail/confirm`;

/** The person's browser on another machine: opens the printed address; on Google's error page, pastes its address. */
async function signIn(t: Tmux): Promise<"allowed" | "blocked"> {
  const url = (await t.waitFor(CONSENT_URL))[1]!;
  const outcome = await driveConsent(url, { account: MAILBOX });
  if (outcome.kind === "blocked") {
    await t.type(outcome.url);
    return "blocked";
  }
  expect(outcome.kind).toBe("redirect");
  return "allowed";
}

function liveRefreshTokens(): number {
  return emu.admin.state().refreshTokens.filter((r) => r.live).length;
}

function portClosed(uri: string): Promise<boolean> {
  const { port } = new URL(uri);
  return new Promise((resolve) => {
    const s = connect(Number(port), "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", () => resolve(true));
  });
}

describe("gmail-oauth setup in a terminal", () => {
  test("a whole Flectra setup: a Desktop client JSON, a trailing slash and a missing test user, each caught at its step, fixed and passed", async () => {
    const clientFile = join(dir, "client_secret.json");
    const t = await setup(["--no-browser", "--timeout", "120"]);

    await t.waitFor("Which app connects to Gmail? (flectra, odoo, hero_flow, n8n, generic) [flectra]: ");
    await t.type("");
    await t.waitFor("Flectra's public base URL (its web.base.url): ");
    await t.type(flectraUrl);
    await t.waitFor("The mailbox to connect (its address): ");
    await t.type("not-an-address");
    await t.waitFor("--account: 'not-an-address' is not an email address; write it as name@example.com");
    await t.type(MAILBOX);
    await t.waitFor("The Google Cloud project ID");
    await t.type(PROJECT);
    await t.waitFor("[Flectra Gmail]: ");
    await t.type("");
    await t.waitFor(`[${MAILBOX}]: `);
    await t.type("");

    // 1. Project and Gmail API: proven through Service Usage with the operator's Cloud credential.
    await t.waitFor("Step 1/8: Project acme-flectra-mail and the Gmail API");
    await t.waitFor(
      "Open https://console.cloud.google.com/apis/library/gmail.googleapis.com?project=acme-flectra-mail",
    );
    await t.waitFor("press Enter to check it");
    await t.type("");
    await t.waitFor(/PASS: Gmail API enabled in the project — gmail\.googleapis\.com is ENABLED/);

    // 2-5. The consent screen: nothing reads it back, the person confirms. Mistake 3: the mailbox left out.
    await t.waitFor("Step 2/8: Start the Google Auth Platform setup");
    await t.waitFor("- App name: Flectra Gmail");
    await t.type("");
    await t.waitFor("Step 3/8: Branding");
    await t.type("");
    await t.waitFor("Step 4/8: Audience");
    await t.waitFor(`  - ${MAILBOX}`);
    await t.waitFor("the sign-in at step 7 proves the mailbox is admitted");
    consentScreen([ADMIN]);
    await t.type("");
    await t.waitFor("Step 5/8: Data access (scopes)");
    await t.waitFor(`  - ${MAIL}`);
    await t.type("");

    // 6. The client. Mistake 1: a Desktop client.
    await t.waitFor("Step 6/8: Create OAuth client flectra");
    await t.waitFor("- Application type: Web application");
    await t.waitFor(`  - ${appRedirect()}`);
    await t.waitFor(`- Also add ${loopback} under Authorized redirect URIs`);
    const desktop = createClient("installed", [], clientFile);
    await t.waitFor("Client JSON: the downloaded file's path, or - to paste it: ");
    await t.type(clientFile);
    await t.waitFor(
      /FAIL: A Desktop \("installed"\) client cannot serve a web app's redirect URI \[client_file_desktop_type\]/,
    );
    await t.waitFor("The check of step 6 did not pass:");
    await t.waitFor('Cause: The client JSON\'s top-level key is "installed"');
    await t.waitFor("Link:  https://console.cloud.google.com/auth/clients/create?project=acme-flectra-mail");
    await t.waitFor("press Enter to check again");
    emu.admin.deleteClient(desktop.id);
    // Mistake 2: the redirect URI typed with a trailing slash.
    const web = createClient("web", [loopback, `${appRedirect()}/`], clientFile);
    await t.type("");
    await t.waitFor(`Client JSON: the downloaded file's path, or - to paste it [${clientFile}]: `);
    await t.type("");
    await t.waitFor(/FAIL: .*\[redirect_uri_not_registered\].*trailing slash/);
    await t.waitFor(
      /FAIL: The redirect URI is not registered on the client \[redirect_uri_not_registered\] — .*Error 400: redirect_uri_mismatch/,
    );
    await t.waitFor("PASS: Client ID and secret accepted by the token endpoint");
    await t.waitFor("press Enter to check again");
    const fixed = [loopback, appRedirect()];
    emu.admin.updateClient(web.id, { redirectUris: fixed });
    download(web.id, "web", fixed, web.secret, clientFile);
    await t.type("");
    await t.waitFor("Client JSON");
    await t.type("");
    await t.waitFor(/PASS: Google accepts the client, redirect URI and scopes — .*Google moves on to sign-in/);
    await t.waitFor("PASS: Client ID and secret accepted by the token endpoint");

    // 7. The consent as the mailbox: blocked (not a test user), pasted error page, fixed, allowed.
    await t.waitFor(`Step 7/8: Sign in as ${MAILBOX}`);
    expect(await signIn(t)).toBe("blocked");
    await t.waitFor(/FAIL: The account is not a test user of an app in Testing \[account_not_test_user\]/);
    await t.waitFor("Add the account under Google Auth Platform → Audience → Test users.");
    await t.waitFor("press Enter to check again");
    consentScreen([ADMIN, MAILBOX]);
    await t.type("");
    expect(await signIn(t)).toBe("allowed");
    await t.waitFor("PASS: Consent completed");
    await t.waitFor("PASS: Test grant revoked");

    // 8. Flectra's callback answers; then the summary, the files and the values for Flectra.
    await t.waitFor("Step 8/8: Flectra's redirect endpoint answers");
    await t.waitFor(/PASS: The app's redirect endpoint answers/);
    await t.waitFor("Setup summary (acme-flectra-mail, mailbox@example.com):");
    await t.waitFor("6. Create OAuth client flectra: passed");
    await t.waitFor("Enter in Flectra:");
    await t.waitFor(`Client ID:      ${web.id}`);
    await t.waitFor("Settings > General Settings > Discuss");
    await t.waitFor("Connect your Gmail account");
    expect(await t.exitCode()).toBe(0);

    const screen = await t.screen();
    expect(screen).not.toMatch(SECRET_SHAPES);
    // No internal reference reaches the person (it printed "(facts §9)" once, naming a file outside the package).
    expect(screen).not.toMatch(/facts §|google-behaviour|§\d/);
    expect(liveRefreshTokens()).toBe(0);
    // The spec is what `validate --spec` reads; the stack config is what the Pulumi program reads.
    const specFile = JSON.parse(readFileSync(join(dir, "gmail-connection.json"), "utf8")) as Record<string, unknown>;
    // Both files point editors at the JSON Schemas the package ships (schemas/).
    expect(specFile.$schema).toBe(schemaUrl("connectionSpec"));
    expect(readFileSync(join(dir, "Pulumi.gmail.yaml"), "utf8")).toContain(
      `# yaml-language-server: $schema=${schemaUrl("stackConfig")}`,
    );
    const spec = parseConnectionSpec(specFile, "spec");
    expect(spec.clients[0]).toMatchObject({ preset: "flectra", clientId: web.id, redirectUris: [appRedirect()] });
    expect(spec.audience.testUsers).toEqual([MAILBOX]);
    const stack = YAML.parse(readFileSync(join(dir, "Pulumi.gmail.yaml"), "utf8")) as {
      config: Record<string, unknown>;
    };
    const values = Object.fromEntries(
      Object.entries(stack.config).map(([k, v]) => [k.replace(/^gmail-oauth:/, ""), v]),
    );
    expect(readStackConfig(values).spec).toEqual(spec);
    const progress = readFileSync(join(dir, ".gmail-oauth-setup.json"), "utf8");
    expect(progress).not.toMatch(SECRET_SHAPES);
    expect(progress).not.toContain(web.secret);
    expect(screen).not.toContain(web.secret);
    // docs/setup.md shows this session; set the variable to capture it again.
    if (process.env.GMAIL_OAUTH_SETUP_TRANSCRIPT) writeFileSync(process.env.GMAIL_OAUTH_SETUP_TRANSCRIPT, screen);
  }, 600_000);
});

/** Everything done right in the "console": consent screen with the mailbox, a Web client with both URIs. */
function consoleDoneRight(clientFile: string): { id: string; secret: string } {
  consentScreen([MAILBOX]);
  return createClient("web", [loopback, appRedirect()], clientFile);
}

const basics = () => [
  "--app",
  "flectra",
  "--app-url",
  flectraUrl,
  "--account",
  MAILBOX,
  "--project",
  PROJECT,
  "--app-name",
  "Flectra Gmail",
  "--support-email",
  MAILBOX,
];

/** Enter through steps 1-5 (the check of step 1, the confirmations of 2-5). */
async function throughConsentScreen(t: Tmux): Promise<void> {
  await t.waitFor("Step 1/8");
  await t.waitFor("press Enter to check it");
  await t.type("");
  await t.waitFor("PASS: Gmail API enabled");
  for (const n of [2, 3, 4, 5]) {
    await t.waitFor(`Step ${n}/8`);
    await t.waitFor("Done? [Enter] yes");
    await t.type("");
  }
}

const scriptedBrowser = () => ({
  BROWSER: `${process.execPath} ${RUN_TS} ${BROWSER_SCRIPT}`,
  GMAIL_OAUTH_EMULATOR_ACCOUNT: MAILBOX,
});

describe("stopping and resuming", () => {
  test("Ctrl-C while the sign-in is awaited: the listener is closed, no grant is live, progress is kept without a secret", async () => {
    const clientFile = join(dir, "client_secret.json");
    const client = consoleDoneRight(clientFile);
    const t = await setup([...basics(), "--no-browser", "--timeout", "120"]);
    await throughConsentScreen(t);
    await t.waitFor("Client JSON: the downloaded file's path");
    await t.type(clientFile);
    await t.waitFor("PASS: Client ID and secret accepted by the token endpoint");
    await t.waitFor(CONSENT_URL);
    await t.waitFor(new RegExp(`Waiting up to \\d+s for the redirect to ${loopback}`));
    expect(await portClosed(loopback)).toBe(false);
    await t.keys("C-c");
    await t.waitFor("Stopped. Nothing is left listening and no grant is left live.");
    await t.waitFor("run `gmail-oauth setup --resume` to continue");
    expect(await t.exitCode()).toBe(130);
    expect(await portClosed(loopback)).toBe(true);
    expect(liveRefreshTokens()).toBe(0);
    const progress = JSON.parse(readFileSync(join(dir, ".gmail-oauth-setup.json"), "utf8"));
    expect(progress.steps).toEqual({
      project: "passed",
      start: "confirmed",
      branding: "confirmed",
      audience: "confirmed",
      scopes: "confirmed",
      client: "passed",
    });
    expect(progress.answers).toMatchObject({ clientFile, clientId: client.id, account: MAILBOX });
    expect(JSON.stringify(progress)).not.toContain(client.secret);
    expect(await t.screen()).not.toContain(client.secret);
    expect(existsSync(join(dir, "gmail-connection.json"))).toBe(false);
  }, 600_000);

  test("--resume continues where the person quit, with the consent opened in the scripted $BROWSER", async () => {
    const clientFile = join(dir, "client_secret.json");
    const client = consoleDoneRight(clientFile);
    const first = await setup(basics());
    await first.waitFor("Step 1/8");
    await first.type("");
    await first.waitFor("PASS: Gmail API enabled");
    await first.waitFor("Step 2/8");
    await first.type("");
    await first.waitFor("Step 3/8: Branding");
    await first.waitFor("Done? [Enter] yes");
    await first.type("q");
    await first.waitFor("Progress is saved in");
    expect(await first.exitCode()).toBe(130);

    const t = await setup(["--resume", "--timeout", "120"], scriptedBrowser());
    await t.waitFor(`Resuming from ${join(dir, ".gmail-oauth-setup.json")}.`);
    await t.waitFor("1/8 Project acme-flectra-mail and the Gmail API: passed in an earlier run");
    await t.waitFor("2/8 Start the Google Auth Platform setup: confirmed in an earlier run");
    for (const n of [3, 4, 5]) {
      await t.waitFor(`Step ${n}/8`);
      await t.waitFor("Done? [Enter] yes");
      await t.type("");
    }
    await t.waitFor("Client JSON: the downloaded file's path");
    await t.type(clientFile);
    await t.waitFor("PASS: Client ID and secret accepted by the token endpoint");
    await t.waitFor(`Opening the consent page for ${MAILBOX}`);
    await t.waitFor("PASS: Consent completed");
    await t.waitFor("PASS: Test grant revoked");
    await t.waitFor("1. Project acme-flectra-mail and the Gmail API: passed (earlier run)");
    await t.waitFor("7. Sign in as mailbox@example.com (audience, test users, scopes, Gmail): passed");
    await t.waitFor(`Client ID:      ${client.id}`);
    expect(await t.exitCode()).toBe(0);
    expect(liveRefreshTokens()).toBe(0);
    expect(await t.screen()).not.toContain(client.secret);
  }, 600_000);
});

describe("--non-interactive", () => {
  test("every check once, no question: exit 0 when all pass, 1 with the failing step named", async () => {
    const clientFile = join(dir, "client_secret.json");
    const client = consoleDoneRight(clientFile);
    const t = await setup(
      [...basics(), "--non-interactive", "--client-secret-file", clientFile, "--timeout", "120"],
      scriptedBrowser(),
    );
    await t.waitFor("PASS: Gmail API enabled");
    await t.waitFor("PASS: Consent completed");
    await t.waitFor("8. Flectra's redirect endpoint answers: passed");
    expect(await t.exitCode()).toBe(0);
    const screen = await t.screen();
    expect(screen).not.toMatch(/Done\?|press Enter/);
    expect(screen).not.toContain(client.secret);
    expect(liveRefreshTokens()).toBe(0);

    // The same run with a Desktop client's JSON: the client step fails once, the run goes on and exits 1.
    const desktopFile = join(dir, "desktop.json");
    createClient("installed", [], desktopFile);
    const bad = await setup(
      [...basics(), "--non-interactive", "--client-secret-file", desktopFile, "--timeout", "120"],
      scriptedBrowser(),
    );
    await bad.waitFor("[client_file_desktop_type]");
    await bad.waitFor("6. Create OAuth client flectra: FAILED: client_file_desktop_type");
    await bad.waitFor("Not done: Create OAuth client flectra");
    const code = await bad.exitCode();
    expect(code, await bad.screen()).toBe(1);
  }, 600_000);
});
