// Compiled only (the tarball test runs tsc over this folder, strict): a consumer's program using every part of the
// public types the parser accepts, so a field the reader takes but the declarations lack fails the build (issue 25).
import {
  connectionSpec,
  type ClientConfig,
  type ConnectionConfig,
  type MailTransport,
  type ServiceAccountConfig,
} from "gmail-connection-kit";
import { checkToken, validate, type ValidateOptions } from "gmail-connection-kit/validator";

const transports: readonly MailTransport[] = ["smtp", "imap"];

const client: ClientConfig = {
  name: "flectra-prod",
  preset: "flectra",
  instanceUrl: "https://mail.acme.com",
  transports,
};

const relay: ServiceAccountConfig = {
  accountId: "gmail-relay",
  scopes: ["https://www.googleapis.com/auth/gmail.send"],
  mailboxes: ["billing@acme.com"],
  signing: "keyless",
};

const config: ConnectionConfig = {
  project: { id: "acme-mail-prod", orgId: "123456789012" },
  branding: { appName: "Acme Mail", supportEmail: "it@acme.com" },
  audience: { userType: "internal" },
  clients: [client],
  appServiceAccount: "flectra-mail@acme-apps.iam.gserviceaccount.com",
  organizationDomain: "acme.com",
  serviceAccounts: [relay],
};

export const spec = connectionSpec(config);
export const firstTransports: readonly MailTransport[] | undefined = spec.clients[0]?.transports;
export const delegated: readonly string[] = spec.serviceAccounts?.flatMap((s) => s.mailboxes) ?? [];

// The validator's options are its own: typed enums and lists in the plural, not the CLI's flags.
const options: ValidateOptions = {
  connectionSpec: spec,
  account: "ana@acme.com",
  userType: "internal",
  publishingStatus: "production",
  redirectUris: ["https://mail.acme.com/google_gmail/confirm"],
  transports: ["smtp"],
  env: {},
};
export const run = () => Promise.all([validate(options), checkToken({ ...options, refreshToken: "1//token" })]);
