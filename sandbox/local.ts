// What the sandbox serves on this machine besides the emulator: a stand-in for the app's redirect endpoint (the
// validator checks that it answers), and a free loopback port for the validator's consent flow.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isLoopbackHost } from "../google/redirectUris";
import { SUGGESTED_LOOPBACK_URI } from "../validator/flow/redirect";

/** Listens on host:port, or on a free port when that one is taken. Resolves with the bound port. */
export function listenLoopback(server: Server, host: string, port: number): Promise<number> {
  const attempt = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => reject(e);
      server.once("error", onError);
      server.listen({ host, port: p, exclusive: true }, () => {
        server.off("error", onError);
        resolve((server.address() as AddressInfo).port);
      });
    });
  return attempt(port).catch((e: NodeJS.ErrnoException) => {
    if (port !== 0 && (e.code === "EADDRINUSE" || e.code === "EACCES")) return attempt(0);
    throw e;
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export interface AppStandIn {
  /** The app's origin as served (the port may differ from the stack's when that one was taken). */
  readonly origin: string;
  /** Requests the stand-in answered, e.g. "GET /google_gmail/confirm → 400". */
  readonly hits: string[];
  close(): Promise<void>;
}

/**
 * A stand-in for the app (Flectra…) at its loopback instance URL: its callback path answers like an app that got
 * no code (400), anything else is 404. Undefined when the redirect URI is not a loopback one: the sandbox never
 * stands in for a host on the network.
 */
export async function startAppStandIn(redirectUri: string, appLabel: string): Promise<AppStandIn | undefined> {
  const target = new URL(redirectUri);
  if (target.protocol !== "http:" || !isLoopbackHost(target.hostname)) return undefined;
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://stand-in").pathname;
    const status = path === target.pathname ? 400 : 404;
    hits.push(`${req.method} ${path} → ${status}`);
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close" });
    res.end(
      status === 400
        ? `${appLabel} (sandbox stand-in): Google sends the authorization code here; this request carries none.\n`
        : "Not found\n",
    );
  });
  const host = target.hostname.replace(/^\[|\]$/g, "");
  const port = await listenLoopback(server, host === "localhost" ? "127.0.0.1" : host, Number(target.port || 80));
  const origin = `http://${target.hostname}:${port}`;
  return { origin, hits, close: () => close(server) };
}

/**
 * The loopback redirect URI the validator's flow will listen on: the one `validate --flow` suggests, or the same
 * with a free port when that one is taken on this machine (a Web client must register the exact port).
 */
export async function freeLoopbackRedirect(preferred: string = SUGGESTED_LOOPBACK_URI): Promise<string> {
  const u = new URL(preferred);
  const server = createServer();
  const port = await listenLoopback(server, u.hostname, Number(u.port || 80));
  await close(server);
  u.port = String(port);
  return u.toString();
}
