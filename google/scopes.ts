// The one table of OAuth scopes this kit knows, with Google's classification.
// Sources: docs/google-behaviour.md §7 (RSC, GSC) and §3 (identity-scope exception).

export type ScopeClass = "restricted" | "sensitive" | "non-sensitive" | "identity";

export interface ScopeInfo {
  readonly scope: string;
  readonly class: ScopeClass;
  readonly description: string;
  /** Google's short aliases that may appear in a granted `scope` value instead of the URL. */
  readonly aliases?: readonly string[];
  /** users.getProfile accepts this scope (google-behaviour.md §5.1). */
  readonly allowsGetProfile?: boolean;
  /** users.messages.send accepts this scope. */
  readonly allowsSend?: boolean;
  /** SMTP/IMAP/POP with XOAUTH2 need exactly https://mail.google.com/. */
  readonly allowsImapSmtp?: boolean;
}

/** The prefix of Google's API scope URLs (all but https://mail.google.com/ and openid). */
export const GOOGLE_SCOPE_PREFIX = "https://www.googleapis.com/auth/";
const G = GOOGLE_SCOPE_PREFIX;

export const SCOPES: readonly ScopeInfo[] = [
  {
    scope: "https://mail.google.com/",
    class: "restricted",
    description: "Full mailbox access, including IMAP, SMTP and POP3 with XOAUTH2",
    allowsGetProfile: true,
    allowsSend: true,
    allowsImapSmtp: true,
  },
  {
    scope: `${G}gmail.readonly`,
    class: "restricted",
    description: "Read all messages and settings",
    allowsGetProfile: true,
  },
  {
    scope: `${G}gmail.metadata`,
    class: "restricted",
    description: "Read message metadata (headers, labels), not bodies",
    allowsGetProfile: true,
  },
  {
    scope: `${G}gmail.modify`,
    class: "restricted",
    description: "Read, compose, send and modify messages (no permanent delete)",
    allowsGetProfile: true,
    allowsSend: true,
  },
  { scope: `${G}gmail.insert`, class: "restricted", description: "Insert and import messages" },
  {
    scope: `${G}gmail.compose`,
    class: "restricted",
    description: "Manage drafts and send messages",
    allowsGetProfile: true,
    allowsSend: true,
  },
  { scope: `${G}gmail.settings.basic`, class: "restricted", description: "Manage basic mail settings" },
  {
    scope: `${G}gmail.settings.sharing`,
    class: "restricted",
    description: "Manage sensitive mail settings (forwarding, aliases)",
  },
  { scope: `${G}gmail.send`, class: "sensitive", description: "Send messages only", allowsSend: true },
  {
    scope: `${G}gmail.addons.current.message.metadata`,
    class: "sensitive",
    description: "Add-on: view the open message's metadata",
  },
  {
    scope: `${G}gmail.addons.current.message.readonly`,
    class: "sensitive",
    description: "Add-on: read the open message",
  },
  { scope: `${G}gmail.labels`, class: "non-sensitive", description: "Manage labels" },
  {
    scope: `${G}gmail.addons.current.action.compose`,
    class: "non-sensitive",
    description: "Add-on: compose drafts and replies",
  },
  {
    scope: `${G}gmail.addons.current.message.action`,
    class: "non-sensitive",
    description: "Add-on: act on the open message",
  },
  { scope: "openid", class: "identity", description: "OpenID Connect sign-in" },
  { scope: `${G}userinfo.email`, class: "identity", description: "The account's email address", aliases: ["email"] },
  {
    scope: `${G}userinfo.profile`,
    class: "identity",
    description: "The account's basic profile",
    aliases: ["profile"],
  },
];

const BY_NAME = new Map<string, ScopeInfo>();
for (const info of SCOPES) {
  BY_NAME.set(info.scope, info);
  for (const alias of info.aliases ?? []) BY_NAME.set(alias, info);
}

export const DEFAULT_SCOPE = "https://mail.google.com/";

export function scopeInfo(scope: string): ScopeInfo | undefined {
  return BY_NAME.get(scope);
}

/** The canonical URL form of a scope or alias (`email` → userinfo.email); unknown scopes come back unchanged. */
export function canonicalScope(scope: string): string {
  return BY_NAME.get(scope)?.scope ?? scope;
}

export function isKnownScope(scope: string): boolean {
  return BY_NAME.has(scope);
}

export function isGmailScope(scope: string): boolean {
  const info = BY_NAME.get(scope);
  return info !== undefined && info.class !== "identity";
}

/** Restricted or sensitive: what needs verification and triggers the unverified-app screen. */
export function needsVerification(scope: string): boolean {
  const c = BY_NAME.get(scope)?.class;
  return c === "restricted" || c === "sensitive";
}

/**
 * The 7-day Testing expiry and test-user gating do not apply when only identity scopes are requested
 * (google-behaviour.md §3). Any Gmail scope brings both back.
 */
export function onlyIdentityScopes(scopes: readonly string[]): boolean {
  return scopes.every((s) => BY_NAME.get(s)?.class === "identity");
}

/** Parse a space-delimited granted `scope` value into canonical URLs. */
export function parseScopeList(value: string | undefined): string[] {
  if (!value) return [];
  return [
    ...new Set(
      value
        .split(/[\s+]+/)
        .filter(Boolean)
        .map(canonicalScope),
    ),
  ];
}

/** The requested scopes that the granted set does not cover. */
export function missingScopes(requested: readonly string[], granted: readonly string[]): string[] {
  const have = new Set(granted.map(canonicalScope));
  return requested.map(canonicalScope).filter((s) => !have.has(s));
}

/** The most severe class among the scopes: what the consent screen and verification hinge on. */
export function strictestClass(scopes: readonly string[]): ScopeClass | undefined {
  const order: ScopeClass[] = ["restricted", "sensitive", "non-sensitive", "identity"];
  for (const c of order) if (scopes.some((s) => BY_NAME.get(s)?.class === c)) return c;
  return undefined;
}

export function allowsGetProfile(scopes: readonly string[]): boolean {
  return scopes.some((s) => BY_NAME.get(s)?.allowsGetProfile === true);
}

export function allowsSend(scopes: readonly string[]): boolean {
  return scopes.some((s) => BY_NAME.get(s)?.allowsSend === true);
}
