// Google's rules that can be checked before deploy (docs/google-behaviour.md), applied to one connection spec.
// The URI and scope rules themselves live in google/; this module only says which field breaks which rule.
import { isLoopbackHost, javascriptOriginProblems, redirectUriProblems } from "../google/redirectUris";
import { canonicalScope, isGmailScope, isKnownScope, onlyIdentityScopes, scopeInfo, SCOPES } from "../google/scopes";
import { CLIENT_ID, DOMAIN, isEmail } from "../google/identifiers";
import { allowsMailProtocols, MAIL_PROTOCOL_SCOPE, usesMailProtocols } from "../google/mail";
import { PRESETS, isPresetName } from "./presets";
import { reportDuplicates, type Problems } from "../common/readers";
import type { ClientType } from "../google/oauthApp";
import type { ConnectionSpec } from "./types";

/** Test users cap while Testing (google-behaviour.md §7, AUD). */
export const MAX_TEST_USERS = 100;
/** Console limit on OAuth clients per project (google-behaviour.md §8.1). */
export const MAX_CLIENTS = 36;

/** Names become Secret Manager ids and config paths (`clientSecrets.NAME`), so keep them plain. */
export const CLIENT_NAME = /^[a-z][a-z0-9-]{0,39}$/;

export function checkEmail(value: string, field: string, p: Problems): void {
  if (!isEmail(value)) p.add(field, `'${value}' is not an email address`, "write it as name@example.com");
}

/** Test users are individual Google Accounts: Google does not expand groups or domains (google-behaviour.md §7, AUD). */
export function checkTestUser(value: string, field: string, p: Problems): void {
  const prefix = /^(user|group|domain|serviceAccount):/.exec(value);
  if (prefix) {
    const fix =
      prefix[1] === "user"
        ? `write the bare address '${value.slice(5)}'`
        : "list each person's own Google Account address; Google does not expand groups or domains for test users";
    p.add(field, `'${value}' is an IAM member, not an individual address`, fix);
    return;
  }
  if (value.includes("*") || value.startsWith("@") || !value.includes("@")) {
    p.add(
      field,
      `'${value}' is not an individual address; test users are single Google Accounts`,
      "list each person's address, e.g. ana@example.com",
    );
    return;
  }
  checkEmail(value, field, p);
}

/** IAM principals for roles/oauthconfig.editor: the prefix says what kind (user, group, serviceAccount, domain). */
export function checkIamMember(value: string, field: string, p: Problems): void {
  const m = /^(user|group|serviceAccount|domain):(.+)$/.exec(value);
  if (!m) {
    const fix = isEmail(value)
      ? `write 'user:${value}' (or 'group:${value}' for a group)`
      : "write user:EMAIL, group:EMAIL, serviceAccount:EMAIL or domain:DOMAIN";
    p.add(field, `'${value}' has no principal type`, fix);
    return;
  }
  const [, kind, rest] = m as unknown as [string, string, string];
  if (kind === "domain" ? !DOMAIN.test(rest) : !isEmail(rest))
    p.add(
      field,
      `'${rest}' is not a valid ${kind === "domain" ? "domain" : "email address"}`,
      kind === "domain" ? "write domain:example.com" : `write ${kind}:name@example.com`,
    );
}

export function checkServiceAccount(value: string, field: string, p: Problems): void {
  if (!isEmail(value) || !value.endsWith(".gserviceaccount.com")) {
    p.add(
      field,
      `'${value}' is not a service account email`,
      "write NAME@PROJECT.iam.gserviceaccount.com (without the serviceAccount: prefix)",
    );
  }
}

export function checkDomain(value: string, field: string, p: Problems): void {
  if (/^https?:\/\//.test(value) || value.includes("/")) {
    p.add(
      field,
      `'${value}' is a URL, not a domain`,
      `write just the domain, e.g. '${value.replace(/^https?:\/\//, "").split("/")[0]}'`,
    );
    return;
  }
  if (!DOMAIN.test(value)) {
    p.add(field, `'${value}' is not a domain name`, "write a registered domain in lower case, e.g. example.com");
    return;
  }
  // The host rules (public TLD, no googleusercontent.com, …) are the redirect URI rules of google-behaviour.md §8.1.
  for (const problem of redirectUriProblems(`https://${value}/`, "web")) p.add(field, problem.message, problem.fix);
}

export function checkClientId(value: string, field: string, p: Problems): void {
  if (!CLIENT_ID.test(value))
    p.add(
      field,
      `'${value}' is not an OAuth client ID`,
      "copy the full ID from the console, e.g. 1234567890-abc123.apps.googleusercontent.com",
    );
}

/** One redirect URI on a client of the given type. */
export function checkRedirectUri(uri: string, type: ClientType, field: string, p: Problems): void {
  const problems = redirectUriProblems(uri, type);
  for (const problem of problems) p.add(field, problem.message, problem.fix);
  if (problems.length > 0 || type !== "desktop") return;
  // Desktop clients register no redirect URIs and only receive loopback redirects (google-behaviour.md §8.2).
  let host = "";
  try {
    host = new URL(uri).hostname;
  } catch {
    /* reported above */
  }
  if (!isLoopbackHost(host) || !uri.startsWith("http:")) {
    p.add(
      field,
      `a Desktop client cannot serve the web redirect '${uri}'; it only receives loopback redirects (http://127.0.0.1:PORT)`,
      "use type: web for this client, or drop the URI",
    );
  }
}

export function checkJavascriptOrigin(origin: string, type: ClientType, field: string, p: Problems): void {
  if (type === "desktop") {
    p.add(field, "a Desktop client has no JavaScript origins", "remove javascriptOrigins, or use type: web");
    return;
  }
  for (const problem of javascriptOriginProblems(origin)) p.add(field, problem.message, problem.fix);
}

/** Returns the canonical scope URL, or undefined (with a problem) for scopes this kit does not know. */
export function checkScope(scope: string, field: string, p: Problems): string | undefined {
  if (isKnownScope(scope)) return canonicalScope(scope);
  const short = scope.replace(/^https:\/\/www\.googleapis\.com\/auth\//, "");
  const near = SCOPES.find(
    (s) => s.scope.endsWith(`/${short}`) || s.scope.replace(/^https:\/\/www\.googleapis\.com\/auth\//, "") === short,
  );
  p.add(
    field,
    `'${scope}' is not a known Gmail or identity scope`,
    near ? `write '${near.scope}'` : `use a Gmail scope such as https://mail.google.com/ or ${SCOPES[1].scope}`,
  );
  return undefined;
}

/**
 * The registrable domain of a host, for the default authorized-domains list. Without the public suffix list this is
 * inferred: the last two labels, or three under a two-letter country code with a short second level (co.uk, com.au).
 */
export function inferRegistrableDomain(host: string): string {
  const labels = host.toLowerCase().split(".");
  const tld = labels[labels.length - 1] ?? "";
  const second = labels[labels.length - 2] ?? "";
  const n = tld.length === 2 && second.length <= 3 && labels.length >= 3 ? 3 : 2;
  return labels.slice(-n).join(".");
}

export function hostCovered(host: string, domains: readonly string[]): boolean {
  const h = host.toLowerCase();
  return domains.some((d) => h === d || h.endsWith(`.${d}`));
}

/** Hosts that the console wants listed under Authorized domains: consent-screen links and web redirects/origins. */
export function hostsNeedingAuthorization(spec: Pick<ConnectionSpec, "branding" | "clients">): string[] {
  const urls = [
    spec.branding.homepageUrl,
    spec.branding.privacyPolicyUrl,
    spec.branding.termsOfServiceUrl,
    ...spec.clients.flatMap((c) => (c.type === "web" ? [...c.redirectUris, ...c.javascriptOrigins] : [])),
  ];
  const hosts: string[] = [];
  for (const url of urls) {
    if (!url) continue;
    try {
      const host = new URL(url).hostname.toLowerCase();
      if (!isLoopbackHost(host) && !hosts.includes(host)) hosts.push(host);
    } catch {
      /* reported by the URI rules */
    }
  }
  return hosts;
}

/** Names the field a spec path (`clients[1].redirectUris[0]`) came from: config keys and spec-file paths differ. */
export type FieldNamer = (specPath: string) => string;

/** The rules that span several fields. Run on a spec whose single values have already been checked. */
export function checkSpecConsistency(spec: ConnectionSpec, at: FieldNamer, p: Problems): void {
  const { project, audience, dataAccess, clients } = spec;
  const hasOrg = Boolean(project.orgId || project.folderId);

  if (audience.userType === "internal") {
    // Facts §7: Internal needs a project under a Google Cloud organization (Workspace or Cloud Identity).
    if (!hasOrg)
      p.add(
        at("audience.userType"),
        "internal needs the project to belong to an organization (Workspace or Cloud Identity); a project without one cannot choose Internal",
        `set ${at("project.orgId")} (or ${at("project.folderId")}), or use userType: external`,
      );
    if (audience.testUsers.length > 0)
      p.add(
        at("audience.testUsers"),
        "an Internal app has no test users: every account of the organization may authorize",
        "remove testUsers, or use userType: external",
      );
  } else if (
    clients.length > 0 &&
    audience.publishingStatus === "testing" &&
    !onlyIdentityScopes(dataAccess.scopes) &&
    audience.testUsers.length === 0
  ) {
    // Facts §3, §7: Testing + any Gmail scope admits listed test users only.
    p.add(
      at("audience.testUsers"),
      "is empty, but an External app in Testing only lets listed test users grant Gmail scopes",
      "list the mailbox addresses that will connect, or set publishingStatus: production",
    );
  }
  if (audience.testUsers.length > MAX_TEST_USERS) {
    p.add(
      at("audience.testUsers"),
      `has ${audience.testUsers.length} addresses; Google allows at most ${MAX_TEST_USERS} test users per project`,
      "keep the accounts that really connect, or publish the app (publishingStatus: production)",
    );
  }
  reportDuplicates(audience.testUsers, at("audience.testUsers"), p, (s) => s.toLowerCase());

  if (dataAccess.scopes.length > 0 && !dataAccess.scopes.some(isGmailScope)) {
    p.add(
      at("dataAccess.scopes"),
      "has no Gmail scope, so the connection could not read or send mail",
      "add https://mail.google.com/ (SMTP/IMAP) or a Gmail API scope",
    );
  }

  if (clients.length === 0 && !spec.serviceAccounts?.length)
    p.add(at("clients"), "no OAuth client is declared", "add one client, e.g. preset: flectra with instanceUrl");
  if (clients.length > MAX_CLIENTS)
    p.add(
      at("clients"),
      `has ${clients.length} clients; the console allows at most ${MAX_CLIENTS} per project`,
      "split them over several projects",
    );
  reportDuplicates(
    clients.map((c) => c.name),
    at("clients"),
    p,
  );
  clients.forEach((client, i) => {
    const f = (key: string) => at(`clients[${i}].${key}`);
    const preset = client.preset && isPresetName(client.preset) ? PRESETS[client.preset] : undefined;
    if (preset && preset.clientType !== client.type) {
      p.add(
        f("type"),
        `${preset.label} is a web app that receives the OAuth redirect on its own server; a ${client.type} client cannot serve it`,
        `use type: ${preset.clientType}`,
      );
    }
    if (client.type === "web" && client.redirectUris.length === 0) {
      p.add(
        f("redirectUris"),
        "a Web client needs at least one redirect URI",
        "set instanceUrl (with a preset) or list redirectUris",
      );
    }
    reportDuplicates(client.redirectUris, f("redirectUris"), p);
    // An app that requests a scope missing from Data access gets the unverified-app screen (google-behaviour.md §7); the generic
    // preset's scope is only a default, so it is not required.
    if (preset && preset.name !== "generic") {
      for (const scope of preset.scopes.filter((s) => !dataAccess.scopes.includes(s))) {
        const why = scopeInfo(scope)?.allowsImapSmtp
          ? `${preset.label} sends and fetches over SMTP/IMAP with XOAUTH2, which only ${scope} allows`
          : `${preset.label} requests ${scope}; a requested scope missing from Data access brings up Google's unverified-app screen`;
        p.add(at("dataAccess.scopes"), why, `add ${scope} to scopes (or leave scopes unset to take the preset's)`);
      }
    }
  });

  const domains = spec.branding.authorizedDomains;
  for (const host of hostsNeedingAuthorization(spec)) {
    if (!hostCovered(host, domains)) {
      p.add(
        at("branding.authorizedDomains"),
        `does not cover '${host}'; the console refuses consent-screen links and redirect URIs on unlisted domains (inferred from the console's behaviour)`,
        `add '${inferRegistrableDomain(host)}'`,
      );
    }
  }
}

/** SMTP and IMAP accept only https://mail.google.com/ (google-behaviour.md §7, §11): a client that uses either needs it requested. */
export function checkMailScope(spec: ConnectionSpec, at: FieldNamer, p: Problems): void {
  // A preset's own scope list is already required by checkSpecConsistency; this covers declared transports.
  const users = spec.clients.filter(
    (c) =>
      c.transports &&
      usesMailProtocols(c.transports) &&
      !(c.preset && isPresetName(c.preset) && c.preset !== "generic" && PRESETS[c.preset].scopes.some(isMailScope)),
  );
  if (users.length === 0 || allowsMailProtocols(spec.dataAccess.scopes)) return;
  p.add(
    at("dataAccess.scopes"),
    `lacks ${MAIL_PROTOCOL_SCOPE}, but ${users.map((c) => c.name).join(", ")} ${users.length > 1 ? "use" : "uses"} SMTP/IMAP, which accept no narrower Gmail scope`,
    `add ${MAIL_PROTOCOL_SCOPE} to scopes`,
  );
}

const isMailScope = (s: string) => allowsMailProtocols([s]);
