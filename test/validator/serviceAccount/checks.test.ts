// `gmail-oauth validate --service-account` end to end: in-process through runCli, over real HTTP against the
// emulator, one test per diagnosis of issue 12 (google-behaviour.md §10).
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator/index";
import {
  COMPOSE,
  dwdScenario,
  INTERN_TOKEN,
  KEY_ID,
  MAIL,
  MODIFY,
  OPS_TOKEN,
  PROJECT,
  READONLY,
  SA,
  SA_ID,
  SEND,
  SIGNER_ONLY_TOKEN,
  writeKeyFile,
} from "../../support/dwdScenario";
import { cli } from "../helpers";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

interface Check {
  id: string;
  status: string;
  diagnosis?: string;
  detail?: string;
  links?: string[];
  inferred?: boolean;
}

async function validate(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = await cli(["validate", "--google-origin", emu!.origin, "--json", "--timeout", "20", ...args], { env });
  const report = run.stdout ? (JSON.parse(run.stdout) as { checks: Check[] }) : { checks: [] };
  const failing = report.checks.filter((c) => c.status === "fail");
  return { ...run, checks: report.checks, failing };
}

const withKey = (mailboxes: string[], scopes: string[]) => [
  "--service-account",
  SA,
  "--service-account-key-file",
  writeKeyFile(),
  ...mailboxes.flatMap((m) => ["--mailbox", m]),
  ...scopes.flatMap((s) => ["--scope", s]),
];

describe("validate --service-account (key file)", () => {
  it("3 mailboxes × 4 scopes with one scope missing: exactly the 3 failing rows and one link that fixes them", async () => {
    emu = await startEmulator(dwdScenario([MAIL, READONLY, SEND]));
    const scopes = [MAIL, READONLY, SEND, MODIFY];
    const r = await validate(withKey(["ana@acme.com", "bob@acme.com", "carol@acme.com"], scopes));
    expect(r.code).toBe(1);
    expect(r.failing.map((c) => c.id).sort()).toEqual(
      ["ana", "bob", "carol"].map((u) => `sa.token[${u}@acme.com][${MODIFY}]`).sort(),
    );
    expect(new Set(r.failing.map((c) => c.diagnosis))).toEqual(new Set(["dwd_scope_not_authorized"]));
    const links = new Set(r.failing.flatMap((c) => c.links ?? []));
    const full = scopes.map(encodeURIComponent).join(",");
    expect([...links]).toEqual([
      `https://admin.google.com/ac/owl/domainwidedelegation?clientIdToAdd=${SA_ID}&clientScopeToAdd=${full}&overwriteClientId=true`,
    ]);
    expect(r.failing[0]!.detail).toMatch(/missing gmail\.modify/);
    expect(r.checks.filter((c) => c.id.startsWith("sa.token[") && c.status === "pass")).toHaveLength(9);
    expect(r.checks.filter((c) => c.id.startsWith("sa.gmail[")).map((c) => c.status)).toEqual(["pass", "pass", "pass"]);
    expect(r.stdout).not.toMatch(/PRIVATE KEY/);
  });

  it("applying that link's scopes in the console makes the same run pass (exit 0)", async () => {
    emu = await startEmulator(dwdScenario([SEND]));
    const args = withKey(["ana@acme.com"], [SEND, COMPOSE]);
    expect((await validate(args)).code).toBe(1);
    emu.admin.setDelegation({ domain: "acme.com", clientId: SA_ID, scopes: [SEND, COMPOSE] });
    const r = await validate(args);
    expect(r.code).toBe(0);
    expect(r.failing).toEqual([]);
  });

  it("no delegation for the client ID: dwd_client_not_authorized on every row", async () => {
    emu = await startEmulator(dwdScenario([]));
    const r = await validate(withKey(["ana@acme.com", "bob@acme.com"], [MAIL, SEND]));
    expect(r.code).toBe(1);
    expect(r.failing.map((c) => c.diagnosis)).toEqual(Array(4).fill("dwd_client_not_authorized"));
    expect(r.failing[0]!.detail).toMatch(/no requested scope works in acme\.com/);
  });

  it("a mailbox the domain does not have: dwd_user_not_found; a consumer address: dwd_consumer_account", async () => {
    emu = await startEmulator(dwdScenario([MAIL]));
    const r = await validate(withKey(["ghost@acme.com", "someone@gmail.com", "ana@acme.com"], [MAIL]));
    expect(r.code).toBe(1);
    const by = Object.fromEntries(r.failing.map((c) => [c.id, c.diagnosis]));
    expect(by).toEqual({
      [`sa.token[ghost@acme.com][${MAIL}]`]: "dwd_user_not_found",
      "sa.mailbox[someone@gmail.com]": "dwd_consumer_account",
    });
  });

  it("a disabled or deleted key: service_account_key_invalid", async () => {
    emu = await startEmulator(dwdScenario([MAIL]));
    emu.admin.updateServiceAccountKey(SA, KEY_ID, { disabled: true });
    const r = await validate(withKey(["ana@acme.com"], [MAIL]));
    expect(r.failing.map((c) => c.diagnosis)).toEqual(["service_account_key_invalid"]);
  });

  it("Google's clock two hours ahead: clock_skew on the token rows", async () => {
    emu = await startEmulator(dwdScenario([MAIL]));
    emu.admin.advanceClock(2 * 3600_000);
    const r = await validate(withKey(["ana@acme.com"], [MAIL]));
    expect(r.code).toBe(1);
    expect(r.failing.map((c) => c.diagnosis)).toEqual(["clock_skew"]);
  });

  it("Gmail API disabled in the service account's project: gmail_api_disabled with Google's activation link", async () => {
    emu = await startEmulator(dwdScenario([MAIL]));
    emu.admin.setServiceState(PROJECT, "gmail.googleapis.com", "DISABLED");
    const r = await validate(withKey(["ana@acme.com"], [MAIL]));
    expect(r.failing.map((c) => [c.id, c.diagnosis])).toEqual([["sa.gmail[ana@acme.com]", "gmail_api_disabled"]]);
    expect(r.failing[0]!.links?.[0]).toMatch(/gmail\.googleapis\.com\/overview\?project=765432109876/);
  });

  it("a user without Gmail: mail_service_not_enabled", async () => {
    emu = await startEmulator(dwdScenario([MAIL]));
    const r = await validate(withKey(["nomail@acme.com"], [MAIL]));
    expect(r.failing.map((c) => c.diagnosis)).toEqual(["mail_service_not_enabled"]);
  });

  it("5xx from the token endpoint: inconclusive rows, no false failure, exit 3", async () => {
    emu = await startEmulator({ ...dwdScenario([MAIL]), faults: { token: { status: 503, retryAfterSeconds: 0 } } });
    const r = await validate(withKey(["ana@acme.com", "bob@acme.com"], [MAIL, SEND]));
    expect(r.code).toBe(3);
    expect(r.failing).toEqual([]);
    expect(r.checks.filter((c) => c.id.startsWith("sa.token[")).map((c) => c.status)).toEqual(
      Array(4).fill("inconclusive"),
    );
  });

  it("a slow token endpoint changes nothing but the time", async () => {
    emu = await startEmulator({ ...dwdScenario([MAIL, READONLY]), faults: { token: { latencyMs: 150 } } });
    const r = await validate(withKey(["ana@acme.com", "bob@acme.com"], [MAIL, READONLY, SEND]));
    expect(r.code).toBe(1);
    expect(r.failing.map((c) => c.diagnosis)).toEqual(["dwd_scope_not_authorized", "dwd_scope_not_authorized"]);
  });
});

describe("validate --service-account (keyless)", () => {
  const keyless = ["--service-account", SA, "--mailbox", "ana@acme.com", "--scope", MAIL];

  it("signs through IAM Credentials with GOOGLE_OAUTH_ACCESS_TOKEN and passes", async () => {
    emu = await startEmulator(dwdScenario([MAIL]));
    const r = await validate(keyless, { GOOGLE_OAUTH_ACCESS_TOKEN: OPS_TOKEN });
    expect(r.code).toBe(0);
    expect(r.checks.find((c) => c.id === "sa.signer")?.status).toBe("pass");
    expect(r.stderr).toMatch(/signJwt/);
  });

  it("a credential without roles/iam.serviceAccountTokenCreator: sign_jwt_permission_denied, rows skipped", async () => {
    emu = await startEmulator(dwdScenario([MAIL]));
    const r = await validate(keyless, { GOOGLE_OAUTH_ACCESS_TOKEN: INTERN_TOKEN });
    expect(r.code).toBe(1);
    expect(r.failing.map((c) => c.diagnosis)).toEqual(["sign_jwt_permission_denied"]);
    expect(r.checks.find((c) => c.id.startsWith("sa.token["))?.status).toBe("skip");
  });

  const twoScopes = ["--service-account", SA, "--mailbox", "ana@acme.com", "--scope", MAIL, "--scope", SEND];
  const prefilled = `https://admin.google.com/ac/owl/domainwidedelegation?clientIdToAdd=${SA_ID}&clientScopeToAdd=${[MAIL, SEND].map(encodeURIComponent).join(",")}&overwriteClientId=true`;

  it("only a Cloud credential: the unique ID is looked up through IAM, the fix is the prefilled link with it and every scope", async () => {
    emu = await startEmulator(dwdScenario([MAIL]));
    const r = await validate(twoScopes, { GOOGLE_OAUTH_ACCESS_TOKEN: OPS_TOKEN });
    expect(r.code).toBe(1);
    const account = r.checks.find((c) => c.id === "sa.account");
    expect(account).toMatchObject({
      status: "pass",
      detail: `${SA_ID}, looked up through IAM projects.serviceAccounts.get`,
    });
    expect(r.failing.map((c) => [c.id, c.diagnosis])).toEqual([
      [`sa.token[ana@acme.com][${SEND}]`, "dwd_scope_not_authorized"],
    ]);
    expect(r.failing[0]!.links).toEqual([prefilled]);
    expect(r.failing[0]!.detail).toContain(`Client ID ${SA_ID} (looked up through IAM projects.serviceAccounts.get)`);
    // The text report prints the same link, once.
    const text = await cli(["validate", "--google-origin", emu.origin, "--timeout", "20", ...twoScopes], {
      env: { GOOGLE_OAUTH_ACCESS_TOKEN: OPS_TOKEN },
    });
    expect(text.stdout.split(prefilled).length - 1).toBe(1);
  });

  it("IAM refuses the lookup: the permission that would allow it is named, and the fix falls back to the bare page", async () => {
    emu = await startEmulator(dwdScenario([MAIL]));
    const r = await validate(twoScopes, { GOOGLE_OAUTH_ACCESS_TOKEN: SIGNER_ONLY_TOKEN });
    expect(r.code).toBe(1);
    const account = r.checks.find((c) => c.id === "sa.account");
    expect(account?.status).toBe("skip");
    expect(account?.detail).toMatch(/HTTP 403.*iam\.serviceAccounts\.get/);
    expect(r.checks.find((c) => c.id === "sa.signer")?.status).toBe("pass");
    expect(r.failing.map((c) => c.diagnosis)).toEqual(["dwd_scope_not_authorized"]);
    expect(r.failing[0]!.links).toEqual(["https://admin.google.com/ac/owl/domainwidedelegation"]);
    expect(r.failing[0]!.detail).toMatch(
      /not known: IAM refused projects\.serviceAccounts\.get.*iam\.serviceAccounts\.get/,
    );
    expect(r.failing[0]!.detail).toContain(`enter the full list ${MAIL},${SEND}`);
  });

  it("a refused lookup is no finding: with every scope delegated the run still passes (exit 0)", async () => {
    emu = await startEmulator(dwdScenario([MAIL, SEND]));
    const r = await validate(twoScopes, { GOOGLE_OAUTH_ACCESS_TOKEN: SIGNER_ONLY_TOKEN });
    expect(r.code).toBe(0);
    expect(r.checks.find((c) => c.id === "sa.account")?.status).toBe("skip");
  });

  it("IAM not answering the lookup: skipped with the reason, never a finding; the run goes on", async () => {
    emu = await startEmulator({ ...dwdScenario([MAIL, SEND]), faults: { iam: { status: 503, retryAfterSeconds: 0 } } });
    const r = await validate(twoScopes, { GOOGLE_OAUTH_ACCESS_TOKEN: OPS_TOKEN });
    expect(r.code).toBe(0);
    const account = r.checks.find((c) => c.id === "sa.account");
    expect(account?.status).toBe("skip");
    expect(account?.detail).toMatch(/IAM projects\.serviceAccounts\.get: .*503/);
  });

  it("a deleted service account: service_account_not_found from IAM's 404, no token requested", async () => {
    emu = await startEmulator(dwdScenario([MAIL]));
    emu.admin.deleteServiceAccount(SA);
    const r = await validate(twoScopes, { GOOGLE_OAUTH_ACCESS_TOKEN: OPS_TOKEN });
    expect(r.code).toBe(1);
    expect(r.failing.map((c) => [c.id, c.diagnosis])).toEqual([["sa.account", "service_account_not_found"]]);
    expect(r.failing[0]!.detail).toMatch(/HTTP 404 Unknown service account: .* is not in project acme-mail/);
    expect(r.checks.filter((c) => c.id.startsWith("sa.token[")).map((c) => c.status)).toEqual(["skip", "skip"]);
    expect(r.checks.find((c) => c.id === "sa.signer")).toBeUndefined();
  });

  it("the key file's client_id is used as given: no lookup", async () => {
    emu = await startEmulator(dwdScenario([MAIL]));
    const r = await validate(withKey(["ana@acme.com"], [MAIL, SEND]), { GOOGLE_OAUTH_ACCESS_TOKEN: OPS_TOKEN });
    expect(r.checks.find((c) => c.id === "sa.account")).toBeUndefined();
    expect(r.failing[0]!.detail).toContain(`Client ID ${SA_ID} (from the key file)`);
  });

  it("no cloud credential: inconclusive, exit 3", async () => {
    emu = await startEmulator(dwdScenario([MAIL]));
    const r = await validate(keyless);
    expect(r.code).toBe(3);
    expect(r.checks.find((c) => c.id === "sa.signer")?.diagnosis).toBe("cloud_credentials_missing");
  });
});

describe("bad input", () => {
  it("one line naming the flag, exit 2", async () => {
    emu = await startEmulator(dwdScenario());
    const bad = await validate(["--service-account", SA, "--mailbox", "not-an-address"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/--mailbox/);
    const wrong = await validate(["--service-account", "relay@acme.com", "--mailbox", "ana@acme.com"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--service-account.*not a service account email/);
  });
});

describe("explain recognizes the app's own mistakes", () => {
  it.each([
    // https://github.com/googleworkspace/python-samples/issues/336 (google-behaviour.md §10)
    [
      'googleapiclient.errors.HttpError: <HttpError 400 … returned "Precondition check failed.">',
      "service_account_no_subject",
    ],
    // https://github.com/googleapis/google-api-nodejs-client/issues/1751 (google-behaviour.md §10)
    ["GaxiosError: Delegation denied for ana@acme.com", "delegation_denied"],
    [
      "Permission 'iam.serviceAccounts.signJwt' denied on resource (or it may not exist).",
      "sign_jwt_permission_denied",
    ],
  ])("%s", async (text, code) => {
    const r = await cli(["explain", "--json", text]);
    expect(JSON.parse(r.stdout).diagnosis).toBe(code);
  });
});
