// The package's main entry (`import … from "gmail-connection-kit"`): the component for a consumer's own Pulumi program,
// the spec builder and types, and Google's scope table. The other entry points are `gmail-connection-kit/validator`
// (validator/index.ts), `/emulator` (emulator/index.ts) and `/policy` (policy/policies.ts); see docs/library.md.
// Every export is named: what the package promises is this list, not whatever a module happens to export.
export { GmailConnection, type GmailConnectionArgs } from "./infra/gmailConnection";
export type { RunbookOptions } from "./connection/runbook";
export {
  connectionSpec,
  type ClientConfig,
  type ConnectionConfig,
  type ConnectionSpecOptions,
  type ServiceAccountConfig,
} from "./connection/config";
export {
  SPEC_VERSION,
  type AudienceSpec,
  type BrandingSpec,
  type ConnectionSpec,
  type DataAccessSpec,
  type OAuthClientSpec,
  type ProjectSpec,
  type ServiceAccountSigning,
  type ServiceAccountSpec,
  type VerificationStatus,
} from "./connection/types";
export { CONFIG_NAMESPACE, parseConnectionSpec } from "./connection/parse";
export { PRESETS, PRESET_NAMES, type AppPreset, type PresetName } from "./connection/presets";
export { CONNECTION_TYPE } from "./connection/resourceTypes";
export {
  DEFAULT_SCOPE,
  SCOPES,
  canonicalScope,
  isGmailScope,
  isKnownScope,
  needsVerification,
  scopeInfo,
  type ScopeClass,
  type ScopeInfo,
} from "./google/scopes";
export {
  explainMismatch,
  javascriptOriginProblems,
  redirectUriMatches,
  redirectUriProblems,
  type ClientKind,
  type UriProblem,
} from "./google/redirectUris";
export { authErrorFromUrl, decodeAuthError, AuthErrorDecodeError, type AuthError } from "./google/authError";
export type { MailTransport } from "./google/mail";
export type { ClientType, PublishingStatus, UserType } from "./google/oauthApp";
export { InputError, InputErrors, isInputError } from "./common/errors";
