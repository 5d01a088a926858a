import { afterEach, describe, expect, test } from "vitest";
import { InputErrors } from "../../../common/errors";
import { forgetSecrets } from "../../../common/redact";
import { normalizeKey, parseFleetFile } from "../../../validator/fleet/fleetFile";

afterEach(() => forgetSecrets());

function problems(text: string): string[] {
  try {
    parseFleetFile(text, "f.yaml");
  } catch (e) {
    if (e instanceof InputErrors) return e.errors.map((x) => x.message);
    if (e instanceof Error) return [e.message];
  }
  return [];
}

describe("parseFleetFile", () => {
  test("YAML with defaults and flag spellings: one entry per connection, flags for resolveInput", () => {
    const entries = parseFleetFile(
      `defaults:
  google-origin: http://127.0.0.1:9
  timeout: 30
connections:
  - name: a
    spec: stack.json
    client: flectra
    client-secret-env: A_SECRET
    redirect-uri: https://a.example.com/cb
    scope: [https://www.googleapis.com/auth/gmail.send]
    testUser: [ana@example.com]
    refreshTokenFile: tokens/a
  - name: b
    clientSecretFile: b.json
    timeout: 5
`,
      "f.yaml",
    );
    expect(entries).toEqual([
      {
        name: "a",
        at: "f.yaml:connections[0]",
        flags: {
          googleOrigin: "http://127.0.0.1:9",
          timeout: 30,
          spec: "stack.json",
          client: "flectra",
          redirectUri: ["https://a.example.com/cb"],
          scope: ["https://www.googleapis.com/auth/gmail.send"],
          testUser: ["ana@example.com"],
        },
        clientSecretEnv: "A_SECRET",
        cloudTokenEnv: undefined,
        refreshTokenEnv: undefined,
        refreshTokenFile: "tokens/a",
      },
      expect.objectContaining({
        name: "b",
        at: "f.yaml:connections[1]",
        flags: { googleOrigin: "http://127.0.0.1:9", timeout: 5, clientSecretFile: "b.json" },
      }),
    ]);
  });

  test("JSON reads the same", () => {
    expect(
      parseFleetFile('{"connections":[{"name":"a","clientId":"1-x.apps.googleusercontent.com"}]}', "f.json")[0]!.flags,
    ).toEqual({ clientId: "1-x.apps.googleusercontent.com" });
  });

  test("normalizeKey", () => {
    expect(["client-secret-file", "redirectUri", "redirect-uris", "test-user"].map(normalizeKey)).toEqual([
      "clientSecretFile",
      "redirectUris",
      "redirectUris",
      "testUsers",
    ]);
  });

  test("every problem at once, each naming its field and the fix", () => {
    expect(
      problems(`connections:
  - clientSecretFile: a.json
  - name: b
  - name: c
    clientSecretFile: c.json
    timeout: soon
    clientSecretEnv: "not a name"
    spec: s.json
    stack: dev
  - just text
`),
    ).toEqual([
      "f.yaml:connections[0].name: is missing; give each connection a unique name, e.g. name: acme-flectra",
      "f.yaml:connections[1]: names no OAuth client; add spec (and client), clientSecretFile, or clientId with clientSecretEnv",
      'f.yaml:connections[2].timeout: must be a positive number of seconds, got "soon"; e.g. timeout: 30',
      "f.yaml:connections[2].clientSecretEnv: 'not a name' is not an environment variable name; use letters, digits and underscores, e.g. ACME_GMAIL_CLIENT_SECRET",
      "f.yaml:connections[2].stack: cannot be combined with spec; keep one of them",
      'f.yaml:connections[3]: must be an object, got string "just text"; write it as key: value pairs',
    ]);
  });

  test("the file's shape: not YAML, no connections, empty, unknown top-level key, a name in defaults", () => {
    expect(problems("connections: [")[0]).toMatch(/^f\.yaml: is neither valid YAML nor JSON/);
    expect(problems("defaults: {}\n")).toEqual([
      "f.yaml:connections: is missing; write `connections:` followed by a list of entries, each with a name (see docs/fleet.md)",
    ]);
    expect(problems("connections: []\n")).toEqual(["f.yaml:connections: is empty; list at least one connection"]);
    expect(problems("connection: []\n")[0]).toBe("f.yaml:connection: unknown key; did you mean 'connections'?");
    expect(problems("defaults: {name: x}\nconnections: [{name: a, clientId: x}]\n")).toEqual([
      "f.yaml:defaults.name: names one connection, so it cannot be a default; move it into each entry of connections",
    ]);
  });

  test("inline secrets are refused under any key, and their values never appear in the message", () => {
    const out = problems(`connections:
  - name: a
    clientId: 1-x.apps.googleusercontent.com
    client_secret: plain-old-secret-value
    refreshToken: whatever-refresh-value
  - name: b
    clientSecretFile: GOCSPX-abcdefghijklmnop
    clientSecretEnv: GOCSPX-abcdefghijklmnop
`);
    expect(out).toEqual([
      "f.yaml:connections[0].client_secret: is a secret written into the fleet file (it would end up in version control and CI logs); put it in the client JSON named by clientSecretFile, or in an environment variable named by clientSecretEnv",
      "f.yaml:connections[0].refreshToken: is a secret written into the fleet file (it would end up in version control and CI logs); put it in a file (mode 0600) named by refreshTokenFile, or in an environment variable named by refreshTokenEnv",
      "f.yaml:connections[1].clientSecretFile: holds what looks like a secret (a client secret, token or code); secrets never go in the fleet file: name a file or an environment variable that holds it",
      "f.yaml:connections[1].clientSecretEnv: holds what looks like a secret (a client secret, token or code); write the NAME of the environment variable that holds it, not its value",
    ]);
    expect(out.join("\n")).not.toMatch(/plain-old|whatever-refresh|GOCSPX/);
  });
});
