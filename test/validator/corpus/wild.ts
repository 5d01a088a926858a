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

export interface WildCase {
  readonly input: string;
  readonly source: string;
  readonly year: number;
  readonly kind: Kind;
  readonly expected: string | null;
  readonly why: string;
}

export const WILD_DIR = join(__dirname, "..", "..", "fixtures", "wild");

export function loadWild(): WildCase[] {
  return readdirSync(WILD_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(WILD_DIR, f), "utf8")) as WildCase[]);
}

/** A case counts once its expected code is in the catalogue; codes owned by other issues are set aside until then. */
export function counts(c: WildCase): c is WildCase & { expected: DiagnosisCode | null } {
  return c.expected === null || (DIAGNOSIS_CODES as readonly string[]).includes(c.expected);
}
