// What `explain` prints: the result as `--json` and the library give it, and as text, every secret masked (redact()
// also masks the run's registered secrets, which is why this half stays on the Node side of validator/explain.ts).
import { redact, redactValue } from "../common/redact";
import { DIAGNOSES, diagnosisLink } from "./diagnoses";
import type { Evidence } from "./diagnosis/signals";
import type { ExplainResult, NextStep } from "./explain";
import type { DiagnosisCode } from "./types";

/** What `explain --json` prints, and what the library's explain() resolves to. */
export interface ExplainDocument {
  readonly diagnosis: DiagnosisCode | null;
  readonly title?: string;
  readonly cause?: string;
  readonly fix?: readonly string[];
  readonly inferred?: true;
  readonly details: Record<string, string>;
  readonly evidence: readonly Evidence[];
  readonly alternatives: readonly { diagnosis: DiagnosisCode; title: string; when: string }[];
  readonly distinct_errors: number;
  readonly errors?: readonly { diagnosis: DiagnosisCode | null; note?: string; line?: string }[];
  readonly note?: string;
  readonly next?: NextStep;
}

/** The result as `explain --json` prints it, as an object: every secret masked. */
export function explainDocument(r: ExplainResult): ExplainDocument {
  return redactValue({
    diagnosis: r.diagnosis,
    title: r.title,
    cause: r.cause,
    fix: r.fix,
    ...(r.inferred ? { inferred: true as const } : {}),
    details: r.details,
    evidence: r.evidence ?? [],
    alternatives: (r.alternatives ?? []).map((a) => ({
      diagnosis: a.code,
      title: DIAGNOSES[a.code].title,
      when: a.when,
    })),
    distinct_errors: r.errors?.length ?? (r.diagnosis ? 1 : 0),
    ...(r.errors
      ? {
          errors: r.errors.map((e) => ({
            diagnosis: e.code,
            ...(e.note ? { note: e.note } : {}),
            ...(e.line ? { line: e.line } : {}),
          })),
        }
      : {}),
    ...(r.note ? { note: r.note } : {}),
    ...(r.next ? { next: r.next } : {}),
  });
}

export function renderExplainJson(r: ExplainResult): string {
  return redact(JSON.stringify(explainDocument(r), null, 2));
}

export function renderExplainHuman(r: ExplainResult): string {
  const lines: string[] = [];
  if (r.diagnosis === null) {
    if (r.note) lines.push(`Recognized, but not a connection problem this kit diagnoses: ${r.note}.`);
    else {
      lines.push("Not recognized: no diagnosis in the catalogue matches this input.");
      lines.push(
        r.evidence?.length
          ? `What it saw: ${r.evidence.map((e) => `${e.signal} ${e.value}`).join("; ")} (listed below), but no cause Google names.`
          : "What it saw: no Google error code, reason, SMTP reply or network failure it knows.",
      );
      if (r.next) lines.push(`To find out from the live setup: ${r.next.command}`, `  (${r.next.why})`);
    }
    lines.push(
      "Paste the whole error (the address bar URL, the page text or the JSON body); see docs/troubleshooting.md.",
    );
  } else {
    const d = DIAGNOSES[r.diagnosis];
    lines.push(`${d.title} [${d.code}]${r.inferred ? " (inferred)" : ""}`);
    if (r.alternatives?.length) lines.push(`Ambiguous: this is the most likely reading; the others are listed below.`);
    lines.push("", `Cause: ${d.cause}`, "", "Fix:");
    d.fix.forEach((step, i) => {
      lines.push(`  ${i + 1}. ${step}`);
    });
    const link = diagnosisLink(d.code, { project: r.details.project_number, clientId: r.details.client_id });
    if (link) lines.push("", `Console: ${link}`);
  }
  if (r.alternatives?.length) {
    lines.push("", "Other readings:");
    for (const a of r.alternatives) lines.push(`  - ${a.code} (${DIAGNOSES[a.code].title}): ${a.when}`);
  }
  if (r.errors && r.errors.length > 1) {
    lines.push(
      "",
      `Distinct errors in the input: ${r.errors.length} (the diagnosis above answers for the one that explains the others)`,
    );
    for (const e of r.errors)
      lines.push(`  - ${e.code ?? `not diagnosed: ${e.note ?? e.rule}`}${e.line ? `  ← ${e.line}` : ""}`);
  }
  if (r.evidence?.length) {
    lines.push("", "Evidence:");
    for (const e of r.evidence) lines.push(`  ${e.signal}: ${e.value}${e.line ? `  ← ${e.line}` : ""}`);
  }
  const entries = Object.entries(r.details);
  if (entries.length > 0) {
    lines.push("", "Details from the input:");
    for (const [k, v] of entries) lines.push(`  ${k}: ${v}`);
  }
  return redact(`${lines.join("\n")}\n`);
}
