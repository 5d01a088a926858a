// The one HTTP server: reads a request, finds its route in router.ts, applies the route's fault, and writes the reply
// the handler returns. Any handler failure becomes a 500 answer; nothing a client sends can stop the server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { frontEndErrorPage, transientErrorBody } from "./faults";
import { Router, routeTable } from "./router";
import { html, json, notFound, type Reply, type RequestContext } from "./routes/handler";
import type { EmulatorStore } from "./store";

const MAX_BODY = 1 << 20;

export class EmulatorServer {
  private readonly router: Router;
  private server?: Server;
  origin = "";

  constructor(private readonly store: EmulatorStore) {
    this.router = new Router(routeTable(store));
  }

  async listen(host: string, port: number): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) writeReply(res, json(500, transientErrorBody(500)));
        else res.destroy();
      });
    });
    server.on("clientError", (_err, socket) => socket.destroy());
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const addr = server.address() as AddressInfo;
    this.origin = `http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}`;
    return this.origin;
  }

  /** Stops listening and ends keep-alive sockets now, not after their idle timeout. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on("error", () => res.destroy());
    // Google's Date header is Google's clock: the emulator's own, so an advanced clock shows in every answer.
    res.setHeader("date", new Date(this.store.clock.now()).toUTCString());
    const url = new URL(req.url ?? "/", this.origin);
    const match = this.router.match(url.pathname);
    if (!match) return writeReply(res, notFound());
    const { route } = match;
    const fault = route.fault ? this.store.faults.pick(route.fault) : undefined;
    if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    if (fault?.redirectLoop)
      return writeReply(res, { status: 302, headers: { location: `${this.origin}${req.url}` }, body: "" });
    if (fault?.html) return writeReply(res, html(fault.status ?? 502, frontEndErrorPage(fault.status ?? 502)));
    if (fault?.status) {
      const retry = fault.status === 500 ? undefined : String(fault.retryAfterSeconds ?? 1);
      return writeReply(
        res,
        json(fault.status, transientErrorBody(fault.status, route.fault), retry ? { "retry-after": retry } : {}),
      );
    }
    const method = req.method ?? "GET";
    const body = method === "POST" ? await readBody(req) : "";
    if (body === undefined) return writeReply(res, (route.tooLarge ?? tooLarge)());
    const ctx: RequestContext = {
      method,
      url,
      params: requestParams(url, body, req.headers["content-type"]),
      body,
      headers: req.headers,
      cookies: parseCookies(req.headers.cookie),
      origin: this.origin,
      path: match.path,
    };
    let reply: Reply;
    try {
      reply = Router.handler(route, method)(ctx);
    } catch {
      reply = json(500, transientErrorBody(500));
    }
    if (fault?.malformedBody)
      reply = {
        ...reply,
        body: reply.body.length > 1 ? reply.body.slice(0, Math.floor(reply.body.length / 2)) : '{"error":',
      };
    writeReply(res, reply);
  }
}

/** Google's JSON 413. */
const tooLarge = () =>
  json(413, { error: { code: 413, message: "Request entity too large", status: "INVALID_ARGUMENT" } });

function writeReply(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  res.writeHead(reply.status, { "content-length": Buffer.byteLength(reply.body), ...reply.headers });
  res.end(reply.body);
}

/** The body as text, or undefined past 1 MiB. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(undefined));
  });
}

/** Query parameters, then the form body's (google-behaviour.md §2.1) or, inferred, a JSON body's. */
function requestParams(url: URL, body: string, contentType: string | undefined): URLSearchParams {
  const params = new URLSearchParams(url.search);
  if (!body) return params;
  if (contentType?.includes("json")) {
    try {
      const o: unknown = JSON.parse(body);
      if (o && typeof o === "object" && !Array.isArray(o)) {
        for (const [k, v] of Object.entries(o))
          if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") params.append(k, String(v));
      }
    } catch {
      /* a bad JSON body reads as no parameters; the handler reports what is missing */
    }
    return params;
  }
  for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
  return params;
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
