// A platform team's own Pulumi program that adds a Gmail connection: the component and the spec builder from the
// installed package, sharing the program's @pulumi/pulumi.
import * as pulumi from "@pulumi/pulumi";
import { connectionSpec, GmailConnection } from "gmail-connection-kit";

const config = new pulumi.Config();

const spec = connectionSpec({
  project: { id: "acme-mail-prod", orgId: "123456789012", billingAccount: "012345-6789AB-CDEF01" },
  branding: { appName: "Acme Mail", supportEmail: "it@acme.com" },
  audience: { userType: "internal" },
  clients: [
    {
      name: "flectra-prod",
      preset: "flectra",
      instanceUrl: "https://mail.acme.com",
      clientId: "123456789012-abc123def456.apps.googleusercontent.com",
    },
  ],
});

const mail = new GmailConnection("mail", {
  spec,
  clientSecrets: { "flectra-prod": config.requireSecret("flectraClientSecret") },
});

export const projectNumber = mail.projectNumber;
export const connection = mail.connectionSpec;
export const consoleRunbook = mail.consoleRunbook;
export const clientSecretNames = mail.clientSecretNames;
