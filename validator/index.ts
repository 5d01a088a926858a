// The validator as a library (`gmail-connection-kit/validator`): the CLI's `validate`, `check-token` and `explain`
// with options objects instead of flags. The CLI's handlers (cli/handlers/) call these same functions, so a result
// here is what the command prints with --json. Nothing here writes to stdout or stderr, exits, or changes process
// state; the one shared thing is the registry of secrets every output is masked against (common/redact.ts).
import { InputError } from "../common/errors";
import { ENV } from "../common/env";
import type { ConnectionSpec } from "../connection/types";
import type { MailTransport } from "../google/mail";
import type { PublishingStatus, UserType } from "../google/oauthApp";
import { explainInput } from "./explain";
import { explainDocument, type ExplainDocument } from "./explainReport";
import { resolveInput } from "./inputs";
import type { ValidateFlags } from "./options";
import { runPreflight } from "./preflight";
import { reportDocument } from "./report";
import { runCheckToken } from "./token/checkToken";
import { readStoredToken, storedTokenFromText, type StoredToken } from "./token/tokenFile";
import { summarize, type CheckResult, type Report, type ValidationInput } from "./types";

export type { CheckResult, CheckStatus, DiagnosisCode, Report, ReportSummary } from "./types";
export type { ExplainResult } from "./explain";
export type { ExplainDocument } from "./explainReport";
export { renderHuman, renderJson } from "./report";
export { renderExplainHuman } from "./explainReport";
export { DIAGNOSES, DIAGNOSIS_LIST } from "./diagnoses";

/**
 * The options of `validate()`: the library's own names and types (lists in the plural, as in a fleet file; enums
 * typed). The CLI maps its flags onto them (cli/handlers/validate.ts). `spec` is the file `pulumi stack output --json`
 * wrote, `stack` a stack to ask for it, or `connectionSpec` the spec itself.
 */
export interface ValidateOptions {
  readonly spec?: string;
  readonly stack?: string;
  /** The spec as an object (e.g. GmailConnection's `connectionSpec`), instead of `spec` or `stack`. */
  readonly connectionSpec?: ConnectionSpec;
  /** Which client of the spec (default: the only one). */
  readonly client?: string;
  /** The client JSON downloaded from Google ("web" or "installed"). */
  readonly clientSecretFile?: string;
  readonly clientId?: string;
  /** The client secret itself. The CLI takes it only from a file or GMAIL_OAUTH_CLIENT_SECRET; a program may pass it. */
  readonly clientSecret?: string;
  /** The app's redirect URIs that must work. */
  readonly redirectUris?: readonly string[];
  /** Default https://mail.google.com/ (or the spec's). */
  readonly scopes?: readonly string[];
  /** The mailbox to be connected. */
  readonly account?: string;
  /** Project ID or number (default: the spec's project, else project_id in the client JSON). */
  readonly project?: string;
  readonly userType?: UserType;
  readonly publishingStatus?: PublishingStatus;
  readonly testUsers?: readonly string[];
  /** Seconds each request to Google may take. */
  readonly timeout?: number;
  /** Another Google (the emulator's origin); default Google itself. */
  readonly googleOrigin?: string;
  /** How the app reaches Gmail; default the spec client's transports. */
  readonly transports?: readonly MailTransport[];
  /** After the SMTP test, send one labelled message to this address. */
  readonly sendTestTo?: string;
  /** The environment the CLI would read (GMAIL_OAUTH_CLIENT_SECRET, GMAIL_OAUTH_GOOGLE_ORIGIN, …); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Relative paths are read from here; default process.cwd(). */
  readonly cwd?: string;
  /** What the CLI prints on stderr while the checks run; default: nothing. */
  readonly progress?: (message: string) => void;
}

export interface CheckTokenOptions extends ValidateOptions {
  /** The refresh token, or an authorized_user JSON, as text. */
  readonly refreshToken?: string;
  /** A file holding the same (the CLI's --refresh-token-file); default GMAIL_OAUTH_REFRESH_TOKEN from `env`. */
  readonly refreshTokenFile?: string;
  /** How long before the forecast expiry of a kept token the forecast warns (the CLI's --warn-before); default 2 days. */
  readonly warnBeforeMs?: number;
}

/** The options as the flag set the input resolver reads (validator/inputs.ts), which is shared with the CLI. */
function flagsOf(options: ValidateOptions): ValidateFlags {
  const {
    redirectUris,
    scopes,
    testUsers,
    transports,
    connectionSpec: _,
    clientSecret: _s,
    env: _e,
    cwd: _c,
    progress: _p,
    ...same
  } = options;
  return {
    ...same,
    ...(redirectUris !== undefined && { redirectUri: redirectUris }),
    ...(scopes !== undefined && { scope: scopes }),
    ...(testUsers !== undefined && { testUser: testUsers }),
    ...(transports !== undefined && { transport: transports }),
  };
}

/** The CLI's seam for `validate --flow`: `check` refuses bad flow input first, `run` appends the consent flow's checks. */
export interface FlowRunner {
  check(input: ValidationInput): Promise<void>;
  run(input: ValidationInput): Promise<CheckResult[]>;
}

/** The CLI's seams (cli/handlers/): the consent flow of `validate --flow`, and the inputs as resolved (for metrics). */
export interface ValidateHooks {
  readonly flow?: FlowRunner;
  resolved?(input: ValidationInput): void;
}

export interface CheckTokenHooks {
  resolved?(input: ValidationInput, stored: StoredToken): void;
}

async function inputOf(options: ValidateOptions): Promise<ValidationInput> {
  const { connectionSpec, clientSecret, env = process.env, cwd = process.cwd() } = options;
  const flags = flagsOf(options);
  if (connectionSpec !== undefined && (flags.spec !== undefined || flags.stack !== undefined))
    throw new InputError(
      flags.spec !== undefined ? "spec" : "stack",
      "cannot be combined with connectionSpec",
      "pass one of them",
    );
  // The secret travels the CLI's own way (the environment), so precedence and masking are the same: a client file wins.
  const runEnv = clientSecret === undefined ? env : { ...env, [ENV.clientSecret]: clientSecret };
  return resolveInput(flags, runEnv, cwd, connectionSpec);
}

/** `gmail-oauth validate --json`: the offline and live checks of one client, before anyone signs in. */
export async function validate(options: ValidateOptions = {}, hooks: ValidateHooks = {}): Promise<Report> {
  const input = await inputOf(options);
  const { flow } = hooks;
  if (flow) await flow.check(input);
  // Nothing declared means nothing to judge: a usage error, never "should work" (issue 14 §2).
  if (!input.spec && !input.clientId && input.redirectUris.length === 0 && !input.project && !input.account)
    throw new InputError(
      "validate",
      "nothing to validate: no spec, client, redirect URI, project or account was given",
      "pass --spec FILE (the JSON of `pulumi stack output --json`) or --stack NAME, or --client-secret-file FILE (the client JSON from Google), or --client-id with --redirect-uri",
    );
  hooks.resolved?.(input);
  const checks = await runPreflight(input, { progress: options.progress });
  if (flow) checks.push(...(await flow.run(input)));
  return reportDocument(summarize(checks));
}

/** `gmail-oauth check-token --json`: refresh a stored token, then check its scopes, client, account and Gmail. */
export async function checkToken(options: CheckTokenOptions = {}, hooks: CheckTokenHooks = {}): Promise<Report> {
  const { refreshToken, refreshTokenFile, warnBeforeMs, ...rest } = options;
  const input = await inputOf(rest);
  const stored =
    refreshToken !== undefined
      ? storedTokenFromText(refreshToken, "refreshToken", "the refreshToken option")
      : await readStoredToken(refreshTokenFile, options.env ?? process.env, options.cwd ?? process.cwd());
  hooks.resolved?.(input, stored);
  return reportDocument(summarize(await runCheckToken(input, stored, { warnBeforeMs })));
}

/**
 * `gmail-oauth explain --json`: what an error copied from an app means (an authError URL, Google's page text, a JSON
 * body, a library's error line, a callback URL). Resolves with `diagnosis: null` when nothing in the catalogue
 * matches; rejects with an InputError when the text is empty or an authError in it was cut off.
 */
export async function explain(text: string): Promise<ExplainDocument> {
  return explainDocument(explainInput(text));
}
