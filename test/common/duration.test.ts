import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../common/duration";

describe("parseDuration", () => {
  it.each([
    ["2d", 2 * 86_400_000],
    ["36h", 36 * 3_600_000],
    ["90m", 90 * 60_000],
    ["45s", 45_000],
    ["1w", 7 * 86_400_000],
    ["1d12h", 36 * 3_600_000],
    [" 1.5D ", 1.5 * 86_400_000],
  ])("%s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "2", "two days", "2 d", "-1d", "1y", "d2"])("refuses %j", (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});

describe("formatDuration", () => {
  it.each([
    [2 * 86_400_000, "2 days"],
    [2 * 86_400_000 + 3 * 3_600_000 + 59_000, "2 days 3 hours"],
    [86_400_000 + 60_000, "1 day"],
    [3_600_000 * 5 + 60_000 * 7, "5 hours 7 minutes"],
    [1_000, "1 second"],
    [400, "0 seconds"],
    [-5, "0 seconds"],
  ])("%d ms → %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});
