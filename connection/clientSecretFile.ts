// The client_secret.json that the console offers for download (google-behaviour.md §8.3), rebuilt from the spec and the secret.
// The program stores this in Secret Manager, so an app reads one secret in the format Google's libraries load.
import { GOOGLE_HOSTS, googleEndpoints } from "../google/endpoints";
import { z } from "zod";
import type { OAuthClientSpec } from "./types";

/** One client's body in the download; `javascript_origins` only on a Web client that declares origins. */
export const clientSecretFileBodySchema = z.object({
  client_id: z.string(),
  project_id: z.string(),
  auth_uri: z.string(),
  token_uri: z.string(),
  auth_provider_x509_cert_url: z.string(),
  client_secret: z.string(),
  redirect_uris: z.array(z.string()).readonly(),
  javascript_origins: z.array(z.string()).readonly().optional(),
});

/** The download: the body under `web` or `installed`, which is how Google's libraries tell the client type. */
export const clientSecretFileSchema = z.strictObject({
  web: clientSecretFileBodySchema.readonly().optional(),
  installed: clientSecretFileBodySchema.readonly().optional(),
});

export type ClientSecretFileBody = Readonly<z.infer<typeof clientSecretFileBodySchema>>;
export type ClientSecretFile = z.infer<typeof clientSecretFileSchema>;

/**
 * The type of every field of the download format: the one table both the writer's type and the validator's reader
 * follow, so a reader cannot drop a field of the wrong type without naming it (issue 14 §4).
 */
export const CLIENT_SECRET_FILE_FIELDS = {
  client_id: "text",
  project_id: "text",
  auth_uri: "uri",
  token_uri: "uri",
  auth_provider_x509_cert_url: "uri",
  client_secret: "text",
  redirect_uris: "uri-list",
  javascript_origins: "uri-list",
} as const satisfies Record<keyof ClientSecretFileBody, "text" | "uri" | "uri-list">;

/** The Secret Manager secret id for a client: fixed by name, so the runbook can name it before deploy. */
export function clientSecretId(clientName: string): string {
  // Secret ids allow letters, digits, '-' and '_'; client names are already restricted to that.
  return `gmail-oauth-${clientName}`;
}

/** The top-level key ("web" or "installed") is how Google's libraries tell the client type (google-behaviour.md §8.3). */
export function clientSecretFile(
  client: OAuthClientSpec & { clientId: string },
  projectId: string,
  clientSecret: string,
): ClientSecretFile {
  const body: ClientSecretFileBody = {
    client_id: client.clientId,
    project_id: projectId,
    // The download still names the v1 authorize path; libraries accept it.
    auth_uri: `${GOOGLE_HOSTS.accounts}/o/oauth2/auth`,
    token_uri: googleEndpoints().token,
    auth_provider_x509_cert_url: "https://www.googleapis.com/oauth2/v1/certs",
    client_secret: clientSecret,
    redirect_uris: client.type === "web" ? client.redirectUris : ["http://localhost"],
    ...(client.type === "web" &&
      client.javascriptOrigins.length > 0 && { javascript_origins: client.javascriptOrigins }),
  };
  return client.type === "web" ? { web: body } : { installed: body };
}
