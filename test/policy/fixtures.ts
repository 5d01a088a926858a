// Connection specs for the policy tests: one that every rule accepts, and a helper to break it one field at a time.
import { DEFAULT_SCOPE } from "../../google/scopes";
import type { ConnectionSpec } from "../../connection/types";

export const GMAIL_SEND = "https://www.googleapis.com/auth/gmail.send";
export const FULL_MAILBOX = DEFAULT_SCOPE;

/** Compliant under the default config on a non-dev stack: an org project, Internal, https only, protected. */
export function compliantSpec(): ConnectionSpec {
  return {
    version: 1,
    project: { mode: "create", id: "mail-prod-1", orgId: "123456789012", deletionProtection: true },
    branding: {
      appName: "Mail",
      supportEmail: "it@example.com",
      developerContacts: ["it@example.com"],
      authorizedDomains: ["example.com"],
    },
    audience: {
      userType: "internal",
      publishingStatus: "production",
      testUsers: ["ana@example.com"],
      verification: "not-submitted",
    },
    dataAccess: { scopes: [GMAIL_SEND, "openid", "email"] },
    clients: [
      {
        name: "n8n",
        type: "web",
        preset: "n8n",
        redirectUris: ["https://n8n.example.com/rest/oauth2-credential/callback"],
        javascriptOrigins: ["https://n8n.example.com"],
      },
    ],
    oauthAdmins: ["group:mail-admins@example.com"],
    organizationDomain: "example.com",
  };
}

type DeepMutable<T> = {
  -readonly [K in keyof T]: T[K] extends readonly (infer U)[]
    ? DeepMutable<U>[]
    : T[K] extends object
      ? DeepMutable<T[K]>
      : T[K];
};

/** A copy of the compliant spec with one change applied. */
export function specWith(change: (s: DeepMutable<ConnectionSpec>) => void): ConnectionSpec {
  const s = structuredClone(compliantSpec()) as DeepMutable<ConnectionSpec>;
  change(s);
  return s as ConnectionSpec;
}
