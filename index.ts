// The package's main entry (`import … from "gmail-connection-kit"`): the component for a consumer's own Pulumi program,
// the spec builder and types, and Google's scope table. The other entry points are `gmail-connection-kit/validator`
// (validator/index.ts), `/emulator` (emulator/index.ts) and `/policy` (policy/policies.ts); see docs/library.md.
export { GmailConnection, type GmailConnectionArgs } from "./infra/gmailConnection";
export type { RunbookOptions } from "./connection/runbook";
export * from "./connection/config";
export * from "./connection/types";
export { CONFIG_NAMESPACE, parseConnectionSpec } from "./connection/parse";
export { PRESETS, PRESET_NAMES, type AppPreset, type PresetName } from "./connection/presets";
export { CONNECTION_TYPE } from "./connection/resourceTypes";
export * from "./google/scopes";
export * from "./google/redirectUris";
export * from "./google/authError";
export type { ClientType, PublishingStatus, UserType } from "./google/oauthApp";
export { InputError, InputErrors, isInputError } from "./common/errors";
