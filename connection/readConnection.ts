// One connection read field by field, config-shaped (stack config, connectionSpec()) or spec-shaped (a spec file):
// the project, the consent screen (branding, audience), the scopes, the OAuth clients and the service accounts, each
// value judged by Google's rules (connection/rules.ts), every problem into `p` under the field's full name. The key
// lists come from the schemas (connection/schema.ts); connection/parse.ts decides the field names and the mode.
import { redirectUriProblems } from "../google/redirectUris";
import { MAIL_TRANSPORTS, type MailTransport } from "../google/mail";
import { DEFAULT_SCOPE } from "../google/scopes";
import { PROJECT_ID } from "../google/identifiers";
import type { ClientType, PublishingStatus, UserType } from "../google/oauthApp";
import { readServiceAccounts } from "./serviceAccounts";
import { applyPreset, isPresetName, PRESET_NAMES, PRESETS, type PresetName } from "./presets";
import {
  child,
  type Problems,
  readBoolean,
  readEnum,
  readList,
  readObject,
  readString,
  readStringList,
} from "../common/readers";
import { withDefault } from "./read";
import {
  audienceConfigSchema,
  brandingConfigSchema,
  clientConfigSchema,
  dataAccessSpecSchema,
  keysOf,
  projectConfigSchema,
  VERIFICATION_STATUSES,
} from "./schema";
import {
  CLIENT_NAME,
  checkClientId,
  checkDomain,
  checkEmail,
  checkIamMember,
  checkJavascriptOrigin,
  checkMailScope,
  checkRedirectUri,
  checkScope,
  checkServiceAccount,
  checkSpecConsistency,
  checkTestUser,
  hostsNeedingAuthorization,
  inferRegistrableDomain,
  type FieldNamer,
} from "./rules";
import {
  SPEC_VERSION,
  type AudienceSpec,
  type BrandingSpec,
  type ConnectionSpec,
  type OAuthClientSpec,
  type ProjectSpec,
  type VerificationStatus,
} from "./types";

const PROJECT_KEYS = keysOf(projectConfigSchema);
const BRANDING_KEYS = keysOf(brandingConfigSchema);
const AUDIENCE_KEYS = keysOf(audienceConfigSchema);
const CLIENT_KEYS = keysOf(clientConfigSchema);
const DATA_ACCESS_KEYS = keysOf(dataAccessSpecSchema.unwrap());
const VERIFICATIONS: readonly VerificationStatus[] = VERIFICATION_STATUSES;

export const NUMERIC_ID = /^\d+$/;
const BILLING_ACCOUNT = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

export type Mode = "config" | "spec";

/** Reads one connection (config-shaped or spec-shaped) and runs every rule; problems go to `p`. */
export function readConnection(
  values: Record<string, unknown>,
  at: FieldNamer,
  p: Problems,
  mode: Mode,
): ConnectionSpec | undefined {
  const required = (what: string) => ({
    fix: mode === "config" ? `set it in Pulumi.<stack>.yaml (${what})` : `add it (${what})`,
  });
  const project = readProject(values.project, at, p, mode, required);
  const audience = readAudience(values.audience, at, p, mode);
  const serviceAccounts = readServiceAccounts(values.serviceAccounts, at, p, mode);
  // A connection of service accounts only needs no OAuth client.
  const clients =
    values.clients === undefined && values.serviceAccounts !== undefined
      ? []
      : readClients(values.clients, at, p, mode);
  const scopes = readScopes(values.dataAccess, clients, at, p, mode);
  const brandingPartial = readBranding(values.branding, at, p, required);

  const oauthAdmins = readStringList(values.oauthAdmins, at("oauthAdmins"), p);
  oauthAdmins.forEach((m, i) => {
    checkIamMember(m, at(`oauthAdmins[${i}]`), p);
  });
  let appServiceAccount = readString(values.appServiceAccount, at("appServiceAccount"), p);
  if (appServiceAccount?.startsWith("serviceAccount:"))
    appServiceAccount = appServiceAccount.slice("serviceAccount:".length);
  if (appServiceAccount !== undefined) checkServiceAccount(appServiceAccount, at("appServiceAccount"), p);
  const organizationDomain = readString(values.organizationDomain, at("organizationDomain"), p);
  if (organizationDomain !== undefined) checkDomain(organizationDomain, at("organizationDomain"), p);

  if (!project || !audience || !clients || !brandingPartial) return undefined;
  if (values.serviceAccounts !== undefined && !serviceAccounts) return undefined;
  const draft = {
    branding: { ...brandingPartial, authorizedDomains: brandingPartial.authorizedDomains ?? [] },
    clients,
  };
  // Unset authorized domains default to the domains the consent screen and the redirects use.
  const authorizedDomains = brandingPartial.authorizedDomains ?? [
    ...new Set(hostsNeedingAuthorization(draft).map(inferRegistrableDomain)),
  ];
  const spec: ConnectionSpec = {
    version: SPEC_VERSION,
    project,
    branding: { ...brandingPartial, authorizedDomains },
    audience,
    dataAccess: { scopes },
    clients,
    oauthAdmins,
    ...(appServiceAccount !== undefined && { appServiceAccount }),
    ...(organizationDomain !== undefined && { organizationDomain }),
    ...(serviceAccounts !== undefined && { serviceAccounts }),
  };
  checkSpecConsistency(spec, at, p);
  checkMailScope(spec, at, p);
  return spec;
}

type Required = (what: string) => { fix: string };

function readProject(
  value: unknown,
  at: FieldNamer,
  p: Problems,
  mode: Mode,
  required: Required,
): ProjectSpec | undefined {
  const field = at("project");
  if (value === undefined) {
    p.add(field, "is required", required("project.id, and orgId or folderId to create it").fix);
    return undefined;
  }
  const obj = readObject(value, field, p, PROJECT_KEYS);
  if (!obj) return undefined;
  const f = (k: string) => at(`project.${k}`);
  const dflt = <T>(value: T) => (mode === "config" ? value : undefined);
  const projectMode = withDefault(
    obj.mode,
    () => readEnum(obj.mode, f("mode"), p, ["create", "adopt"] as const),
    f("mode"),
    p,
    dflt("create" as const),
  );
  const id = readString(obj.id, f("id"), p, required("the project id, 6-30 characters"));
  if (id !== undefined && !PROJECT_ID.test(id))
    p.add(
      f("id"),
      `'${id}' is not a valid project id`,
      "use 6-30 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen",
    );
  const orgId = readParentId(obj.orgId, f("orgId"), "organizations/", p);
  const folderId = readParentId(obj.folderId, f("folderId"), "folders/", p);
  if (orgId && folderId)
    p.add(
      f("folderId"),
      "a project has one parent: orgId and folderId are both set",
      "keep only folderId (the folder already belongs to the organization), or only orgId",
    );
  const name = readString(obj.name, f("name"), p);
  if (name !== undefined && !/^[A-Za-z0-9 '"!-]{4,30}$/.test(name))
    p.add(
      f("name"),
      `'${name}' is not a valid project name`,
      "use 4-30 letters, digits, spaces, hyphens, quotes or '!'",
    );
  const billingAccount = readString(obj.billingAccount, f("billingAccount"), p);
  if (billingAccount !== undefined && !BILLING_ACCOUNT.test(billingAccount))
    p.add(
      f("billingAccount"),
      `'${billingAccount}' is not a billing account id`,
      "write it as XXXXXX-XXXXXX-XXXXXX (upper-case hex, without 'billingAccounts/')",
    );
  const labels = readLabels(obj.labels, f("labels"), p);
  const deletionProtection = withDefault(
    obj.deletionProtection,
    () => readBoolean(obj.deletionProtection, f("deletionProtection"), p),
    f("deletionProtection"),
    p,
    dflt(true),
  );

  if (projectMode === "adopt" && mode === "config") {
    // Adopted projects are only read: settings that would shape a new project have nothing to act on.
    for (const k of ["name", "billingAccount", "labels"] as const)
      if (obj[k] !== undefined)
        p.add(
          f(k),
          "only applies when the program creates the project (mode: create)",
          `remove it, or set it on the existing project in the console`,
        );
    if (obj.deletionProtection === false || obj.deletionProtection === "false")
      p.add(
        f("deletionProtection"),
        "an adopted project is never deleted by this program",
        "remove deletionProtection, or use mode: create",
      );
  }
  if (id === undefined || projectMode === undefined || deletionProtection === undefined) return undefined;
  return {
    mode: projectMode,
    id,
    ...(name !== undefined && { name }),
    ...(orgId !== undefined && { orgId }),
    ...(folderId !== undefined && { folderId }),
    ...(billingAccount !== undefined && { billingAccount }),
    ...(labels !== undefined && { labels }),
    deletionProtection,
  };
}

function readParentId(value: unknown, field: string, resourcePrefix: string, p: Problems): string | undefined {
  const id = readString(value, field, p);
  if (id === undefined) return undefined;
  if (id.startsWith(resourcePrefix)) {
    p.add(
      field,
      `'${id}' carries the '${resourcePrefix}' prefix`,
      `write just the number '${id.slice(resourcePrefix.length)}'`,
    );
    return undefined;
  }
  if (!NUMERIC_ID.test(id)) {
    p.add(
      field,
      `'${id}' is not a numeric id`,
      `copy the number from \`gcloud ${resourcePrefix === "folders/" ? "resource-manager folders" : "organizations"} list\``,
    );
    return undefined;
  }
  return id;
}

function readLabels(value: unknown, field: string, p: Problems): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const obj = readObject(value, field, p);
  if (!obj) return undefined;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const f = child(field, k);
    if (!LABEL_KEY.test(k))
      p.add(
        f,
        `'${k}' is not a valid label key`,
        "use lower-case letters, digits, '_' or '-', starting with a letter (at most 63)",
      );
    const s = readString(typeof v === "number" || typeof v === "boolean" ? String(v) : v, f, p) ?? "";
    if (!LABEL_VALUE.test(s))
      p.add(f, `'${s}' is not a valid label value`, "use at most 63 lower-case letters, digits, '_' or '-'");
    labels[k] = s;
  }
  return labels;
}

type BrandingPartial = Omit<BrandingSpec, "authorizedDomains"> & { authorizedDomains?: readonly string[] };

function readBranding(value: unknown, at: FieldNamer, p: Problems, required: Required): BrandingPartial | undefined {
  const field = at("branding");
  if (value === undefined) {
    p.add(field, "is required", required("branding.appName and branding.supportEmail").fix);
    return undefined;
  }
  const obj = readObject(value, field, p, BRANDING_KEYS);
  if (!obj) return undefined;
  const f = (k: string) => at(`branding.${k}`);
  const appName = readString(obj.appName, f("appName"), p, required("the app name users see on the consent screen"));
  const supportEmail = readString(
    obj.supportEmail,
    f("supportEmail"),
    p,
    required("the address users can write to about consent"),
  );
  if (supportEmail !== undefined) checkEmail(supportEmail, f("supportEmail"), p);
  const developerContacts =
    obj.developerContacts === undefined && supportEmail
      ? [supportEmail]
      : readStringList(obj.developerContacts, f("developerContacts"), p);
  developerContacts.forEach((e, i) => {
    checkEmail(e, `${f("developerContacts")}[${i}]`, p);
  });
  if (obj.developerContacts !== undefined && developerContacts.length === 0)
    p.add(
      f("developerContacts"),
      "is empty; Google requires at least one developer contact",
      "list an address, or leave it unset to use supportEmail",
    );
  const authorizedDomains =
    obj.authorizedDomains === undefined ? undefined : readStringList(obj.authorizedDomains, f("authorizedDomains"), p);
  authorizedDomains?.forEach((d, i) => {
    checkDomain(d, `${f("authorizedDomains")}[${i}]`, p);
  });
  const urls: Record<string, string | undefined> = {};
  for (const k of ["homepageUrl", "privacyPolicyUrl", "termsOfServiceUrl"] as const) {
    const url = readString(obj[k], f(k), p);
    if (url !== undefined) checkRedirectUri(url, "web", f(k), p);
    urls[k] = url;
  }
  if (appName === undefined || supportEmail === undefined) return undefined;
  return {
    appName,
    supportEmail,
    developerContacts,
    ...(authorizedDomains !== undefined && { authorizedDomains }),
    ...(urls.homepageUrl !== undefined && { homepageUrl: urls.homepageUrl }),
    ...(urls.privacyPolicyUrl !== undefined && { privacyPolicyUrl: urls.privacyPolicyUrl }),
    ...(urls.termsOfServiceUrl !== undefined && { termsOfServiceUrl: urls.termsOfServiceUrl }),
  };
}

function readAudience(value: unknown, at: FieldNamer, p: Problems, mode: Mode): AudienceSpec | undefined {
  const obj: Record<string, unknown> | undefined =
    value === undefined && mode === "config" ? {} : readObject(value, at("audience"), p, AUDIENCE_KEYS);
  if (!obj) return undefined;
  const f = (k: string) => at(`audience.${k}`);
  const dflt = <T>(value: T) => (mode === "config" ? value : undefined);
  const userType = withDefault(
    obj.userType,
    () => readEnum<UserType>(obj.userType, f("userType"), p, ["internal", "external"]),
    f("userType"),
    p,
    dflt<UserType>("external"),
  );
  // Internal apps have no Testing phase; External apps start in Testing, as the console does.
  const publishingStatus = withDefault(
    obj.publishingStatus,
    () => readEnum<PublishingStatus>(obj.publishingStatus, f("publishingStatus"), p, ["testing", "production"]),
    f("publishingStatus"),
    p,
    dflt<PublishingStatus>(userType === "internal" ? "production" : "testing"),
  );
  const testUsers = readStringList(obj.testUsers, f("testUsers"), p);
  testUsers.forEach((u, i) => {
    checkTestUser(u, `${f("testUsers")}[${i}]`, p);
  });
  const verification = withDefault(
    obj.verification,
    () => readEnum<VerificationStatus>(obj.verification, f("verification"), p, VERIFICATIONS),
    f("verification"),
    p,
    dflt<VerificationStatus>("not-submitted"),
  );
  if (!userType || !publishingStatus || !verification) return undefined;
  return { userType, publishingStatus, testUsers, verification };
}

function readScopes(
  value: unknown,
  clients: readonly OAuthClientSpec[] | undefined,
  at: FieldNamer,
  p: Problems,
  mode: Mode,
): string[] {
  const field = at("dataAccess.scopes");
  const raw =
    value === undefined
      ? undefined
      : mode === "spec"
        ? readObject(value, at("dataAccess"), p, DATA_ACCESS_KEYS)?.scopes
        : (value as { scopes: unknown }).scopes;
  if (raw === undefined) {
    if (mode === "spec") {
      p.add(field, "is required in a connection spec", "list the scopes the app requests");
      return [];
    }
    // Unset: the union of the presets' scopes, so `preset: n8n` alone asks for what n8n requests.
    const fromPresets = (clients ?? []).flatMap((c) =>
      c.preset && isPresetName(c.preset) ? PRESETS[c.preset].scopes : [],
    );
    return [...new Set(fromPresets.length > 0 ? fromPresets : [DEFAULT_SCOPE])];
  }
  const before = p.errors.length;
  const list = readStringList(raw, field, p);
  if (list.length === 0 && p.errors.length === before)
    p.add(field, "is empty", "list at least one Gmail scope, or leave scopes unset to take the presets'");
  const scopes: string[] = [];
  list.forEach((s, i) => {
    const canonical = checkScope(s, `${field}[${i}]`, p);
    if (canonical !== undefined && !scopes.includes(canonical)) scopes.push(canonical);
  });
  return scopes;
}

function readClients(value: unknown, at: FieldNamer, p: Problems, mode: Mode): OAuthClientSpec[] | undefined {
  if (value === undefined) {
    p.add(
      at("clients"),
      "no OAuth client is declared",
      mode === "config" ? "set preset and instanceUrl (one client), or list clients" : "list the clients",
    );
    return undefined;
  }
  const list = readList(value, at("clients"), p);
  if (!list) return undefined;
  const clients: OAuthClientSpec[] = [];
  list.forEach((raw, i) => {
    const client = readClient(raw, i, at, p, mode);
    if (client) clients.push(client);
  });
  return clients.length === list.length ? clients : undefined;
}

function readClient(raw: unknown, index: number, at: FieldNamer, p: Problems, mode: Mode): OAuthClientSpec | undefined {
  const f = (k: string) => at(`clients[${index}].${k}`);
  const obj = readObject(raw, at(`clients[${index}]`), p, CLIENT_KEYS);
  if (!obj) return undefined;
  const preset = readEnum<PresetName>(obj.preset, f("preset"), p, PRESET_NAMES);
  const presetInfo = preset ? PRESETS[preset] : undefined;
  const type = withDefault(
    obj.type,
    () => readEnum<ClientType>(obj.type, f("type"), p, ["web", "desktop"]),
    f("type"),
    p,
    mode === "config" ? (presetInfo?.clientType ?? "web") : undefined,
  );
  const name =
    readString(obj.name, f("name"), p, mode === "spec" ? { fix: "name the client" } : undefined) ??
    (mode === "config" ? (preset?.replace(/_/g, "-") ?? type ?? "app") : undefined);
  if (name !== undefined && !CLIENT_NAME.test(name))
    p.add(
      f("name"),
      `'${name}' is not a usable client name`,
      "use up to 40 lower-case letters, digits and hyphens, starting with a letter",
    );

  const instanceUrl = readString(obj.instanceUrl, f("instanceUrl"), p);
  const instanceClean = instanceUrl !== undefined && checkInstanceUrl(instanceUrl, f("instanceUrl"), p);
  const callbackPath = readString(obj.callbackPath, f("callbackPath"), p);
  if (callbackPath !== undefined) {
    if (mode === "spec")
      p.add(
        f("callbackPath"),
        "is a config key, not part of a spec",
        "remove it; the spec lists the resulting redirectUris",
      );
    else if (presetInfo && !presetInfo.callbackPathConfigurable)
      p.add(
        f("callbackPath"),
        `${presetInfo.label}'s callback path is fixed (${presetInfo.callbackPath})`,
        "remove callbackPath",
      );
    else if (!callbackPath.startsWith("/"))
      p.add(f("callbackPath"), `'${callbackPath}' must start with '/'`, `write '/${callbackPath}'`);
  }

  const explicit = readStringList(obj.redirectUris, f("redirectUris"), p);
  if (type)
    explicit.forEach((uri, i) => {
      checkRedirectUri(uri, type, `${f("redirectUris")}[${i}]`, p);
    });
  let derived: readonly string[] = [];
  if (mode === "config" && instanceUrl !== undefined) {
    const path = callbackPath ?? presetInfo?.callbackPath;
    if (!path)
      p.add(
        f("instanceUrl"),
        "gives no redirect URI without a preset or callbackPath",
        "set preset (e.g. flectra) or callbackPath, or list redirectUris instead",
      );
    derived = applyPreset(preset ?? "generic", { instanceUrl, callbackPath }).redirectUris;
    // The instance URL was judged on its own; what the path adds to the derived URI is the callback path's doing.
    if (type && instanceClean)
      derived.forEach((uri) => {
        checkRedirectUri(uri, type, f(callbackPath !== undefined ? "callbackPath" : "instanceUrl"), p);
      });
  } else if (mode === "config" && presetInfo?.callbackPath && explicit.length === 0) {
    p.add(
      f("instanceUrl"),
      `is required with preset ${preset}`,
      `set it to the app's public URL, e.g. https://mydb.${preset === "n8n" ? "example.com" : `${preset}.com`}`,
    );
  }
  const redirectUris = [...new Set([...derived, ...explicit])];
  const javascriptOrigins = readStringList(obj.javascriptOrigins, f("javascriptOrigins"), p);
  if (type)
    javascriptOrigins.forEach((o, i) => {
      checkJavascriptOrigin(o, type, `${f("javascriptOrigins")}[${i}]`, p);
    });
  const clientId = readString(obj.clientId, f("clientId"), p);
  if (clientId !== undefined) checkClientId(clientId, f("clientId"), p);
  const transports = readTransports(obj.transports, f("transports"), p) ?? presetInfo?.transports;

  if (!name || !type) return undefined;
  return {
    name,
    type,
    redirectUris,
    javascriptOrigins,
    ...(preset !== undefined && { preset }),
    ...(instanceUrl !== undefined && { instanceUrl: instanceUrl.replace(/\/+$/, "") }),
    ...(clientId !== undefined && { clientId }),
    ...(transports !== undefined && { transports: [...transports] }),
  };
}

/** smtp, imap, gmail-api: one or several, each once. */
function readTransports(value: unknown, field: string, p: Problems): MailTransport[] | undefined {
  if (value === undefined) return undefined;
  const list = readStringList(value, field, p);
  const out: MailTransport[] = [];
  list.forEach((t, i) => {
    const canonical = readEnum<MailTransport>(t, `${field}[${i}]`, p, MAIL_TRANSPORTS);
    if (canonical && !out.includes(canonical)) out.push(canonical);
  });
  if (list.length === 0)
    p.add(field, "is empty", "list how the app reaches Gmail: smtp, imap and/or gmail-api (or leave it unset)");
  return out.length > 0 ? out : undefined;
}

/** The app's base URL: the redirect URI rules apply to it as well, and it carries no query or fragment. */
function checkInstanceUrl(url: string, field: string, p: Problems): boolean {
  const before = p.errors.length;
  for (const problem of redirectUriProblems(url, "web")) p.add(field, problem.message, problem.fix.replace(/\/$/, ""));
  try {
    const u = new URL(url);
    if (u.search) p.add(field, "an instance URL has no query", `use ${u.origin}${u.pathname.replace(/\/+$/, "")}`);
  } catch {
    /* reported by the URI rules */
  }
  return p.errors.length === before;
}
