// The pack's policies: the pure rules of ./rules.ts wrapped as @pulumi/policy ResourceValidationPolicy objects, with
// their config schemas. Kept apart from ./index.ts because constructing a PolicyPack starts a gRPC server; this module
// only builds plain objects, so tests (and other tools) can import it freely. Type-only import of @pulumi/policy.

import type { PolicyConfigSchema, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { redact } from "../common/redact";
import { CONNECTION_TYPE, PROJECT_TYPE } from "../connection/resourceTypes";
import type { ConnectionSpec } from "../connection/types";
import { stackFromUrn } from "./patterns";
import {
  checkInternalUserType,
  checkProductionVerification,
  checkProjectDeletionPolicy,
  checkRedirectUris,
  checkScopes,
  checkServiceAccounts,
  checkSpecDeletionProtection,
  checkTestUserDomains,
  DEFAULT_DELETION_PROTECTION_CONFIG,
  DEFAULT_INTERNAL_USER_TYPE_CONFIG,
  DEFAULT_REDIRECT_URI_CONFIG,
  DEFAULT_SCOPE_CONFIG,
  DEFAULT_SERVICE_ACCOUNT_POLICY_CONFIG,
  DEFAULT_TEST_USER_DOMAIN_CONFIG,
  DEFAULT_VERIFICATION_CONFIG,
  formatViolation,
  type RuleContext,
  type RuleOutcome,
} from "./rules";

// Part of this module's API: tools that run the policies match resources by these tokens.
export { CONNECTION_TYPE, PROJECT_TYPE };

export const POLICY_PACK_NAME = "gmail-connection-kit";

/** What a check returns for a resource it does not look at: no verdict at all, not a pass. */
const NOT_OURS = undefined;

type Check<C> = (
  type: string,
  props: Record<string, unknown>,
  config: C,
  ctx: RuleContext,
) => RuleOutcome | typeof NOT_OURS;

/** A minimal shape check: the rules index into these, and a program that forgot the input must not pass silently. */
function looksLikeSpec(value: unknown): value is ConnectionSpec {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.project === "object" && typeof v.audience === "object" && Array.isArray(v.clients);
}

function onConnection<C>(rule: (spec: ConnectionSpec, config: C, ctx: RuleContext) => RuleOutcome): Check<C> {
  return (type, props, config, ctx) => {
    if (type !== CONNECTION_TYPE) return NOT_OURS;
    const spec: unknown = props.spec;
    if (!looksLikeSpec(spec)) {
      // The policy could not run: say so, and block rather than pass a connection nobody checked.
      return {
        violations: [
          {
            field: "spec",
            problem:
              "inconclusive: the GmailConnection resource has no ConnectionSpec input (project, audience, clients)",
            fix: "register the component with inputs { spec } as the kit's Pulumi program does",
          },
        ],
      };
    }
    return rule(spec, config, ctx);
  };
}

/** The policy's config: the defaults, overridden key by key by what the stack's policy config sets. */
export function effectiveConfig<C extends object>(defaults: C, configured: Record<string, unknown> | undefined): C {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const key of Object.keys(defaults)) {
    if (configured && configured[key] !== undefined) out[key] = configured[key];
  }
  return out as C;
}

function makePolicy<C extends object>(def: {
  name: string;
  description: string;
  defaults: C;
  schema: PolicyConfigSchema["properties"];
  check: Check<C>;
}): ResourceValidationPolicy {
  return {
    name: def.name,
    description: def.description,
    enforcementLevel: "mandatory",
    configSchema: { properties: def.schema },
    validateResource: (args: ResourceValidationArgs, reportViolation) => {
      const config = effectiveConfig(def.defaults, args.getConfig<Record<string, unknown>>());
      const ctx: RuleContext = { stack: stackFromUrn(args.urn) ?? "" };
      const outcome = def.check(args.type, args.props, config, ctx);
      if (!outcome) return;
      for (const v of outcome.violations) reportViolation(redact(formatViolation(v)));
      if (outcome.notApplicable) args.notApplicable(redact(outcome.notApplicable));
    },
  };
}

const stringList = (description: string, defaults: readonly string[]) => ({
  type: "array" as const,
  items: { type: "string" as const },
  default: [...defaults],
  description,
});
const flag = (description: string, defaults: boolean) => ({ type: "boolean" as const, default: defaults, description });

export const policies: ResourceValidationPolicy[] = [
  makePolicy({
    name: "gmail-redirect-uris-https",
    description:
      "OAuth redirect URIs and JavaScript origins use https; localhost (and Desktop loopback clients) only on named dev stacks.",
    defaults: DEFAULT_REDIRECT_URI_CONFIG,
    schema: {
      devStacks: stringList(
        "Stack names or * patterns where localhost redirects are allowed.",
        DEFAULT_REDIRECT_URI_CONFIG.devStacks,
      ),
      allowDesktopClients: flag(
        "Allow Desktop (loopback-only) clients on every stack.",
        DEFAULT_REDIRECT_URI_CONFIG.allowDesktopClients,
      ),
    },
    check: onConnection(checkRedirectUris),
  }),
  makePolicy({
    name: "gmail-scopes-allow-list",
    description:
      "Requested scopes come from an allow-list, and the full-mailbox scope only when a client's preset needs it.",
    defaults: DEFAULT_SCOPE_CONFIG,
    schema: {
      allowedScopes: stringList(
        "Scopes (URLs or aliases) a connection may request.",
        DEFAULT_SCOPE_CONFIG.allowedScopes,
      ),
      leastPrivilege: flag(
        "Flag https://mail.google.com/ when no client's preset needs it.",
        DEFAULT_SCOPE_CONFIG.leastPrivilege,
      ),
      fullMailboxPresets: stringList(
        "Presets whose app itself requests https://mail.google.com/ (default: derived from connection/presets.ts).",
        DEFAULT_SCOPE_CONFIG.fullMailboxPresets,
      ),
    },
    check: onConnection((spec, config) => checkScopes(spec, config)),
  }),
  makePolicy({
    name: "gmail-internal-user-type",
    description: "A project inside an organization serves Internal users only.",
    defaults: DEFAULT_INTERNAL_USER_TYPE_CONFIG,
    schema: {
      exemptProjects: stringList(
        "Project ids or * patterns allowed to be External.",
        DEFAULT_INTERNAL_USER_TYPE_CONFIG.exemptProjects,
      ),
    },
    check: onConnection((spec, config) => checkInternalUserType(spec, config)),
  }),
  makePolicy({
    name: "gmail-test-user-domains",
    description: "Test users come only from allowed email domains.",
    defaults: DEFAULT_TEST_USER_DOMAIN_CONFIG,
    schema: {
      allowedDomains: stringList(
        "Email domains or * patterns for test users; empty means the spec's organizationDomain.",
        DEFAULT_TEST_USER_DOMAIN_CONFIG.allowedDomains,
      ),
    },
    check: onConnection((spec, config) => checkTestUserDomains(spec, config)),
  }),
  makePolicy({
    name: "gmail-production-verification",
    description:
      "An External app in production with sensitive or restricted scopes declares its Google verification status.",
    defaults: DEFAULT_VERIFICATION_CONFIG,
    schema: {
      acceptedStatuses: {
        type: "array",
        items: { type: "string", enum: ["not-submitted", "in-progress", "verified"] },
        default: [...DEFAULT_VERIFICATION_CONFIG.acceptedStatuses],
        description: "Declared verification statuses accepted in production.",
      },
    },
    check: onConnection((spec, config) => checkProductionVerification(spec, config)),
  }),
  makePolicy({
    name: "gmail-project-deletion-protection",
    description:
      "The project is protected from deletion: spec.project.deletionProtection on, and the Project's deletionPolicy PREVENT.",
    defaults: DEFAULT_DELETION_PROTECTION_CONFIG,
    schema: {
      exemptStacks: stringList(
        "Stack names or * patterns where the project may be deletable.",
        DEFAULT_DELETION_PROTECTION_CONFIG.exemptStacks,
      ),
    },
    check: (type, props, config, ctx) => {
      if (type === PROJECT_TYPE)
        return checkProjectDeletionPolicy(props.deletionPolicy as string | undefined, config, ctx);
      return onConnection(checkSpecDeletionProtection)(type, props, config, ctx);
    },
  }),
  makePolicy({
    name: "gmail-service-accounts",
    description:
      "Service accounts with domain-wide delegation sign keyless, are delegated only allowed scopes, and never the full mailbox unless allowed.",
    defaults: DEFAULT_SERVICE_ACCOUNT_POLICY_CONFIG,
    schema: {
      keylessOnly: flag(
        "Refuse signing: key (a downloaded service account key).",
        DEFAULT_SERVICE_ACCOUNT_POLICY_CONFIG.keylessOnly,
      ),
      allowedScopes: stringList(
        "Scopes a service account may be delegated.",
        DEFAULT_SERVICE_ACCOUNT_POLICY_CONFIG.allowedScopes,
      ),
      allowFullMailbox: flag(
        "Allow https://mail.google.com/ on a service account.",
        DEFAULT_SERVICE_ACCOUNT_POLICY_CONFIG.allowFullMailbox,
      ),
    },
    check: onConnection((spec, config) => checkServiceAccounts(spec, config)),
  }),
];
