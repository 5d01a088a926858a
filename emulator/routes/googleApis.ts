// The Google APIs the kit calls with tokens: Gmail (getProfile, messages.send), Service Usage (services get,
// :enable, :disable) and Resource Manager (projects get). Error bodies from google-behaviour.md §5 and §6. Paths and methods are in
// ../router.ts; a handler gets the path's captured parts in ctx.path.
import { randomBytes } from "node:crypto";
import { gmailActivationUrl } from "../../google/consoleLinks";
import { GMAIL_SERVICE } from "../../google/endpoints";
import { allowsGetProfile, allowsSend } from "../../google/scopes";
import type { EmulatorStore } from "../store";
import { GMAIL_UNITS } from "../store/gmailUsage";
import type { Project } from "../store/records";
import type { AccessRecord } from "../store/tokenStore";
import { json, type Reply, type RequestContext } from "./handler";

const INVALID_CREDENTIALS =
  "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

function bearer(ctx: RequestContext): string | undefined {
  const h = ctx.headers.authorization;
  const m = typeof h === "string" ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

/**
 * 401 for a missing, bad or expired access token. The body is the one google-behaviour.md §5.3 give for a bad or expired token;
 * using it for a missing token too, and the WWW-Authenticate header, are inferred.
 */
export function invalidCredentials(): Reply {
  return json(
    401,
    {
      error: {
        code: 401,
        message: INVALID_CREDENTIALS,
        errors: [
          {
            message: "Invalid Credentials",
            domain: "global",
            reason: "authError",
            location: "Authorization",
            locationType: "header",
          },
        ],
        status: "UNAUTHENTICATED",
      },
    },
    { "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
  );
}

/** 403 SERVICE_DISABLED, with the legacy errors[] and the current details (google-behaviour.md §5.2); N is the project NUMBER. */
export function serviceDisabled(project: Project, service = GMAIL_SERVICE, title = "Gmail API"): Reply {
  const n = project.number;
  const url = gmailActivationUrl(n).replace(GMAIL_SERVICE, service);
  const message = `${title} has not been used in project ${n} before or it is disabled. Enable it by visiting ${url} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
  return json(403, {
    error: {
      code: 403,
      message,
      errors: [
        {
          message,
          domain: "usageLimits",
          reason: "accessNotConfigured",
          extendedHelp: "https://console.developers.google.com",
        },
      ],
      status: "PERMISSION_DENIED",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "SERVICE_DISABLED",
          domain: "googleapis.com",
          metadata: { service, serviceTitle: title, consumer: `projects/${n}`, containerInfo: n, activationUrl: url },
        },
        { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", locale: "en-US", message },
        {
          "@type": "type.googleapis.com/google.rpc.Help",
          links: [{ description: "Google developers console API activation", url }],
        },
      ],
    },
  });
}

/**
 * 403 insufficient scope (google-behaviour.md §5.3). The method names are inferred from Gmail's internal service name, and the
 * WWW-Authenticate header is inferred.
 */
export function insufficientScope(method: string): Reply {
  return json(
    403,
    {
      error: {
        code: 403,
        message: "Request had insufficient authentication scopes.",
        errors: [{ message: "Insufficient Permission", domain: "global", reason: "insufficientPermissions" }],
        status: "PERMISSION_DENIED",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
            domain: "googleapis.com",
            metadata: { service: GMAIL_SERVICE, method },
          },
        ],
      },
    },
    { "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="insufficient_scope"' },
  );
}

function gmailError(status: number, message: string, reason: string, statusName: string, domain = "global"): Reply {
  return json(status, {
    error: { code: status, message, errors: [{ message, domain, reason }], status: statusName },
  });
}

/** Inferred: a wrong method on a Gmail path is 405 methodNotAllowed (the facts do not cover it). */
export const gmailMethodNotAllowed = () =>
  gmailError(405, "Method not allowed", "methodNotAllowed", "INVALID_ARGUMENT");

/** The account has no Gmail mailbox (google-behaviour.md §5.2). */
export const mailServiceNotEnabled = () =>
  gmailError(400, "Mail service not enabled", "failedPrecondition", "FAILED_PRECONDITION");

/** A service-account token without impersonation (google-behaviour.md §10, python-samples#336). */
export const preconditionFailed = () =>
  gmailError(400, "Precondition check failed.", "failedPrecondition", "FAILED_PRECONDITION");
/**
 * 403 for the project's per-user per-minute quota. Message, domain and reason as observed in a pasted HttpError
 * (github.com/mxngls/gmail-cleaner/issues/5); the status name is inferred.
 */
export function userQuotaExceeded(project: Project): Reply {
  const message = `Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service '${GMAIL_SERVICE}' for consumer 'project_number:${project.number}'.`;
  return gmailError(403, message, "rateLimitExceeded", "PERMISSION_DENIED", "usageLimits");
}

/**
 * 429 for the mailbox's sending limit: "User-rate limit exceeded" with a time to retry and "(Mail sending)" (Gmail API
 * guide, "Resolve a 429 error"); the body's shape is that of the observed user-rate 429s, its domain inferred. No
 * Retry-After header: the time is in the message, and it can be hours away.
 */
export function sendingLimitExceeded(retryAt: number): Reply {
  const message = `User-rate limit exceeded.  Retry after ${new Date(retryAt).toISOString()} (Mail sending)`;
  return gmailError(429, message, "rateLimitExceeded", "RESOURCE_EXHAUSTED", "usageLimits");
}

/** RFC 822 headers of a raw message (unfolded), lower-cased names. */
function parseHeaders(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const out: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

/**
 * The Gmail methods served: the scopes that allow each, its method name in Google's errors (inferred from Gmail's
 * internal service name, google-behaviour.md §5.3) and its cost in quota units.
 */
const GMAIL_METHODS = {
  getProfile: {
    allowed: allowsGetProfile,
    rpc: "caribou.api.proto.MailboxService.GetProfile",
    units: GMAIL_UNITS.getProfile,
  },
  send: { allowed: allowsSend, rpc: "caribou.api.proto.MailboxService.SendMessage", units: GMAIL_UNITS.send },
} as const;
type GmailMethod = keyof typeof GMAIL_METHODS;

export class GoogleApis {
  constructor(private readonly store: EmulatorStore) {}

  /**
   * Auth, service state, scope, user, mailbox and per-user quota checks, in that order (the order is inferred), for
   * the Gmail method whose path's first part is the userId.
   */
  private gmailCaller(ctx: RequestContext, method: GmailMethod): AccessRecord | Reply {
    const { allowed, rpc, units } = GMAIL_METHODS[method];
    const userId = ctx.path[0];
    const token = bearer(ctx);
    const rec = token
      ? (this.store.tokens.findAccess(token) ?? this.store.serviceAccounts.findAccess(token))
      : undefined;
    if (!rec) return invalidCredentials();
    const project = this.store.records.findProject(rec.projectId)!;
    if (project.services[GMAIL_SERVICE] !== "ENABLED") return serviceDisabled(project);
    if (!allowed(rec.scopes)) return insufficientScope(rpc);
    // A service account's own token (no subject): it has no mailbox (google-behaviour.md §10).
    if (rec.account === "") return preconditionFailed();
    const account = this.store.records.findAccount(rec.account)!;
    // Inferred: another user's mailbox without domain-wide delegation.
    if (userId !== "me" && decodeURIComponent(userId).toLowerCase() !== account.email)
      return gmailError(403, `Delegation denied for ${account.email}`, "forbidden", "PERMISSION_DENIED");
    if (!account.hasMailbox) return mailServiceNotEnabled();
    if (!this.store.gmailUsage.charge(project, account, units)) return userQuotaExceeded(project);
    return rec;
  }

  /** GET /gmail/v1/users/{userId}/profile. */
  getProfile(ctx: RequestContext): Reply {
    const rec = this.gmailCaller(ctx, "getProfile");
    if (!isAccessRecord(rec)) return rec;
    const a = this.store.records.findAccount(rec.account)!;
    return json(200, {
      emailAddress: a.email,
      messagesTotal: a.messagesTotal,
      threadsTotal: a.threadsTotal,
      historyId: String(a.historyId),
    });
  }

  /** POST /gmail/v1/users/{userId}/messages/send. The 400 INVALID_ARGUMENT texts below are inferred (the facts quote none). */
  send(ctx: RequestContext): Reply {
    const rec = this.gmailCaller(ctx, "send");
    if (!isAccessRecord(rec)) return rec;
    const account = this.store.records.findAccount(rec.account)!;
    const blockedUntil = this.store.gmailUsage.sendingBlockedUntil(account);
    if (blockedUntil !== undefined) return sendingLimitExceeded(blockedUntil);
    const invalid = (message: string) => gmailError(400, message, "invalidArgument", "INVALID_ARGUMENT");
    const raw = ctx.params.get("raw");
    if (!raw) return invalid("'raw' RFC822 payload message string or uploading message via /upload/* URL required");
    if (!/^[A-Za-z0-9_\-+/=\s]+$/.test(raw)) return invalid("Invalid value for ByteString: raw");
    const headers = parseHeaders(Buffer.from(raw, "base64url").toString("utf8"));
    if (!headers.to && !headers.cc && !headers.bcc) return invalid("Recipient address required");
    const id = randomBytes(8).toString("hex");
    this.store.gmailUsage.recordSend(account);
    this.store.records.recordSent({
      id,
      threadId: id,
      account: rec.account,
      clientId: rec.clientId,
      raw,
      headers: { from: headers.from, to: headers.to, cc: headers.cc, bcc: headers.bcc, subject: headers.subject },
      at: new Date(this.store.clock.now()).toISOString(),
    });
    return json(200, { id, threadId: id, labelIds: ["SENT"] });
  }

  /** A cloud credential allowed on the project, or the reply refusing it. */
  private cloudCaller(
    ctx: RequestContext,
    projectRef: string,
    denied: () => Reply,
  ): { project: Project; canEnable: boolean } | Reply {
    const token = bearer(ctx);
    const cred = token ? this.store.records.findCredential(token) : undefined;
    if (!cred) return invalidCredentials();
    const project = this.store.records.findProject(projectRef);
    // Inferred: a project that does not exist answers the same 403 as one the caller may not see.
    if (!project || !cred.projects.includes(project.id)) return denied();
    return { project, canEnable: cred.canEnable };
  }

  /**
   * GET /v1/projects/{p}/services/{s}, POST …:enable / …:disable (google-behaviour.md §6). Inferred: the disable denial wording
   * (the enable one is observed), and the done `operations/noop.DONE_OPERATION` answer.
   */
  serviceUsage(ctx: RequestContext): Reply {
    const [projectRef, service, action] = ctx.path as [string, string, "enable" | "disable" | undefined];
    const verb = action ?? "get";
    const c = this.cloudCaller(ctx, decodeURIComponent(projectRef), () => permissionDenied(verb, service));
    if (!isCaller(c)) return c;
    if (action) {
      if (!c.canEnable) return permissionDenied(verb, service);
      c.project.services[service] = action === "enable" ? "ENABLED" : "DISABLED";
      const type = action === "enable" ? "EnableServiceResponse" : "DisableServiceResponse";
      return json(200, {
        name: "operations/noop.DONE_OPERATION",
        done: true,
        response: {
          "@type": `type.googleapis.com/google.api.serviceusage.v1.${type}`,
          service: serviceBody(c.project, service),
        },
      });
    }
    return json(200, serviceBody(c.project, service));
  }

  /** GET /v3/projects/{p} (Cloud Resource Manager). The denial wording is inferred. */
  resourceManager(ctx: RequestContext): Reply {
    const ref = decodeURIComponent(ctx.path[0]);
    const denied = () =>
      json(403, { error: { code: 403, message: "The caller does not have permission", status: "PERMISSION_DENIED" } });
    const c = this.cloudCaller(ctx, ref, denied);
    if (!isCaller(c)) return c;
    const p = c.project;
    return json(200, {
      name: `projects/${p.number}`,
      ...(p.organizationId ? { parent: `organizations/${p.organizationId}` } : {}),
      projectId: p.id,
      state: "ACTIVE",
      displayName: p.id,
      etag: `W/"${p.number}"`,
    });
  }
}

/** Inferred wording and status for a method Service Usage or Resource Manager does not serve (the route table answers it). */
export const methodNotFound = () =>
  json(404, { error: { code: 404, message: "Method not found.", status: "NOT_FOUND" } });

/** Permission denied on Service Usage; the enable form is observed (google-behaviour.md §6), the get and disable forms inferred from it. */
function permissionDenied(verb: string, service: string): Reply {
  return json(403, {
    error: {
      code: 403,
      message: `Permission denied to ${verb} service [${service}]\nHelp Token: ${randomBytes(24).toString("base64url")}`,
      status: "PERMISSION_DENIED",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.PreconditionFailure",
          violations: [{ type: "googleapis.com", subject: "110002" }],
        },
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "AUTH_PERMISSION_DENIED",
          domain: "serviceusage.googleapis.com",
        },
      ],
    },
  });
}

/** A Service (google-behaviour.md §6: name, parent, config, state). config's name and title follow the docs; its other fields are inferred. */
function serviceBody(project: Project, service: string) {
  const title = service === GMAIL_SERVICE ? "Gmail API" : service;
  return {
    name: `projects/${project.number}/services/${service}`,
    parent: `projects/${project.number}`,
    config: {
      name: service,
      title,
      documentation: {},
      quota: {},
      authentication: {},
      usage: { requirements: [`serviceusage.googleapis.com/tos/cloud`] },
    },
    state: project.services[service] ?? "DISABLED",
  };
}

function isAccessRecord(x: AccessRecord | Reply): x is AccessRecord {
  return "scopes" in x;
}

function isCaller(x: { project: Project; canEnable: boolean } | Reply): x is { project: Project; canEnable: boolean } {
  return "project" in x;
}
