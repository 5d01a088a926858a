// The client JSON reader: every field of the download format is type-checked and named when wrong (issue 14 §4).
import { describe, expect, it } from "vitest";
import { isInputError } from "../../common/errors";
import { CLIENT_SECRET_FILE_FIELDS, clientSecretFile } from "../../connection/clientSecretFile";
import { parseClientFile } from "../../validator/clientFile";

// The console's download format, as the kit writes it (connection/clientSecretFile.ts).
const good = clientSecretFile(
  {
    name: "flectra",
    type: "web",
    clientId: "123456789012-abcdef.apps.googleusercontent.com",
    redirectUris: ["https://flectra.acme.com/google_gmail/confirm"],
    javascriptOrigins: ["https://flectra.acme.com"],
  },
  "mail-sync-123",
  "GOCSPX-fixture-not-a-real-secret",
);

function errorOf(body: Record<string, unknown>): string {
  try {
    parseClientFile(JSON.stringify({ web: body }), "client.json");
  } catch (e) {
    if (isInputError(e)) return e.message;
    throw e;
  }
  return "";
}

describe("parseClientFile", () => {
  it("reads the download format", () => {
    const f = parseClientFile(JSON.stringify(good), "client.json");
    expect(f).toMatchObject({
      kind: "web",
      clientId: "123456789012-abcdef.apps.googleusercontent.com",
      redirectUris: ["https://flectra.acme.com/google_gmail/confirm"],
      problems: [],
    });
  });

  it("names redirect_uris given as a string instead of dropping it", () => {
    expect(errorOf({ ...good.web, redirect_uris: "https://flectra.acme.com/google_gmail/confirm" })).toBe(
      "--client-secret-file web.redirect_uris: client.json: expected a list of URIs, got a string; download the OAuth client JSON from Google Auth Platform → Clients → Download JSON (https://console.cloud.google.com/auth/clients)",
    );
  });

  // The class: every field of the format, from the one table, rejects a wrong type with its own name.
  for (const [field, type] of Object.entries(CLIENT_SECRET_FILE_FIELDS)) {
    it(`names ${field} when its type is wrong`, () => {
      const wrong = type === "uri-list" ? { first: "https://a.example.com" } : 42;
      const expected = type === "uri-list" ? "expected a list of URIs, got an object" : "got a number";
      expect(errorOf({ ...good.web, [field]: wrong })).toMatch(
        new RegExp(`^--client-secret-file web\\.${field}: client\\.json: .*${expected};`),
      );
    });
  }

  it("names a list entry of the wrong type, and every mistyped field at once", () => {
    const message = errorOf({
      ...good.web,
      project_id: 7,
      token_uri: null,
      redirect_uris: ["https://a.example.com", {}],
    });
    expect(message.split("\n")).toEqual([
      expect.stringMatching(/^--client-secret-file web\.project_id: client\.json: expected text, got a number;/),
      expect.stringMatching(/^--client-secret-file web\.token_uri: client\.json: expected a URI, got null;/),
      expect.stringMatching(
        /^--client-secret-file web\.redirect_uris\[1\]: client\.json: expected a URI, got an object;/,
      ),
    ]);
  });

  it("never quotes a mistyped secret", () => {
    expect(errorOf({ ...good.web, client_secret: ["GOCSPX-in-a-list"] })).not.toContain("GOCSPX-in-a-list");
  });
});
