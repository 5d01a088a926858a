// Google's endpoints. With an origin override (the emulator), every host maps to that one origin and the paths stay
// unchanged, so one `--google-origin` redirects the whole kit.
import { ENV } from "../common/env";

export const GOOGLE_HOSTS = {
  accounts: "https://accounts.google.com",
  oauth2: "https://oauth2.googleapis.com",
  gmail: "https://gmail.googleapis.com",
  serviceUsage: "https://serviceusage.googleapis.com",
  resourceManager: "https://cloudresourcemanager.googleapis.com",
  iamCredentials: "https://iamcredentials.googleapis.com",
  iam: "https://iam.googleapis.com",
} as const;

export const GMAIL_SERVICE = "gmail.googleapis.com";

export interface GoogleEndpoints {
  /** The override origin, or undefined for real Google. */
  readonly origin?: string;
  readonly authorize: string;
  readonly token: string;
  readonly tokeninfo: string;
  readonly revoke: string;
  gmail(path: string): string;
  service(project: string, service: string): string;
  project(project: string): string;
  /** IAM Credentials signJwt for a service account (google-behaviour.md §10). */
  signJwt(serviceAccount: string): string;
  /** IAM projects.serviceAccounts.get: the account's uniqueId, the client ID delegation names (google-behaviour.md §10). */
  serviceAccount(project: string, serviceAccount: string): string;
}

export function googleEndpoints(origin?: string): GoogleEndpoints {
  const o = origin?.replace(/\/+$/, "");
  const host = (h: keyof typeof GOOGLE_HOSTS) => o ?? GOOGLE_HOSTS[h];
  return {
    origin: o,
    authorize: `${host("accounts")}/o/oauth2/v2/auth`,
    token: `${host("oauth2")}/token`,
    tokeninfo: `${host("oauth2")}/tokeninfo`,
    revoke: `${host("oauth2")}/revoke`,
    gmail: (path) => `${host("gmail")}/gmail/v1/${path.replace(/^\/+/, "")}`,
    service: (project, service) =>
      `${host("serviceUsage")}/v1/projects/${encodeURIComponent(project)}/services/${service}`,
    project: (project) => `${host("resourceManager")}/v3/projects/${encodeURIComponent(project)}`,
    signJwt: (sa) => `${host("iamCredentials")}/v1/projects/-/serviceAccounts/${encodeURIComponent(sa)}:signJwt`,
    serviceAccount: (project, sa) =>
      `${host("iam")}/v1/projects/${encodeURIComponent(project)}/serviceAccounts/${encodeURIComponent(sa)}`,
  };
}

/** Reads the override from the flag, else GMAIL_OAUTH_GOOGLE_ORIGIN (validator/inputs.ts checks that it is an http(s) origin). */
export function resolveGoogleOrigin(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const value = flag ?? env[ENV.googleOrigin];
  if (value === undefined || value === "") return undefined;
  return value;
}
