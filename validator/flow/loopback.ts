// The loopback redirect server (issue 5 §1): binds a loopback address only, answers one callback with the right
// state, shows a plain page and closes. Everything else gets a clean HTTP error and the server keeps waiting,
// so a stray or hostile request cannot end the flow.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { isLoopbackHost } from "../../google/redirectUris";
import { parseCallbackParams, type CallbackOutcome } from "./callback";
import type { LoopbackPlan } from "./redirect";
import { redirectUriFor } from "./redirect";
import { PAGE_HEADERS, resultPage, type PageKind } from "./resultPage";

/** Far above Google's redirect (a ≤256-byte code plus scopes), far below what could hurt. */
export const MAX_REQUEST_TARGET = 4096;

export interface LoopbackServer {
  readonly port: number;
  readonly redirectUri: string;
  /** Resolves with the first callback that carries the right state; never rejects. */
  readonly callback: Promise<CallbackOutcome>;
  /** One line per refused request (wrong state, wrong host…), for the report. */
  refused(): readonly string[];
  close(): Promise<void>;
}

export class LoopbackBindError extends Error {
  override name = "LoopbackBindError";
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

function hostAllowed(hostHeader: string | undefined, plan: LoopbackPlan, port: number): boolean {
  if (!hostHeader) return false;
  const h = hostHeader.toLowerCase();
  const host = plan.uriHost.includes(":") && !plan.uriHost.startsWith("[") ? `[${plan.uriHost}]` : plan.uriHost;
  return h === `${host}:${port}` || (port === 80 && h === host);
}

function looksLikeTraversal(rawUrl: string): boolean {
  const pathPart = rawUrl.split("?")[0];
  return /\.\.|%2e|%2f|%5c|\\/i.test(pathPart);
}

export async function startLoopbackServer(plan: LoopbackPlan, expectedState: string): Promise<LoopbackServer> {
  const refusedLog: string[] = [];
  let settled = false;
  let resolveCallback!: (o: CallbackOutcome) => void;
  const callback = new Promise<CallbackOutcome>((r) => (resolveCallback = r));
  const sockets = new Set<Socket>();
  let port = plan.port;

  const send = (res: ServerResponse, status: number, kind: PageKind, message: string) => {
    if (res.headersSent) return;
    res.writeHead(status, PAGE_HEADERS);
    res.end(resultPage(kind, message));
  };
  const refuse = (res: ServerResponse, status: number, kind: PageKind, why: string) => {
    refusedLog.push(why);
    send(res, status, kind, why);
  };

  const server = createServer({ maxHeaderSize: 8192 }, (req: IncomingMessage, res: ServerResponse) => {
    const raw = req.url ?? "/";
    // Defence in depth: the bind address already keeps other hosts out.
    if (!isLoopbackHost(req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? ""))
      return refuse(res, 403, "refused", "refused: not a loopback peer");
    if (req.method !== "GET") return refuse(res, 405, "refused", `refused: method ${req.method} (only GET)`);
    if (raw.length > MAX_REQUEST_TARGET) return refuse(res, 414, "refused", "refused: request target too long");
    // A wrong Host is how DNS rebinding reaches a loopback port from a web page.
    if (!hostAllowed(req.headers.host, plan, port)) return refuse(res, 421, "refused", "refused: wrong Host header");
    if (looksLikeTraversal(raw)) return refuse(res, 400, "refused", "refused: path traversal or encoded separators");
    const url = new URL(raw, `http://${plan.uriHost}:${port}`);
    if (url.pathname !== plan.path)
      return send(res, 404, "not_found", "This address only answers the validator's redirect path.");
    if (settled) return send(res, 410, "refused", "The validator already received its callback.");
    const parsed = parseCallbackParams(url.searchParams, expectedState);
    if (parsed.kind === "wrong_state")
      return refuse(res, 400, "refused", "refused: the state does not match this run (a stale or forged callback)");
    if (parsed.kind === "not_callback")
      return refuse(res, 400, "refused", `refused: not a redirect from Google (${parsed.reason})`);
    settled = true;
    if (parsed.kind === "code")
      send(res, 200, "received", "The validator received the authorization code and is checking the token now.");
    else if (parsed.error === "access_denied")
      send(res, 200, "denied", "You cancelled the consent, so Google sent back access_denied.");
    else send(res, 200, "error", `Google redirected back with error "${parsed.error}".`);
    res.once("finish", () => void closeServer());
    resolveCallback(parsed);
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    refusedLog.push(`refused: malformed request (${err.code ?? "parse error"})`);
    if (!socket.writable) return socket.destroy();
    const status = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  let closing: Promise<void> | undefined;
  const closeServer = () =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }));

  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      const why =
        err.code === "EADDRINUSE"
          ? `port ${plan.port} on ${plan.bindHost} is already in use`
          : err.code === "EACCES"
            ? `port ${plan.port} needs privileges to listen on`
            : err.code === "EADDRNOTAVAIL"
              ? `${plan.bindHost} is not available on this machine`
              : err.message;
      reject(new LoopbackBindError(err.code, why));
    });
    server.listen({ host: plan.bindHost, port: plan.port, exclusive: true }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    redirectUri: redirectUriFor(plan, port),
    callback,
    refused: () => [...refusedLog],
    close: closeServer,
  };
}
