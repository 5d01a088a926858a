import { describe, expect, test } from "vitest";
import { InputError } from "../../../common/errors";
import { relocate, tokenClientProblem } from "../../../validator/fleet/jobs";
import type { ValidationInput } from "../../../validator/types";

const AT = "fleet.yaml:connections[3]";

describe("relocate", () => {
  test("a flag becomes the entry's key, in the field and in the text", () => {
    const e = relocate(
      new InputError(
        "--client-id",
        "differs from client_id in a.json",
        "drop --client-id, or pass the file of that client",
      ),
      AT,
    );
    expect(e.message).toBe(
      "fleet.yaml:connections[3].clientId: differs from client_id in a.json; drop clientId, or pass the file of that client",
    );
  });

  test("a sub-field and an environment variable", () => {
    expect(relocate(new InputError("--client-secret-file web.client_id", "a.json has no client_id"), AT).field).toBe(
      `${AT}.clientSecretFile web.client_id`,
    );
    expect(
      relocate(new InputError("GMAIL_OAUTH_REFRESH_TOKEN: type", 'is "x"', "set GMAIL_OAUTH_REFRESH_TOKEN"), AT)
        .message,
    ).toBe(`${AT}.refreshTokenEnv: type: is "x"; set refreshTokenEnv`);
  });

  test("a field inside another file stays quoted under the entry", () => {
    const e = relocate(new InputError("stack.json:connectionSpec.version", "is 2"), AT);
    expect(e.message).toBe(`${AT}: stack.json:connectionSpec.version: is 2`);
  });

  test("an empty key files the error under `at` itself", () => {
    expect(
      relocate(new InputError("--refresh-token-file", "is empty", "put the token in it"), "--tokens t/ana", {
        "--refresh-token-file": "",
      }).message,
    ).toBe("--tokens t/ana: is empty; put the token in it");
  });
});

describe("tokenClientProblem", () => {
  const input = { redirectUris: [], scopes: [], deadline: 0, provenance: {} } as ValidationInput;
  test("the token file may name the client; otherwise the flags must", () => {
    expect(
      tokenClientProblem(input, { refreshToken: "1//0abcdefgh", source: "f", clientId: "c", clientSecret: "s" }),
    ).toBeUndefined();
    expect(tokenClientProblem(input, { refreshToken: "1//0abcdefgh", source: "f" })?.field).toBe("--client-id");
    expect(tokenClientProblem({ ...input, clientId: "c" }, { refreshToken: "1//0abcdefgh", source: "f" })?.field).toBe(
      "--client-secret-file",
    );
  });
});
