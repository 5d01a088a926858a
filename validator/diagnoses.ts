// The catalogue (validator/catalogue.ts) as checks use it: entries by code, their console links for one run, and a
// check result whose title, fix and links all come from the catalogue.
import { expandLinkTemplate } from "../google/consoleLinks";
import { CATALOGUE, DIAGNOSIS_CODES, type DiagnosisCode, type DiagnosisEntry } from "./catalogue";
import type { CheckResult, CheckStatus } from "./types";

export type { Severity } from "./catalogue";

export interface Diagnosis extends DiagnosisEntry {
  readonly code: DiagnosisCode;
}

/** Catalogue order, also the order `explain` tries text patterns in (specific before generic). */
export const DIAGNOSIS_LIST: readonly Diagnosis[] = DIAGNOSIS_CODES.map((code) => ({ code, ...CATALOGUE[code] }));

export const DIAGNOSES: Readonly<Record<DiagnosisCode, Diagnosis>> = Object.fromEntries(
  DIAGNOSIS_LIST.map((d) => [d.code, d]),
) as Record<DiagnosisCode, Diagnosis>;

export interface DiagnosisResultOptions {
  readonly id: string;
  readonly status: CheckStatus;
  readonly detail?: string;
  readonly project?: string;
  readonly clientId?: string;
  readonly inferred?: boolean;
  /** Extra links specific to this run (e.g. the activation URL Google quoted), listed before the catalogue link. */
  readonly links?: readonly string[];
}

/** The console link of a diagnosis for one run; `{clientId}` unknown falls back to the clients list. */
export function diagnosisLink(code: DiagnosisCode, vars: { project?: string; clientId?: string }): string | undefined {
  const template = DIAGNOSES[code].link;
  if (!template) return undefined;
  const t = vars.clientId ? template : template.replace("/{clientId}", "");
  return expandLinkTemplate(t, vars);
}

/** A check result whose title, fix and link come from the catalogue, so no check carries its own copy of the text. */
export function diagnosisResult(code: DiagnosisCode, opts: DiagnosisResultOptions): CheckResult {
  const d = DIAGNOSES[code];
  const link = diagnosisLink(code, opts);
  const links = [...new Set([...(opts.links ?? []), ...(link ? [link] : [])])];
  const inferred = opts.inferred ?? d.inferred;
  return {
    id: opts.id,
    status: opts.status,
    title: d.title,
    diagnosis: code,
    ...(opts.detail !== undefined ? { detail: opts.detail } : {}),
    fix: d.fix.join("\n"),
    ...(links.length > 0 ? { links } : {}),
    ...(inferred ? { inferred: true } : {}),
  };
}
