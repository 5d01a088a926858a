// The one HTTP client of the validator: bounded by a deadline, retrying only what is transient, and never throwing
// for a network problem. Built on node:http(s) with keep-alive agents rather than fetch: a fleet run is CPU-bound on
// the client, and undici's fetch machinery was over a third of that CPU (npm run bench -- fleet). A check turns an `unreachable` outcome (or a 5xx/429 that survived the retries) into
// "inconclusive" with the reason: it never passes on a response it did not get.
// Requests honour HTTPS_PROXY / HTTP_PROXY / NO_PROXY (validator/proxy.ts). What the network in between did (a proxy
// that refused, asked for credentials or re-signed Google's certificate; a name that did not resolve) is named as a
// `fault`, so a check can say so instead of "Google did not answer": an answer from the proxy is not Google's.

import http from "node:http";
import https from "node:https";
import { routeFor, type Route } from "./proxy";
import { absorbThrottle, awaitTurn, extendedDeadline } from "./rateLimit";

/** Failures of the network between us and Google; each is a catalogue entry of its own (validator/catalogue.ts). */
export type NetworkFault = "proxy_unreachable" | "proxy_auth_required" | "tls_interception" | "dns_failure";

export type HttpOutcome =
  | {
      readonly kind: "response";
      readonly status: number;
      readonly headers: Headers;
      readonly text: string;
      /** The parsed body when it is JSON; undefined for non-JSON bodies. */
      readonly json?: unknown;
      /** Set when the server said JSON (or we expected it) but the body did not parse: Google never does that. */
      readonly malformed?: string;
      readonly attempts: number;
    }
  | {
      readonly kind: "unreachable";
      /** One line for the report: "timed out after 10s", "connection refused", "DNS lookup failed", … */
      readonly reason: string;
      readonly code?: string;
      /** What in between failed, when we can tell; undefined for timeouts, resets and the far end refusing. */
      readonly fault?: NetworkFault;
      /** The proxy the request went through (without credentials). */
      readonly proxy?: string;
      readonly attempts: number;
    };

export interface RequestOptions {
  readonly method?: "GET" | "POST";
  readonly headers?: Record<string, string>;
  /** application/x-www-form-urlencoded body, as Google's OAuth endpoints take. */
  readonly form?: Record<string, string>;
  readonly json?: unknown;
  /** Per-attempt timeout; the overall deadline still applies. Default 10 s. */
  readonly timeoutMs?: number;
  /** Absolute deadline (ms since epoch) for all attempts together. */
  readonly deadline?: number;
  /** How many times to try in all, for 5xx, 429 and network errors. Default 3; 1 disables retries. */
  readonly attempts?: number;
  /** Base backoff in ms (doubles each retry, with jitter). Default 200. */
  readonly backoffMs?: number;
  /** The longest Retry-After we honour before giving up as inconclusive. Default 30 s. */
  readonly maxRetryAfterMs?: number;
}

export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "DNS lookup failed (host not found)",
  EAI_AGAIN: "DNS lookup failed (temporary)",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_SOCKET: "connection closed by the server",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS certificate is self-signed",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate could not be verified",
  SELF_SIGNED_CERT_IN_CHAIN:
    "TLS certificate chain ends in a CA this machine does not trust (self-signed certificate in certificate chain)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    "TLS certificate issued by a CA this machine does not trust (unable to get local issuer certificate)",
  UNABLE_TO_GET_ISSUER_CERT: "TLS certificate issued by an unknown CA (unable to get issuer certificate)",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not match the host",
};

/**
 * A certificate chain Node cannot verify. Google's chains verify against Node's bundled roots, so on the way to Google
 * this means something in between re-signed the traffic: a TLS-inspecting proxy whose CA Node was not given.
 */
const UNTRUSTED_CERT_CODES = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN"]);
/** Through a proxy we only ever connect to the proxy: failing to connect at all is the proxy's failure. */
const CONNECT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** A failure the client recognized itself (the proxy's answer, a proxy variable it cannot use). */
class NetworkFailure extends Error {
  constructor(
    readonly reason: string,
    readonly code: string,
    readonly fault: NetworkFault,
  ) {
    super(reason);
  }
}

/** The proxy's own answer to a CONNECT (https-proxy-agent's "proxyConnect"), or to a plain-http request. */
interface ProxyAnswer {
  readonly statusCode: number;
  readonly statusText?: string;
  readonly headers: http.IncomingHttpHeaders;
}

function proxyAnswerFailure(route: Route, target: URL, answer: ProxyAnswer): NetworkFailure {
  const said = `HTTP ${answer.statusCode}${answer.statusText ? ` ${answer.statusText}` : ""}`;
  if (answer.statusCode === 407)
    return new NetworkFailure(
      `proxy ${route.proxy} ${route.authenticated ? "refused the credentials in the proxy URL" : "asks for credentials"} (${said})`,
      "PROXY_AUTH",
      "proxy_auth_required",
    );
  // Squid names a failed lookup of the target in this header (ERR_DNS_FAIL); other proxies only say 502/503.
  const squid = String(answer.headers["x-squid-error"] ?? "");
  if (/^ERR_DNS_FAIL/i.test(squid))
    return new NetworkFailure(
      `proxy ${route.proxy} could not resolve ${target.hostname} (${said}, ${squid})`,
      "PROXY_DNS",
      "dns_failure",
    );
  return new NetworkFailure(
    `proxy ${route.proxy} would not open a tunnel to ${target.host} (${said})`,
    "PROXY_REFUSED",
    "proxy_unreachable",
  );
}

/** The network fault a Node error code stands for, for a request sent straight out or through a proxy. */
export function networkFaultOf(code: string | undefined, proxied: boolean): NetworkFault | undefined {
  if (!code) return undefined;
  if (UNTRUSTED_CERT_CODES.has(code)) return "tls_interception";
  if (proxied) return CONNECT_CODES.has(code) ? "proxy_unreachable" : undefined;
  return DNS_CODES.has(code) ? "dns_failure" : undefined;
}

const TRANSIENT_NETWORK_CODES = new Set([
  "ECONNRESET",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

interface NetworkProblem {
  readonly reason: string;
  readonly code?: string;
  readonly fault?: NetworkFault;
}

function describeNetworkError(err: unknown, timeoutMs: number, route: Route | undefined): NetworkProblem {
  if (err instanceof NetworkFailure) return { reason: err.reason, code: err.code, fault: err.fault };
  const plain = describePlainNetworkError(err, timeoutMs);
  const fault = networkFaultOf(plain.code, route?.proxy !== undefined);
  if (!route?.proxy) return { ...plain, fault };
  // https-proxy-agent's words when the proxy hangs up before answering the CONNECT.
  if (!plain.code && /^Proxy connection ended/.test(plain.reason))
    return { reason: `proxy ${route.proxy} closed the connection without answering`, fault: "proxy_unreachable" };
  const who = fault === "proxy_unreachable" ? `proxy ${route.proxy}` : `through proxy ${route.proxy}`;
  return { ...plain, reason: `${who}: ${plain.reason}`, fault };
}

function describePlainNetworkError(err: unknown, timeoutMs: number): NetworkProblem {
  const e = err as { name?: string; code?: string; cause?: { code?: string; message?: string; name?: string } };
  if (e?.name === "TimeoutError" || e?.cause?.name === "TimeoutError")
    return { reason: `timed out after ${Math.round(timeoutMs / 100) / 10}s`, code: "ETIMEDOUT" };
  if (e?.name === "AbortError") return { reason: "aborted (deadline reached)", code: "ABORTED" };
  const code = e?.cause?.code ?? e?.code;
  if (code && NETWORK_REASONS[code]) return { reason: NETWORK_REASONS[code], code };
  if (code === "UND_ERR_HEADERS_OVERFLOW" || code === "UND_ERR_RES_EXCEEDED_MAX_SIZE")
    return { reason: "response too large", code };
  const message = e?.cause?.message ?? (err instanceof Error ? err.message : String(err));
  return { reason: message, code };
}

function retryAfterMs(headers: Headers): number | undefined {
  const v = headers.get("retry-after");
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bodies larger than this are cut: no Google response we read comes close, and a hostile server must not eat memory. */
const MAX_BODY_BYTES = 1 << 20;

interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (Array.isArray(v)) for (const one of v) out.append(k, one);
    else if (v !== undefined) out.set(k, v);
  }
  return out;
}

/** One request; redirects are never followed (a probe reads the 302's Location). Rejects on network errors. */
function requestOnce(
  target: URL,
  route: Route,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    if (route.problem) {
      reject(new NetworkFailure(route.problem, "PROXY_CONFIG", "proxy_unreachable"));
      return;
    }
    const secure = target.protocol === "https:";
    // A refused CONNECT is replayed to us as if it were the response: remember it was the proxy's.
    let refusedTunnel: ProxyAnswer | undefined;
    const req = (secure ? https : http).request(
      target,
      {
        method,
        headers: body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) },
        agent: route.agent,
      },
      (res) => {
        // Google never answers 407: through a proxy it is the proxy asking for credentials.
        const fromProxy =
          refusedTunnel ??
          (route.proxy && res.statusCode === 407
            ? { statusCode: 407, statusText: res.statusMessage, headers: res.headers }
            : undefined);
        if (fromProxy) {
          res.resume();
          fail(proxyAnswerFailure(route, target, fromProxy));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
          else res.destroy();
        });
        const done = () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: toHeaders(res.headers),
            text: Buffer.concat(chunks).toString("utf8"),
          });
        };
        res.on("end", done);
        // Cut off at the size cap: what arrived is the answer. Cut off by the server: a network error.
        res.on("close", () =>
          size > MAX_BODY_BYTES
            ? done()
            : !res.complete && fail(Object.assign(new Error("connection closed mid-response"), { code: "ECONNRESET" })),
        );
        res.on("error", (e) => (size > MAX_BODY_BYTES ? done() : fail(e)));
      },
    );
    const timeout = Object.assign(new Error("timed out"), { name: "TimeoutError" });
    let timedOut = false;
    // Whatever the destroyed socket reports afterwards (a reset mid-body), the cause was our timeout.
    const fail = (e: unknown) => {
      clearTimeout(timer);
      reject(timedOut ? timeout : e);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(timeout);
    }, timeoutMs);
    req.on("error", fail);
    if (route.proxy)
      req.once("proxyConnect", (answer: ProxyAnswer) => {
        if (answer.statusCode !== 200) refusedTunnel = answer;
      });
    req.end(body);
  });
}

export async function httpRequest(url: string, opts: RequestOptions = {}): Promise<HttpOutcome> {
  const attemptsAllowed = Math.max(1, opts.attempts ?? 3);
  const perAttempt = opts.timeoutMs ?? 10_000;
  const deadline = opts.deadline ?? Date.now() + perAttempt * attemptsAllowed + 5_000;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 30_000;
  const headers: Record<string, string> = { "user-agent": "gmail-oauth-validator", ...opts.headers };
  let body: string | undefined;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["content-type"] = "application/json";
  }

  let last: HttpOutcome | undefined;
  for (let attempt = 1; attempt <= attemptsAllowed; attempt++) {
    await awaitTurn(url); // a fleet's rate limit (validator/rateLimit.ts); no-op otherwise
    const remaining = extendedDeadline(deadline) - Date.now();
    if (remaining <= 0) break;
    const timeoutMs = Math.min(perAttempt, remaining);
    let retryDelay = (opts.backoffMs ?? 200) * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
    let route: Route | undefined;
    try {
      const target = new URL(url);
      route = routeFor(target);
      const res = await requestOnce(target, route, opts.method ?? (body ? "POST" : "GET"), headers, body, timeoutMs);
      const text = res.text;
      const contentType = res.headers.get("content-type") ?? "";
      let json: unknown;
      let malformed: string | undefined;
      if (contentType.includes("json") || /^\s*[{[]/.test(text)) {
        try {
          json = JSON.parse(text);
        } catch (e) {
          malformed = contentType.includes("json") ? `malformed JSON body (${(e as Error).message})` : undefined;
        }
      } else if (contentType.includes("html") && /^\s*</.test(text)) {
        malformed = undefined;
      }
      last = { kind: "response", status: res.status, headers: res.headers, text, json, malformed, attempts: attempt };
      if (!isTransientStatus(res.status)) return last;
      const after = retryAfterMs(res.headers);
      if (after !== undefined) {
        if (after > maxRetryAfter) return last;
        retryDelay = after;
        // In a fleet, a 429 pauses the endpoint for the project and the retry waits its turn: no attempt spent.
        if (res.status === 429 && absorbThrottle(url, after)) {
          attempt--;
          continue;
        }
      }
    } catch (err) {
      const { reason, code, fault } = describeNetworkError(err, timeoutMs, route);
      last = {
        kind: "unreachable",
        reason,
        code,
        ...(fault ? { fault } : {}),
        ...(route?.proxy ? { proxy: route.proxy } : {}),
        attempts: attempt,
      };
      // Retry only what can heal in a second (resets, timeouts, a flaky resolver); a refused connection, an
      // unknown host, a TLS failure or a URL fetch will not even send (bad port) is reported at once.
      if (!code || !TRANSIENT_NETWORK_CODES.has(code)) return last;
    }
    if (attempt < attemptsAllowed && Date.now() + retryDelay < extendedDeadline(deadline)) await sleep(retryDelay);
    else break;
  }
  return (
    last ?? {
      kind: "unreachable",
      reason: "deadline reached before the request could be sent",
      code: "DEADLINE",
      attempts: 0,
    }
  );
}

/** A one-line account of an outcome that cannot be judged, for an inconclusive check. */
export function describeInconclusive(outcome: HttpOutcome): string {
  if (outcome.kind === "unreachable")
    return `${outcome.reason}${outcome.attempts > 1 ? ` (after ${outcome.attempts} attempts)` : ""}`;
  if (outcome.malformed) return `HTTP ${outcome.status} with a ${outcome.malformed}`;
  return `HTTP ${outcome.status}${outcome.attempts > 1 ? ` after ${outcome.attempts} attempts` : ""}`;
}
