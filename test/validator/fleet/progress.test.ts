import { describe, expect, test } from "vitest";
import { Progress, progressLine } from "../../../validator/fleet/progress";
import { captureStream } from "../../support/captureIo";

function stream(tty: boolean) {
  const captured = captureStream();
  return { s: Object.assign(captured.stream, { isTTY: tty }), out: captured.text };
}

describe("progress", () => {
  test("the line", () => {
    expect(progressLine({ total: 500, done: 120, running: 8, failing: 3, inconclusive: 1, elapsedMs: 12_400 })).toBe(
      "fleet: 120/500 done, 3 failing, 1 inconclusive, 8 running, 12 s",
    );
  });

  test("on a terminal: redrawn in place as connections finish (throttled), cleared at the end", async () => {
    let now = 0;
    const { s, out } = stream(true);
    const p = new Progress(s, 3, 10_000, () => now);
    p.start();
    p.began();
    p.began();
    now = 50;
    p.finished("ok"); // too soon after the start: not drawn
    now = 200;
    p.finished("fail");
    p.began();
    now = 210;
    p.finished("inconclusive"); // the last one is always drawn
    p.stop();
    await new Promise((r) => setImmediate(r));
    expect(out()).toBe(
      "\rfleet: 2/3 done, 1 failing, 0 inconclusive, 0 running, 0 s\u001b[K\rfleet: 3/3 done, 1 failing, 1 inconclusive, 0 running, 0 s\u001b[K\r\u001b[K",
    );
  });

  test("off a terminal: nothing per connection (only the periodic line), no escape codes", async () => {
    const { s, out } = stream(false);
    const p = new Progress(s, 2, 10_000, () => 0);
    p.start();
    p.began();
    p.finished("ok");
    p.write(); // what the timer does every 10 s
    p.stop();
    await new Promise((r) => setImmediate(r));
    expect(out()).toBe("fleet: 1/2 done, 0 failing, 0 inconclusive, 0 running, 0 s\n");
  });
});
