// The connection spec: the one description of a Gmail OAuth connection. The Pulumi program produces it from stack
// config and exports it as `connectionSpec`; the validator reads it back; the sandbox loads it into the emulator.
// The types are inferred from the spec's schema (connection/schema.ts), so the types, the reader's key lists and the
// shipped JSON Schema cannot drift apart. No Pulumi import: the validator must load this without Pulumi.
import type { z } from "zod";
import type {
  audienceSpecSchema,
  brandingSpecSchema,
  connectionSpecSchema,
  dataAccessSpecSchema,
  oauthClientSpecSchema,
  projectSpecSchema,
  serviceAccountSpecSchema,
  SIGNING_MODES,
  VERIFICATION_STATUSES,
} from "./schema";

export { SPEC_VERSION } from "./schema";

/** What the team declares about Google's brand/scope verification; Google exposes no API to read it. */
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export type ProjectSpec = z.infer<typeof projectSpecSchema>;
export type BrandingSpec = z.infer<typeof brandingSpecSchema>;
export type AudienceSpec = z.infer<typeof audienceSpecSchema>;
export type DataAccessSpec = z.infer<typeof dataAccessSpecSchema>;
/**
 * One OAuth client. `transports` (how the app reaches Gmail: SMTP out, IMAP in, the Gmail API) is undefined in specs
 * written before transports existed and for a generic app that declares none: the validator then tests the Gmail API.
 */
export type OAuthClientSpec = z.infer<typeof oauthClientSpecSchema>;

/**
 * How the app signs the JWT it trades for a token as a mailbox (google-behaviour.md §10): `keyless` asks IAM
 * Credentials signJwt with the app's own identity (no key to leak or rotate); `key` uses a downloaded key, stored in
 * Secret Manager.
 */
export type ServiceAccountSigning = (typeof SIGNING_MODES)[number];

/** A service account the Workspace admin lets act as the domain's users (domain-wide delegation, google-behaviour.md §10). */
export type ServiceAccountSpec = z.infer<typeof serviceAccountSpecSchema>;

/**
 * The whole connection: project, consent screen (branding, audience), data access, OAuth clients, the principals
 * granted roles/oauthconfig.editor (`oauthAdmins`), the app's service account, the Workspace domain, and the service
 * accounts with domain-wide delegation (absent when the connection has none).
 */
export type ConnectionSpec = z.infer<typeof connectionSpecSchema>;

/**
 * The spec's first OAuth client, for callers whose specs always have one (setup writes exactly one); a spec without
 * any is a bug there, said as such rather than left to a later `undefined`.
 */
export function firstClient(spec: ConnectionSpec): OAuthClientSpec {
  const client = spec.clients[0];
  if (!client) throw new Error("the connection spec has no OAuth client");
  return client;
}
