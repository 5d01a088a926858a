// A pass-through proxy in front of the emulator that arms one of the emulator's own faults when the request a check
// makes first arrives, and counts those requests (the attempts). The emulator's faults are per route; the flow calls
// the token route twice (exchange, then refresh), so "fault the refresh" needs to know which request is which.
// The proxy injects nothing itself: every fault comes from emulator/faults.ts. It can also report each exchange, so
// the secrets test learns the codes and tokens the emulator minted (and then looks for them in every output).
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { RequestSelector } from "./faultMatrix";

export interface ArmingProxy {
  readonly origin: string;
  /** Requests that matched the selector: the check's attempts. */
  count(): number;
  close(): Promise<void>;
}

function matches(select: RequestSelector, req: IncomingMessage, path: string, body: string): boolean {
  if (req.method !== select.method || !select.path.test(path)) return false;
  return select.grantType === undefined || new URLSearchParams(body).get("grant_type") === select.grantType;
}

export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly location?: string;
  readonly responseBody: string;
}

export async function startArmingProxy(
  upstream: string,
  select: RequestSelector,
  arm: () => void,
  observe?: (x: Exchange) => void,
): Promise<ArmingProxy> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: false });
  const sockets = new Set<Socket>();
  let count = 0;
  let origin = "";

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = new URL(req.url ?? "/", origin).pathname;
      if (matches(select, req, path, body.toString("utf8")) && count++ === 0) arm();
      const up = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
          agent,
        },
        (upRes) => {
          const headers = { ...upRes.headers };
          // Redirects name the emulator's origin; point them back at the proxy so a loop stays a loop.
          if (typeof headers.location === "string")
            headers.location = headers.location.split(target.origin).join(origin);
          res.writeHead(upRes.statusCode ?? 502, headers);
          if (observe) {
            const got: Buffer[] = [];
            upRes.on("data", (c: Buffer) => got.push(c));
            upRes.on("end", () =>
              observe({
                method: req.method ?? "",
                path,
                status: upRes.statusCode ?? 0,
                location: upRes.headers.location,
                responseBody: Buffer.concat(got).toString("utf8"),
              }),
            );
          }
          upRes.pipe(res);
          upRes.on("error", () => res.destroy());
        },
      );
      // The emulator dropped the connection: drop ours too, so the client sees the reset.
      up.on("error", () => req.socket.destroy());
      res.on("close", () => up.destroy());
      up.end(body);
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    count: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        agent.destroy();
      }),
  };
}
