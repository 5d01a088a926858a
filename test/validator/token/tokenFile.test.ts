import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { forgetSecrets, redact } from "../../../common/redact";
import { readStoredToken, writeKeptToken } from "../../../validator/token/tokenFile";

const dir = mkdtempSync(join(tmpdir(), "tokenfile-"));
afterEach(() => forgetSecrets());

describe("writeKeptToken", () => {
  it("writes the token with mode 0600, also over a looser existing file", async () => {
    const file = join(dir, "kept");
    writeFileSync(file, "old");
    chmodSync(file, 0o644);
    await writeKeptToken(file, "1//0kept-refresh-token");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toBe("1//0kept-refresh-token\n");
  });
});

describe("readStoredToken", () => {
  it("reads a bare token from the file, which wins over the environment", async () => {
    const file = join(dir, "bare");
    writeFileSync(file, "  1//0file-token-value \n");
    const t = await readStoredToken("bare", { GMAIL_OAUTH_REFRESH_TOKEN: "1//0env-token-value" }, dir);
    expect(t).toEqual({ refreshToken: "1//0file-token-value", source: "--refresh-token-file bare" });
    expect(redact("x 1//0file-token-value")).toBe("x [REDACTED]");
  });

  it("reads an authorized_user JSON with its client", async () => {
    const file = join(dir, "au.json");
    writeFileSync(
      file,
      JSON.stringify({
        type: "authorized_user",
        client_id: "1-x.apps.googleusercontent.com",
        client_secret: "GOCSPX-from-file-secret",
        refresh_token: "opaque-refresh-from-json",
      }),
    );
    const t = await readStoredToken(file, {}, "/");
    expect(t).toMatchObject({
      refreshToken: "opaque-refresh-from-json",
      clientId: "1-x.apps.googleusercontent.com",
      clientSecret: "GOCSPX-from-file-secret",
    });
    expect(redact("opaque-refresh-from-json GOCSPX-from-file-secret")).toBe("[REDACTED] [REDACTED]");
  });

  it("takes GMAIL_OAUTH_REFRESH_TOKEN without a file", async () => {
    expect(await readStoredToken(undefined, { GMAIL_OAUTH_REFRESH_TOKEN: "1//0env-token-value" }, dir)).toEqual({
      refreshToken: "1//0env-token-value",
      source: "GMAIL_OAUTH_REFRESH_TOKEN",
    });
  });

  it("names the field and the fix for bad input", async () => {
    await expect(readStoredToken(undefined, {}, dir)).rejects.toMatchObject({
      name: "InputError",
      field: "--refresh-token-file",
      fix: "set GMAIL_OAUTH_REFRESH_TOKEN or pass --refresh-token-file FILE",
    });
    await expect(readStoredToken("missing", {}, dir)).rejects.toMatchObject({
      field: "--refresh-token-file",
      problem: "cannot read missing (ENOENT)",
    });
    writeFileSync(join(dir, "sa.json"), JSON.stringify({ type: "service_account", private_key: "k" }));
    await expect(readStoredToken("sa.json", {}, dir)).rejects.toMatchObject({ field: "--refresh-token-file: type" });
    writeFileSync(join(dir, "nort.json"), JSON.stringify({ type: "authorized_user", client_id: "c" }));
    await expect(readStoredToken("nort.json", {}, dir)).rejects.toMatchObject({
      field: "--refresh-token-file: refresh_token",
    });
    writeFileSync(join(dir, "two"), "tok1 tok2");
    await expect(readStoredToken("two", {}, dir)).rejects.toMatchObject({ problem: "holds more than one word" });
    await expect(readStoredToken(undefined, { GMAIL_OAUTH_REFRESH_TOKEN: "{bad" }, dir)).rejects.toMatchObject({
      field: "GMAIL_OAUTH_REFRESH_TOKEN",
    });
  });
});
