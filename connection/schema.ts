// The one definition of the connection's input shapes: the stack config (with its single-client shorthand), the
// connection spec the program exports, and their parts. The public types (connection/types.ts, connection/config.ts),
// the key lists the readers check unknown keys against (connection/parse.ts), the JSON Schemas shipped for editors
// (schemas/, scripts/generate-schemas.ts) and the field tables of docs/provisioning.md all come from here, so a field
// added here reaches all of them. The readers in parse.ts still judge each value (Google's rules, defaults, presets):
// their messages name the fix, which a shape alone cannot.
import { z } from "zod";
export { keysOf } from "../common/schema";
import { MAIL_TRANSPORTS, type MailTransport } from "../google/mail";
import type { ClientType, PublishingStatus, UserType } from "../google/oauthApp";
import { PRESET_NAMES, type PresetName } from "./presets";

export const SPEC_VERSION = 1;

const USER_TYPES = ["internal", "external"] as const satisfies readonly UserType[];
const PUBLISHING_STATUSES = ["testing", "production"] as const satisfies readonly PublishingStatus[];
const CLIENT_TYPES = ["web", "desktop"] as const satisfies readonly ClientType[];
export const VERIFICATION_STATUSES = ["not-submitted", "in-progress", "verified"] as const;
export const SIGNING_MODES = ["keyless", "key"] as const;
export const PROJECT_MODES = ["create", "adopt"] as const;

const strings = () => z.array(z.string()).readonly();
const transports = () =>
  z
    .array(z.enum(MAIL_TRANSPORTS as readonly MailTransport[] as [MailTransport, ...MailTransport[]]))
    .readonly()
    .describe("How the app reaches Gmail: smtp, imap and/or gmail-api; default the preset's.");
const presetName = () =>
  z.enum(PRESET_NAMES as readonly PresetName[] as [PresetName, ...PresetName[]]).describe("An app preset.");
// YAML reads unquoted digits as numbers (org and folder ids); they are still ids.
const numericId = (what: string) => z.union([z.string(), z.number().int()]).describe(what);
// Pulumi hands config booleans over as "true"/"false" text.
const flag = (what: string) => z.union([z.boolean(), z.enum(["true", "false"])]).describe(what);

// ---- Stack config (Pulumi.<stack>.yaml, and connectionSpec() in a program) --------------------------------------

export const projectConfigSchema = z
  .strictObject({
    mode: z.enum(PROJECT_MODES).optional().describe("create (default): the program creates it; adopt: it exists."),
    id: z.string().describe("The project id, 6-30 lower-case letters, digits and hyphens."),
    name: z.string().optional().describe("The project's display name (create only)."),
    orgId: numericId("The organization's number, when the project is created under it.").optional(),
    folderId: numericId("The folder's number, when the project is created in a folder.").optional(),
    billingAccount: z.string().optional().describe("XXXXXX-XXXXXX-XXXXXX; needed to store a client secret."),
    labels: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe("Project labels (create only)."),
    deletionProtection: flag("false lets `pulumi destroy` delete the project; default true.").optional(),
  })
  .describe("The Google Cloud project.");

export const brandingConfigSchema = z
  .strictObject({
    appName: z.string().describe("The app name users see on the consent screen."),
    supportEmail: z.string().describe("The address users can write to about consent."),
    developerContacts: strings().optional().describe("Google writes to these; default supportEmail."),
    authorizedDomains: strings().optional().describe("Default: the domains the consent screen and the redirects use."),
    homepageUrl: z.string().optional(),
    privacyPolicyUrl: z.string().optional(),
    termsOfServiceUrl: z.string().optional(),
  })
  .describe("The consent screen's branding.");

export const audienceConfigSchema = z
  .strictObject({
    userType: z.enum(USER_TYPES).optional().describe("internal (the organization only) or external (default)."),
    publishingStatus: z.enum(PUBLISHING_STATUSES).optional().describe("testing (default for external) or production."),
    testUsers: strings().optional().describe("While testing: the Google Accounts that may sign in (at most 100)."),
    verification: z
      .enum(VERIFICATION_STATUSES)
      .optional()
      .describe("What the team declares about Google's verification; default not-submitted."),
  })
  .describe("Who may sign in.");

export const clientConfigSchema = z
  .strictObject({
    name: z
      .string()
      .optional()
      .describe("Lower-case letters, digits and hyphens; also the client's name in the console and its secret's name."),
    preset: presetName().optional(),
    instanceUrl: z.string().optional().describe("The app's public URL; with a preset it gives the redirect URI."),
    callbackPath: z.string().optional().describe("The app's OAuth callback path, where the preset lets it change."),
    type: z.enum(CLIENT_TYPES).optional().describe("web (default) or desktop."),
    redirectUris: strings().optional().describe("Redirect URIs besides the preset's."),
    javascriptOrigins: strings().optional(),
    clientId: z.string().optional().describe("Filled in after the client exists in the console."),
    transports: transports().optional(),
  })
  .describe("One OAuth client.");

export const serviceAccountConfigSchema = z
  .strictObject({
    name: z.string().optional().describe("The spec's own name for it; default accountId."),
    accountId: z.string().describe("The part before @ of NAME@PROJECT.iam.gserviceaccount.com."),
    displayName: z.string().optional(),
    description: z.string().optional(),
    scopes: strings().describe("The Gmail scopes the Workspace admin delegates."),
    mailboxes: strings().describe("The Workspace mailboxes it must be able to act as."),
    signing: z.enum(SIGNING_MODES).optional().describe("keyless (default, IAM signJwt) or key (a downloaded key)."),
    uniqueId: z
      .string()
      .optional()
      .describe("Known after deploy: the 21-digit number the admin console calls Client ID."),
  })
  .describe("A service account with domain-wide delegation.");

/** The keys of one client that may also sit at the top of the stack config when there is one client. */
export const SHORTHAND_CLIENT_KEYS = ["preset", "instanceUrl", "callbackPath", "clientId", "transports"] as const;

const shorthand = clientConfigSchema.pick({
  preset: true,
  instanceUrl: true,
  callbackPath: true,
  clientId: true,
  transports: true,
}).shape;

/** The secrets the stack holds encrypted; a program hands them to GmailConnection instead. */
const secretsShape = {
  clientSecret: z.string().optional().describe("The one client's secret (pulumi config set --secret)."),
  clientSecrets: z
    .record(z.string(), z.string())
    .optional()
    .describe("Secrets by client name (pulumi config set --secret --path)."),
};

const connectionConfigShape = {
  project: projectConfigSchema,
  branding: brandingConfigSchema,
  audience: audienceConfigSchema.optional(),
  scopes: strings().optional().describe("The scopes the app requests; default the presets'."),
  clients: z.array(clientConfigSchema).readonly().optional().describe("The OAuth clients."),
  ...shorthand,
  oauthAdmins: strings().optional().describe("Principals granted roles/oauthconfig.editor, e.g. user:ana@example.com."),
  appServiceAccount: z.string().optional().describe("The app's service account, granted the client secret."),
  organizationDomain: z.string().optional().describe("The Workspace domain of the organization."),
  serviceAccounts: z.array(serviceAccountConfigSchema).readonly().optional(),
};

/** The stack config without its secrets: what `connectionSpec()` takes in a program. */
export const connectionConfigSchema = z.strictObject(connectionConfigShape);

/** Every key of the stack config (without the `gmail-oauth:` namespace), secrets included. */
const { serviceAccounts, ...beforeServiceAccounts } = connectionConfigShape;
export const stackConfigSchema = z.strictObject({ ...beforeServiceAccounts, ...secretsShape, serviceAccounts });

// ---- The connection spec (the stack output `connectionSpec`, the validator's --spec) ---------------------------

export const projectSpecSchema = z
  .strictObject({
    mode: z.enum(PROJECT_MODES).describe("create: the program creates the project; adopt: it already exists."),
    id: z.string(),
    name: z.string().optional(),
    orgId: z.string().optional(),
    folderId: z.string().optional(),
    billingAccount: z.string().optional(),
    labels: z.record(z.string(), z.string()).readonly().optional(),
    deletionProtection: z.boolean().describe("`pulumi destroy` deletes the project only when this is false."),
    number: z.string().optional().describe("Known after deploy; Google's errors quote the number, not the id."),
  })
  .readonly();

export const brandingSpecSchema = z
  .strictObject({
    appName: z.string(),
    supportEmail: z.string(),
    developerContacts: strings(),
    authorizedDomains: strings(),
    homepageUrl: z.string().optional(),
    privacyPolicyUrl: z.string().optional(),
    termsOfServiceUrl: z.string().optional(),
  })
  .readonly();

export const audienceSpecSchema = z
  .strictObject({
    userType: z.enum(USER_TYPES),
    publishingStatus: z.enum(PUBLISHING_STATUSES),
    testUsers: strings(),
    verification: z.enum(VERIFICATION_STATUSES),
  })
  .readonly();

export const dataAccessSpecSchema = z.strictObject({ scopes: strings() }).readonly();

export const oauthClientSpecSchema = z
  .strictObject({
    name: z.string(),
    type: z.enum(CLIENT_TYPES),
    redirectUris: strings(),
    javascriptOrigins: strings(),
    preset: z.string().optional().describe("The app preset this client came from, if any."),
    instanceUrl: z.string().optional(),
    clientId: z.string().optional().describe("Filled once the console step is done; client IDs are not secret."),
    transports: transports().optional(),
  })
  .readonly();

export const serviceAccountSpecSchema = z
  .strictObject({
    name: z.string(),
    accountId: z.string(),
    displayName: z.string().optional(),
    description: z.string().optional(),
    scopes: strings(),
    mailboxes: strings(),
    signing: z.enum(SIGNING_MODES),
    uniqueId: z.string().optional(),
  })
  .readonly();

export const connectionSpecSchema = z
  .strictObject({
    version: z.literal(SPEC_VERSION),
    project: projectSpecSchema,
    branding: brandingSpecSchema,
    audience: audienceSpecSchema,
    dataAccess: dataAccessSpecSchema,
    clients: z.array(oauthClientSpecSchema).readonly(),
    oauthAdmins: strings(),
    appServiceAccount: z.string().optional(),
    organizationDomain: z.string().optional(),
    serviceAccounts: z.array(serviceAccountSpecSchema).readonly().optional(),
  })
  .readonly();

/** A spec file: the spec itself, or `pulumi stack output --json` with it under connectionSpec (maybe as JSON text). */
export const specFileSchema = z.union([
  connectionSpecSchema
    .unwrap()
    .extend({ $schema: z.string().optional().describe("An editor's pointer to this schema.") }),
  z.looseObject({
    $schema: z.string().optional(),
    connectionSpec: z.union([connectionSpecSchema, z.string()]),
  }),
]);
