// Shared test helpers for the validator: an in-process CLI runner and small node:http fixtures on 127.0.0.1.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { runCli } from "../../cli/main";
import { captureIo } from "../support/captureIo";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string } = {},
): Promise<CliRun> {
  const captured = captureIo(
    { PATH: process.env.PATH, HOME: "/nonexistent-home", ...opts.env },
    opts.cwd ?? process.cwd(),
  );
  if (opts.stdin !== undefined) captured.stdin.end(opts.stdin);
  else captured.stdin.end();
  const code = await runCli(args, captured.io);
  return { code, stdout: captured.out(), stderr: captured.err() };
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface Fixture {
  readonly origin: string;
  readonly requests: { method: string; url: string; body: string; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

export async function fixture(handler: Handler): Promise<Fixture> {
  const requests: Fixture["requests"] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", body, headers: req.headers });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
