// A bare 127.0.0.1 HTTP server for unit tests that need one exact Google answer (bodies as docs/google-behaviour.md gives them).
// The end-to-end tests use the emulator instead.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

export type Reply = { status: number; json?: unknown; text?: string };

export async function cannedServer(
  reply: (req: Seen) => Reply,
): Promise<{ origin: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const s: Seen = { method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body };
      seen.push(s);
      const r = reply(s);
      res.writeHead(r.status, { "content-type": r.json !== undefined ? "application/json" : "text/plain" });
      res.end(r.json !== undefined ? JSON.stringify(r.json) : (r.text ?? ""));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
}
