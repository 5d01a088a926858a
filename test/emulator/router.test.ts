// The route table: every path answers its own methods, and a wrong method gets Google's answer for that path, before
// any handler runs.
import { describe, expect, it } from "vitest";
import { DESKTOP, MAIL, setup } from "./helpers";

const call = async (origin: string, method: string, path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${origin}${path}`, { method, headers, redirect: "manual" });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
};

describe("route table", () => {
  it("GET on /token and /revoke is Google's HTML 404", async () => {
    const { emu } = await setup();
    for (const path of ["/token", "/o/oauth2/token", "/revoke", "/o/oauth2/revoke"]) {
      const r = await call(emu.origin, "GET", path);
      expect(r.status, path).toBe(404);
      expect(r.type).toContain("text/html");
    }
  });

  it("Gmail answers a wrong method with 405 methodNotAllowed, even with a valid token", async () => {
    const { emu } = await setup();
    const auth = {
      authorization: `Bearer ${emu.admin.mintGrant({ clientId: DESKTOP, account: "ana@example.com", scopes: [MAIL] }).access_token}`,
    };
    const profile = await call(emu.origin, "POST", "/gmail/v1/users/me/profile", auth);
    const send = await call(emu.origin, "GET", "/gmail/v1/users/me/messages/send", auth);
    for (const r of [profile, send]) {
      expect(r.status).toBe(405);
      expect(JSON.parse(r.text).error.errors[0].reason).toBe("methodNotAllowed");
    }
  });

  it("Service Usage and Resource Manager answer a wrong method with 404 'Method not found.'", async () => {
    const { emu } = await setup();
    const auth = { authorization: "Bearer ya29.cloud-admin-token" };
    for (const [method, path] of [
      ["POST", "/v1/projects/demo-project/services/gmail.googleapis.com"],
      ["GET", "/v1/projects/demo-project/services/gmail.googleapis.com:enable"],
      ["POST", "/v3/projects/demo-project"],
    ] as const) {
      const r = await call(emu.origin, method, path, auth);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(JSON.parse(r.text).error.message).toBe("Method not found.");
    }
    // The right methods still answer.
    expect(
      (await call(emu.origin, "GET", "/v1/projects/demo-project/services/gmail.googleapis.com", auth)).status,
    ).toBe(200);
    expect((await call(emu.origin, "GET", "/v3/projects/demo-project", auth)).status).toBe(200);
  });

  it("the admin API answers GET and POST only", async () => {
    const { emu } = await setup();
    expect((await call(emu.origin, "GET", "/__emulator/now")).status).toBe(200);
    expect((await call(emu.origin, "PUT", "/__emulator/now")).status).toBe(405);
    expect((await call(emu.origin, "GET", "/__emulator/nope")).status).toBe(404);
  });
});
