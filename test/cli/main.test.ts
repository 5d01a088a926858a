// runCli's own exit codes: a crash is not a verdict (issue 14 §5), so it never shares a code with "inconclusive".
import { describe, expect, it } from "vitest";
import { buildParser, runCli } from "../../cli/main";
import { EXIT } from "../../common/errors";
import { captureIo } from "../support/captureIo";

/** An environment whose every read throws: a bug's stand-in that reaches runCli from deep inside a command. */
function crashingIo() {
  const captured = captureIo();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get: (_t, key) => {
      if (typeof key === "symbol") return undefined;
      throw new TypeError(`boom reading ${String(key)}\nsecond line of the message`);
    },
  });
  captured.stdin.end();
  return { ...captured, io: { ...captured.io, env } };
}

describe("runCli exit codes", () => {
  it("an internal error exits 4, not 3, with one line naming --debug and no stack", async () => {
    const run = crashingIo();
    const code = await runCli(["validate", "--client-id", "1-a.apps.googleusercontent.com"], run.io);
    expect(code).toBe(EXIT.internal);
    expect(code).not.toBe(EXIT.inconclusive);
    expect(run.err()).toMatch(
      /^gmail-oauth: internal error \(a bug, exit 4\): boom reading \S+ second line of the message; run again with --debug for the stack trace\n$/,
    );
    expect(run.out()).toBe("");
  });

  it("--debug adds the stack trace after the same line", async () => {
    const run = crashingIo();
    const code = await runCli(["validate", "--client-id", "1-a.apps.googleusercontent.com", "--debug"], run.io);
    expect(code).toBe(4);
    const [first, ...rest] = run.err().split("\n");
    expect(first).toMatch(/^gmail-oauth: internal error \(a bug, exit 4\): boom reading/);
    expect(first).not.toContain("--debug");
    expect(rest.join("\n")).toMatch(/^\s+at /m);
  });

  it("--help lists every exit code, the internal one included", async () => {
    expect((await buildParser([]).getHelp()).replace(/\s+/g, " ")).toContain(
      "Exit codes: 0 ok, 1 findings, 2 usage or input error, 3 inconclusive, 4 internal error (a bug), 130 interrupted.",
    );
  });
});
