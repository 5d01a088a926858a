// Live checks that need no user: Google's authorization and token endpoints, Service Usage, and the app's own
// redirect endpoint. Each is one round trip (plus retries of transient failures), so they run side by side.
// A response we did not get, or one we cannot read, is "inconclusive": never a pass.
import { authErrorFromUrl, decodeAuthError, AuthErrorDecodeError } from "../google/authError";
import { buildAuthorizeUrl } from "../google/authorizeUrl";
import { gmailActivationUrl } from "../google/consoleLinks";
import { GMAIL_SERVICE, GOOGLE_HOSTS, googleEndpoints, type GoogleEndpoints } from "../google/endpoints";
import { isLoopbackUri, redirectUriProblems } from "../google/redirectUris";
import { redact } from "../common/redact";
import { ENV } from "../common/env";
import {
  classifyApiError,
  classifyCallbackError,
  classifyText,
  classifyTokenError,
  isApiErrorBody,
  readAuthError,
} from "./classify";
import { diagnosisResult } from "./diagnoses";
import { unansweredCode } from "./unanswered";
import { describeInconclusive, httpRequest, networkFaultOf, type HttpOutcome, type NetworkFault } from "./http";
import { routeFor } from "./proxy";
import { nearMiss, pass, skip } from "./offline";
import type { CheckResult, DiagnosisCode, ValidationInput } from "./types";

export interface LiveContext {
  readonly input: ValidationInput;
  readonly endpoints: GoogleEndpoints;
  /** Date headers of Google's answers with the local time they arrived, for the clock check. */
  readonly clockSamples: { server: number; local: number }[];
}

export function liveContext(input: ValidationInput): LiveContext {
  return { input, endpoints: googleEndpoints(input.googleOrigin), clockSamples: [] };
}

const PER_ATTEMPT_MS = 10_000;
/** The code sent to prove the client: plainly not one of Google's (`4/0A…`), so Google must answer invalid_grant. */
export const PROBE_CODE = "gmail-oauth-validator-deliberately-invalid-code";
const PROBE_STATE = "gmail-oauth-validator";
/** More than this between our clock and Google's Date header breaks token timestamps (iat/exp leeway is ~5 min). */
export const CLOCK_SKEW_LIMIT_MS = 5 * 60_000;

async function googleRequest(
  ctx: LiveContext,
  url: string,
  opts: Parameters<typeof httpRequest>[1] = {},
): Promise<HttpOutcome> {
  const outcome = await httpRequest(url, { timeoutMs: PER_ATTEMPT_MS, deadline: ctx.input.deadline, ...opts });
  if (outcome.kind === "response") {
    const date = Date.parse(outcome.headers.get("date") ?? "");
    if (Number.isFinite(date)) ctx.clockSamples.push({ server: date, local: Date.now() });
  }
  return outcome;
}

const ids = (ctx: LiveContext) => ({ project: ctx.input.project, clientId: ctx.input.clientId });

function unavailable(ctx: LiveContext, id: string, outcome: HttpOutcome, what: string): CheckResult {
  // What failed in between (the proxy, TLS interception, DNS) is named as such: Google itself never answered.
  return diagnosisResult(unansweredCode(outcome), {
    id,
    status: "inconclusive",
    ...ids(ctx),
    detail: `${what}: ${describeInconclusive(outcome)}`,
  });
}

/** A page Google rendered: read like a pasted one, by the one classifier. */
function diagnoseText(text: string): DiagnosisCode | undefined {
  return classifyText(text).code ?? undefined;
}

function isSigninPage(location: URL): boolean {
  const p = location.pathname;
  return (/\/signin\//i.test(p) && !/\/signin\/oauth\/error/i.test(p)) || /ServiceLogin|AccountChooser/i.test(p);
}

export function authorizeUrl(ctx: LiveContext, redirectUri: string): string {
  return buildAuthorizeUrl(ctx.endpoints, {
    clientId: ctx.input.clientId ?? "",
    redirectUri,
    scopes: ctx.input.scopes,
    secrets: { state: PROBE_STATE },
  });
}

/** The authorization endpoint for one redirect URI, without following the redirect (google-behaviour.md §1.1, §1.2). */
export async function checkAuthorize(ctx: LiveContext, redirectUri: string): Promise<CheckResult> {
  const id = `live.authorize[${redirectUri}]`;
  const title = "Google accepts the client, redirect URI and scopes";
  const url = authorizeUrl(ctx, redirectUri);
  const outcome = await googleRequest(ctx, url);
  if (outcome.kind !== "response" || outcome.status >= 500 || outcome.status === 429)
    return unavailable(ctx, id, outcome, "authorization endpoint");
  const location = outcome.headers.get("location");
  if (outcome.status >= 300 && outcome.status < 400 && location) {
    let target: URL;
    try {
      target = new URL(location, url);
    } catch {
      return diagnosisResult("google_unavailable", {
        id,
        status: "inconclusive",
        ...ids(ctx),
        detail: `redirected to an unreadable location`,
      });
    }
    const encoded = authErrorFromUrl(target.href);
    if (encoded !== undefined) {
      try {
        const e = decodeAuthError(encoded);
        // The request details decide OOB; a rendered access_denied without the tester wording is inferred (google-behaviour.md §1.2).
        const { code, inferred } = readAuthError(e);
        // Google's message spans paragraphs; a report line wants one.
        const said = `Google: ${e.httpCode ? `Error ${e.httpCode}: ` : ""}${e.error}${e.message ? ` (${e.message.replace(/\s+/g, " ").trim()})` : ""}`;
        const asked =
          e.details.redirect_uri && e.details.redirect_uri !== redirectUri
            ? `; request details name redirect_uri=${e.details.redirect_uri}`
            : "";
        const near =
          code === "redirect_uri_not_registered" ? nearMiss(redirectUri, ctx.input.registeredRedirectUris) : "";
        if (code)
          return diagnosisResult(code, {
            id,
            status: "fail",
            ...ids(ctx),
            ...(inferred ? { inferred: true } : {}),
            detail: `${redirectUri}: ${said}${asked}${near}`,
          });
        return {
          id,
          status: "fail",
          title: "Google refused the authorization request",
          detail: `${redirectUri}: ${said} (not in the catalogue: run \`gmail-oauth explain\` on it)`,
        };
      } catch (err) {
        const why = err instanceof AuthErrorDecodeError ? err.message : String(err);
        return diagnosisResult("google_unavailable", {
          id,
          status: "inconclusive",
          ...ids(ctx),
          detail: `Google redirected to its error page, but authError could not be decoded (${why})`,
        });
      }
    }
    const error = target.searchParams.get("error");
    if (error && target.href.startsWith(redirectUri.split(/[?#]/)[0])) {
      const code = classifyCallbackError(error);
      if (code)
        return diagnosisResult(code, {
          id,
          status: "fail",
          ...ids(ctx),
          detail: `${redirectUri}: Google redirected back with error=${error}`,
        });
    }
    if (target.href === url)
      return diagnosisResult("google_unavailable", {
        id,
        status: "inconclusive",
        ...ids(ctx),
        detail: "the authorization endpoint redirects to itself (a redirect loop)",
      });
    if (isSigninPage(target)) return pass(id, title, `${redirectUri}: Google moves on to sign-in`);
    return diagnosisResult("google_unavailable", {
      id,
      status: "inconclusive",
      ...ids(ctx),
      detail: `redirected to ${target.origin}${target.pathname}, neither a sign-in page nor an error page`,
    });
  }
  // Google may render a page directly: read its wording; a sign-in page with no error wording is acceptance.
  const code = diagnoseText(outcome.text);
  if (code)
    return diagnosisResult(code, {
      id,
      status: "fail",
      ...ids(ctx),
      detail: `${redirectUri}: Google's page (HTTP ${outcome.status}) reads as ${code}`,
    });
  if (outcome.status >= 200 && outcome.status < 300 && /<form|sign in|identifier/i.test(outcome.text))
    return pass(id, title, `${redirectUri}: Google shows the sign-in page`);
  return diagnosisResult("google_unavailable", {
    id,
    status: "inconclusive",
    ...ids(ctx),
    detail: `authorization endpoint answered HTTP ${outcome.status} with nothing recognizable`,
  });
}

/** The token endpoint with a deliberately invalid code: invalid_grant proves the client ID and secret (google-behaviour.md §2.3). */
export async function checkToken(ctx: LiveContext): Promise<CheckResult> {
  const id = "live.token";
  const title = "Client ID and secret accepted by the token endpoint";
  const { clientId, clientSecret, redirectUris } = ctx.input;
  const form: Record<string, string> = {
    code: PROBE_CODE,
    client_id: clientId!,
    client_secret: clientSecret!,
    grant_type: "authorization_code",
  };
  if (redirectUris[0]) form.redirect_uri = redirectUris[0];
  const outcome = await googleRequest(ctx, ctx.endpoints.token, { method: "POST", form });
  if (outcome.kind !== "response" || outcome.status >= 500 || outcome.status === 429)
    return unavailable(ctx, id, outcome, "token endpoint");
  const body = outcome.json as { error?: unknown; error_description?: unknown } | undefined;
  if (typeof body?.error !== "string") {
    const what =
      outcome.status === 200
        ? "accepted a made-up code (this is not Google)"
        : (outcome.malformed ?? "answered without an OAuth error");
    return diagnosisResult("google_unavailable", {
      id,
      status: "inconclusive",
      ...ids(ctx),
      detail: `token endpoint HTTP ${outcome.status}: ${what}`,
    });
  }
  const said = `HTTP ${outcome.status} ${body.error}${typeof body.error_description === "string" ? ` "${body.error_description}"` : ""}`;
  if (body.error === "invalid_grant")
    return pass(id, title, `${said} to a deliberately invalid code: client ID and secret are good`);
  const code = classifyTokenError(
    {
      error: body.error,
      error_description: typeof body.error_description === "string" ? body.error_description : undefined,
    },
    "authorization_code",
  );
  // redirect_uri_mismatch here can only concern our probe's redirect_uri, which the authorize checks judge.
  if (code && code !== "code_exchange_redirect_mismatch")
    return diagnosisResult(code, { id, status: "fail", ...ids(ctx), detail: said });
  return diagnosisResult("google_unavailable", {
    id,
    status: "inconclusive",
    ...ids(ctx),
    detail: `${said}: does not tell whether the client and secret are good`,
  });
}

/** The operator's cloud credential: the environment's token, else ADC asked for `scopes` (default read-only). */
export async function cloudToken(
  ctx: LiveContext,
  scopes: readonly string[] = ["https://www.googleapis.com/auth/cloud-platform.read-only"],
): Promise<{ token?: string; source: string; problem?: string; fault?: NetworkFault }> {
  if (ctx.input.cloudAccessToken) return { token: ctx.input.cloudAccessToken, source: ENV.cloudAccessToken };
  if (!ctx.input.adcFile)
    return { source: "none", problem: `neither ${ENV.cloudAccessToken} nor Application Default Credentials are set` };
  try {
    // Loaded only here: google-auth-library is heavy and most runs never need it.
    const { GoogleAuth } = await import("google-auth-library");
    const auth = new GoogleAuth({
      keyFile: ctx.input.adcFile,
      scopes: [...scopes],
    });
    const remaining = Math.max(1, ctx.input.deadline - Date.now());
    let timer: NodeJS.Timeout | undefined;
    const token = await Promise.race([
      auth.getAccessToken(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), remaining);
      }),
    ]).finally(() => clearTimeout(timer));
    if (!token)
      return { source: "ADC", problem: `Application Default Credentials (${ctx.input.adcFile}) gave no access token` };
    return { token, source: "ADC" };
  } catch (err) {
    // google-auth-library honours the proxy variables too: its network failures get the same names as ours.
    const e = err as { code?: unknown; status?: unknown };
    const proxied = routeFor(new URL(GOOGLE_HOSTS.oauth2)).proxy !== undefined;
    const fault =
      e.status === 407 && proxied
        ? "proxy_auth_required"
        : networkFaultOf(typeof e.code === "string" ? e.code : undefined, proxied);
    return {
      source: "ADC",
      problem: `Application Default Credentials (${ctx.input.adcFile}) failed: ${redact((err as Error).message).split("\n")[0]}`,
      ...(fault ? { fault } : {}),
    };
  }
}

/** Service Usage: is gmail.googleapis.com enabled in the project (google-behaviour.md §6)? */
export async function checkGmailApi(ctx: LiveContext): Promise<CheckResult> {
  const id = "live.gmail-api";
  const title = "Gmail API enabled in the project";
  const project = ctx.input.projectNumber ?? ctx.input.project;
  if (!project) return skip(id, title, "no project declared: pass --project, a client file with project_id, or a spec");
  const cred = await cloudToken(ctx);
  if (!cred.token)
    return diagnosisResult(cred.fault ?? "cloud_credentials_missing", {
      id,
      status: "inconclusive",
      ...ids(ctx),
      detail: cred.problem,
    });
  const outcome = await googleRequest(ctx, ctx.endpoints.service(project, GMAIL_SERVICE), {
    headers: { authorization: `Bearer ${cred.token}` },
  });
  if (outcome.kind !== "response" || outcome.status >= 500 || outcome.status === 429)
    return unavailable(ctx, id, outcome, "Service Usage");
  if (outcome.malformed) return unavailable(ctx, id, outcome, "Service Usage");
  if (outcome.status === 200) {
    const svc = outcome.json as { state?: string; parent?: string } | undefined;
    const number = /^projects\/(\d+)$/.exec(svc?.parent ?? "")?.[1] ?? ctx.input.projectNumber;
    if (svc?.state === "ENABLED")
      return pass(id, title, `gmail.googleapis.com is ENABLED in project ${project} (read with ${cred.source})`);
    if (svc?.state === "DISABLED") {
      return diagnosisResult("gmail_api_disabled", {
        id,
        status: "fail",
        project: number ?? ctx.input.project,
        clientId: ctx.input.clientId,
        detail: `gmail.googleapis.com is DISABLED in project ${project}`,
        links: [gmailActivationUrl(number ?? project)],
      });
    }
    return diagnosisResult("google_unavailable", {
      id,
      status: "inconclusive",
      ...ids(ctx),
      detail: `Service Usage answered state ${String(svc?.state)}`,
    });
  }
  if (outcome.status === 401)
    return diagnosisResult("cloud_credentials_missing", {
      id,
      status: "inconclusive",
      ...ids(ctx),
      detail: `the ${cred.source} credential was refused (HTTP 401): expired or revoked`,
    });
  const info = isApiErrorBody(outcome.json) ? classifyApiError(outcome.json) : undefined;
  if (outcome.status === 403 || outcome.status === 404) {
    return diagnosisResult("cloud_permission_denied", {
      id,
      status: "inconclusive",
      ...ids(ctx),
      detail: `Service Usage HTTP ${outcome.status} for project ${project}${info?.message ? `: ${info.message}` : ""}`,
    });
  }
  return diagnosisResult("google_unavailable", {
    id,
    status: "inconclusive",
    ...ids(ctx),
    detail: `Service Usage ${describeInconclusive(outcome)}`,
  });
}

const DEFINITELY_UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

function sameUrl(location: string, url: string): boolean {
  try {
    return new URL(location, url).href === new URL(url).href;
  } catch {
    return false;
  }
}

/** The app's own redirect endpoint answers at all; refused, unresolvable or 404 means the app side is not ready. */
export async function checkAppRedirect(ctx: LiveContext, redirectUri: string): Promise<CheckResult> {
  const id = `live.app-redirect[${redirectUri}]`;
  const title = "The app's redirect endpoint answers";
  const outcome = await httpRequest(redirectUri, {
    timeoutMs: PER_ATTEMPT_MS,
    deadline: ctx.input.deadline,
    attempts: 2,
  });
  if (outcome.kind === "unreachable") {
    // Through a proxy, a refusal or a re-signed certificate is the proxy's doing: it says nothing about the app.
    if (outcome.proxy && outcome.fault && outcome.fault !== "dns_failure")
      return diagnosisResult(outcome.fault, {
        id,
        status: "inconclusive",
        ...ids(ctx),
        detail: `${redirectUri}: ${describeInconclusive(outcome)}`,
      });
    // Only a refused connection or a failed lookup proves the endpoint is not there; a timeout or a reset may heal.
    const definite = outcome.code !== undefined && DEFINITELY_UNREACHABLE.has(outcome.code);
    return diagnosisResult("app_redirect_endpoint_unreachable", {
      id,
      status: definite ? "fail" : "inconclusive",
      ...ids(ctx),
      detail: `${redirectUri}: ${describeInconclusive(outcome)}`,
    });
  }
  if (outcome.status === 404)
    return diagnosisResult("app_redirect_endpoint_unreachable", {
      id,
      status: "fail",
      ...ids(ctx),
      detail: `${redirectUri}: HTTP 404, the path does not exist on the app`,
    });
  // 429 and 502-504 come from an overloaded app or the proxy in front of it: they do not show the app's callback answers.
  if (outcome.status === 429 || (outcome.status >= 502 && outcome.status <= 504)) {
    return diagnosisResult("app_redirect_endpoint_unreachable", {
      id,
      status: "inconclusive",
      ...ids(ctx),
      detail: `${redirectUri}: ${describeInconclusive(outcome)}`,
    });
  }
  const location = outcome.headers.get("location");
  if (outcome.status >= 300 && outcome.status < 400 && location && sameUrl(location, redirectUri)) {
    return diagnosisResult("app_redirect_endpoint_unreachable", {
      id,
      status: "inconclusive",
      ...ids(ctx),
      detail: `${redirectUri}: redirects to itself (a redirect loop)`,
    });
  }
  return pass(
    id,
    title,
    `${redirectUri}: HTTP ${outcome.status}${outcome.status >= 400 ? " (expected without Google's parameters)" : ""}`,
  );
}

export function clockCheck(ctx: LiveContext): CheckResult {
  const id = "live.clock";
  const title = "Local clock agrees with Google's";
  if (ctx.clockSamples.length === 0) return skip(id, title, "no Date header received");
  // The Date header has one-second resolution and arrives after the server wrote it: take the smallest skew.
  const skews = ctx.clockSamples.map((s) => s.server - s.local);
  const skew = skews.reduce((a, b) => (Math.abs(b) < Math.abs(a) ? b : a));
  const seconds = Math.round(skew / 1000);
  if (Math.abs(skew) > CLOCK_SKEW_LIMIT_MS)
    return diagnosisResult("clock_skew", {
      id,
      status: "warn",
      ...ids(ctx),
      detail: `the local clock is ${Math.abs(seconds)} s ${skew > 0 ? "behind" : "ahead of"} Google's`,
    });
  return pass(id, title, `within ${Math.max(1, Math.abs(seconds))} s`);
}

/** Which redirect URIs get an app-endpoint check: http(s) ones the app serves (Desktop loopbacks exist only mid-flow). */
export function appRedirectTargets(input: ValidationInput): { uri: string; skip?: string }[] {
  return input.redirectUris.map((uri) => {
    if (redirectUriProblems(uri, input.clientType ?? "web").some((p) => p.code !== "redirect_uri_invalid"))
      return { uri, skip: "not an http(s) redirect URI" };
    if (!/^https?:\/\//i.test(uri)) return { uri, skip: "not an http(s) redirect URI" };
    if (input.clientType === "desktop" && isLoopbackUri(uri))
      return { uri, skip: "a Desktop loopback redirect is served only during sign-in" };
    return { uri };
  });
}
