import { it } from "vitest";
import { cli } from "../validator/helpers";
const cases: string[][] = [
  ["validate", "--client-secret-file", "/tmp/hx/sa.json"],
  ["validate", "--client-secret-file", "/tmp/hx/trunc.json"],
  ["validate", "--client-secret-file", "/tmp/hx/arr.json"],
  ["validate", "--client-secret-file", "/tmp/hx/wt.json"],
  ["validate", "--client-secret-file", "/tmp/hx/ws.json"],
  ["validate", "--client-secret-file", "/tmp/hx/empty.json"],
  ["validate", "--client-secret-file", "/tmp/hx/bom.json", "--timeout", "0.01", "--google-origin", "http://127.0.0.1:1"],
  ["validate", "--timeout", "abc"],
  ["validate", "--timeout", "-1"],
  ["validate", "--timeout"],
  ["validate", "--bogus"],
  ["validate", "--spec", "/tmp/hx/arr.json"],
  ["validate", "--spec", "/tmp/hx/trunc.json"],
  ["validate", "--flow", "--keep-token", "/nonexistent/x"],
  ["validate", "--json", "--json"],
  ["validate", "--scope", ""],
  ["validate", "--redirect-uri", "http://x y"],
  ["validate", "--account", "nope"],
  ["validate", "--google-origin", "ftp://x"],
  ["validate", "--client-id", "abc"],
  ["explain", "https://accounts.google.com/signin/oauth/error?authError=Cg5pbnZhbGlk"],
  ["explain", "https://accounts.google.com/signin/oauth/error?authError=!!!!"],
  ["explain", "https://accounts.google.com/signin/oauth/error?authError=aGVsbG8gd29ybGQ"],
  ["explain", "authError=AAAA"],
  ["explain", "x".repeat(3_000_000)],
  ["explain", ""],
  ["explain", "hello"],
  ["check-token"],
  ["check-token", "--refresh-token-file", "/tmp/hx/sa.json", "--client-id", "1-a.apps.googleusercontent.com"],
  ["nope"],
  [],
];
it("explore", async () => {
  for (const c of cases) {
    const r = await cli(c, { env: { NO_COLOR: "1", GMAIL_OAUTH_CLIENT_SECRET: "GOCSPX-zzzzzzzzzz" } });
    console.log(JSON.stringify(c).slice(0, 120), "=>", r.code, "\n  ERR:", r.stderr.slice(0, 400), "\n  OUT:", r.stdout.slice(0, 300));
  }
}, 60000);
