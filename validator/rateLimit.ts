// The client-side rate limit of a fleet run (issue 16 §4): requests per second per Google project and endpoint,
// spaced evenly, and paused for everyone on that project and endpoint when Google answers 429 with Retry-After.
// The fleet runs each connection inside a scope (AsyncLocalStorage); validator/http.ts asks it for a turn before
// every request, so every check is limited without passing the limiter through each call. Outside a fleet there is
// no scope and nothing is limited. Defaults and their reasoning: docs/fleet.md#rate-limits.
import { AsyncLocalStorage } from "node:async_hooks";
import { InputError } from "../common/errors";

export const ENDPOINT_CLASSES = [
  "token",
  "tokeninfo",
  "revoke",
  "gmail",
  "serviceusage",
  "authorize",
  "other",
] as const;
export type EndpointClass = (typeof ENDPOINT_CLASSES)[number];

/**
 * Requests per second per project, by endpoint. Inferred from Google's published quotas (docs/fleet.md): Gmail's
 * 1,200,000 quota units per minute per project (getProfile costs 1) is shared with the app itself, so the fleet
 * takes a small share; the token endpoint and tokeninfo publish no number (tokeninfo "may be throttled", google-behaviour.md §4.1),
 * so they get a conservative one.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<EndpointClass, number>> = {
  token: 10,
  tokeninfo: 10,
  revoke: 5,
  gmail: 50,
  serviceusage: 5,
  authorize: 10,
  other: 10,
};

/** Which endpoint a URL is, by its path (the same paths on Google's hosts and the emulator's one origin). */
export function endpointClass(url: URL): EndpointClass {
  const p = url.pathname;
  if (p === "/token") return "token";
  if (p === "/tokeninfo" || p === "/oauth2/v3/tokeninfo") return "tokeninfo";
  if (p === "/revoke" || p === "/o/oauth2/revoke") return "revoke";
  if (p.startsWith("/gmail/")) return "gmail";
  if (/^\/v1\/projects\/[^/]+\/services/.test(p)) return "serviceusage";
  if (p.startsWith("/o/oauth2/")) return "authorize";
  return "other";
}

/** `--rate-limit 20` (every endpoint) or `--rate-limit token=10,gmail=50` (the rest keep their defaults). */
export function readRateLimits(text: string | undefined): Record<EndpointClass, number> {
  const limits = { ...DEFAULT_RATE_LIMITS };
  if (text === undefined) return limits;
  const fix = `e.g. --rate-limit 20, or --rate-limit token=10,gmail=50 (endpoints: ${ENDPOINT_CLASSES.join(", ")})`;
  const positive = (v: string) => {
    const n = Number(v);
    if (!(Number.isFinite(n) && n > 0)) throw new InputError("--rate-limit", `'${v}' is not a positive number`, fix);
    return n;
  };
  if (/^[\d.]+$/.test(text.trim())) {
    const n = positive(text.trim());
    for (const k of ENDPOINT_CLASSES) limits[k] = n;
    return limits;
  }
  for (const part of text.split(",")) {
    const [k, v] = part.split("=").map((s) => s.trim());
    if (!(ENDPOINT_CLASSES as readonly string[]).includes(k ?? "") || v === undefined)
      throw new InputError("--rate-limit", `'${part}' is not ENDPOINT=REQUESTS_PER_SECOND`, fix);
    limits[k as EndpointClass] = positive(v);
  }
  return limits;
}

/** One project's endpoint: the next free slot (evenly spaced) and a pause set by a 429's Retry-After. */
class Lane {
  private next = 0;
  private pausedUntil = 0;
  constructor(private readonly spacingMs: number) {}

  /** Reserves the next slot; returns how long to wait for it. */
  reserve(now: number): number {
    const slot = Math.max(now, this.next, this.pausedUntil);
    this.next = slot + this.spacingMs;
    return slot - now;
  }

  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }
}

export class RateLimiter {
  private readonly lanes = new Map<string, Lane>();
  constructor(readonly limits: Readonly<Record<EndpointClass, number>> = DEFAULT_RATE_LIMITS) {}

  private lane(project: string, endpoint: EndpointClass): Lane {
    const key = `${project}\u0000${endpoint}`;
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = new Lane(1000 / this.limits[endpoint])));
    return lane;
  }

  /** Waits for this project's next turn at the URL's endpoint; resolves with the ms waited. */
  async turn(project: string, url: URL): Promise<number> {
    const wait = this.lane(project, endpointClass(url)).reserve(Date.now());
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return wait;
  }

  /** Google said 429 with Retry-After: nobody on this project and endpoint asks again before then. */
  pause(project: string, url: URL, retryAfterMs: number): void {
    this.lane(project, endpointClass(url)).pause(Date.now() + retryAfterMs);
  }
}

/** A connection's requests: its project, the run's limiter, and how long it has waited for its turns so far. */
export interface RequestScope {
  readonly limiter: RateLimiter;
  readonly project: string;
  waitedMs: number;
  /** 429s absorbed (retried without counting an attempt) so far: bounded, so a storm cannot go on forever. */
  throttled: number;
}

/** Per connection: a 429 storm may delay it this many times before its checks say inconclusive. */
export const MAX_THROTTLED_RETRIES = 20;

const scopes = new AsyncLocalStorage<RequestScope>();

/** Runs `work` with its requests limited as `project`'s. */
export function withRequestScope<T>(limiter: RateLimiter, project: string, work: () => Promise<T>): Promise<T> {
  return scopes.run({ limiter, project, waitedMs: 0, throttled: 0 }, work);
}

/** Before each request (validator/http.ts): wait for the turn, if a fleet limits this one. */
export async function awaitTurn(url: string): Promise<void> {
  const scope = scopes.getStore();
  if (scope) scope.waitedMs += await scope.limiter.turn(scope.project, new URL(url));
}

/**
 * A deadline moved by the time this connection waited for its turns: --timeout bounds Google's answers, not the
 * queue our own limiter makes.
 */
export function extendedDeadline(deadline: number): number {
  return deadline + (scopes.getStore()?.waitedMs ?? 0);
}

/**
 * A 429 with Retry-After inside a fleet: the endpoint is paused for the whole project, and the request is retried
 * after the pause without spending an attempt (true), up to MAX_THROTTLED_RETRIES per connection.
 */
export function absorbThrottle(url: string, retryAfterMs: number): boolean {
  const scope = scopes.getStore();
  if (!scope || scope.throttled >= MAX_THROTTLED_RETRIES) return false;
  scope.throttled++;
  scope.limiter.pause(scope.project, new URL(url), retryAfterMs);
  return true;
}
