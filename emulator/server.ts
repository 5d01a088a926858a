// The one HTTP server: routes Google's paths to the handlers, applies faults, serves the admin API under
// /__emulator/. Any handler failure becomes a 500 answer; nothing a client sends can stop the server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { InputError, isInputError } from "../common/errors";
import { GoogleApis, isGmailPath } from "./apis";
import { frontEndErrorPage, transientErrorBody } from "./faults";
import type { FaultRoute } from "./model";
import { OAuthEndpoints, type RequestContext } from "./oauth";
import { html, json, notFound, type Reply } from "./reply";
import type { EmulatorAdmin, EmulatorState } from "./state";

const MAX_BODY = 1 << 20;

type Handler = (ctx: RequestContext) => Reply;

/** Admin operations served as POST /__emulator/<name> with a JSON array of arguments. */
export const ADMIN_OPERATIONS = [
  "addProject",
  "updateProject",
  "setServiceState",
  "addClient",
  "updateClient",
  "deleteClient",
  "addAccount",
  "updateAccount",
  "addCloudCredential",
  "advanceClock",
  "now",
  "setFault",
  "clearFaults",
  "sentMessages",
  "state",
  "importSpec",
  "mintGrant",
] as const satisfies readonly (keyof EmulatorAdmin)[];

export class EmulatorServer {
  private readonly oauth: OAuthEndpoints;
  private readonly apis: GoogleApis;
  private readonly exact: Map<string, { route: FaultRoute; handler: Handler }>;
  private server?: Server;
  origin = "";

  constructor(private readonly state: EmulatorState) {
    this.oauth = new OAuthEndpoints(state);
    this.apis = new GoogleApis(state);
    const o = this.oauth;
    const signin = (get: Handler, post: Handler) => ({ route: "signin" as const, handler: (c: RequestContext) => (c.method === "POST" ? post(c) : get(c)) });
    this.exact = new Map<string, { route: FaultRoute; handler: Handler }>([
      ["/o/oauth2/v2/auth", { route: "authorize", handler: (c) => o.authorize(c) }],
      ["/o/oauth2/auth", { route: "authorize", handler: (c) => o.authorize(c) }],
      ["/v3/signin/identifier", signin((c) => o.signinPage(c), (c) => o.signinSubmit(c))],
      ["/signin/oauth/warning", signin((c) => o.warningPage(c), (c) => o.warningSubmit(c))],
      ["/signin/oauth/consent", signin((c) => o.consentPage(c), (c) => o.consentSubmit(c))],
      ["/signin/oauth/error", { route: "signin", handler: (c) => o.errorPage(c) }],
      // The token URI older client_secret.json files carry (facts §8.3) answers too.
      ["/token", { route: "token", handler: (c) => o.token(c) }],
      ["/o/oauth2/token", { route: "token", handler: (c) => o.token(c) }],
      ["/tokeninfo", { route: "tokeninfo", handler: (c) => o.tokeninfo(c) }],
      ["/oauth2/v3/tokeninfo", { route: "tokeninfo", handler: (c) => o.tokeninfo(c) }],
      ["/revoke", { route: "revoke", handler: (c) => o.revoke(c) }],
      ["/o/oauth2/revoke", { route: "revoke", handler: (c) => o.revoke(c) }],
      ["/.well-known/openid-configuration", { route: "openid", handler: (c) => o.discovery(c) }],
      ["/oauth2/v3/certs", { route: "openid", handler: () => o.jwks() }],
    ]);
  }

  private route(path: string): { route: FaultRoute; handler: Handler } | undefined {
    const exact = this.exact.get(path);
    if (exact) return exact;
    const gmail = isGmailPath(path);
    if (gmail) return { route: gmail, handler: (c) => this.apis.gmail(c) };
    if (/^\/v1\/projects\/[^/]+\/services\/[^/:]+(:(enable|disable))?$/.test(path)) return { route: "serviceusage", handler: (c) => this.apis.serviceUsage(c) };
    if (/^\/v3\/projects\/[^/]+$/.test(path)) return { route: "resourcemanager", handler: (c) => this.apis.resourceManager(c) };
    return undefined;
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
    const url = new URL(req.url ?? "/", this.origin);
    const path = url.pathname;
    if (path.startsWith("/__emulator/")) return writeReply(res, await this.admin(req, url));
    const target = this.route(path);
    if (!target) return writeReply(res, notFound());
    const fault = this.state.faults.pick(target.route);
    if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    if (fault?.redirectLoop) return writeReply(res, { status: 302, headers: { location: `${this.origin}${req.url}` }, body: "" });
    if (fault?.html) return writeReply(res, html(fault.status ?? 502, frontEndErrorPage(fault.status ?? 502)));
    if (fault?.status) {
      const retry = fault.status === 500 ? undefined : String(fault.retryAfterSeconds ?? 1);
      return writeReply(res, json(fault.status, transientErrorBody(fault.status), retry ? { "retry-after": retry } : {}));
    }
    const body = req.method === "POST" ? await readBody(req) : "";
    if (body === undefined) return writeReply(res, json(413, { error: { code: 413, message: "Request entity too large", status: "INVALID_ARGUMENT" } }));
    const ctx: RequestContext = { method: req.method ?? "GET", url, params: requestParams(url, body, req.headers["content-type"]), headers: req.headers, cookies: parseCookies(req.headers.cookie), origin: this.origin };
    let reply: Reply;
    try {
      reply = target.handler(ctx);
    } catch {
      reply = json(500, transientErrorBody(500));
    }
    if (fault?.malformedBody) reply = { ...reply, body: reply.body.length > 1 ? reply.body.slice(0, Math.floor(reply.body.length / 2)) : '{"error":' };
    writeReply(res, reply);
  }

  private async admin(req: IncomingMessage, url: URL): Promise<Reply> {
    const op = url.pathname.slice("/__emulator/".length) as (typeof ADMIN_OPERATIONS)[number];
    if (!(ADMIN_OPERATIONS as readonly string[]).includes(op)) return json(404, { error: { problem: `unknown admin operation '${op}'`, fix: `use one of: ${ADMIN_OPERATIONS.join(", ")}` } });
    let args: unknown[] = [];
    if (req.method === "POST") {
      const body = await readBody(req);
      if (body === undefined) return json(413, { error: { problem: "body too large" } });
      try {
        const parsed: unknown = body.trim() ? JSON.parse(body) : [];
        args = Array.isArray(parsed) ? parsed : [parsed];
      } catch (e) {
        return json(400, { error: { field: "body", problem: `not JSON: ${(e as Error).message}`, fix: "send a JSON array of the operation's arguments" } });
      }
    } else if (req.method !== "GET") return json(405, { error: { problem: "use GET or POST" } });
    try {
      const fn = this.state[op] as (...a: unknown[]) => unknown;
      const result = fn.apply(this.state, args);
      return json(200, { result: result ?? null });
    } catch (e) {
      if (isInputError(e)) {
        const errs = e instanceof InputError ? [e] : e.errors;
        return json(400, { error: { message: e.message, field: errs[0]?.field, problem: errs[0]?.problem, fix: errs[0]?.fix } });
      }
      return json(400, { error: { message: e instanceof Error ? e.message : String(e) } });
    }
  }
}

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

/** Query parameters, then the form body's (facts §2.1) or, inferred, a JSON body's. */
function requestParams(url: URL, body: string, contentType: string | undefined): URLSearchParams {
  const params = new URLSearchParams(url.search);
  if (!body) return params;
  if (contentType?.includes("json")) {
    try {
      const o: unknown = JSON.parse(body);
      if (o && typeof o === "object" && !Array.isArray(o)) {
        for (const [k, v] of Object.entries(o)) if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") params.append(k, String(v));
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
