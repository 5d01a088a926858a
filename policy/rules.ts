// The policy pack's rules as pure functions over a ConnectionSpec: one definition of each rule, tested with plain
// tables, and wrapped for Pulumi in ./policies.ts. Each rule takes its config (defaults below, overridable through the
// pack's config schema) and reports field-level violations with the fix.

import { consoleLink } from "../google/consoleLinks";
import { usesMailProtocols } from "../google/mail";
import { isLoopbackHost } from "../google/redirectUris";
import { canonicalScope, needsVerification, SCOPES, scopeInfo } from "../google/scopes";
import { PRESET_NAMES, PRESETS } from "../connection/presets";
import { emailDomain, isEmail } from "../google/identifiers";
import type { ConnectionSpec, VerificationStatus } from "../connection/types";
import { matchesAnyPattern } from "./patterns";

export interface Violation {
  /** The spec path that is wrong, e.g. `clients[0].redirectUris[1]`. */
  readonly field: string;
  readonly problem: string;
  readonly fix: string;
}

/** A rule either judged the spec (possibly with no violation), or could not apply to it, with the reason. */
export interface RuleOutcome {
  readonly violations: readonly Violation[];
  readonly notApplicable?: string;
}

export interface RuleContext {
  /** The Pulumi stack being previewed or updated. */
  readonly stack: string;
}

/** One line, the same shape as the CLI's InputError: `field: problem; fix`. */
export function formatViolation(v: Violation): string {
  return `${v.field}: ${v.problem}; ${v.fix}`;
}

const judged = (violations: Violation[]): RuleOutcome => ({ violations });
const notApplicable = (reason: string): RuleOutcome => ({ violations: [], notApplicable: reason });

// ---------------------------------------------------------------------------------------------------------------
// 1. Redirect URIs (and JavaScript origins) are https; localhost only on named dev stacks.

export interface RedirectUriConfig {
  /** Stack names or `*` patterns where localhost redirects and Desktop (loopback) clients are allowed. */
  readonly devStacks: readonly string[];
  /** Allow Desktop clients on every stack. They can only redirect to loopback (google-behaviour.md §8.2). */
  readonly allowDesktopClients: boolean;
}

export const DEFAULT_REDIRECT_URI_CONFIG: RedirectUriConfig = {
  devStacks: ["dev", "dev-*", "*-dev", "local"],
  allowDesktopClients: false,
};

function uriViolation(field: string, raw: string, stack: string, isDevStack: boolean): Violation | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { field, problem: `'${raw}' is not an absolute URL`, fix: "write it as https://host/path" };
  }
  if (isLoopbackHost(u.hostname)) {
    if (isDevStack) return undefined;
    return {
      field,
      problem: `localhost redirect '${raw}' is allowed only on dev stacks, and stack '${stack}' is not one`,
      fix: "remove it from this stack's config, or add the stack to the policy's devStacks if it really is a dev stack",
    };
  }
  if (u.protocol !== "https:") {
    const suggestion =
      u.protocol === "http:" ? `https://${u.host}${u.pathname}${u.search}` : "an https:// URI on your own domain";
    return { field, problem: `'${raw}' is not https`, fix: `use ${suggestion}` };
  }
  return undefined;
}

export function checkRedirectUris(spec: ConnectionSpec, config: RedirectUriConfig, ctx: RuleContext): RuleOutcome {
  const isDevStack = matchesAnyPattern(ctx.stack, config.devStacks);
  const violations: Violation[] = [];
  (spec.clients ?? []).forEach((client, i) => {
    if (client.type === "desktop" && !isDevStack && !config.allowDesktopClients) {
      violations.push({
        field: `clients[${i}].type`,
        problem: `a Desktop client redirects only to loopback (http://127.0.0.1:PORT), allowed only on dev stacks, and stack '${ctx.stack}' is not one`,
        fix: "use a Web client with https redirect URIs, or set the policy's allowDesktopClients to true",
      });
    }
    const lists = [
      ["redirectUris", client.redirectUris ?? []],
      ["javascriptOrigins", client.javascriptOrigins ?? []],
    ] as const;
    for (const [key, uris] of lists) {
      uris.forEach((raw, j) => {
        const v = uriViolation(`clients[${i}].${key}[${j}]`, raw, ctx.stack, isDevStack);
        if (v) violations.push(v);
      });
    }
  });
  return judged(violations);
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Scopes from an allow-list, and least privilege: the full-mailbox scope only when a client's preset needs it.

export interface ScopeConfig {
  /** Scopes (URLs or Google's aliases) the connection may request. */
  readonly allowedScopes: readonly string[];
  /** Flag the full-mailbox scope (https://mail.google.com/) when no client's preset needs it. */
  readonly leastPrivilege: boolean;
  /** Presets whose app itself requests the full-mailbox scope, so the consent screen must carry it. */
  readonly fullMailboxPresets: readonly string[];
}

/**
 * Presets whose fixed scope list (connection/presets.ts) holds the full-mailbox scope: SMTP/IMAP with XOAUTH2 (flectra,
 * odoo) or an app credential that requests it (n8n). `generic` is left out: its scope list is only a default, and
 * the team writes the generic app's scopes itself, so it can ask for gmail.send.
 */
export const PRESETS_NEEDING_FULL_MAILBOX: readonly string[] = PRESET_NAMES.filter(
  (name) => name !== "generic" && PRESETS[name].scopes.some((s) => scopeInfo(s)?.allowsImapSmtp === true),
);

export const DEFAULT_SCOPE_CONFIG: ScopeConfig = {
  // Every scope the kit knows (google/scopes.ts): the default only refuses unknown and non-Gmail scopes.
  allowedScopes: SCOPES.map((s) => s.scope),
  leastPrivilege: true,
  fullMailboxPresets: PRESETS_NEEDING_FULL_MAILBOX,
};

/** The narrowest scope that can still send mail (gmail.send): what least privilege suggests instead. */
const NARROWEST_SEND_SCOPE = (() => {
  const order = ["non-sensitive", "sensitive", "restricted"];
  const senders = SCOPES.filter((s) => s.allowsSend).sort((a, b) => order.indexOf(a.class) - order.indexOf(b.class));
  return senders[0]?.scope ?? "";
})();

export function checkScopes(spec: ConnectionSpec, config: ScopeConfig): RuleOutcome {
  const scopes = spec.dataAccess?.scopes ?? [];
  const allowed = new Set(config.allowedScopes.map(canonicalScope));
  const clients = spec.clients ?? [];
  // SMTP/IMAP accept only the full-mailbox scope (google-behaviour.md §11), so a client declaring them needs it too.
  const needFullMailbox = clients.filter(
    (c) =>
      (c.preset !== undefined && config.fullMailboxPresets.includes(c.preset)) ||
      (c.transports !== undefined && usesMailProtocols(c.transports)),
  );
  const violations: Violation[] = [];
  scopes.forEach((scope, k) => {
    const field = `dataAccess.scopes[${k}]`;
    if (!allowed.has(canonicalScope(scope))) {
      violations.push({
        field,
        problem: `'${scope}' is not on the allowed scope list`,
        fix: "remove it, or add it to the policy's allowedScopes after review",
      });
      return;
    }
    if (config.leastPrivilege && scopeInfo(scope)?.allowsImapSmtp && needFullMailbox.length === 0) {
      const who =
        clients.map((c, i) => `clients[${i}] (${c.preset ? `preset ${c.preset}` : "no preset"})`).join(", ") ||
        "no client";
      violations.push({
        field,
        problem: `'${scope}' grants the full mailbox (IMAP/SMTP, permanent delete), but no client's preset needs it: ${who}`,
        fix: `request ${NARROWEST_SEND_SCOPE} instead (add narrower read scopes only if the app reads mail), or list the preset in the policy's fullMailboxPresets`,
      });
    }
  });
  return judged(violations);
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Internal user type when the project sits in an organization (only such projects can choose Internal, google-behaviour.md §7).

export interface InternalUserTypeConfig {
  /** Project ids (or `*` patterns) allowed to serve External users even though they belong to an organization. */
  readonly exemptProjects: readonly string[];
}

export const DEFAULT_INTERNAL_USER_TYPE_CONFIG: InternalUserTypeConfig = { exemptProjects: [] };

export function checkInternalUserType(spec: ConnectionSpec, config: InternalUserTypeConfig): RuleOutcome {
  const { orgId, folderId, id } = spec.project ?? {};
  if (!orgId && !folderId)
    return notApplicable(
      "the project has no organization (no project.orgId or project.folderId), so Internal is not available",
    );
  if (id && matchesAnyPattern(id, config.exemptProjects))
    return notApplicable(`project '${id}' is in the policy's exemptProjects`);
  if (spec.audience?.userType === "internal") return judged([]);
  const parent = orgId ? `project.orgId=${orgId}` : `project.folderId=${folderId}`;
  return judged([
    {
      field: "audience.userType",
      problem: `is '${spec.audience?.userType}' but the project belongs to an organization (${parent})`,
      fix: "set audience.userType to internal so only the organization's accounts can authorize (Internal apps need no Google verification), or add the project to the policy's exemptProjects",
    },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Test users only from allowed domains.

export interface TestUserDomainConfig {
  /** Email domains (or `*.example.com` patterns) test users may come from; empty means the spec's organizationDomain. */
  readonly allowedDomains: readonly string[];
}

export const DEFAULT_TEST_USER_DOMAIN_CONFIG: TestUserDomainConfig = { allowedDomains: [] };

export function checkTestUserDomains(spec: ConnectionSpec, config: TestUserDomainConfig): RuleOutcome {
  const testUsers = spec.audience?.testUsers ?? [];
  if (testUsers.length === 0) return notApplicable("the spec lists no test users");
  const domains =
    config.allowedDomains.length > 0 ? config.allowedDomains : spec.organizationDomain ? [spec.organizationDomain] : [];
  if (domains.length === 0) {
    return notApplicable("no allowed domains: set the policy's allowedDomains, or organizationDomain in the spec");
  }
  const violations: Violation[] = [];
  testUsers.forEach((email, i) => {
    const field = `audience.testUsers[${i}]`;
    if (!isEmail(email)) {
      violations.push({
        field,
        problem: `'${email}' is not an email address`,
        fix: "list individual Google Accounts as name@domain",
      });
      return;
    }
    const domain = emailDomain(email);
    if (!matchesAnyPattern(domain, domains, true)) {
      violations.push({
        field,
        problem: `'${email}' is not from an allowed domain (${domains.join(", ")})`,
        fix: "remove this test user, or add the domain to the policy's allowedDomains",
      });
    }
  });
  return judged(violations);
}

// ---------------------------------------------------------------------------------------------------------------
// 5. Production with sensitive or restricted scopes requires a declared verification status.

export interface VerificationConfig {
  /** Declared statuses accepted for an External app in production whose scopes need verification. */
  readonly acceptedStatuses: readonly VerificationStatus[];
}

export const DEFAULT_VERIFICATION_CONFIG: VerificationConfig = { acceptedStatuses: ["in-progress", "verified"] };

export function checkProductionVerification(spec: ConnectionSpec, config: VerificationConfig): RuleOutcome {
  const audience = spec.audience;
  if (audience?.publishingStatus !== "production") return notApplicable("the app is not in production");
  // Internal apps need no verification (google-behaviour.md §7).
  if (audience.userType === "internal") return notApplicable("Internal apps need no Google verification");
  const needing = (spec.dataAccess?.scopes ?? []).filter(needsVerification);
  if (needing.length === 0) return notApplicable("no requested scope is sensitive or restricted");
  if (config.acceptedStatuses.includes(audience.verification)) return judged([]);
  return judged([
    {
      field: "audience.verification",
      problem: `is '${audience.verification}' but the app is in production with scopes that need Google verification (${needing.join(", ")}); until verified, users see the unverified-app screen and the 100-user cap applies`,
      fix: `submit the app in the Verification Center (${consoleLink("verification", spec.project?.id)}) and set audience.verification to ${config.acceptedStatuses.join(" or ")}`,
    },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// 6. Project deletion protection: the spec's flag, and the Project resource's deletionPolicy.

export interface DeletionProtectionConfig {
  /** Stack names or `*` patterns where a project may be deletable (throw-away test stacks). */
  readonly exemptStacks: readonly string[];
}

export const DEFAULT_DELETION_PROTECTION_CONFIG: DeletionProtectionConfig = { exemptStacks: [] };

/** The value gcp.organizations.Project uses when deletionPolicy is not set (provider docs: default PREVENT). */
export const PROTECTED_DELETION_POLICY = "PREVENT";

export function checkSpecDeletionProtection(
  spec: ConnectionSpec,
  config: DeletionProtectionConfig,
  ctx: RuleContext,
): RuleOutcome {
  if (spec.project?.mode !== "create") return notApplicable("the project is adopted, so the program never deletes it");
  if (matchesAnyPattern(ctx.stack, config.exemptStacks))
    return notApplicable(`stack '${ctx.stack}' is in the policy's exemptStacks`);
  if (spec.project.deletionProtection === true) return judged([]);
  return judged([
    {
      field: "project.deletionProtection",
      problem: "is off, so `pulumi destroy` would delete the project and every OAuth client in it",
      fix: "set project.deletionProtection to true, or add the stack to the policy's exemptStacks",
    },
  ]);
}

export function checkProjectDeletionPolicy(
  deletionPolicy: string | undefined,
  config: DeletionProtectionConfig,
  ctx: RuleContext,
): RuleOutcome {
  if (matchesAnyPattern(ctx.stack, config.exemptStacks))
    return notApplicable(`stack '${ctx.stack}' is in the policy's exemptStacks`);
  const effective = deletionPolicy ?? PROTECTED_DELETION_POLICY;
  if (effective === PROTECTED_DELETION_POLICY) return judged([]);
  return judged([
    {
      field: "deletionPolicy",
      problem: `is '${effective}', so the project can be deleted by \`pulumi destroy\``,
      fix: `set deletionPolicy to "${PROTECTED_DELETION_POLICY}" (project.deletionProtection: true in the connection spec), or add the stack to the policy's exemptStacks`,
    },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// 7. Service accounts with domain-wide delegation (google-behaviour.md §10): keyless signing only, delegated scopes no wider than
// the allow-list, and never the full mailbox unless allowed. A delegated scope reaches every mailbox of the domain.

export interface ServiceAccountPolicyConfig {
  /** Refuse `signing: key`: a downloaded key can leak and must be rotated; signJwt needs none. */
  readonly keylessOnly: boolean;
  /** Scopes (URLs or aliases) a service account may be delegated. */
  readonly allowedScopes: readonly string[];
  /** Allow https://mail.google.com/ (full mailbox, IMAP/SMTP) on a service account. */
  readonly allowFullMailbox: boolean;
}

export const DEFAULT_SERVICE_ACCOUNT_POLICY_CONFIG: ServiceAccountPolicyConfig = {
  keylessOnly: true,
  allowedScopes: SCOPES.filter((s) => s.class !== "identity").map((s) => s.scope),
  allowFullMailbox: false,
};

export function checkServiceAccounts(spec: ConnectionSpec, config: ServiceAccountPolicyConfig): RuleOutcome {
  const accounts = spec.serviceAccounts ?? [];
  if (accounts.length === 0) return notApplicable("the connection declares no service account");
  const allowed = new Set(config.allowedScopes.map(canonicalScope));
  const violations: Violation[] = [];
  accounts.forEach((sa, i) => {
    const at = `serviceAccounts[${i}]`;
    if (config.keylessOnly && sa.signing === "key")
      violations.push({
        field: `${at}.signing`,
        problem: `'key' downloads a service account key for ${sa.accountId}; this policy allows keyless signing only`,
        fix: "use signing: keyless (the app signs through IAM Credentials signJwt), or set keylessOnly: false after review",
      });
    sa.scopes.forEach((scope, k) => {
      const field = `${at}.scopes[${k}]`;
      if (scopeInfo(scope)?.allowsImapSmtp && !config.allowFullMailbox)
        violations.push({
          field,
          problem: `'${scope}' would let ${sa.accountId} read, send and delete in every mailbox of the domain`,
          fix: `delegate a narrower scope such as ${NARROWEST_SEND_SCOPE}, or set allowFullMailbox: true after review`,
        });
      else if (!allowed.has(canonicalScope(scope)))
        violations.push({
          field,
          problem: `'${scope}' is wider than the scopes this policy allows a service account`,
          fix: "delegate only scopes on the policy's allowedScopes list, or add it there after review",
        });
    });
  });
  return judged(violations);
}
