import { describe, expect, it } from "vitest";
import { googleEndpoints } from "../../../google/endpoints";
import { buildAuthorizeUrl } from "../../../google/authorizeUrl";
import { flowScopes } from "../../../validator/flow/flowScopes";
import { newFlowSecrets } from "../../../validator/flow/flowSecrets";

const SEND = "https://www.googleapis.com/auth/gmail.send";
const EMAIL = "https://www.googleapis.com/auth/userinfo.email";

describe("buildAuthorizeUrl", () => {
  it("always sends state, PKCE S256, offline access, forced consent and the login hint", () => {
    const secrets = newFlowSecrets();
    const url = new URL(
      buildAuthorizeUrl(googleEndpoints("http://127.0.0.1:9999"), {
        clientId: "1-a.apps.googleusercontent.com",
        redirectUri: "http://127.0.0.1:8085/",
        scopes: ["https://mail.google.com/"],
        secrets,
        account: "ana@example.com",
      }),
    );
    expect(url.origin + url.pathname).toBe("http://127.0.0.1:9999/o/oauth2/v2/auth");
    const p = Object.fromEntries(url.searchParams);
    expect(p).toEqual({
      client_id: "1-a.apps.googleusercontent.com",
      redirect_uri: "http://127.0.0.1:8085/",
      response_type: "code",
      scope: "https://mail.google.com/",
      state: secrets.state,
      code_challenge: secrets.challenge,
      code_challenge_method: "S256",
      access_type: "offline",
      prompt: "consent",
      login_hint: "ana@example.com",
    });
    expect(url.toString()).not.toContain(secrets.verifier);
  });

  it("targets real Google without an origin override", () => {
    const url = buildAuthorizeUrl(googleEndpoints(), {
      clientId: "c",
      redirectUri: "http://127.0.0.1:1/",
      scopes: ["openid"],
      secrets: newFlowSecrets(),
    });
    expect(url.startsWith("https://accounts.google.com/o/oauth2/v2/auth?")).toBe(true);
    expect(new URL(url).searchParams.has("login_hint")).toBe(false);
  });
});

describe("flowScopes", () => {
  it("adds userinfo.email only for a send-only connection with an account to check", () => {
    expect(flowScopes([SEND], "ana@example.com")).toEqual([SEND, EMAIL]);
    expect(flowScopes([SEND], undefined)).toEqual([SEND]);
    expect(flowScopes(["https://mail.google.com/"], "ana@example.com")).toEqual(["https://mail.google.com/"]);
    expect(flowScopes([SEND, "email"], "ana@example.com")).toEqual([SEND, EMAIL]);
  });
});
