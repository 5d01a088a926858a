// Per-route fault injection: the validator's resilience is tested against these. A fault's shape and its reader, the
// table the server picks from (O(1), never throws, so a fault can never take the server down), and the bodies a
// faulty answer carries.
import type { z } from "zod";
import { FAULT_ROUTES, faultSchema, keysOf } from "./schema";
import { child, quote, readBoolean, readNumber, readObject, type Problems } from "../common/readers";

export { FAULT_ROUTES };
export type FaultRoute = (typeof FAULT_ROUTES)[number];

export type Fault = z.input<typeof faultSchema>;

const FAULT_KEYS = keysOf(faultSchema);

export function readFaultRoute(value: unknown, field: string, p: Problems): FaultRoute | undefined {
  if (typeof value === "string" && (FAULT_ROUTES as readonly string[]).includes(value)) return value as FaultRoute;
  p.add(field, `unknown route ${quote(value)}`, `use one of: ${FAULT_ROUTES.join(", ")}`);
  return undefined;
}

export function readFault(value: unknown, field: string, p: Problems): Fault | undefined {
  const o = readObject(value, field, p, FAULT_KEYS);
  if (!o) return undefined;
  const before = p.errors.length;
  const status = o.status;
  if (status !== undefined && status !== 500 && status !== 503 && status !== 429)
    p.add(child(field, "status"), `must be 500, 503 or 429, got ${quote(status)}`);
  const fault: Fault = {
    latencyMs: readNumber(o.latencyMs, child(field, "latencyMs"), p, { min: 0, max: 120_000 }),
    status: status as Fault["status"],
    retryAfterSeconds: readNumber(o.retryAfterSeconds, child(field, "retryAfterSeconds"), p, { min: 0, max: 86_400 }),
    malformedBody: readBoolean(o.malformedBody, child(field, "malformedBody"), p),
    html: readBoolean(o.html, child(field, "html"), p),
    drop: readBoolean(o.drop, child(field, "drop"), p),
    redirectLoop: readBoolean(o.redirectLoop, child(field, "redirectLoop"), p),
    times: readNumber(o.times, child(field, "times"), p, { min: 1, max: 1e9 }),
    fraction: readNumber(o.fraction, child(field, "fraction"), p, { min: 0.000001, max: 1 }),
  };
  if (p.errors.length > before) return undefined;
  const effects = (["status", "malformedBody", "html", "drop", "redirectLoop"] as const).filter(
    (k) => fault[k] !== undefined && fault[k] !== false,
  );
  if (effects.length > 1 && !(effects.length === 2 && effects.includes("html") && effects.includes("status"))) {
    p.add(
      field,
      `sets ${effects.join(" and ")}; a fault has at most one effect (html may carry a status)`,
      "split it, or keep one effect",
    );
  } else if (effects.length === 0 && fault.latencyMs === undefined)
    p.add(field, "does nothing", "set latencyMs, status, malformedBody, html, drop or redirectLoop");
  if (fault.times !== undefined && fault.fraction !== undefined)
    p.add(field, "sets both times and fraction", "keep one");
  return p.errors.length > before ? undefined : fault;
}

/** mulberry32: a tiny seeded generator, so a `fraction` fault hits the same requests on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultTable {
  private readonly faults = new Map<FaultRoute, Fault>();
  private random: () => number;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  set(route: FaultRoute, fault: Fault): void {
    this.faults.set(route, { ...fault });
  }

  clear(route?: FaultRoute): void {
    if (route) this.faults.delete(route);
    else this.faults.clear();
  }

  list(): Partial<Record<FaultRoute, Fault>> {
    return Object.fromEntries([...this.faults].map(([k, v]) => [k, { ...v }]));
  }

  /** The fault this request gets, if any: the route's own first, then the catch-all "*". Counts down `times`. */
  pick(route: FaultRoute): Fault | undefined {
    if (this.faults.size === 0) return undefined;
    return this.take(route) ?? this.take("*");
  }

  private take(route: FaultRoute): Fault | undefined {
    const f = this.faults.get(route);
    if (!f) return undefined;
    if (f.fraction !== undefined && this.random() >= f.fraction) return undefined;
    if (f.times !== undefined) {
      f.times -= 1;
      if (f.times <= 0) this.faults.delete(route);
    }
    return f;
  }
}

/**
 * Google's JSON error for a transient status: the shape of every googleapis.com error, except the token endpoint's
 * 500, which is OAuth's shape with error "internal_failure" (as pasted from google-auth, gaxios and Signet).
 */
export function transientErrorBody(status: 500 | 503 | 429, route?: FaultRoute): object {
  if (route === "token" && status === 500) return { error: "internal_failure" };
  const byStatus = {
    500: { message: "Internal error encountered.", status: "INTERNAL" },
    503: { message: "The service is currently unavailable.", status: "UNAVAILABLE" },
    429: { message: "Resource has been exhausted (e.g. check quota).", status: "RESOURCE_EXHAUSTED" },
  } as const;
  return { error: { code: status, ...byStatus[status] } };
}

/** Google's front-end HTML error page, which some proxies and outages serve instead of JSON. */
export function frontEndErrorPage(status: number): string {
  return `<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error ${status} (Server Error)!!1</title><p><b>${status}.</b> <ins>That’s an error.</ins><p>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.  <ins>That’s all we know.</ins></html>`;
}
