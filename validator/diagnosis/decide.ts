// Every family's rules in one order, the order their stated precedence gives (rule.ts), and the decision for one set
// of signals: the first rule that holds decides, the others that hold are the readings it cannot rule out.
import type { DiagnosisCode } from "../catalogue";
import { APP_SETUP } from "./families/appSetup";
import { AUTHORIZATION_PAGE } from "./families/authorizationPage";
import { GOOGLE_APIS } from "./families/googleApis";
import { MAIL } from "./families/mail";
import { NETWORK } from "./families/network";
import { SERVICE_ACCOUNTS } from "./families/serviceAccounts";
import { TOKEN_ENDPOINT } from "./families/tokenEndpoint";
import type { Alternative, Family, Rule, VocabularyEntry } from "./rule";
import type { Signals } from "./signals";

export const FAMILIES: readonly Family[] = [
  AUTHORIZATION_PAGE,
  TOKEN_ENDPOINT,
  GOOGLE_APIS,
  MAIL,
  SERVICE_ACCOUNTS,
  NETWORK,
  APP_SETUP,
];

/** Every rule, lowest precedence number first. */
export const RULES: readonly Rule[] = FAMILIES.flatMap((f) => f.rules).sort((a, b) => a.precedence - b.precedence);

/** Every vocabulary entry with the family that holds it. */
export const VOCABULARY: readonly (VocabularyEntry & { readonly family: string })[] = FAMILIES.flatMap((f) =>
  f.vocabulary.map((v) => ({ ...v, family: f.id })),
);

/** What the rules decided for one set of signals. */
export interface Decision {
  readonly rule?: Rule;
  readonly code: DiagnosisCode | null;
  readonly inferred: boolean;
  readonly alternatives: readonly Alternative[];
}

export function decide(s: Signals): Decision {
  const held = RULES.filter((r) => r.holds(s));
  const rule = held[0];
  if (!rule) return { code: null, inferred: false, alternatives: [] };
  const code = rule.code && rule.refine ? rule.refine(s) : rule.code;
  const inferred = typeof rule.inferred === "function" ? rule.inferred(s) : rule.inferred === true;
  const alternatives: Alternative[] = [...(rule.alternatives ?? [])];
  // Lower rules that also hold are the other readings of an ambiguous text; after a recognised out-of-scope answer
  // (code null) they would only be the generic fallbacks, so they are not offered.
  for (const other of code ? held.slice(1) : []) {
    if (other.generic && !rule.generic) continue;
    if (other.code && other.code !== code && !alternatives.some((a) => a.code === other.code))
      alternatives.push({ code: other.code, when: other.note ?? "the same text also carries its signs" });
  }
  return { rule, code, inferred, alternatives: alternatives.filter((a) => a.code !== code) };
}
