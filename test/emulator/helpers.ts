// Shared fixtures of the emulator tests: a scenario covering every audience case, a loopback callback server,
// shortcuts for the authorize URL, the consent walk and the token exchange, and an in-process store on a frozen clock.
import { DEFAULT_SCOPE } from "../../google/scopes";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";
import {
  scenario as buildScenario,
  startEmulator,
  type RunningEmulator,
  type ScenarioInput,
} from "../../emulator/index";
import { Admin } from "../../emulator/admin";
import { driveConsent, type DriveOptions } from "../../emulator/httpBrowser";
import { parseScenario } from "../../emulator/inputReaders";
import { EmulatorStore } from "../../emulator/store";
import { authorizeParams } from "../../google/authorizeUrl";

export const SECRET = "GOCSPX-emulatorTestSecret0000001";
export const DESKTOP = "1111-desktop.apps.googleusercontent.com";
export const WEB = "1111-web.apps.googleusercontent.com";
export const INTERNAL = "2222-internal.apps.googleusercontent.com";
export const PROD = "3333-prod.apps.googleusercontent.com";
export const NOGMAIL = "4444-nogmail.apps.googleusercontent.com";
/** The full-mailbox scope, as google/scopes.ts defines it. */
export const MAIL = DEFAULT_SCOPE;
export const SEND = "https://www.googleapis.com/auth/gmail.send";
export const READONLY = "https://www.googleapis.com/auth/gmail.readonly";
export const EMAIL = "https://www.googleapis.com/auth/userinfo.email";

export interface Callback {
  readonly url: string;
  readonly hits: string[];
}

/** The accounts: ana is a test user, bob is not, carol is in the corp organisation, dave has no mailbox. */
export function scenario(callbackUrl: string): ScenarioInput {
  return buildScenario()
    .project({
      id: "demo-project",
      number: "123456789012",
      appName: "Demo Mail",
      testUsers: ["ana@example.com", "dave@example.com"],
    })
    .client({ id: DESKTOP, type: "installed", secrets: [SECRET] })
    .client({ id: WEB, type: "web", secrets: [SECRET], redirectUris: [callbackUrl] })
    .project({
      id: "corp-project",
      number: "222233334444",
      userType: "internal",
      organization: "example.org",
      organizationId: "998877",
      appName: "Corp Mail",
    })
    .client({ id: INTERNAL, type: "installed", secrets: [SECRET] })
    .project({
      id: "prod-project",
      number: "333344445555",
      publishingStatus: "production",
      verified: true,
      appName: "Prod Mail",
    })
    .client({ id: PROD, type: "installed", secrets: [SECRET] })
    .project({ id: "nogmail-project", number: "444455556666", services: [], appName: "No Gmail" })
    .client({ id: NOGMAIL, type: "installed", secrets: [SECRET] })
    .account({ email: "ana@example.com", messagesTotal: 12, threadsTotal: 7 })
    .account("bob@example.com")
    .account({ email: "carol@example.org", orgDomain: "example.org" })
    .account({ email: "dave@example.com", hasMailbox: false })
    .cloudCredential("ya29.cloud-admin-token", { projects: ["demo-project", "nogmail-project", "corp-project"] })
    .build();
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

export async function callbackServer(): Promise<Callback & { server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    res.end("callback ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/callback`;
  return { url, hits, server };
}

/** A fresh emulator and callback server for one test, closed after it. */
export async function setup(extra: Partial<ScenarioInput> = {}): Promise<{ emu: RunningEmulator; cb: Callback }> {
  const cb = await callbackServer();
  const emu = await startEmulator({ ...scenario(cb.url), ...extra });
  cleanups.push(async () => {
    await emu.close();
    await new Promise<void>((r) => cb.server.close(() => r()));
  });
  return { emu, cb };
}

export function authUrl(origin: string, params: Record<string, string>, path = "/o/oauth2/v2/auth"): string {
  return `${origin}${path}?${new URLSearchParams(params)}`;
}

export function authParams(cb: Callback, over: Record<string, string> = {}): Record<string, string> {
  const params = authorizeParams({
    clientId: DESKTOP,
    redirectUri: cb.url,
    scopes: [MAIL],
    secrets: { state: "st-123" },
    prompt: null,
  });
  return { ...Object.fromEntries(params), ...over };
}

export async function consent(
  emu: RunningEmulator,
  cb: Callback,
  over: Record<string, string>,
  opts: Partial<DriveOptions> = {},
) {
  return driveConsent(authUrl(emu.origin, authParams(cb, over)), { account: "ana@example.com", ...opts });
}

/** Status, headers, and the body parsed as JSON when it is JSON (else the text). */
async function reply(res: Response) {
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

export async function post(
  origin: string,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return reply(
    await fetch(`${origin}${path}`, { method: "POST", body: new URLSearchParams(form), headers, redirect: "manual" }),
  );
}

export async function get(url: string, headers: Record<string, string> = {}) {
  return reply(await fetch(url, { headers, redirect: "manual" }));
}

export function exchange(origin: string, code: string, cb: Callback, over: Record<string, string> = {}) {
  return post(origin, "/token", {
    code,
    client_id: DESKTOP,
    client_secret: SECRET,
    redirect_uri: cb.url,
    grant_type: "authorization_code",
    ...over,
  });
}

/** Consent then exchange: the token response of a full flow. */
export async function tokens(
  emu: RunningEmulator,
  cb: Callback,
  over: Record<string, string> = {},
  opts: Partial<DriveOptions> = {},
) {
  const out = await consent(emu, cb, over, opts);
  if (out.kind !== "redirect" || !out.code) throw new Error(`no code: ${JSON.stringify(out)}`);
  return exchange(emu.origin, out.code, cb, { client_id: over.client_id ?? DESKTOP });
}

/**
 * An in-process store (no HTTP) on a clock frozen at 2026-01-01, with demo-project, the DESKTOP client (secret
 * STORE_SECRET) and ana: its admin API, with the token store beside it for the lifecycle tests.
 */
export function frozenStore(
  over: { userType?: "internal" | "external"; publishingStatus?: "testing" | "production" } = {},
) {
  const store = new EmulatorStore(
    parseScenario({
      clock: { now: "2026-01-01T00:00:00Z", frozen: true },
      projects: [{ id: "demo-project", organization: "example.org", ...over }],
      clients: [{ id: DESKTOP, projectId: "demo-project", type: "installed", secrets: [STORE_SECRET] }],
      accounts: [{ email: "ana@example.com" }],
    }),
  );
  return Object.assign(new Admin(store), { tokens: store.tokens });
}
export const STORE_SECRET = "GOCSPX-aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
