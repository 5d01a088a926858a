// The app stand-in and the loopback port choice: the declared port when free, another one when taken.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { freeLoopbackRedirect, startAppStandIn } from "../../sandbox/local";

async function occupy(): Promise<{ port: number; close: () => void }> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  return { port: (s.address() as AddressInfo).port, close: () => s.close() };
}

describe("startAppStandIn", () => {
  it("answers the callback path like an app without a code, and 404 elsewhere", async () => {
    const app = await startAppStandIn("http://127.0.0.1:0/google_gmail/confirm", "Flectra");
    try {
      expect((await fetch(`${app!.origin}/google_gmail/confirm`)).status).toBe(400);
      expect((await fetch(`${app!.origin}/other`)).status).toBe(404);
      expect(app!.hits).toEqual(["GET /google_gmail/confirm → 400", "GET /other → 404"]);
    } finally {
      await app?.close();
    }
  });

  it("moves to a free port when the declared one is taken, and never stands in for a network host", async () => {
    const busy = await occupy();
    const app = await startAppStandIn(`http://127.0.0.1:${busy.port}/cb`, "App");
    try {
      expect(app!.origin).not.toBe(`http://127.0.0.1:${busy.port}`);
      expect((await fetch(`${app!.origin}/cb`)).status).toBe(400);
    } finally {
      await app?.close();
      busy.close();
    }
    expect(await startAppStandIn("https://mail.example.com/cb", "App")).toBeUndefined();
  });
});

describe("freeLoopbackRedirect", () => {
  it("keeps a free port and replaces a taken one", async () => {
    const busy = await occupy();
    try {
      const moved = new URL(await freeLoopbackRedirect(`http://127.0.0.1:${busy.port}/`));
      expect(moved.port).not.toBe(String(busy.port));
      expect(moved.pathname).toBe("/");
      const again = await freeLoopbackRedirect(moved.toString());
      expect(again).toBe(moved.toString());
    } finally {
      busy.close();
    }
  });
});
