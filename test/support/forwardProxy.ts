// A real forward proxy on 127.0.0.1 (the `proxy` npm package, TooTallNate's, which https-proxy-agent is tested with):
// plain-http requests with absolute URIs and CONNECT tunnels, optional Basic credentials (a wrong or missing one
// gets the package's own 407). It records what it was asked, so tests can prove which requests went through it.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ForwardProxy {
  /** http://127.0.0.1:PORT, without credentials. */
  readonly origin: string;
  /** The proxy URL with `user:password@` when the proxy wants credentials. */
  readonly url: string;
  /** "GET http://127.0.0.1:1234/path" for plain requests, "CONNECT 127.0.0.1:1234" for tunnels. */
  readonly seen: string[];
  /** Every Proxy-Authorization header received. */
  readonly credentials: string[];
  /** TCP connections accepted: fewer than requests means keep-alive worked. */
  connections(): number;
  close(): Promise<void>;
}

export async function startForwardProxy(opts: { user?: string; password?: string } = {}): Promise<ForwardProxy> {
  // The package is ESM-only; the tests compile to CommonJS.
  const { createProxy } = await import("proxy");
  const server = createProxy(createServer());
  const seen: string[] = [];
  const credentials: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const note = (req: IncomingMessage) => {
    seen.push(`${req.method} ${req.url}`);
    const auth = req.headers["proxy-authorization"];
    if (auth) credentials.push(auth);
  };
  // Listeners added before the package's own run first: every request is noted, answered or not.
  server.prependListener("request", note);
  server.prependListener("connect", note);
  server.on("connection", (s: Socket) => {
    connections++;
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  if (opts.user !== undefined) {
    const expected = `Basic ${Buffer.from(`${opts.user}:${opts.password ?? ""}`).toString("base64")}`;
    server.authenticate = (req) => req.headers["proxy-authorization"] === expected;
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url =
    opts.user !== undefined
      ? `http://${encodeURIComponent(opts.user)}:${encodeURIComponent(opts.password ?? "")}@${origin.slice(7)}`
      : origin;
  return {
    origin,
    url,
    seen,
    credentials,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on: a proxy that refuses connections. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
