// The one definition of what a scenario (a file for `gmail-oauth emulator --scenario`, or an object for
// startEmulator) and the admin operations may hold. The public input types (emulator/index.ts), the readers' key lists
// (emulator/inputReaders.ts, serviceAccountInputs.ts, faults.ts) and the JSON Schema shipped for editors (schemas/) come from
// here. The readers still judge each value (identifier shapes, PEM keys, limits) with a message that names the fix.
import { z } from "zod";
export { keysOf } from "../common/schema";

export const FAULT_ROUTES = [
  "*",
  "authorize",
  "signin",
  "token",
  "tokeninfo",
  "revoke",
  "gmail.profile",
  "gmail.send",
  "serviceusage",
  "resourcemanager",
  "openid",
  "iamcredentials",
  "iam",
] as const;

const USER_TYPES = ["internal", "external"] as const;
const PUBLISHING_STATUSES = ["testing", "production"] as const;
/** A client's type as the client JSON names it (google-behaviour.md §8.3). */
export const EMULATOR_CLIENT_TYPES = ["web", "installed"] as const;
/** A service's state in a project, as Service Usage reports it (google-behaviour.md §6). */
export const SERVICE_STATES = ["ENABLED", "DISABLED"] as const;

export const faultSchema = z.strictObject({
  latencyMs: z.number().min(0).max(120_000).optional().describe("Added before the answer."),
  status: z
    .union([z.literal(500), z.literal(503), z.literal(429)])
    .optional()
    .describe("Answer with this status and Google's JSON error body instead; 429 and 503 carry Retry-After."),
  retryAfterSeconds: z.number().min(0).max(86_400).optional(),
  malformedBody: z.boolean().optional().describe("The real answer's status with a cut-off JSON body."),
  html: z.boolean().optional().describe("An HTML error page (Google's front-end Error 502) instead of JSON."),
  drop: z.boolean().optional().describe("Destroy the socket without answering."),
  redirectLoop: z.boolean().optional().describe("302 back to the same URL, forever."),
  times: z.number().min(1).optional().describe("Apply to the next N requests only, then clear."),
  fraction: z.number().gt(0).max(1).optional().describe("Apply to this fraction (0..1] of requests (seeded)."),
});

const projectFields = {
  number: z.string().optional().describe("The digits-only project number."),
  organization: z.string().optional().describe("The organisation's domain."),
  organizationId: z.string().optional(),
  services: z
    .union([z.array(z.string()), z.record(z.string(), z.enum(SERVICE_STATES))])
    .optional()
    .describe("Enabled service names, or a map name → state. Omitted: Gmail API enabled."),
  appName: z.string().optional(),
  supportEmail: z.string().optional(),
  userType: z.enum(USER_TYPES).optional(),
  publishingStatus: z.enum(PUBLISHING_STATUSES).optional(),
  testUsers: z.array(z.string()).max(100).optional(),
  scopes: z.array(z.string()).optional(),
  verified: z.boolean().optional(),
  gmailUserQuotaPerMinute: z
    .number()
    .min(1)
    .optional()
    .describe(
      'Gmail API quota units one user may spend per minute through this project ("Queries per minute per user").',
    ),
};
export const projectInputSchema = z.strictObject({ id: z.string().describe("The project id."), ...projectFields });
export const projectPatchSchema = z.strictObject(projectFields);

const clientFields = {
  projectId: z.string().describe("The project that owns the client."),
  type: z.enum(EMULATOR_CLIENT_TYPES).optional(),
  secrets: z.array(z.string()).max(2).optional(),
  redirectUris: z.array(z.string()).optional(),
  deleted: z.boolean().optional(),
  signInDisabled: z
    .boolean()
    .optional()
    .describe("Google turned sign-in off for this client until its app is verified (Error 401: disabled_client)."),
  name: z.string().optional(),
};
export const clientInputSchema = z.strictObject({
  id: z.string().describe("NUMBER-LETTERS.apps.googleusercontent.com"),
  ...clientFields,
});
export const clientPatchSchema = z.strictObject({ ...clientFields, projectId: clientFields.projectId.optional() });

const accountFields = {
  hasMailbox: z.boolean().optional(),
  imapEnabled: z
    .boolean()
    .optional()
    .describe(
      "false: the Workspace admin turned IMAP off for the account's domain (IMAP refuses it after authentication).",
    ),
  orgDomain: z.string().optional(),
  passwordChanged: z.boolean().optional().describe("true: the password changes now (by the emulator clock)."),
  messagesTotal: z.number().min(0).optional(),
  threadsTotal: z.number().min(0).optional(),
  dailySendLimit: z
    .number()
    .min(0)
    .optional()
    .describe("Messages the mailbox may send in a rolling 24 hours (Gmail's sending limit, shared by every client)."),
};
export const accountInputSchema = z.strictObject({ email: z.string(), ...accountFields });
export const accountPatchSchema = z.strictObject(accountFields);

export const cloudCredentialSchema = z.strictObject({
  projects: z.array(z.string()).describe("The project ids (or numbers) this token may read."),
  canEnable: z.boolean().optional(),
  principal: z
    .string()
    .optional()
    .describe(
      "The IAM principal the token stands for, e.g. user:ops@acme.com (service accounts' token creators name it).",
    ),
});
const scenarioCredentialSchema = z.strictObject({
  token: z.string().describe("Any opaque bearer token of 8 characters or more."),
  ...cloudCredentialSchema.shape,
});

export const serviceAccountKeyInputSchema = z.strictObject({
  id: z.string().optional().describe("The key's ID (private_key_id of a key file); default a new 40-hex ID."),
  publicKey: z.string().describe("The public half as PEM (SPKI or PKCS#1); the emulator never needs the private half."),
  disabled: z.boolean().optional(),
});

export const serviceAccountInputSchema = z.strictObject({
  email: z.string().describe("NAME@PROJECT.iam.gserviceaccount.com; the project must exist."),
  uniqueId: z
    .string()
    .optional()
    .describe("The 21-digit unique ID (the DWD Client ID); default derived from the email."),
  displayName: z.string().optional(),
  disabled: z.boolean().optional(),
  tokenCreators: z
    .array(z.string())
    .optional()
    .describe("IAM principals holding roles/iam.serviceAccountTokenCreator on it (e.g. user:ops@acme.com)."),
  keys: z.array(serviceAccountKeyInputSchema).optional(),
});

/** One row of a domain's Manage Domain Wide Delegation table: client ID → scopes. */
export const delegationInputSchema = z.strictObject({
  domain: z.string(),
  clientId: z.string().describe("The service account's unique ID."),
  scopes: z.array(z.string()).describe("Empty: the row is removed."),
});

export const scenarioSchema = z.strictObject({
  seed: z
    .number()
    .min(0)
    .max(2 ** 31)
    .optional()
    .describe("Seed of the fault-fraction generator."),
  issuer: z.string().optional().describe("`iss` of redirects, id_tokens and discovery; default the emulator origin."),
  clock: z
    .strictObject({ now: z.union([z.string(), z.number()]).optional(), frozen: z.boolean().optional() })
    .optional(),
  projects: z.array(projectInputSchema).optional(),
  clients: z.array(clientInputSchema).optional(),
  accounts: z.array(accountInputSchema).optional(),
  cloudCredentials: z.array(scenarioCredentialSchema).optional(),
  serviceAccounts: z.array(serviceAccountInputSchema).optional(),
  delegations: z
    .array(delegationInputSchema)
    .optional()
    .describe("Each Workspace domain's Manage Domain Wide Delegation rows."),
  faults: z.partialRecord(z.enum(FAULT_ROUTES), faultSchema).optional(),
});
