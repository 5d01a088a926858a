// `gmail-oauth sandbox`: the whole job on one machine, against the emulator standing in for Google.
//   provision (real infra/ program, in-process engine) → the console runbook → the console steps with two mistakes
//   → pulumi up again (secret stored) → validate (diagnoses) → fixes → validate (passes, keeps the token)
//   → check-token → Flectra's Test the Connection (SMTP, IMAP; IMAP off, then on) → 6 days later, check-token (the expiry forecast warns) → 8 days after consent, check-token (the
//   Testing 7-day expiry).
// Each stage records what was expected and what happened; exit 0 only when every stage behaved as expected.
import { randomBytes } from "node:crypto";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { CliIo, RunCli } from "../common/io";
import { ENV } from "../common/env";
import { EXIT } from "../common/errors";
import { redact, registerSecret } from "../common/redact";
import { dwdPrefilledLink } from "../google/domainWideDelegation";
import { emailDomain, serviceAccountEmail } from "../google/identifiers";
import { paint, useColor } from "../common/terminal";
import { startEmulator, type RunningEmulator } from "../emulator";
import { PRESETS, isPresetName } from "../connection/presets";
import { clientSecretId } from "../connection/clientSecretFile";
import { startScriptedBrowser, type ScriptedBrowser } from "./browser";
import {
  addTestUser,
  configureConsentScreen,
  createClients,
  downloadClientJson,
  replaceRedirectUri,
  type ConsoleAction,
  type CreatedClient,
} from "./console";
import { SandboxEngine, type StackOutputs } from "./mockEngine";
import { runKit, type KitRun } from "./kit";
import { freeLoopbackRedirect, startAppStandIn, type AppStandIn } from "./local";
import {
  addOperatorCredential,
  addPeople,
  CLIENT_FILE,
  describeSteps,
  makeWorkDir,
  removeWorkDir,
  SPEC_FILE,
  stackOutputsJson,
  writePrivate,
} from "./accountsAndFiles";
import {
  loadStack,
  pulumiConfig,
  walkthroughTarget,
  withOrigin,
  type SandboxStack,
  type WalkthroughTarget,
} from "./stackConfig";
import {
  expect,
  expectDiagnoses,
  expectExit,
  expectNoFailure,
  failedStage,
  renderJson,
  renderStage,
  renderSummary,
  stage,
  type SandboxDocument,
  type Stage,
} from "./stages";
import { renderHuman } from "../validator/report";

export interface SandboxOptions {
  /** The kit's CLI, run in-process for each command the walkthrough shows (cli/main.ts hands over its runCli). */
  readonly runCli: RunCli;
  readonly json?: boolean;
  readonly stackConfig?: string;
  /** Run against an emulator the caller started (and closes); default: a fresh one on a free port. */
  readonly emulator?: RunningEmulator;
}

/**
 * The flow's bound when the mailbox is blocked: Google shows its refusal in the browser and never calls back
 * (google-behaviour.md §1.2), so the validator can only wait for its deadline. Kept short; the scripted browser says what it saw.
 */
export const BLOCKED_FLOW_TIMEOUT_S = 4;
const DAY_MS = 86_400_000;
const EXPIRY_DAYS = 8;
/** The forecast stage's day: inside check-token's default 2-day warning window before the 7-day Testing expiry. */
const FORECAST_DAYS = 6;
const TOKEN_FILE = "refresh-token";

interface Run {
  readonly io: CliIo;
  readonly runCli: RunCli;
  readonly color: boolean;
  readonly dir: string;
  readonly emu: RunningEmulator;
  readonly engine: SandboxEngine;
  readonly browser: ScriptedBrowser;
  readonly stack: SandboxStack;
  readonly target: WalkthroughTarget;
  readonly loopback: string;
  readonly stages: Stage[];
  /** Filled as the stages go. */
  outputs?: StackOutputs;
  clients: CreatedClient[];
  cloudToken?: string;
  /** The app's own credential (the token creator on the service account), made at the first delegation stage. */
  appToken?: string;
}

const progress = (io: CliIo, line: string) => io.stderr.write(redact(`… ${line}\n`));

function actionLines(actions: readonly ConsoleAction[], color: boolean): string[] {
  const p = paint(color);
  return actions.flatMap((a) => [
    `  • ${a.did}${a.mistake ? `  ${p.yellow(`← mistake on purpose: ${a.mistake}`)}` : ""}`,
    `    ${p.dim(a.page)}`,
  ]);
}

/** The report of a kit command as the command itself would print it, under the command line. */
function commandLines(run: KitRun, color: boolean, env: string): string[] {
  const p = paint(color);
  const lines = [`$ ${p.bold(run.command)}`, p.dim(`  (in the work directory; ${env})`), ""];
  if (run.report)
    lines.push(
      ...renderHuman(run.report, { color })
        .trimEnd()
        .split("\n")
        .map((l) => `  ${l}`),
    );
  else lines.push(`  ${run.stderr.trim() || "(no output)"}`);
  lines.push("", `  exit code ${run.exitCode}`);
  return lines;
}

function kitEnv(r: Run): NodeJS.ProcessEnv {
  // A clean environment: a GMAIL_OAUTH_* variable of the user's shell must not change what the sandbox shows.
  const pass = (k: string) => (r.io.env[k] !== undefined ? { [k]: r.io.env[k] } : {});
  return {
    PATH: r.io.env.PATH ?? process.env.PATH,
    ...pass("NO_COLOR"),
    ...pass("FORCE_COLOR"),
    ...r.browser.env,
    ...(r.cloudToken ? { [ENV.cloudAccessToken]: r.cloudToken } : {}),
  };
}
const ENV_NOTE = `${ENV.cloudAccessToken} = the operator's cloud token (as from \`gcloud auth print-access-token\`), BROWSER = the scripted browser`;

async function kit(r: Run, args: string[]): Promise<KitRun> {
  return runKit(r.runCli, args, { cwd: r.dir, env: kitEnv(r), progress: (line) => r.io.stderr.write(`  │ ${line}\n`) });
}

function validateArgs(r: Run, extra: string[]): string[] {
  return [
    "validate",
    "--spec",
    SPEC_FILE,
    "--client-secret-file",
    CLIENT_FILE,
    "--account",
    r.target.mailbox,
    "--google-origin",
    r.emu.origin,
    "--flow",
    ...extra,
  ];
}

function checkTokenArgs(r: Run): string[] {
  return [
    "check-token",
    "--spec",
    SPEC_FILE,
    "--client-secret-file",
    CLIENT_FILE,
    "--refresh-token-file",
    TOKEN_FILE,
    "--account",
    r.target.mailbox,
    "--google-origin",
    r.emu.origin,
  ];
}

const targetClient = (r: Run) => r.clients.find((c) => c.name === r.target.client.name)!;
const emulatorProject = (r: Run) => r.emu.admin.state().projects.find((p) => p.id === r.stack.parsed.spec.project.id);
const emulatorClient = (r: Run) => r.emu.admin.state().clients.find((c) => c.id === targetClient(r).clientId);

// ---- the stages --------------------------------------------------------------------------------------------------

async function provisionStage(r: Run): Promise<Stage> {
  const { config, secretKeys } = pulumiConfig(r.stack);
  const up = await r.engine.up(config, secretKeys);
  r.outputs = up.outputs;
  const project = emulatorProject(r);
  const gmail = project?.services["gmail.googleapis.com"];
  return stage(
    "provision",
    "pulumi up: the real infra/ program, applied to the emulator",
    [
      `$ pulumi up   ${paint(r.color).dim(`(in-process engine: Pulumi's mocks interface; each resource is applied to the emulator at ${r.emu.origin})`)}`,
      "",
      ...describeSteps(up.steps),
      "",
      `  Outputs: projectId ${up.outputs.projectId}, projectNumber ${up.outputs.projectNumber}`,
    ],
    [
      expect(
        "the project exists in the emulator with the number Pulumi reports",
        project ? `project ${project.id}, number ${project.number}` : "no such project",
        project?.number === up.outputs.projectNumber,
      ),
      expect("the Gmail API ENABLED in the project", `gmail.googleapis.com ${gmail ?? "absent"}`, gmail === "ENABLED"),
    ],
  );
}

function runbookStage(r: Run): Stage {
  const runbook = r.outputs!.consoleRunbook;
  const { spec } = r.stack.parsed;
  const missing = [...spec.audience.testUsers, r.target.appRedirectUri].filter((v) => !runbook.includes(v));
  return stage(
    "runbook",
    "The console runbook: what no Google API can do (stack output consoleRunbook)",
    runbook
      .trimEnd()
      .split("\n")
      .map((l) => `  │ ${l}`),
    [
      expect(
        "the runbook lists every test user and the app's redirect URI",
        missing.length === 0 ? "all listed" : `missing ${missing.join(", ")}`,
        missing.length === 0,
      ),
    ],
  );
}

async function consoleStage(r: Run): Promise<Stage> {
  const { spec } = r.stack.parsed;
  const mistakes = { forgetTestUser: r.target.mailbox, trailingSlashOnClient: r.target.client.name };
  const actions = configureConsentScreen(r.emu.admin, spec, mistakes);
  const created = createClients(
    r.emu.admin,
    spec,
    r.outputs!.projectNumber,
    { [r.target.client.name]: [r.loopback] },
    mistakes,
  );
  r.clients = created.clients;
  actions.push(...created.actions);
  r.cloudToken = addOperatorCredential(r.emu.admin, spec.project.id);
  const project = emulatorProject(r);
  const registered = emulatorClient(r)?.redirectUris ?? [];
  const c = r.target.client;
  return stage(
    "console",
    "The console steps, done through the emulator's admin API (two of them wrong on purpose)",
    [
      ...actionLines(actions, r.color),
      `  • The operator is signed in to gcloud (a cloud token for ${spec.project.id} in the emulator, used by validate to read the Gmail API's state)`,
    ],
    [
      expect(
        `${r.target.mailbox} left out of the test users`,
        `test users: ${project?.testUsers.join(", ") || "none"}`,
        !(project?.testUsers ?? []).includes(r.target.mailbox),
      ),
      expect(
        `${r.target.appRedirectUri}/ registered instead of ${r.target.appRedirectUri}`,
        `registered: ${registered.join(", ")}`,
        registered.includes(`${r.target.appRedirectUri}/`) && !registered.includes(r.target.appRedirectUri),
      ),
      expect(
        `the loopback redirect ${r.loopback} registered for the validator's flow`,
        registered.includes(r.loopback) ? "registered" : "not registered",
        registered.includes(r.loopback),
      ),
      expect(
        "a client ID generated for every client",
        `${r.clients.length} of ${spec.clients.length} (${c.name}: ${targetClient(r)?.clientId ?? "none"})`,
        r.clients.length === spec.clients.length,
      ),
    ],
  );
}

async function downloadFiles(r: Run): Promise<void> {
  await writePrivate(join(r.dir, SPEC_FILE), stackOutputsJson(r.outputs!));
  await writePrivate(join(r.dir, CLIENT_FILE), downloadClientJson(r.emu.admin, r.stack.parsed.spec, targetClient(r)));
}

async function storeStage(r: Run): Promise<Stage> {
  const creds = r.clients.map((c) => ({ name: c.name, clientId: c.clientId, secret: c.secret }));
  const { config, secretKeys } = pulumiConfig(r.stack, creds);
  const up = await r.engine.up(config, secretKeys);
  r.outputs = up.outputs;
  await downloadFiles(r);
  const secretId = clientSecretId(r.target.client.name);
  const payload = r.engine.secretPayload(secretId);
  let storedId: string | undefined;
  try {
    const file = payload
      ? (JSON.parse(payload) as { web?: { client_id?: string }; installed?: { client_id?: string } })
      : undefined;
    storedId = file?.web?.client_id ?? file?.installed?.client_id;
  } catch {
    storedId = undefined;
  }
  const specId = up.outputs.connectionSpec.clients.find((c) => c.name === r.target.client.name)?.clientId;
  const pathFlag = r.stack.parsed.singleClientShorthand ? "" : " --path";
  const idKey = r.stack.parsed.singleClientShorthand
    ? "gmail-oauth:clientId"
    : `'gmail-oauth:clients[${r.target.clientIndex}].clientId'`;
  const secretKey = r.stack.parsed.singleClientShorthand
    ? "gmail-oauth:clientSecret"
    : `'gmail-oauth:clientSecrets.${r.target.client.name}'`;
  return stage(
    "store-credentials",
    "pulumi up again: the client ID and secret go into Secret Manager",
    [
      `$ pulumi config set${pathFlag} ${idKey} ${targetClient(r).clientId}`,
      `$ pulumi config set --secret${pathFlag} ${secretKey}   ${paint(r.color).dim("(typed at the prompt; never shown)")}`,
      "$ pulumi up",
      "",
      ...describeSteps(up.steps),
      "",
      `  Saved in the work directory ${r.dir} (removed when the sandbox ends):`,
      `    ${SPEC_FILE.padEnd(22)} pulumi stack output --json (no secret in it)`,
      `    ${CLIENT_FILE.padEnd(22)} the client's Download JSON from the console (mode 0600; holds the secret)`,
    ],
    [
      expect(
        `Secret Manager holds ${secretId} for client ${targetClient(r).clientId}`,
        storedId ? `stored for ${storedId}` : "nothing stored",
        storedId === targetClient(r).clientId,
      ),
      expect(
        "the connection spec names the client ID",
        specId ?? "no clientId in the spec",
        specId === targetClient(r).clientId,
      ),
    ],
  );
}

function browserLine(r: Run, from: number): { line: string; outcome: ScriptedBrowser["outcomes"][number] | undefined } {
  const outcome = r.browser.outcomes[from];
  if (!outcome) return { line: "  The scripted browser had not finished when validate ended.", outcome };
  if (outcome.kind === "blocked")
    return {
      line: `  The scripted browser (signed in as ${r.target.mailbox}) stopped on Google's page: "${outcome.title}" — Error ${outcome.httpCode ?? "?"}: ${outcome.error}. Google never calls back in this case, so validate could only wait for --timeout ${BLOCKED_FLOW_TIMEOUT_S}.`,
      outcome,
    };
  if (outcome.kind === "redirect")
    return {
      line: `  The scripted browser (signed in as ${r.target.mailbox}) went through ${outcome.pages.join(" → ")} and reached the redirect URI${outcome.error ? ` with error=${outcome.error}` : ""}.`,
      outcome,
    };
  return { line: `  The scripted browser failed: ${outcome.reason}`, outcome };
}

async function validateBrokenStage(r: Run): Promise<Stage> {
  const before = r.browser.outcomes.length;
  r.browser.account = r.target.mailbox;
  const run = await kit(r, validateArgs(r, ["--timeout", String(BLOCKED_FLOW_TIMEOUT_S)]));
  await r.browser.waitForOutcomes(before + 1, 5_000);
  const seen = browserLine(r, before);
  const blocked = seen.outcome?.kind === "blocked" ? seen.outcome : undefined;
  return stage(
    "validate-broken",
    "validate: the preflight and the consent flow find both mistakes",
    [...commandLines(run, r.color, ENV_NOTE), "", seen.line],
    [
      expectExit(run, EXIT.findings),
      ...expectDiagnoses(run, ["redirect_uri_not_registered", "consent_not_completed"]),
      expect(
        `the browser blocked with Error 403: access_denied (${r.target.mailbox} is not a test user)`,
        blocked ? `Error ${blocked.httpCode ?? "?"}: ${blocked.error}` : (seen.outcome?.kind ?? "no outcome"),
        blocked?.error === "access_denied" && blocked.httpCode === 403,
      ),
    ],
    run,
  );
}

async function fixStage(r: Run): Promise<Stage> {
  const { spec } = r.stack.parsed;
  const actions = [
    addTestUser(r.emu.admin, spec, r.target.mailbox),
    replaceRedirectUri(
      r.emu.admin,
      spec.project.id,
      targetClient(r).clientId,
      `${r.target.appRedirectUri}/`,
      r.target.appRedirectUri,
    ),
  ];
  await downloadFiles(r);
  const project = emulatorProject(r);
  const registered = emulatorClient(r)?.redirectUris ?? [];
  return stage(
    "fix",
    "The fixes, in the console",
    [...actionLines(actions, r.color), `  • Downloaded the client JSON again (${CLIENT_FILE})`],
    [
      expect(
        `${r.target.mailbox} is a test user`,
        `test users: ${project?.testUsers.join(", ") || "none"}`,
        (project?.testUsers ?? []).includes(r.target.mailbox),
      ),
      expect(
        `${r.target.appRedirectUri} registered exactly`,
        `registered: ${registered.join(", ")}`,
        registered.includes(r.target.appRedirectUri) && !registered.includes(`${r.target.appRedirectUri}/`),
      ),
    ],
  );
}

async function validateFixedStage(r: Run): Promise<Stage> {
  const before = r.browser.outcomes.length;
  const run = await kit(r, validateArgs(r, ["--keep-token", TOKEN_FILE]));
  await r.browser.waitForOutcomes(before + 1, 5_000);
  const kept = await stat(join(r.dir, TOKEN_FILE)).catch(() => undefined);
  const mode = kept ? (kept.mode & 0o777).toString(8).padStart(4, "0") : undefined;
  return stage(
    "validate-fixed",
    "validate again: the fixed setup passes (the Testing 7-day warning is expected)",
    [...commandLines(run, r.color, ENV_NOTE), "", browserLine(r, before).line],
    [
      expectExit(run, EXIT.ok),
      expectNoFailure(run),
      ...expectDiagnoses(run, ["testing_refresh_token_expiry"]),
      expect(
        `the refresh token kept in ${TOKEN_FILE} with mode 0600`,
        mode ? `mode ${mode}` : "no file",
        mode === "0600",
      ),
    ],
    run,
  );
}

async function checkTokenStage(r: Run): Promise<Stage> {
  const run = await kit(r, checkTokenArgs(r));
  return stage(
    "check-token",
    "check-token: the kept refresh token works",
    commandLines(run, r.color, `${ENV.cloudAccessToken} set as above`),
    [expectExit(run, EXIT.ok), expectNoFailure(run)],
    run,
  );
}

/**
 * Flectra's "Test the Connection" (issue 19): SMTP out and IMAP in with XOAUTH2, as the preset declares. The
 * Workspace admin has IMAP turned off for the mailbox's domain: check-token diagnoses imap_disabled while SMTP passes;
 * once the admin turns IMAP on, both pass. Skipped (nothing to show) when the connection does not use SMTP/IMAP.
 */
async function testConnectionStage(r: Run): Promise<Stage> {
  const mailbox = r.target.mailbox;
  r.emu.admin.updateAccount(mailbox, { imapEnabled: false });
  const broken = await kit(r, checkTokenArgs(r));
  r.emu.admin.updateAccount(mailbox, { imapEnabled: true });
  const fixed = await kit(r, checkTokenArgs(r));
  const status = (run: typeof fixed, id: string) => run.report?.checks.find((c) => c.id === id)?.status ?? "absent";
  return stage(
    "test-connection",
    "Flectra's Test the Connection: SMTP and IMAP with XOAUTH2",
    [
      `  The Workspace admin has IMAP turned off for ${mailbox}'s domain (the emulator's imapEnabled: false).`,
      "",
      ...commandLines(broken, r.color, `${ENV.cloudAccessToken} set as above`),
      "",
      "  The admin turns IMAP on (Admin console → Gmail → End User Access → POP and IMAP access); the same command again:",
      "",
      ...commandLines(fixed, r.color, `${ENV.cloudAccessToken} set as above`),
    ],
    [
      expectExit(broken, EXIT.findings),
      ...expectDiagnoses(broken, ["imap_disabled"]),
      expect("SMTP passes while IMAP is off", status(broken, "mail.smtp"), status(broken, "mail.smtp") === "pass"),
      expectExit(fixed, EXIT.ok),
      expectNoFailure(fixed),
      expect("SMTP passes after the fix", status(fixed, "mail.smtp"), status(fixed, "mail.smtp") === "pass"),
      expect("IMAP passes after the fix", status(fixed, "mail.imap"), status(fixed, "mail.imap") === "pass"),
    ],
    fixed,
  );
}

async function forecastStage(r: Run): Promise<Stage> {
  const now = r.emu.admin.advanceClock(FORECAST_DAYS * DAY_MS);
  const run = await kit(r, checkTokenArgs(r));
  const forecast = run.report?.checks.find((c) => c.id === "token.forecast");
  return stage(
    "forecast",
    `${FORECAST_DAYS} days later: check-token forecasts the expiry from the kept consent record`,
    [
      `  The emulator's clock moved ${FORECAST_DAYS} days ahead (now ${new Date(now).toISOString()}); the token file --keep-token wrote records when consent happened and the lifetime Google announced.`,
      "",
      ...commandLines(run, r.color, `${ENV.cloudAccessToken} set as above`),
    ],
    [
      expectExit(run, EXIT.ok),
      ...expectDiagnoses(run, ["refresh_token_expires_soon"]),
      expect(
        "the forecast says when the token dies",
        forecast?.detail ?? "no forecast",
        /expires in .*, on /.test(forecast?.detail ?? ""),
      ),
    ],
    run,
  );
}

async function expiryStage(r: Run): Promise<Stage> {
  const now = r.emu.admin.advanceClock((EXPIRY_DAYS - FORECAST_DAYS) * DAY_MS);
  const run = await kit(r, checkTokenArgs(r));
  const refresh = run.report?.checks.find((c) => c.diagnosis === "refresh_token_invalid");
  // The catalogue ranks the causes in the detail: "Likely causes, most likely first: 1. the app is in Testing, …".
  const first = /most likely first: 1\. ([^;]*)/.exec(refresh?.detail ?? "")?.[1];
  return stage(
    "expiry",
    `${EXPIRY_DAYS} days later: check-token diagnoses the Testing-mode expiry`,
    [
      `  The emulator's clock moved ${EXPIRY_DAYS - FORECAST_DAYS} more days ahead (now ${new Date(now).toISOString()}, ${EXPIRY_DAYS} days after consent); refresh tokens of a Testing app die 7 days after consent.`,
      "",
      ...commandLines(run, r.color, `${ENV.cloudAccessToken} set as above`),
    ],
    [
      expectExit(run, EXIT.findings),
      ...expectDiagnoses(run, ["refresh_token_invalid"]),
      expect(
        "the Testing 7-day expiry ranked as the first cause",
        first ?? "no ranked causes",
        /Testing/.test(first ?? ""),
      ),
    ],
    run,
  );
}

// ---- Workspace mailboxes through the service account (domain-wide delegation, google-behaviour.md §10) ------------------------

/** The stack's first service account, the app's credential that may sign as it, and its unique ID in the emulator. */
function delegated(
  r: Run,
): { email: string; uniqueId: string; mailboxes: readonly string[]; scopes: readonly string[] } | undefined {
  const spec = r.stack.parsed.spec;
  const sa = spec.serviceAccounts?.[0];
  if (!sa || !spec.appServiceAccount) return undefined;
  const email = serviceAccountEmail(sa.accountId, spec.project.id);
  const uniqueId = r.emu.admin.state().serviceAccounts.find((s) => s.email === email)?.uniqueId;
  return uniqueId ? { email, uniqueId, mailboxes: sa.mailboxes, scopes: sa.scopes } : undefined;
}

/** validate runs with the app's identity, the one `pulumi up` made a token creator on the service account. */
async function kitAsApp(r: Run, args: string[]): Promise<KitRun> {
  const spec = r.stack.parsed.spec;
  if (!r.appToken) {
    r.appToken = `ya29.sandbox-app-${randomBytes(24).toString("base64url")}`;
    registerSecret(r.appToken);
    r.emu.admin.addCloudCredential(r.appToken, {
      projects: [spec.project.id],
      principal: `serviceAccount:${spec.appServiceAccount}`,
    });
  }
  return runKit(r.runCli, args, {
    cwd: r.dir,
    env: { ...kitEnv(r), [ENV.cloudAccessToken]: r.appToken },
    progress: (line) => r.io.stderr.write(`  │ ${line}\n`),
  });
}

const APP_ENV_NOTE = `${ENV.cloudAccessToken} = a token of the app's own service account (keyless signing through signJwt)`;
const dwdArgs = (r: Run, email: string) => [
  "validate",
  "--spec",
  SPEC_FILE,
  "--service-account",
  email,
  "--google-origin",
  r.emu.origin,
];

const domainsOf = (mailboxes: readonly string[]) => [...new Set(mailboxes.map(emailDomain))];
/** Both delegation stages, when the stack has nothing to delegate. */
const noDelegationStage = (id: string, title: string) =>
  stage(id, title, ["  The stack declares no service account (or no appServiceAccount): nothing to show."], []);

async function delegationBrokenStage(r: Run): Promise<Stage> {
  const id = "dwd-validate-broken";
  const title = "Domain-wide delegation with one scope forgotten: validate names it and gives the prefilled link";
  const d = delegated(r);
  if (!d) return noDelegationStage(id, title);
  const domains = domainsOf(d.mailboxes);
  // The Workspace directory: the mailboxes are users of the organization's domain.
  const known = new Set(r.emu.admin.state().accounts.map((a) => a.email));
  for (const m of d.mailboxes) if (!known.has(m)) r.emu.admin.addAccount({ email: m, orgDomain: emailDomain(m) });
  const forgotten = d.scopes[d.scopes.length - 1]!;
  const typed = d.scopes.filter((s) => s !== forgotten);
  for (const domain of domains) r.emu.admin.setDelegation({ domain, clientId: d.uniqueId, scopes: typed });
  const run = await kitAsApp(r, dwdArgs(r, d.email));
  const failing = (run.report?.checks ?? []).filter((c) => c.status === "fail");
  const links = [...new Set(failing.flatMap((c) => c.links ?? []))];
  return stage(
    id,
    title,
    [
      `  The Workspace admin added Client ID ${d.uniqueId} under Manage Domain Wide Delegation with ${typed.join(",")}`,
      `  (${forgotten} forgotten on purpose).`,
      "",
      ...commandLines(run, r.color, APP_ENV_NOTE),
    ],
    [
      expectExit(run, EXIT.findings),
      ...expectDiagnoses(run, ["dwd_scope_not_authorized"]),
      expect(
        `exactly ${d.mailboxes.length} failing rows, one per mailbox, for ${forgotten}`,
        failing.map((c) => c.id).join(", ") || "none",
        failing.length === d.mailboxes.length && failing.every((c) => c.id.endsWith(`[${forgotten}]`)),
      ),
      expect(
        "one prefilled admin-console link with the client ID and the full scope list",
        links.join(" ") || "no link",
        links.length === 1 && links[0] === dwdPrefilledLink(d.uniqueId, d.scopes),
      ),
    ],
    run,
  );
}

async function delegationFixedStage(r: Run): Promise<Stage> {
  const id = "dwd-validate-fixed";
  const title = "The admin opens the prefilled link: validate passes for every mailbox and scope";
  const d = delegated(r);
  if (!d) return noDelegationStage(id, title);
  for (const domain of domainsOf(d.mailboxes))
    r.emu.admin.setDelegation({ domain, clientId: d.uniqueId, scopes: [...d.scopes] });
  const run = await kitAsApp(r, dwdArgs(r, d.email));
  const rows = (run.report?.checks ?? []).filter((c) => c.id.startsWith("sa.token[") && c.status === "pass");
  return stage(
    id,
    title,
    [`  The delegation now lists ${d.scopes.join(",")}.`, "", ...commandLines(run, r.color, APP_ENV_NOTE)],
    [
      expectExit(run, EXIT.ok),
      expectNoFailure(run),
      expect(
        `${d.mailboxes.length * d.scopes.length} token rows pass`,
        `${rows.length} passed`,
        rows.length === d.mailboxes.length * d.scopes.length,
      ),
    ],
    run,
  );
}

const STAGES: readonly { id: string; title: string; run: (r: Run) => Stage | Promise<Stage> }[] = [
  { id: "provision", title: "pulumi up", run: provisionStage },
  { id: "runbook", title: "The console runbook", run: runbookStage },
  { id: "console", title: "The console steps", run: consoleStage },
  { id: "store-credentials", title: "pulumi up again", run: storeStage },
  { id: "validate-broken", title: "validate (broken setup)", run: validateBrokenStage },
  { id: "fix", title: "The fixes", run: fixStage },
  { id: "validate-fixed", title: "validate (fixed setup)", run: validateFixedStage },
  { id: "check-token", title: "check-token", run: checkTokenStage },
  { id: "test-connection", title: "Flectra's Test the Connection (SMTP, IMAP)", run: testConnectionStage },
  { id: "dwd-validate-broken", title: "validate --service-account (a scope forgotten)", run: delegationBrokenStage },
  { id: "dwd-validate-fixed", title: "validate --service-account (fixed)", run: delegationFixedStage },
  { id: "forecast", title: "check-token before the expiry", run: forecastStage },
  { id: "expiry", title: "check-token after the expiry", run: expiryStage },
];
export const STAGE_COUNT = STAGES.length;

/**
 * The app stand-in listens on the instance URL's port, or another one when that is taken; the stack is then
 * rewritten to the port actually served, for this run only.
 */
async function serveApp(io: CliIo, stack: SandboxStack): Promise<{ stack: SandboxStack; app?: AppStandIn }> {
  const target = walkthroughTarget(stack);
  const preset =
    target.client.preset && isPresetName(target.client.preset) ? PRESETS[target.client.preset].label : "The app";
  const app = await startAppStandIn(target.appRedirectUri, preset);
  if (!app) {
    progress(io, `${target.appRedirectUri} is not on this machine: validate will call the real app there`);
    return { stack };
  }
  const declared = new URL(target.appRedirectUri).origin;
  if (app.origin === declared) return { stack, app };
  progress(
    io,
    `${declared} is taken on this machine; the ${preset} stand-in and the stack use ${app.origin} for this run`,
  );
  return { stack: withOrigin(stack, declared, app.origin), app };
}

export async function runSandbox(io: CliIo, opts: SandboxOptions): Promise<number> {
  const loaded = await loadStack(opts.stackConfig, io.cwd);
  walkthroughTarget(loaded); // a stack the walkthrough cannot use is an input error, before anything starts
  const color = !opts.json && useColor(io.stdout, io.env);
  const dir = await makeWorkDir();
  const cleanup: (() => Promise<void>)[] = [() => removeWorkDir(dir)];
  const stages: Stage[] = [];
  try {
    const { stack, app } = await serveApp(io, loaded);
    if (app) cleanup.unshift(() => app.close());
    const emu = opts.emulator ?? (await startEmulator());
    if (!opts.emulator) cleanup.unshift(() => emu.close());
    const browser = await startScriptedBrowser(dir, emu.origin, "");
    cleanup.unshift(() => browser.close());
    const people = addPeople(emu.admin, stack.parsed.spec);
    progress(io, `Google emulator on ${emu.origin}; accounts ${people.join(", ")}; work directory ${dir}`);
    const r: Run = {
      io,
      runCli: opts.runCli,
      color,
      dir,
      emu,
      engine: new SandboxEngine(emu.admin),
      browser,
      stack,
      target: walkthroughTarget(stack),
      loopback: await freeLoopbackRedirect(),
      stages,
      clients: [],
    };
    if (!opts.json)
      io.stdout.write(
        redact(
          `${paint(color).bold("gmail-oauth sandbox")}: the Gmail Connection Kit end to end, with the emulator standing in for Google (${emu.origin}).\n`,
        ),
      );
    for (const [i, s] of STAGES.entries()) {
      progress(io, `stage ${i + 1}/${STAGES.length}: ${s.title}`);
      let result: Stage;
      try {
        result = await s.run(r);
      } catch (e) {
        result = failedStage(s.id, s.title, [], e instanceof Error ? e.message : String(e));
      }
      stages.push(result);
      if (!opts.json) io.stdout.write(renderStage(result, i + 1, color));
      if (result.error) break; // later stages build on this one
    }
    const ok = stages.length === STAGES.length && stages.every((s) => s.ok);
    const doc: SandboxDocument = {
      ok,
      emulator: { origin: emu.origin },
      ...(r.outputs ? { project: { id: r.outputs.projectId, number: r.outputs.projectNumber } } : {}),
      clients: r.clients.map((c) => ({ name: c.name, clientId: c.clientId })),
      stages,
    };
    io.stdout.write(opts.json ? renderJson(doc) : renderSummary(stages, STAGES.length, color));
    return ok ? EXIT.ok : EXIT.findings;
  } finally {
    for (const step of cleanup) await step().catch(() => undefined);
  }
}
