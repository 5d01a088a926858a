// `gmail-oauth check-token` end to end against the emulator: a stored token minted there, checked in-process.
import { DEFAULT_SCOPE as MAIL } from "../../../google/scopes";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../../cli/main";
import { captureIo } from "../../support/captureIo";
import { forgetSecrets } from "../../../common/redact";
import { startEmulator, type RunningEmulator, type ScenarioInput } from "../../../emulator/index";
import type { CheckResult } from "../../../validator/types";

const PROJECT = "mail-sync-cron";
const CLIENT_ID = "616161-cronclient.apps.googleusercontent.com";
const OTHER_CLIENT = "616161-otherclient.apps.googleusercontent.com";
const SECRET = "GOCSPX-check-token-client-secret";
const DAY = 86_400_000;

const dir = mkdtempSync(join(tmpdir(), "check-token-"));
let emu: RunningEmulator;

afterEach(async () => {
  await emu?.close();
  forgetSecrets();
});

function scenario(publishingStatus: "testing" | "production" = "production"): ScenarioInput {
  return {
    projects: [
      {
        id: PROJECT,
        number: "616161",
        appName: "Cron",
        userType: "external",
        publishingStatus,
        testUsers: ["ana@example.com"],
        verified: true,
      },
    ],
    clients: [
      {
        id: CLIENT_ID,
        projectId: PROJECT,
        type: "web",
        secrets: [SECRET],
        redirectUris: ["https://mail.example.com/cb"],
      },
      {
        id: OTHER_CLIENT,
        projectId: PROJECT,
        type: "web",
        secrets: [SECRET],
        redirectUris: ["https://mail.example.com/cb"],
      },
    ],
    accounts: [{ email: "ana@example.com" }],
  };
}

async function checkToken(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string; err: string; checks: CheckResult[] }> {
  const cap = captureIo({ NO_COLOR: "1", ...env }, dir);
  const code = await runCli(["check-token", "--google-origin", emu.origin, ...args], cap.io);
  const out = cap.out();
  const err = cap.err();
  let checks: CheckResult[] = [];
  if (args.includes("--json") && out) checks = (JSON.parse(out) as { checks: CheckResult[] }).checks;
  return { code, out, err, checks };
}

const client = ["--client-id", CLIENT_ID];
const secretEnv = { GMAIL_OAUTH_CLIENT_SECRET: SECRET };
const byId = (checks: readonly CheckResult[], id: string) => checks.find((c) => c.id === id);

function mint(clientId = CLIENT_ID, scopes = [MAIL]): string {
  return emu.admin.mintGrant({ clientId, account: "ana@example.com", scopes, offline: true }).refresh_token!;
}

describe("check-token", () => {
  it("a healthy production token: refreshes, every check passes, exit 0, nothing secret printed", async () => {
    emu = await startEmulator(scenario());
    const token = mint();
    const r = await checkToken([...client, "--account", "ana@example.com", "--json"], {
      ...secretEnv,
      GMAIL_OAUTH_REFRESH_TOKEN: token,
    });
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([
      ["token.refresh", "pass"],
      ["token.audience", "pass"],
      ["token.scopes", "pass"],
      ["token.expiry", "skip"],
      ["token.gmail", "pass"],
      ["token.account", "pass"],
    ]);
    expect(r.code).toBe(0);
    for (const text of [r.out, r.err]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(SECRET);
      expect(text).not.toMatch(/ya29\.|1\/\/0|GOCSPX-/);
    }
    // check-token never revokes the token a connection lives on.
    expect(emu.admin.state().refreshTokens.map((t) => t.live)).toEqual([true]);
  });

  it("a Testing token after 7 days: refresh_token_invalid with the Testing expiry ranked first (exit 1)", async () => {
    emu = await startEmulator(scenario("testing"));
    const token = mint();
    emu.admin.advanceClock(8 * DAY);
    const r = await checkToken([...client, "--publishing-status", "testing", "--user-type", "external", "--json"], {
      ...secretEnv,
      GMAIL_OAUTH_REFRESH_TOKEN: token,
    });
    expect(r.code).toBe(1);
    expect(r.checks).toHaveLength(1);
    expect(r.checks[0]).toMatchObject({ id: "token.refresh", status: "fail", diagnosis: "refresh_token_invalid" });
    expect(r.checks[0]!.detail).toMatch(
      /"Token has been expired or revoked\.".*1\. the app is in Testing, and Testing refresh tokens expire 7 days after consent \(declared Testing\); 2\. .*revoked/,
    );
  });

  it("a revoked token on a production app ranks revocation first", async () => {
    emu = await startEmulator(scenario());
    const token = mint();
    await fetch(`${emu.origin}/revoke`, { method: "POST", body: new URLSearchParams({ token }) });
    const r = await checkToken([...client, "--publishing-status", "production", "--json"], {
      ...secretEnv,
      GMAIL_OAUTH_REFRESH_TOKEN: token,
    });
    expect(r.checks[0]).toMatchObject({ diagnosis: "refresh_token_invalid" });
    expect(r.checks[0]!.detail).toMatch(/1\. the person or an admin revoked/);
  });

  it("a token from another client: refresh_token_wrong_client", async () => {
    emu = await startEmulator(scenario());
    const r = await checkToken([...client, "--json"], { ...secretEnv, GMAIL_OAUTH_REFRESH_TOKEN: mint(OTHER_CLIENT) });
    expect(r.checks[0]).toMatchObject({ status: "fail", diagnosis: "refresh_token_wrong_client" });
    expect(r.code).toBe(1);
  });

  it("a deleted client: client_deleted; a wrong secret: client_secret_invalid", async () => {
    emu = await startEmulator(scenario());
    const token = mint();
    const wrong = await checkToken([...client, "--json"], {
      GMAIL_OAUTH_CLIENT_SECRET: "GOCSPX-not-the-right-secret",
      GMAIL_OAUTH_REFRESH_TOKEN: token,
    });
    expect(wrong.checks[0]).toMatchObject({ status: "fail", diagnosis: "client_secret_invalid" });
    expect(wrong.out).not.toContain("GOCSPX-not-the-right-secret");
    emu.admin.deleteClient(CLIENT_ID);
    const deleted = await checkToken([...client, "--json"], { ...secretEnv, GMAIL_OAUTH_REFRESH_TOKEN: token });
    expect(deleted.checks[0]).toMatchObject({ status: "fail", diagnosis: "client_deleted" });
  });

  it("Gmail's per-user quota used up: token.gmail is inconclusive with gmail_rate_limited (exit 3)", async () => {
    emu = await startEmulator(scenario());
    emu.admin.updateProject(PROJECT, { gmailUserQuotaPerMinute: 1 });
    const token = mint();
    const { access_token } = emu.admin.mintGrant({ clientId: CLIENT_ID, account: "ana@example.com", scopes: [MAIL] });
    await fetch(`${emu.origin}/gmail/v1/users/me/profile`, { headers: { authorization: `Bearer ${access_token}` } });
    const r = await checkToken([...client, "--json"], { ...secretEnv, GMAIL_OAUTH_REFRESH_TOKEN: token });
    expect(byId(r.checks, "token.gmail")).toMatchObject({ status: "inconclusive", diagnosis: "gmail_rate_limited" });
    expect(r.code).toBe(3);
  });

  it("reads an authorized_user file, whose client fills in the missing flags, and prints the human report", async () => {
    emu = await startEmulator(scenario());
    const token = mint();
    writeFileSync(
      join(dir, "au.json"),
      JSON.stringify({ type: "authorized_user", client_id: CLIENT_ID, client_secret: SECRET, refresh_token: token }),
    );
    const args = ["--refresh-token-file", "au.json", "--account", "bob@example.com"];
    const r = await checkToken(args, {});
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^FAIL:\s+A different account was connected \[wrong_account\]\s+\(token\.[a-z.-]+\)$/m);
    expect(r.out).toMatch(
      /^ {2}Seen: {2}Connected as ana@example\.com \(Gmail profile\), expected bob@example\.com\.$/m,
    );
    // Every check's evidence (its detail, as --json gives it) is said once in the text report.
    const json = await checkToken([...args, "--json"], {});
    const details = json.checks.map((c) => c.detail).filter((d): d is string => !!d);
    expect(details.length).toBeGreaterThan(3);
    for (const d of details) expect(r.out.split(d).length - 1, d).toBe(1);
    expect(r.out).not.toContain("\u001b[");
    expect(r.out).not.toContain(token);
  });

  it("a Gmail API disabled in the client's project fails gmail_api_disabled", async () => {
    emu = await startEmulator(scenario());
    const token = mint();
    emu.admin.setServiceState(PROJECT, "gmail.googleapis.com", "DISABLED");
    const r = await checkToken([...client, "--json"], { ...secretEnv, GMAIL_OAUTH_REFRESH_TOKEN: token });
    expect(byId(r.checks, "token.gmail")).toMatchObject({ status: "fail", diagnosis: "gmail_api_disabled" });
  });

  it("Google unreachable is inconclusive (exit 3)", async () => {
    emu = await startEmulator(scenario());
    const token = mint();
    emu.admin.setFault("token", { status: 503 });
    const r = await checkToken([...client, "--json", "--timeout", "3"], {
      ...secretEnv,
      GMAIL_OAUTH_REFRESH_TOKEN: token,
    });
    expect(r.checks[0]).toMatchObject({ id: "token.refresh", status: "inconclusive" });
    expect(r.code).toBe(3);
  });

  it("without a token: one line naming the flag and the fix (exit 2)", async () => {
    emu = await startEmulator(scenario());
    const r = await checkToken([...client], secretEnv);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "gmail-oauth: --refresh-token-file: no refresh token given; set GMAIL_OAUTH_REFRESH_TOKEN or pass --refresh-token-file FILE\n",
    );
    expect(r.out).toBe("");
  });
});
