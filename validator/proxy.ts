// Which way a request leaves the machine: straight out, or through the proxy named in HTTPS_PROXY / HTTP_PROXY /
// ALL_PROXY (upper or lower case), unless NO_PROXY covers the host. The variables are matched by proxy-from-env, the
// same rules Google's Node client (gaxios, which google-auth-library uses for ADC) applies: an exact host, `.domain` or
// `*.domain` for a domain and its subdomains, `host:port`, `*` for everything. Loopback (localhost, 127.0.0.0/8, ::1)
// never goes through the proxy unless GMAIL_OAUTH_PROXY_LOOPBACK=1: --google-origin and the emulator live there, and a
// corporate proxy cannot reach this machine's loopback anyway.
// The agents (https-proxy-agent: CONNECT tunnels; http-proxy-agent: absolute-URI requests) keep their connections
// alive like the direct ones, one agent per proxy for the whole process.
import http from "node:http";
import https from "node:https";
import { getProxyForUrl } from "proxy-from-env";
import { ENV } from "../common/env";
import { registerSecret } from "../common/redact";
import { isLoopbackHost } from "../google/redirectUris";

export interface Route {
  readonly agent: http.Agent;
  /** The proxy's URL without its credentials, when the request goes through one: safe to print. */
  readonly proxy?: string;
  /** The proxy URL carries credentials (sent as Proxy-Authorization: Basic). */
  readonly authenticated?: boolean;
  /** The proxy variable could not be used: the request is not sent, and this says why. */
  readonly problem?: string;
}

// Free sockets are unref'd by the agent, so a kept-alive connection never holds the process open.
const DIRECT = {
  http: { agent: new http.Agent({ keepAlive: true }) },
  https: { agent: new https.Agent({ keepAlive: true }) },
} satisfies Record<string, Route>;

const viaProxy = new Map<string, Route>();

/** A proxy URL as it may be printed: scheme, host and port only. */
export function describeProxy(proxyUrl: string): string {
  try {
    const u = new URL(proxyUrl);
    return `${u.protocol}//${u.host}`;
  } catch {
    return "(unparsable proxy URL)";
  }
}

/** Proxy credentials are secrets: registered before anything can print them (the URL-encoded form too). */
function registerProxyCredentials(u: URL): void {
  if (!u.password) return;
  registerSecret(u.password);
  registerSecret(decodeURIComponent(u.password));
  registerSecret(`${u.username}:${u.password}`);
}

/** Loaded on the first proxied request: most runs have no proxy, and every command pays for what it loads. */
function proxyAgent(secure: boolean, u: URL): http.Agent {
  if (secure) {
    const { HttpsProxyAgent } = require("https-proxy-agent") as typeof import("https-proxy-agent");
    return new HttpsProxyAgent(u, { keepAlive: true });
  }
  const { HttpProxyAgent } = require("http-proxy-agent") as typeof import("http-proxy-agent");
  return new HttpProxyAgent(u, { keepAlive: true });
}

function proxyRoute(secure: boolean, proxyUrl: string): Route {
  const key = `${secure ? "https" : "http"} ${proxyUrl}`;
  const known = viaProxy.get(key);
  if (known) return known;
  let route: Route;
  let u: URL | undefined;
  try {
    u = new URL(proxyUrl);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== "http:" && u.protocol !== "https:") || !u.hostname) {
    // The variable itself may hold credentials: never echo it.
    route = {
      agent: secure ? DIRECT.https.agent : DIRECT.http.agent,
      problem: `the proxy variable is not an http:// or https:// proxy URL (${u ? `${u.protocol} proxies are not supported` : "unparsable"})`,
    };
  } else {
    registerProxyCredentials(u);
    route = {
      agent: proxyAgent(secure, u),
      proxy: describeProxy(proxyUrl),
      authenticated: u.username !== "" || u.password !== "",
    };
  }
  viaProxy.set(key, route);
  return route;
}

/** The lower-case form of a variable wins over the upper-case one, as with curl and proxy-from-env. */
function env(name: string): string | undefined {
  return process.env[name] || process.env[name.toUpperCase()] || undefined;
}

/** How a request to `target` leaves the machine, read from the environment at the time of the request. */
export function routeFor(target: URL): Route {
  const secure = target.protocol === "https:";
  // The common case (no proxy variable at all) costs three lookups: the fleet makes thousands of requests.
  if (!env("https_proxy") && !env("http_proxy") && !env("all_proxy")) return secure ? DIRECT.https : DIRECT.http;
  if (isLoopbackHost(target.hostname) && process.env[ENV.proxyLoopback] !== "1")
    return secure ? DIRECT.https : DIRECT.http;
  const proxyUrl = getProxyForUrl(target.href);
  if (!proxyUrl) return secure ? DIRECT.https : DIRECT.http;
  // proxy-from-env gives a scheme-less value the request's scheme; like curl, we take http (TLS to a proxy is rare).
  const raw = (secure ? env("https_proxy") : env("http_proxy")) ?? env("all_proxy") ?? "";
  return proxyRoute(secure, raw.includes("://") ? proxyUrl : `http://${raw}`);
}
