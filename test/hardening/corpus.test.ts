// The bad-input corpus (issue 8 §2), driven by test/fixtures/bad-input/cases.json: every malformed file, flag,
// explain input and hostile loopback request gets one clear line (or a clean refusal), never a crash or a stack trace.
import { readFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { forgetSecrets } from "../../common/redact";
import { startLoopbackServer } from "../../validator/flow/loopback";
import { cli } from "../validator/helpers";

const DIR = join(__dirname, "../fixtures/bad-input");

interface Generated {
  readonly as: "arg" | "stdin" | "file";
  readonly text: string;
  readonly bytes: number;
}
interface CliCase {
  readonly name: string;
  readonly kind: "cli";
  readonly args: string[];
  readonly env?: Record<string, string>;
  readonly stdin?: string;
  /** Inputs too big to keep in the repository: `text` repeated up to `bytes`. */
  readonly generate?: Generated;
  readonly exit: number;
  readonly stderr?: string;
  readonly stderrMatch?: string;
  /** A bug in a file this suite may not edit: the case is expected to fail until it is fixed there. */
}
interface LoopbackCase {
  readonly name: string;
  readonly kind: "loopback";
  readonly request: string;
  readonly status: number;
  readonly refused: string | null;
}
type Case = CliCase | LoopbackCase;

const { cases } = JSON.parse(readFileSync(join(DIR, "cases.json"), "utf8")) as { cases: Case[] };
const scratch = mkdtempSync(join(tmpdir(), "bad-input-"));

afterAll(() => forgetSecrets());

/** Progress lines ("… checking X") may precede the error; everything else on stderr must be the one error line. */
const progress = (line: string) =>
  line.startsWith("… ") ||
  line.startsWith("Open this address") ||
  line.startsWith("Waiting up to") ||
  line.trim() === "";

async function runCliCase(c: CliCase): Promise<void> {
  let args = c.args;
  let stdin = c.stdin;
  if (c.generate) {
    const big = c.generate.text.repeat(Math.ceil(c.generate.bytes / c.generate.text.length));
    if (c.generate.as === "arg") args = [...args, big];
    else if (c.generate.as === "stdin") stdin = big;
    else {
      const file = join(scratch, `${c.name.replace(/\W+/g, "-")}.txt`);
      writeFileSync(file, big);
      args = [...args, file];
    }
  }
  const r = await cli(args, { cwd: DIR, env: { NO_COLOR: "1", ...c.env }, stdin });
  const lines = r.stderr.split("\n").filter((l) => !progress(l));
  expect(r.stderr, "no stack trace, no internal error").not.toMatch(/internal error|^\s+at\s/m);
  expect(lines, `one line on stderr:\n${r.stderr}`).toHaveLength(1);
  if (c.stderr !== undefined) expect(lines[0]).toBe(c.stderr);
  else expect(lines[0]).toMatch(new RegExp(c.stderrMatch!));
  expect(r.stdout, "nothing on stdout for refused input").toBe("");
  expect(r.code).toBe(c.exit);
}

const STATE = "corpus-expected-state-0123456789";
const PATH = "/cb";

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let got = "";
    socket.on("data", (d) => (got += d));
    socket.on("end", () => resolve(got));
    socket.on("close", () => resolve(got));
    socket.on("error", reject);
    socket.end(text);
  });
}

async function runLoopbackCase(c: LoopbackCase): Promise<void> {
  const server = await startLoopbackServer({ bindHost: "127.0.0.1", uriHost: "127.0.0.1", port: 0, path: PATH }, STATE);
  try {
    const host = `127.0.0.1:${server.port}`;
    const text = readFileSync(join(DIR, c.request), "utf8")
      .replaceAll("{{HOST}}", host)
      .replaceAll("{{PORT}}", String(server.port))
      .replaceAll("{{STATE}}", STATE)
      .replaceAll("{{PATH}}", PATH);
    const answer = await rawRequest(server.port, text);
    expect(answer.split("\r\n")[0], "status line").toMatch(new RegExp(`^HTTP/1\\.[01] ${c.status} `));
    const refused = server.refused();
    if (c.refused === null) expect(refused).toEqual([]);
    else expect(refused).toEqual([c.refused]);
    // The server kept waiting: the real callback still arrives.
    const ok = await fetch(
      `http://${host}${PATH}?state=${STATE}&code=${encodeURIComponent("4/0Acorpus-real-code-abcdefgh")}`,
    );
    expect(ok.status).toBe(200);
    await expect(server.callback).resolves.toMatchObject({ kind: "code", code: "4/0Acorpus-real-code-abcdefgh" });
  } finally {
    await server.close();
  }
}

describe("bad-input corpus (test/fixtures/bad-input/cases.json)", () => {
  it("has at least 60 cases, each with a distinct name", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const c of cases) {
    if (c.kind === "loopback") it(c.name, () => runLoopbackCase(c));
    else it(c.name, () => runCliCase(c));
  }
});
