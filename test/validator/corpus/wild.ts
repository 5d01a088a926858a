// The corpus of real pasted errors (test/fixtures/wild), loaded once for the corpus and property tests.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DIAGNOSIS_CODES, type DiagnosisCode } from "../../../validator/catalogue";

export const KINDS = [
  "sign-in-page",
  "token-endpoint",
  "gmail-api",
  "log",
  "smtp-imap",
  "service-account",
  "other",
] as const;
export type Kind = (typeof KINDS)[number];

/** Which part of the corpus: `tune` may guide a rule; `test` (test-split.json, frozen before tuning) never does. */
export type Split = "tune" | "test";
/** The frozen test split: chosen by a hash of each case's source thread, never read while a rule is written. */
export const TEST_SPLIT_FILE = "test-split.json";

export interface WildCase {
  readonly input: string;
  readonly source: string;
  readonly year: number;
  readonly kind: Kind;
  readonly expected: string | null;
  readonly why: string;
  /** The language of the page or the reporter's prose (cases collected for issue 24 say it). */
  readonly lang?: string;
}

export const WILD_DIR = join(__dirname, "..", "..", "fixtures", "wild");

export function loadWild(split: Split = "tune"): WildCase[] {
  return readdirSync(WILD_DIR)
    .filter((f) => f.endsWith(".json") && (split === "test") === (f === TEST_SPLIT_FILE))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(WILD_DIR, f), "utf8")) as WildCase[]);
}

/** The thread a case was copied from: its source without a fragment. The split is made by thread. */
export function thread(c: WildCase): string {
  return c.source.split("#")[0]!.replace(/\/$/, "");
}

/** A case counts once its expected code is in the catalogue; a code proposed by a collector waits until it exists. */
export function counts(c: WildCase): c is WildCase & { expected: DiagnosisCode | null } {
  return c.expected === null || (DIAGNOSIS_CODES as readonly string[]).includes(c.expected);
}
