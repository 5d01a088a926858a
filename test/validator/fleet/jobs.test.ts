import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { InputError } from "../../../common/errors";
import { parseFleetFile } from "../../../validator/fleet/fleetFile";
import { relocate, resolveFleet, tokenClientProblem } from "../../../validator/fleet/jobs";
import { runFleet } from "../../../validator/fleet/runFleet";
import { captureIo } from "../../support/captureIo";
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

describe("resolveFleet: checked before the run, read again at each connection's turn", () => {
  test("every entry is checked up front; a token file gone by its turn reads inconclusive, not a crash", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fleet-pending-"));
    try {
      const token = join(dir, "ana.token");
      await writeFile(token, "1//0-pending-job-refresh-token-0000");
      const fleet = JSON.stringify({
        connections: [
          {
            name: "ana",
            clientId: "123456789012-pending.apps.googleusercontent.com",
            clientSecretEnv: "PENDING_SECRET",
            account: "ana@example.com",
            refreshTokenFile: "ana.token",
          },
        ],
      });
      const env = { PENDING_SECRET: "GOCSPX-pending-job-secret", GMAIL_OAUTH_GOOGLE_ORIGIN: "http://127.0.0.1:9" };
      const [pending] = await resolveFleet(parseFleetFile(fleet, "fleet.json"), "token", env, dir);
      expect(pending!.name).toBe("ana");
      expect((await pending!.resolve()).token?.refreshToken).toBe("1//0-pending-job-refresh-token-0000");

      await rm(token);
      await expect(pending!.resolve()).rejects.toThrow(/ana\.token/);
      const out = captureIo();
      const code = await runFleet([pending!], { concurrency: 1, format: "json" }, out.io);
      const doc = JSON.parse(out.out()) as {
        connections: { checks: { id: string; status: string; detail: string }[] }[];
      };
      expect(doc.connections[0]!.checks).toEqual([
        expect.objectContaining({
          id: "fleet.inputs",
          status: "inconclusive",
          detail: expect.stringMatching(/^they could at the start of the run, but no longer: .*ana\.token/),
        }),
      ]);
      expect(code).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
