// Per-route fault injection: the validator's resilience is tested against these. Picking a fault is O(1) and never
// throws, so a fault can never take the server down.
import type { Fault, FaultRoute } from "./model";

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

/** Google's JSON error for a transient status (the shape of every googleapis.com error). */
export function transientErrorBody(status: 500 | 503 | 429): object {
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
