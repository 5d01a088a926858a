// Checks whose request got no answer from Google: what failed in between (a proxy, TLS interception, DNS) when the
// client could tell, else a plain inconclusive result. Apart from diagnoses.ts, which the browser page bundles and
// which must not reach the HTTP client (validator/http.ts).
import { diagnosisResult, type DiagnosisResultOptions } from "./diagnoses";
import type { HttpOutcome, NetworkFault } from "./http";
import type { DiagnosisCode } from "./catalogue";
import type { CheckResult } from "./types";

/** The diagnosis of an outcome Google did not answer: what failed in between (proxy, TLS, DNS) when known. */
export function unansweredCode(outcome: HttpOutcome): DiagnosisCode {
  return (outcome.kind === "unreachable" && outcome.fault) || "google_unavailable";
}

/**
 * The check for a request that got no answer from Google: the network fault's diagnosis (a proxy, TLS interception,
 * DNS) when the client could tell what failed in between, else a plain inconclusive result with the reason.
 */
export function unansweredResult(
  opts: { id: string; title: string; detail: string; fault?: NetworkFault } & Pick<
    DiagnosisResultOptions,
    "project" | "clientId"
  >,
): CheckResult {
  const { id, title, detail, fault, project, clientId } = opts;
  if (fault) return diagnosisResult(fault, { id, status: "inconclusive", detail, project, clientId });
  return { id, status: "inconclusive", title, detail };
}
