// The yargs options of `validate`, shared with `validate --flow` and `check-token`. Kept free of heavy imports:
// the CLI loads this module while building --help.
import type { Options } from "yargs";
import { ENV } from "../common/env";

export interface ValidateFlags {
  readonly spec?: string;
  readonly stack?: string;
  readonly client?: string;
  readonly clientSecretFile?: string;
  readonly clientId?: string;
  /** Refused: a secret on the command line ends up in shell history and `ps`. Declared only to say so. */
  readonly clientSecret?: unknown;
  readonly redirectUri?: readonly string[];
  readonly scope?: readonly string[];
  readonly account?: string;
  readonly project?: string;
  readonly userType?: string;
  readonly publishingStatus?: string;
  readonly testUser?: readonly string[];
  readonly timeout?: number;
  readonly googleOrigin?: string;
  /** A service account with domain-wide delegation (validator/serviceAccount/). */
  readonly serviceAccount?: string;
  readonly serviceAccountKeyFile?: string;
  readonly mailbox?: readonly string[];
  /** smtp | imap | gmail-api, repeatable or comma-separated; default: the spec client's transports. */
  readonly transport?: readonly string[];
  /** After the SMTP test, send one labelled message to this address (check-token, validate --flow). */
  readonly sendTestTo?: string;
}

/** Which checks a fleet run makes: the preflight, the stored-token check (where a token is named), or both. */
export type FleetChecks = "all" | "preflight" | "token";
/** Here rather than in validator/fleet/, so `fleet --help` can list them without loading the fleet's implementation. */
export const FLEET_CHECKS: readonly FleetChecks[] = ["all", "preflight", "token"];

const AUDIENCE = "Audience (normally from the spec; flags override):";
const SERVICE_ACCOUNT = "Service account with domain-wide delegation:";

export const validateOptions = {
  spec: {
    type: "string",
    describe: "The JSON printed by `pulumi stack output --json` (the whole object)",
    requiresArg: true,
  },
  stack: {
    type: "string",
    describe: "Read the same by running `pulumi stack output --json --show-secrets --stack NAME`",
    requiresArg: true,
  },
  client: { type: "string", describe: "Which client of the spec (default: the only one)", requiresArg: true },
  "client-secret-file": {
    type: "string",
    describe: 'The client JSON downloaded from Google ("web" or "installed")',
    requiresArg: true,
  },
  "client-id": {
    type: "string",
    describe: `The OAuth client ID; its secret comes from ${ENV.clientSecret}`,
    requiresArg: true,
  },
  "client-secret": { type: "string", hidden: true },
  "redirect-uri": {
    type: "string",
    array: true,
    describe: "Repeatable: the app's redirect URIs that must work",
    requiresArg: true,
  },
  scope: { type: "string", array: true, describe: "Repeatable; default https://mail.google.com/", requiresArg: true },
  account: { type: "string", describe: "The mailbox to be connected", requiresArg: true },
  project: {
    type: "string",
    describe: "Project ID or number (default: the spec's project, else project_id in the client JSON)",
    requiresArg: true,
  },
  "user-type": { type: "string", describe: "external | internal", group: AUDIENCE, requiresArg: true },
  "publishing-status": { type: "string", describe: "testing | production", group: AUDIENCE, requiresArg: true },
  "test-user": {
    type: "string",
    array: true,
    describe: "Repeatable: a test user's address",
    group: AUDIENCE,
    requiresArg: true,
  },
  timeout: { type: "number", describe: "Bound on the whole run, in seconds (default 60)", requiresArg: true },
  // Workspace mailboxes through a service account with domain-wide delegation (docs/validating.md).
  "service-account": {
    type: "string",
    describe: "Validate domain-wide delegation for this service account (from the spec when --spec declares one)",
    group: SERVICE_ACCOUNT,
    requiresArg: true,
  },
  "service-account-key-file": {
    type: "string",
    describe: "Sign with this key file instead of keyless IAM Credentials signJwt",
    group: SERVICE_ACCOUNT,
    requiresArg: true,
  },
  mailbox: {
    type: "string",
    array: true,
    describe: "Repeatable: a Workspace mailbox the service account must act as",
    group: SERVICE_ACCOUNT,
    requiresArg: true,
  },
  transport: {
    type: "string",
    array: true,
    describe:
      "How the app reaches Gmail: smtp, imap, gmail-api (repeatable or comma-separated; default: the spec client's, from its preset)",
    requiresArg: true,
  },
  "send-test-to": {
    type: "string",
    describe: "With a token (--flow, check-token): send one labelled test message over SMTP to this address",
    requiresArg: true,
  },
  "google-origin": {
    type: "string",
    describe: `Send every request meant for a Google host to this origin (also ${ENV.googleOrigin}); for the emulator`,
    requiresArg: true,
  },
} satisfies Record<string, Options>;
