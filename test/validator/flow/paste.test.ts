import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { watchPastedRedirect } from "../../../validator/flow/paste";

const STATE = "state-value-0123456789abcdefghij";

describe("watchPastedRedirect", () => {
  it("refuses a wrong state, explains junk, then takes the right paste", async () => {
    const stdin = new PassThrough();
    const refused: string[] = [];
    const w = watchPastedRedirect(stdin, STATE, (why) => refused.push(why));
    stdin.write("not a url\n");
    stdin.write(`http://127.0.0.1:8085/?state=forged&code=abc\n`);
    stdin.write(`http://127.0.0.1:8085/?state=${STATE}&code=the-real-code\n`);
    await expect(w.result).resolves.toMatchObject({ kind: "code", code: "the-real-code" });
    expect(refused).toEqual([
      expect.stringMatching(/ignored the pasted line/),
      "refused the pasted address: its state does not match this run",
    ]);
    w.stop();
  });

  it("stays pending at end of input so the loopback can still win", async () => {
    const stdin = new PassThrough();
    const w = watchPastedRedirect(stdin, STATE, () => {});
    stdin.end();
    const winner = await Promise.race([
      w.result.then(() => "paste"),
      new Promise((r) => setImmediate(() => r("still waiting"))),
    ]);
    expect(winner).toBe("still waiting");
    w.stop();
  });
});
