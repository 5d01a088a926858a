// The service-account key file the console downloads (IAM → Service accounts → Keys → Add key → JSON; the format
// google-auth-library reads, google-behaviour.md §10): one definition for the emulator, which writes it, and the
// validator, which reads it.
import { z } from "zod";

/** What a reader needs of a key file; other fields Google adds (client_x509_cert_url, universe_domain) pass through. */
export const serviceAccountKeyFileSchema = z.looseObject({
  type: z.literal("service_account"),
  project_id: z.string().optional(),
  private_key_id: z.string().optional().describe("The key's ID; JWTs name it as kid."),
  private_key: z.string().describe("The private half, PEM (PKCS#8)."),
  client_email: z.string().describe("NAME@PROJECT.iam.gserviceaccount.com"),
  client_id: z.string().optional().describe("The 21-digit unique ID: the admin console's Client ID."),
  auth_uri: z.string().optional(),
  token_uri: z.string().optional(),
});

/** A key file as the console writes it: every field present. */
export type ServiceAccountKeyFile = Required<
  Pick<
    z.infer<typeof serviceAccountKeyFileSchema>,
    "type" | "project_id" | "private_key_id" | "private_key" | "client_email" | "client_id" | "auth_uri" | "token_uri"
  >
>;
