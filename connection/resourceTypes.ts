// The Pulumi type tokens the kit's own code recognises resources by: the policy pack checks them, the sandbox's
// engine applies them to the emulator, the program's tests look them up. No imports on purpose: the policy pack loads this module through ts-node
// (extensionless paths), and must not pull in @pulumi/gcp to read two strings.

/** The component the Pulumi program registers (infra/gmailConnection.ts); its inputs are `{ spec: ConnectionSpec }`. */
export const CONNECTION_TYPE = "gmail-oauth:index:GmailConnection";
/** gcp.organizations.Project's type token. */
export const PROJECT_TYPE = "gcp:organizations/project:Project";

/** Every gcp resource type the program creates, by role. */
export const RESOURCE_TYPES = {
  project: PROJECT_TYPE,
  service: "gcp:projects/service:Service",
  iamMember: "gcp:projects/iAMMember:IAMMember",
  secret: "gcp:secretmanager/secret:Secret",
  secretVersion: "gcp:secretmanager/secretVersion:SecretVersion",
  secretIam: "gcp:secretmanager/secretIamMember:SecretIamMember",
  serviceAccount: "gcp:serviceaccount/account:Account",
  serviceAccountIam: "gcp:serviceaccount/iAMMember:IAMMember",
  serviceAccountKey: "gcp:serviceaccount/key:Key",
} as const;
