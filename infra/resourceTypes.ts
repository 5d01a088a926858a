// The Pulumi type tokens the kit's own code recognises resources by: the policy pack checks them, the sandbox's
// engine applies them to the emulator. No imports on purpose: the policy pack loads this module through ts-node
// (extensionless paths), and must not pull in @pulumi/gcp to read two strings.

/** The component the Pulumi program registers (infra/gmailConnection.ts); its inputs are `{ spec: ConnectionSpec }`. */
export const CONNECTION_TYPE = "gmail-oauth:index:GmailConnection";
/** gcp.organizations.Project's type token. */
export const PROJECT_TYPE = "gcp:organizations/project:Project";
