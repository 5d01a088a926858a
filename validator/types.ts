// The validator's shared vocabulary: what a check returns, what a report is, what inputs a run resolves to.
import type { AudienceSpec, ConnectionSpec } from "../connection/types";
import type { MailTransport } from "../google/mail";
import type { ClientType } from "../google/oauthApp";
import type { DiagnosisCode } from "./catalogue";
import { unproven } from "./verdict";

export type CheckStatus = "pass" | "warn" | "fail" | "skip" | "inconclusive";

/** Defined by the catalogue's keys (validator/catalogue.ts). */
export type { DiagnosisCode };

export interface CheckResult {
  /** Stable id, e.g. `offline.client-file`, `live.authorize[https://…]`, `flow.refresh-token`. */
  readonly id: string;
  readonly status: CheckStatus;
  readonly title: string;
  readonly diagnosis?: DiagnosisCode;
  /** What was observed, specific to this run (never a secret). */
  readonly detail?: string;
  readonly fix?: string;
  readonly links?: readonly string[];
  /** The verdict rests on inference (e.g. publishing status read from refresh_token_expires_in), not on proof. */
  readonly inferred?: boolean;
  /** The expiry forecast (validator/token/forecast.ts), ISO 8601: machines (metrics, --json) read it from here. */
  readonly expiresAt?: string;
}

export interface ReportSummary {
  readonly pass: number;
  readonly warn: number;
  readonly fail: number;
  readonly skip: number;
  readonly inconclusive: number;
}

export interface Report {
  readonly ok: boolean;
  readonly summary: ReportSummary;
  /** What proves a connection but could not be checked (validator/verdict.ts): never "should work" while any. */
  readonly unproven: readonly string[];
  readonly checks: readonly CheckResult[];
}

export function summarize(checks: readonly CheckResult[]): Report {
  const summary = { pass: 0, warn: 0, fail: 0, skip: 0, inconclusive: 0 };
  for (const c of checks) summary[c.status]++;
  const missing = unproven(checks);
  return {
    ok: summary.fail === 0 && summary.inconclusive === 0 && missing.length === 0,
    summary,
    unproven: missing,
    checks,
  };
}

/**
 * 0 no failures (warnings allowed) and everything that proves a connection checked; 1 at least one fail; 3 nothing
 * failed but something was inconclusive, or could not be checked at all.
 */
export function exitCodeFor(report: Pick<Report, "summary" | "unproven">): 0 | 1 | 3 {
  if (report.summary.fail > 0) return 1;
  if (report.summary.inconclusive > 0 || report.unproven.length > 0) return 3;
  return 0;
}

/** Where a resolved value came from, so a report can say "declared in the spec" vs "from --flag". */
export type Provenance = "spec" | "flag" | "client-file" | "env" | "default";

/**
 * Everything a validation run needs, resolved from the spec, the client file, flags and the environment.
 * Undeclared parts stay undefined, and the checks that need them are skipped rather than guessed.
 */
export interface ValidationInput {
  readonly clientId?: string;
  /** Registered with redact() as soon as it is read. */
  readonly clientSecret?: string;
  /** "desktop" when the client file's top-level key is `installed`. */
  readonly clientType?: ClientType;
  readonly clientName?: string;
  /** The URIs registered on the client as the client file lists them (a download, so possibly stale). */
  readonly registeredRedirectUris?: readonly string[];
  /** The app's redirect URIs that must work (spec client, or --redirect-uri). */
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
  readonly account?: string;
  /**
   * How the app reaches Gmail (--transport, else the spec client's). Undefined: not declared, and the Gmail API is
   * tested as the connection, as before transports existed.
   */
  readonly transports?: readonly MailTransport[];
  /** --send-test-to: one labelled message over SMTP after the connection test. */
  readonly sendTestTo?: string;
  readonly project?: string;
  readonly projectNumber?: string;
  readonly audience?: Partial<AudienceSpec>;
  readonly organizationDomain?: string;
  readonly spec?: ConnectionSpec;
  /** Override for every Google host (the emulator); undefined means real Google. */
  readonly googleOrigin?: string;
  /** The --client-secret-file that was read, and what is wrong inside it (missing fields, foreign endpoints). */
  readonly clientFile?: { readonly path: string; readonly problems: readonly string[] };
  /** GOOGLE_OAUTH_ACCESS_TOKEN for the Cloud-side checks; registered with redact(). */
  readonly cloudAccessToken?: string;
  /** An Application Default Credentials file that exists (GOOGLE_APPLICATION_CREDENTIALS or gcloud's well-known file). */
  readonly adcFile?: string;
  /** Overall deadline for the run, in ms since the epoch. */
  readonly deadline: number;
  readonly provenance: Readonly<Record<string, Provenance>>;
}
