// The emulator's public API, also the package's `gmail-connection-kit/emulator`: start it in-process (tests, the
// sandbox, an app's own test suite), write a scenario in code or load one from a file (the CLI).
// See docs/emulator.md for what it models and where it may differ from Google.
import { describeJsonError } from "../common/json";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import YAML from "yaml";
import { InputError } from "../common/errors";
import { googleEndpoints } from "../google/endpoints";
import { isLoopbackHost } from "../google/redirectUris";
import { Admin, type EmulatorAdmin } from "./admin";
import { parseScenario, type ScenarioInput } from "./inputReaders";
import { startMail, type RunningMail } from "./mail";
import { ScenarioBuilder } from "./scenarioBuilder";
import { EmulatorServer } from "./server";
import { EmulatorStore } from "./store";

export type {
  ScenarioInput,
  ProjectInput,
  ProjectPatch,
  ClientInput,
  ClientPatch,
  AccountInput,
  AccountPatch,
  CloudCredentialInput,
} from "./inputReaders";
export type { DelegationInput, ServiceAccountInput, ServiceAccountKeyInput } from "./serviceAccountInputs";
export type { ServiceAccountKeyFile } from "./store/serviceAccounts";
export type { Fault, FaultRoute } from "./faults";
export type { Project, Client, Account, SentMessage } from "./store/records";
export type { GrantResult, MintGrantInput } from "./store/tokenStore";
export type { StateSnapshot } from "./store";
export type { EmulatorAdmin } from "./admin";
export type { MailDiscovery } from "../google/mail";
import type { MailDiscovery } from "../google/mail";
export { ADMIN_OPERATIONS } from "./admin";
export { parseScenario, rootedAt } from "./inputReaders";
export { newClientId, newClientSecret } from "./tokens";
export { scenario, ScenarioBuilder, type ClientDraft } from "./scenarioBuilder";
export { driveConsent, type ConsentOutcome, type DriveOptions } from "./httpBrowser";

/** google-auth-library's OAuth2Client `endpoints` option, pointed at one emulator. */
export interface OAuth2ClientEndpoints {
  readonly oauth2AuthBaseUrl: string;
  readonly oauth2TokenUrl: string;
  readonly oauth2RevokeUrl: string;
  readonly tokenInfoUrl: string;
  readonly oauth2FederatedSignonJwkCertsUrl: string;
}

export interface RunningEmulator {
  /** http://127.0.0.1:PORT: pass it as --google-origin. */
  readonly origin: string;
  /** The SMTP and IMAP servers and their certificate (also at GET /.well-known/gmail-oauth-mail); undefined without mail. */
  readonly mail?: MailDiscovery;
  /** For `new OAuth2Client({ …, endpoints })`: Google's paths on this emulator's origin. */
  readonly oauth2Endpoints: OAuth2ClientEndpoints;
  readonly admin: EmulatorAdmin;
  close(): Promise<void>;
}

export interface StartOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback only; default 127.0.0.1. */
  host?: string;
  /** Serve SMTP and IMAP too (default true); without openssl the emulator runs without them and says why. */
  mail?: boolean;
}

/** The library form's options: the scenario (an object, or a `scenario()` builder) and where to listen. */
export interface EmulatorOptions extends StartOptions {
  scenario?: ScenarioInput | ScenarioBuilder;
}

const OPTION_KEYS: readonly string[] = ["scenario", "port", "host", "mail"];

function isEmulatorOptions(v: unknown): v is EmulatorOptions {
  return typeof v === "object" && v !== null && Object.keys(v).some((k) => OPTION_KEYS.includes(k));
}

/**
 * Starts one emulator in this process, on a free loopback port unless told otherwise; each call is independent (its
 * own state and clock), so tests may run several at once. `startEmulator({ scenario, port?, host?, mail? })`, or the
 * older form `startEmulator(scenario, { port, host, mail })`.
 */
export function startEmulator(options?: EmulatorOptions): Promise<RunningEmulator>;
export function startEmulator(scenario: ScenarioInput, opts?: StartOptions): Promise<RunningEmulator>;
export async function startEmulator(
  first: ScenarioInput | EmulatorOptions = {},
  second: StartOptions = {},
): Promise<RunningEmulator> {
  const { scenario: given, ...opts } = isEmulatorOptions(first) ? first : { scenario: first, ...second };
  const scenario = given instanceof ScenarioBuilder ? given.build() : (given ?? {});
  const host = opts.host ?? "127.0.0.1";
  if (!isLoopbackHost(host))
    throw new InputError(
      "host",
      `'${host}' is not a loopback address; the emulator serves this machine only`,
      "use 127.0.0.1",
    );
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new InputError("port", `${port} is not a port number`, "use 0 (any free port) or 1-65535");
  const store = new EmulatorStore(parseScenario(scenario));
  const server = new EmulatorServer(store);
  let origin: string;
  try {
    origin = await server.listen(host, port);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "EADDRINUSE")
      throw new InputError("port", `${port} is already in use`, "pick another port, or 0 for any free one");
    throw e;
  }
  store.issuer ??= origin;
  const endpoints = googleEndpoints(origin);
  const oauth2Endpoints: OAuth2ClientEndpoints = {
    oauth2AuthBaseUrl: endpoints.authorize,
    oauth2TokenUrl: endpoints.token,
    oauth2RevokeUrl: endpoints.revoke,
    tokenInfoUrl: endpoints.tokeninfo,
    oauth2FederatedSignonJwkCertsUrl: `${origin}/oauth2/v3/certs`,
  };
  let mail: RunningMail | undefined;
  if (opts.mail !== false) {
    try {
      mail = await startMail(store, host);
      store.mail = mail.discovery;
    } catch (e) {
      store.mailProblem = (e as Error).message;
    }
  }
  return {
    origin,
    oauth2Endpoints,
    ...(mail && { mail: mail.discovery }),
    admin: new Admin(store),
    close: async () => {
      await Promise.all([server.close(), mail?.close()]);
    },
  };
}

/** Read a scenario from YAML or JSON; every problem names the file and the field. */
export async function loadScenario(path: string): Promise<ScenarioInput> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new InputError(
      "--scenario",
      `cannot read ${path} (${(e as { code?: string }).code ?? (e as Error).message})`,
      "check the path",
    );
  }
  let doc: unknown;
  try {
    doc = path.endsWith(".json") ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    // Scenarios hold client secrets: a JSON error names the position only; YAML's first line is position-only too.
    const problem = path.endsWith(".json")
      ? describeJsonError(text, e)
      : `is not valid YAML: ${(e as Error).message.split("\n")[0].replace(/:\s*$/, "")}`;
    throw new InputError(basename(path), problem, "fix the syntax");
  }
  try {
    return parseScenario(doc ?? {});
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${basename(path)}: ${e.field}`, e.problem, e.fix);
    throw e;
  }
}
