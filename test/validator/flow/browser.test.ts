import { describe, expect, it } from "vitest";
import { browserCommand, openInBrowser } from "../../../validator/flow/browser";

const URL_ = "http://127.0.0.1:1/o/oauth2/v2/auth?a=1&b=2";

describe("browserCommand", () => {
  it("runs $BROWSER with the URL as its argument", () => {
    expect(browserCommand(URL_, { BROWSER: "/usr/local/bin/follow --quiet" }, "linux")).toEqual({
      command: "/usr/local/bin/follow",
      args: ["--quiet", URL_],
      how: "$BROWSER (/usr/local/bin/follow)",
    });
  });

  it("takes the first entry of a colon-separated $BROWSER and fills %s", () => {
    expect(browserCommand(URL_, { BROWSER: "firefox --new-tab %s:chromium" }, "linux")).toMatchObject({
      command: "firefox",
      args: ["--new-tab", URL_],
    });
  });

  it("falls back to the system opener", () => {
    expect(browserCommand(URL_, {}, "linux").command).toBe("xdg-open");
    expect(browserCommand(URL_, {}, "darwin").command).toBe("open");
    expect(browserCommand(URL_, {}, "win32").args).toContain("start");
  });
});

describe("openInBrowser", () => {
  it("reports a browser that cannot start instead of throwing", async () => {
    const r = await openInBrowser(URL_, { BROWSER: "/nonexistent/browser-binary" }, "linux");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/ENOENT/);
  });

  it("starts an existing command", async () => {
    const r = await openInBrowser(URL_, { BROWSER: `${process.execPath} -e 0`, PATH: process.env.PATH }, "linux");
    expect(r).toEqual({ ok: true, how: `$BROWSER (${process.execPath})` });
  });
});
