// Inputs that are odd but valid, found while building the corpus: each once broke, and stays fixed.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { forgetSecrets, redact } from "../../common/redact";
import { decodeAuthError, encodeAuthError } from "../../google/authError";
import { resolveInput } from "../../validator/inputs";

const dir = mkdtempSync(join(tmpdir(), "quirks-"));
afterAll(() => forgetSecrets());

it("a client file saved with a byte-order mark (Windows editors) is read", async () => {
  const client = {
    installed: {
      client_id: "123456789012-bom.apps.googleusercontent.com",
      client_secret: "GOCSPX-bom-secret-value",
      auth_uri: "https://accounts.google.com/o/oauth2/auth",
      token_uri: "https://oauth2.googleapis.com/token",
    },
  };
  writeFileSync(join(dir, "bom.json"), `\uFEFF${JSON.stringify(client)}`);
  const input = await resolveInput({ clientSecretFile: "bom.json" }, {}, dir);
  expect(input.clientId).toBe("123456789012-bom.apps.googleusercontent.com");
});

it("an authError request detail named __proto__ stays a detail", () => {
  const e = decodeAuthError(
    encodeAuthError({
      error: "redirect_uri_mismatch",
      details: Object.defineProperty({}, "__proto__", { value: "x", enumerable: true }) as Record<string, string>,
    }),
  );
  expect(Object.keys(e.details)).toEqual(["__proto__"]);
  expect(Object.getPrototypeOf(e.details)).toBe(Object.prototype);
});

it("a secret pasted by name is masked whatever its shape; ordinary mentions are not", () => {
  expect(redact("client_secret=Lx9q2Vb7Zt4Wm8Kc&grant_type=refresh_token")).toBe(
    "client_secret=[REDACTED]&grant_type=refresh_token",
  );
  expect(redact('{"refresh_token": "abc123def456"}')).toBe('{"refresh_token": "[REDACTED]"}');
  expect(redact("Authorization: Bearer some-opaque-token-1234")).toBe("Authorization: Bearer [REDACTED]");
  expect(redact("client_secret is missing; refresh_token_expires_in=604799; token_type: Bearer")).toBe(
    "client_secret is missing; refresh_token_expires_in=604799; token_type: Bearer",
  );
});
