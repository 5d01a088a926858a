// The same emulator from the installed package in a jest suite (plain CommonJS, jest's own globals): two emulators
// side by side, google-auth-library's OAuth2Client against each, nothing shared and nothing left running (jest is
// run without --forceExit, so an open server or timer would keep it from exiting).
const { OAuth2Client } = require("google-auth-library");
const { driveConsent, scenario, startEmulator } = require("gmail-connection-kit/emulator");

// Nothing listens here: the code is read from the redirect the browser was sent to.
const REDIRECT_URI = "http://127.0.0.1:9/oauth/callback";
const MAIL = "https://mail.google.com/";
const DAY_MS = 24 * 60 * 60 * 1000;

const app = scenario()
  .project({ id: "jest-mail", userType: "external", publishingStatus: "testing", testUsers: ["ana@acme.com"] })
  .client({ type: "web", redirectUris: [REDIRECT_URI] })
  .account("ana@acme.com");
const { id: clientId, secrets } = app.clients[0];

let first;
let second;

beforeAll(async () => {
  [first, second] = await Promise.all([startEmulator({ scenario: app }), startEmulator({ scenario: app })]);
});
afterAll(() => Promise.all([first?.close(), second?.close()]));

// Under jest, google-auth-library 10 must be handed Node's fetch: its HTTP client (gaxios 7) otherwise loads node-fetch
// with a dynamic import(), which jest's module sandbox refuses without --experimental-vm-modules ("Unexpected Gaxios
// Error": https://github.com/googleapis/google-auth-library-nodejs/issues/2040). Outside jest it makes no difference.
function client(emulator) {
  return new OAuth2Client({
    clientId,
    clientSecret: secrets[0],
    redirectUri: REDIRECT_URI,
    endpoints: emulator.oauth2Endpoints,
    transporterOptions: { fetchImplementation: fetch },
  });
}

async function consent(oauth) {
  const outcome = await driveConsent(
    oauth.generateAuthUrl({ access_type: "offline", prompt: "consent", scope: [MAIL] }),
    {
      account: "ana@acme.com",
    },
  );
  if (outcome.kind !== "redirect" || !outcome.code) throw new Error(`consent ended with ${outcome.kind}`);
  return outcome.code;
}

test("signs in and refreshes against one emulator; the other never saw the code", async () => {
  const oauth = client(first);
  const code = await consent(oauth);
  const { tokens } = await oauth.getToken(code);
  expect(tokens.refresh_token).toMatch(/^1\/\/0/);
  oauth.setCredentials({ refresh_token: tokens.refresh_token });
  const { credentials } = await oauth.refreshAccessToken();
  expect(credentials.access_token).toMatch(/^ya29\./);
  await expect(client(second).getToken(code)).rejects.toMatchObject({ response: { data: { error: "invalid_grant" } } });
});

test("each emulator keeps its own clock: 8 days on one expire its Testing token only", async () => {
  const tokens = await Promise.all(
    [first, second].map(async (emulator) => {
      const oauth = client(emulator);
      const { tokens } = await oauth.getToken(await consent(oauth));
      oauth.setCredentials({ refresh_token: tokens.refresh_token });
      return oauth;
    }),
  );
  first.admin.advanceClock(8 * DAY_MS);
  await expect(tokens[0].refreshAccessToken()).rejects.toMatchObject({
    response: { data: { error: "invalid_grant", error_description: "Token has been expired or revoked." } },
  });
  const { credentials } = await tokens[1].refreshAccessToken();
  expect(credentials.access_token).toMatch(/^ya29\./);
});
