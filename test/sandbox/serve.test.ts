// `sandbox --serve`, in-process with a stop promise standing in for SIGINT: it answers on its origin with the
// provisioned state, then stops and removes its files.
import { existsSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runServe, type ServeInfo } from "../../sandbox/serve";
import type { StateSnapshot } from "../../emulator";
import { captureIo } from "../support/captureIo";

describe("runServe", () => {
  it("serves the provisioned project and client until stopped, printing no secret", async () => {
    const cap = captureIo({ NO_COLOR: "1" });
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    let info: ServeInfo | undefined;
    let checked: Promise<void> | undefined;
    const done = runServe(cap.io, {}, stopped, (i) => {
      info = i;
      checked = (async () => {
        // The origin answers like Google, with the provisioned state behind it.
        const discovery = await fetch(`${i.origin}/.well-known/openid-configuration`);
        expect(discovery.status).toBe(200);
        const state = (await (await fetch(`${i.adminApi}state`)).json()) as { result: StateSnapshot };
        expect(state.result.projects[0]).toMatchObject({
          id: "sandbox-gmail-demo",
          testUsers: ["ana@example.com", "mailbox@example.com"],
          services: { "gmail.googleapis.com": "ENABLED" },
        });
        expect(state.result.clients[0]?.id).toBe(i.clients[0]?.clientId);
        // The authorize URL an app would send is accepted: it moves on to sign-in.
        const authorize = await fetch(i.clients[0]!.authorizeUrl!, { redirect: "manual" });
        expect(authorize.status).toBe(302);
        expect(authorize.headers.get("location")).toContain("/v3/signin/identifier");
        expect((statSync(i.clients[0]!.clientSecretFile).mode & 0o777).toString(8)).toBe("600");
      })().finally(stop);
    });
    expect(await done).toBe(0);
    await checked;
    const out = cap.out();
    expect(out).toContain(`Sandbox serving on ${info!.origin}`);
    expect(out).toContain(info!.clients[0]!.clientId);
    expect(out).not.toMatch(/GOCSPX-[A-Za-z0-9_-]{4,}|ya29\.[A-Za-z0-9_-]{8,}/);
    expect(cap.err()).toContain("Sandbox stopped");
    // Stopped: nothing answers, and the files are gone.
    await expect(fetch(`${info!.origin}/.well-known/openid-configuration`)).rejects.toThrow();
    expect(existsSync(info!.specFile)).toBe(false);
  });

  it("--json prints one document describing what is served", async () => {
    const cap = captureIo();
    await runServe(cap.io, { json: true }, Promise.resolve());
    const doc = JSON.parse(cap.out()) as ServeInfo;
    expect(doc).toMatchObject({
      project: { id: "sandbox-gmail-demo" },
      accounts: ["ana@example.com", "mailbox@example.com", "it@example.com"],
    });
    expect(doc.clients[0]?.redirectUris).toEqual([
      "http://127.0.0.1:8085/",
      "http://127.0.0.1:7073/google_gmail/confirm",
    ]);
  });
});
