// The scripted browser the walkthrough gives `validate --flow`: $BROWSER is a tiny launcher script that hands the
// consent URL to this process, where the emulator's HTTP browser (emulator/httpBrowser.ts driveConsent) signs in,
// clicks through and consents like a person, or ends on the page Google shows instead. The CLI opens it exactly as
// it opens a real browser, and the sandbox learns what the "person" saw (e.g. the Error 403 page), which the
// validator itself can never see.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { driveConsent, type ConsentOutcome } from "../emulator/httpBrowser";
import { listenLoopback } from "./local";

export interface ScriptedBrowser {
  /** The environment that makes the CLI open this browser. */
  readonly env: { readonly BROWSER: string };
  /** Who signs in on the next opened page. */
  account: string;
  /** What each opened page ended on, in order. */
  readonly outcomes: ConsentOutcome[];
  /** Resolves once `count` pages have been driven to their end, or after `ms` (the launcher may still be starting). */
  waitForOutcomes(count: number, ms: number): Promise<void>;
  close(): Promise<void>;
}

// Plain JavaScript, so it runs the same from the TypeScript sources and from dist/; it only forwards the URL.
const LAUNCHER = (bridge: string) => `"use strict";
// $BROWSER of gmail-oauth sandbox: hands the URL to the sandbox's scripted browser and exits.
const req = require("node:http").request(${JSON.stringify(bridge)}, { method: "POST" }, (res) => res.resume());
req.on("error", () => { process.exitCode = 1; });
req.end(process.argv[2] || "");
`;

/** `origin`: the emulator; the bridge refuses to drive any other URL. */
export async function startScriptedBrowser(dir: string, origin: string, account: string): Promise<ScriptedBrowser> {
  const path = `/open/${randomBytes(12).toString("hex")}`;
  const outcomes: ConsentOutcome[] = [];
  let notify = () => {};
  const browser = {
    account,
    outcomes,
  };
  const server = createServer((req, res) => {
    if (req.method !== "POST" || req.url !== path) {
      res.writeHead(404).end();
      return;
    }
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk.length + body.length <= 8192 ? chunk : ""));
    req.on("end", () => {
      const url = body.trim();
      if (!url.startsWith(`${origin}/`)) {
        res.writeHead(400).end();
        return;
      }
      res.writeHead(202).end();
      void driveConsent(url, { account: browser.account })
        .catch(
          (e: unknown): ConsentOutcome => ({
            kind: "failed",
            reason: e instanceof Error ? e.message : String(e),
            url,
            pages: [],
          }),
        )
        .then((o) => {
          outcomes.push(o);
          notify();
        });
    });
  });
  const port = await listenLoopback(server, "127.0.0.1", 0);
  const script = join(dir, "open-browser.cjs");
  await writeFile(script, LAUNCHER(`http://127.0.0.1:${port}${path}`), { mode: 0o600 });
  // The CLI splits $BROWSER on spaces; a node path with spaces falls back to `node` from PATH.
  const node = /\s/.test(process.execPath) ? "node" : process.execPath;
  return Object.assign(browser, {
    env: { BROWSER: `${node} ${script}` },
    waitForOutcomes: (count: number, ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          notify = () => {};
          resolve();
        }
        notify = () => outcomes.length >= count && done();
        notify();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
