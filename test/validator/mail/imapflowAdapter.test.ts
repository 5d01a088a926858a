// The imapflow adapter (validator/mail/imapflowAdapter.ts) leans on imapflow's untyped authenticate(): these tests
// fail when an imapflow release renames or drops it, or stops calling it on connect, before any user sees it.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ImapFlow } from "imapflow";
import { scenario, startEmulator, type RunningEmulator } from "../../../emulator/index";
import { DEFAULT_SCOPE as MAIL } from "../../../google/scopes";
import { imapflowAuthenticate, Xoauth2ImapFlow } from "../../../validator/mail/imapflowAdapter";
import { imapTest } from "../../../validator/mail/clients";

const CLIENT_ID = "727272-adapter.apps.googleusercontent.com";
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({
    scenario: scenario()
      .project({ id: "imap-adapter-test", publishingStatus: "production", verified: true })
      .client({ id: CLIENT_ID, type: "web" })
      .account("ana@example.com"),
  });
});
afterAll(() => emu.close());

describe("the imapflow adapter", () => {
  it("finds imapflow's authenticate() on its prototype, and the capabilities map it edits", () => {
    expect(typeof imapflowAuthenticate()).toBe("function");
    const client = new ImapFlow({ host: "127.0.0.1", port: 1, auth: { user: "a", accessToken: "b" }, logger: false });
    expect(client.capabilities).toBeInstanceOf(Map);
  });

  it("is called on connect and authenticates with XOAUTH2 against the emulator's IMAP server", async () => {
    const mail = emu.mail;
    if (!mail) return expect.fail(`the emulator runs without mail here: ${JSON.stringify(emu)}`);
    const token = emu.admin.mintGrant({ clientId: CLIENT_ID, account: "ana@example.com", scopes: [MAIL] }).access_token;
    const spy = vi.spyOn(Xoauth2ImapFlow.prototype, "authenticate");
    const outcome = await imapTest(
      {
        host: mail.imap.host,
        port: mail.imap.port,
        secure: true,
        servername: mail.imap.serverName,
        ca: mail.caCertificate,
      },
      "ana@example.com",
      token,
      { deadline: Date.now() + 10_000 },
    );
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    expect(outcome.kind, JSON.stringify(outcome)).toBe("ok");
  });
});
