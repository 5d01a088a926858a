// An app's own test suite against the emulator from the installed package: google-auth-library's OAuth2Client signs
// in, refreshes, meets the 7-day expiry of a Testing app and Google's redirect_uri_mismatch page; the validator's
// check-token and explain say what went wrong. Two emulators run side by side, each with its own state.
import { OAuth2Client } from "google-auth-library";
import { driveConsent, type RunningEmulator, scenario, startEmulator } from "gmail-connection-kit/emulator";
import { checkToken, explain } from "gmail-connection-kit/validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The app's callback: nothing listens there in this test; the code is read from the redirect the browser was sent to.
const REDIRECT_URI = "http://127.0.0.1:9/oauth/callback";
const MAIL = "https://mail.google.com/";
const DAY_MS = 24 * 60 * 60 * 1000;

const testingApp = scenario()
  .project({ id: "acme-mail-test", userType: "external", publishingStatus: "testing", testUsers: ["ana@acme.com"] })
  .client({ type: "web", redirectUris: [REDIRECT_URI] })
  .account("ana@acme.com");
const { id: clientId, secrets } = testingApp.clients[0]!;
const clientSecret = secrets![0]!;

let google: RunningEmulator;
let other: RunningEmulator;

beforeAll(async () => {
  [google, other] = await Promise.all([startEmulator({ scenario: testingApp }), startEmulator()]);
});
afterAll(async () => {
  await Promise.all([google?.close(), other?.close()]);
});

function oauthClient(redirectUri = REDIRECT_URI): OAuth2Client {
  return new OAuth2Client({ clientId, clientSecret, redirectUri, endpoints: google.oauth2Endpoints });
}

/** The app's "Connect Gmail" button, with the person's consent given by the emulator's scripted browser. */
async function connect(client: OAuth2Client): Promise<string> {
  const url = client.generateAuthUrl({ access_type: "offline", prompt: "consent", scope: [MAIL] });
  const outcome = await driveConsent(url, { account: "ana@acme.com" });
  if (outcome.kind !== "redirect" || !outcome.code) throw new Error(`consent ended with ${JSON.stringify(outcome)}`);
  return outcome.code;
}

describe("an app on google-auth-library against the emulator", () => {
  it("exchanges the code for tokens and refreshes the access token", async () => {
    const client = oauthClient();
    const { tokens } = await client.getToken(await connect(client));
    expect(tokens.refresh_token).toMatch(/^1\/\/0/);
    expect(tokens.scope).toBe(MAIL);
    client.setCredentials({ refresh_token: tokens.refresh_token });
    const { credentials } = await client.refreshAccessToken();
    expect(credentials.access_token).toMatch(/^ya29\./);
    expect(credentials.access_token).not.toBe(tokens.access_token);
  });

  it("loses the refresh token 7 days after consent while the app is in Testing", async () => {
    const client = oauthClient();
    const { tokens } = await client.getToken(await connect(client));
    client.setCredentials({ refresh_token: tokens.refresh_token });
    google.admin.advanceClock(8 * DAY_MS);
    await expect(client.refreshAccessToken()).rejects.toMatchObject({
      response: { data: { error: "invalid_grant", error_description: "Token has been expired or revoked." } },
    });

    const report = await checkToken({
      clientId,
      clientSecret,
      refreshToken: tokens.refresh_token!,
      account: "ana@acme.com",
      googleOrigin: google.origin,
      env: {},
    });
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.id === "token.refresh")).toMatchObject({
      status: "fail",
      diagnosis: "refresh_token_invalid",
    });
  });

  it("is refused with redirect_uri_mismatch for a redirect URI the client does not list", async () => {
    const client = oauthClient("http://127.0.0.1:9/other/callback");
    const url = client.generateAuthUrl({ access_type: "offline", scope: [MAIL] });
    const outcome = await driveConsent(url, { account: "ana@acme.com" });
    expect(outcome).toMatchObject({ kind: "blocked", error: "redirect_uri_mismatch", httpCode: 400 });
    const explained = await explain(outcome.url);
    expect(explained.diagnosis).toBe("redirect_uri_not_registered");
  });

  it("keeps each emulator's state to itself", async () => {
    const client = new OAuth2Client({
      clientId,
      clientSecret,
      redirectUri: REDIRECT_URI,
      endpoints: other.oauth2Endpoints,
    });
    await expect(client.getToken("4/0A-not-from-this-emulator-0000000000000000")).rejects.toMatchObject({
      response: { data: { error: "invalid_client" } },
    });
  });
});
