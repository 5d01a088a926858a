// The fault matrix (issue 8 §1): every live check × every fault the emulator injects, with the verdict each cell
// must reach. faultMatrix.test.ts runs every cell against the emulator; reliabilityDoc.ts renders docs/reliability.md's
// table from this same definition, so the doc and the test cannot disagree.
import type { Fault, FaultRoute } from "../../emulator/index";
import type { NetworkFault } from "../../validator/http";

/** --timeout for every cell, in seconds: long enough for three attempts under a 1 s Retry-After, short for CI. */
export const MATRIX_TIMEOUT_S = 3;
/** Latency injected by the "latency" fault: well past --timeout. */
export const LATENCY_BEYOND_TIMEOUT_MS = 8_000;

export type FaultName = "latency" | "500" | "503" | "429" | "malformed-json" | "html" | "reset" | "redirect-loop";

export const FAULTS: Readonly<Record<FaultName, { readonly label: string; readonly fault: Fault }>> = {
  latency: {
    label: `latency ${LATENCY_BEYOND_TIMEOUT_MS / 1000} s (> --timeout)`,
    fault: { latencyMs: LATENCY_BEYOND_TIMEOUT_MS },
  },
  "500": { label: "HTTP 500", fault: { status: 500 } },
  "503": { label: "HTTP 503 + Retry-After 1", fault: { status: 503, retryAfterSeconds: 1 } },
  "429": { label: "HTTP 429 + Retry-After 1", fault: { status: 429, retryAfterSeconds: 1 } },
  "malformed-json": { label: "malformed JSON (body cut in half)", fault: { malformedBody: true } },
  html: { label: "HTML error page (502) instead of JSON", fault: { html: true } },
  reset: { label: "connection reset (socket destroyed)", fault: { drop: true } },
  "redirect-loop": { label: "redirect loop (302 to itself)", fault: { redirectLoop: true } },
};
export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

/** Which request of a run a check makes: the proxy arms the emulator's fault on the first one and counts them all. */
export interface RequestSelector {
  readonly method: "GET" | "POST";
  readonly path: RegExp;
  /** For the token endpoint, which grant (the flow exchanges a code, then refreshes, on one route). */
  readonly grantType?: "authorization_code" | "refresh_token";
}

export type Runner = "preflight" | "flow" | "check-token";

export interface LiveCheck {
  readonly key: string;
  readonly label: string;
  /** The report id of the check's result. */
  readonly resultId: string | RegExp;
  readonly runner: Runner;
  /** The emulator route whose fault this check meets. */
  readonly route: FaultRoute;
  readonly select: RequestSelector;
  /** Whether repeating the request is harmless; a code is single-use, so the exchange is tried once. */
  readonly safeToRetry: boolean;
  /** The report's verdict when the check cannot be done (the revoke is cleanup: a warning, see faultVerdict). */
  readonly unableStatus: "inconclusive" | "warn";
}

export const LIVE_CHECKS: readonly LiveCheck[] = [
  {
    key: "authorize",
    label: "authorization probe (validate)",
    resultId: /^live\.authorize\[/,
    runner: "preflight",
    route: "authorize",
    select: { method: "GET", path: /^\/o\/oauth2\/v2\/auth$/ },
    safeToRetry: true,
    unableStatus: "inconclusive",
  },
  {
    key: "token-probe",
    label: "token probe (validate)",
    resultId: "live.token",
    runner: "preflight",
    route: "token",
    select: { method: "POST", path: /^\/token$/ },
    safeToRetry: true,
    unableStatus: "inconclusive",
  },
  {
    key: "service-usage",
    label: "Service Usage (validate)",
    resultId: "live.gmail-api",
    runner: "preflight",
    route: "serviceusage",
    select: { method: "GET", path: /^\/v1\/projects\// },
    safeToRetry: true,
    unableStatus: "inconclusive",
  },
  // The app's endpoint is played by an emulator route the preflight never calls (tokeninfo), so the same faults apply.
  {
    key: "app-redirect",
    label: "app redirect endpoint (validate)",
    resultId: /^live\.app-redirect\[/,
    runner: "preflight",
    route: "tokeninfo",
    select: { method: "GET", path: /^\/tokeninfo$/ },
    safeToRetry: true,
    unableStatus: "inconclusive",
  },
  {
    key: "flow-exchange",
    label: "code exchange (validate --flow)",
    resultId: "flow.exchange",
    runner: "flow",
    route: "token",
    select: { method: "POST", path: /^\/token$/, grantType: "authorization_code" },
    safeToRetry: false,
    unableStatus: "inconclusive",
  },
  {
    key: "flow-tokeninfo",
    label: "tokeninfo (validate --flow)",
    resultId: "token.audience",
    runner: "flow",
    route: "tokeninfo",
    select: { method: "GET", path: /^\/tokeninfo$/ },
    safeToRetry: true,
    unableStatus: "inconclusive",
  },
  {
    key: "flow-gmail",
    label: "Gmail getProfile (validate --flow)",
    resultId: "token.gmail",
    runner: "flow",
    route: "gmail.profile",
    select: { method: "GET", path: /^\/gmail\/v1\/users\/[^/]+\/profile$/ },
    safeToRetry: true,
    unableStatus: "inconclusive",
  },
  {
    key: "flow-refresh",
    label: "refresh (validate --flow)",
    resultId: "flow.refresh",
    runner: "flow",
    route: "token",
    select: { method: "POST", path: /^\/token$/, grantType: "refresh_token" },
    safeToRetry: true,
    unableStatus: "inconclusive",
  },
  {
    key: "flow-revoke",
    label: "revoke (validate --flow)",
    resultId: "flow.revoke",
    runner: "flow",
    route: "revoke",
    select: { method: "POST", path: /^\/revoke$/ },
    safeToRetry: true,
    unableStatus: "warn",
  },
  {
    key: "check-token-refresh",
    label: "refresh (check-token)",
    resultId: "token.refresh",
    runner: "check-token",
    route: "token",
    select: { method: "POST", path: /^\/token$/, grantType: "refresh_token" },
    safeToRetry: true,
    unableStatus: "inconclusive",
  },
];

export interface Verdict {
  /** The faulted check's status. */
  readonly status: "inconclusive" | "warn" | "pass";
  /** Exit code of the run when every other check passes. */
  readonly exit: 0 | 3;
  /** "1": exactly one request; "2+": retried. */
  readonly attempts: "1" | "2+";
  /** Why the cell is not the usual "retried, then inconclusive". */
  readonly note?: string;
}

const TRANSIENT: readonly FaultName[] = ["500", "503", "429", "html", "reset"];

/** What each cell must show. Pure: the test asserts it, the doc prints it. */
export function faultVerdict(check: LiveCheck, fault: FaultName): Verdict {
  const unable = (attempts: Verdict["attempts"], note?: string): Verdict => ({
    status: check.unableStatus,
    exit: check.unableStatus === "warn" ? 0 : 3,
    attempts,
    ...(note ? { note } : {}),
  });
  if (fault === "malformed-json") {
    if (check.key === "authorize")
      return {
        status: "pass",
        exit: 0,
        attempts: "1",
        note: "n/a: the probe reads only the 302's Location, which the fault leaves intact",
      };
    if (check.key === "app-redirect")
      return {
        status: "pass",
        exit: 0,
        attempts: "1",
        note: "n/a: any answer but 404 shows the endpoint exists; its body is not read",
      };
    if (check.key === "flow-revoke")
      return {
        status: "pass",
        exit: 0,
        attempts: "1",
        note: "n/a: HTTP 200 is the whole answer; the grant was revoked",
      };
    return unable("1", "not transient: no retry");
  }
  const cleanup =
    check.unableStatus === "warn" ? "; cleanup only: the report warns that the test grant is still live" : "";
  if (fault === "latency") return unable("1", `the first attempt runs into the deadline${cleanup}`);
  if (fault === "redirect-loop") return unable("1", `redirects are read, never followed${cleanup}`);
  if (fault === "500" && check.key === "app-redirect") {
    return {
      status: "pass",
      exit: 0,
      attempts: "2+",
      note: "the app answered: apps often fail with 500 when called without Google's parameters; only 429 and 502-504 read as unavailable",
    };
  }
  if (TRANSIENT.includes(fault)) {
    if (!check.safeToRetry) return unable("1", "a code is single-use: never retried");
    return unable("2+", cleanup ? cleanup.slice(2) : undefined);
  }
  throw new Error(`no verdict for ${fault}`);
}

// The network in between (issue 18): faults of the proxy, of TLS and of DNS. Unlike the emulator's faults they hit
// every request of the run (a broken proxy breaks everything), so each column is one run per runner, and every check
// of the run is a cell. faultMatrixNetwork.test.ts runs them; the flow is left out (its consent needs the browser to
// reach the same Google first; its token calls use the same client and the same result builder).
export type NetworkFaultName = "proxy-refused" | "proxy-407" | "tls-untrusted" | "dns";

export const NETWORK_FAULTS: Readonly<
  Record<NetworkFaultName, { readonly label: string; readonly diagnosis: NetworkFault }>
> = {
  "proxy-refused": { label: "HTTP(S)_PROXY refuses connections", diagnosis: "proxy_unreachable" },
  "proxy-407": { label: "proxy answers 407 (no credentials)", diagnosis: "proxy_auth_required" },
  "tls-untrusted": {
    label: "CONNECT to a TLS Google signed by an unknown CA",
    diagnosis: "tls_interception",
  },
  dns: { label: "Google's host does not resolve", diagnosis: "dns_failure" },
};
export const NETWORK_FAULT_NAMES = Object.keys(NETWORK_FAULTS) as NetworkFaultName[];

/** The checks a network fault is run against: the runs that need no browser. */
export const NETWORK_CHECKS: readonly LiveCheck[] = LIVE_CHECKS.filter((c) => c.runner !== "flow");

export interface NetworkVerdict extends Verdict {
  /** The diagnosis the faulted check carries; undefined for a pass. */
  readonly diagnosis?: NetworkFault;
}

/** What each network cell must show. Pure: the test asserts it, the doc prints it. */
export function networkFaultVerdict(check: LiveCheck, fault: NetworkFaultName): NetworkVerdict {
  if (check.key === "app-redirect" && (fault === "tls-untrusted" || fault === "dns"))
    return {
      status: "pass",
      exit: 3,
      attempts: "1",
      note:
        fault === "dns"
          ? "n/a: only Google's host fails to resolve; the app's does"
          : "n/a: the app's endpoint is plain http here, so it is not tunnelled",
    };
  return {
    status: "inconclusive",
    exit: 3,
    attempts: "1",
    diagnosis: NETWORK_FAULTS[fault].diagnosis,
    ...(check.key === "app-redirect"
      ? { note: "through a proxy, the proxy's failure says nothing about the app" }
      : {}),
  };
}
