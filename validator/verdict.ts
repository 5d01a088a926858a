// The verdict rule (issue 14 §2): a verdict rests on what was checked. A connection works only if Google accepted
// the client, its secret, a redirect URI, the Gmail API and the audience; when none of the checks that prove one of
// them concluded (they were skipped or inconclusive), the report names it and the run does not exit 0.

import { sectionOf, withinSection } from "./sections";

/** The fields the rule reads (structural, so this module and types.ts do not import each other). */
interface Judged {
  readonly id: string;
  readonly title: string;
  readonly status: "pass" | "warn" | "fail" | "skip" | "inconclusive";
}

/** What proves a connection, and the checks (ids or id prefixes) any one of which proves it when it concludes. */
export const ESSENTIALS: readonly { readonly name: string; readonly proofs: readonly string[] }[] = [
  { name: "the client", proofs: ["live.authorize", "live.token", "token.refresh", "flow.exchange"] },
  { name: "its secret", proofs: ["live.token", "token.refresh", "flow.exchange"] },
  { name: "a redirect URI", proofs: ["live.authorize", "live.app-redirect"] },
  { name: "the Gmail API", proofs: ["live.gmail-api", "token.gmail"] },
  { name: "the audience", proofs: ["offline.audience", "flow.consent"] },
];

// A proof matches its id and the ids under it (`live.authorize[…]`); the prefixes are built once, not per check (a
// fleet judges every connection).
const PREFIXES = new Map(ESSENTIALS.flatMap((e) => e.proofs).map((p) => [p, [`${p}.`, `${p}[`] as const]));

const matches = (id: string, proof: string) => {
  if (id === proof) return true;
  const [dot, bracket] = PREFIXES.get(proof)!;
  return id.startsWith(dot) || id.startsWith(bracket);
};

const concluded = (c: Judged) => c.status === "pass" || c.status === "warn" || c.status === "fail";

/**
 * The essentials this report should have proven but did not. One applies when the run made any of its checks
 * (skipped ones included: validate always lists them), so `check-token`, which has no redirect URI to prove, is
 * judged on what it can prove. A combined report is judged per section (`flectra: the client`): one connection's
 * proof is not another's.
 */
export function unproven(checks: readonly Judged[]): string[] {
  const sections = new Map<string | undefined, Judged[]>();
  for (const c of checks) {
    const s = sectionOf(c);
    const local = s === undefined ? c : { ...c, id: withinSection(c, s).id };
    sections.set(s, [...(sections.get(s) ?? []), local]);
  }
  return [...sections].flatMap(([section, mine]) =>
    missing(mine).map((name) => (section === undefined ? name : `${section}: ${name}`)),
  );
}

function missing(checks: readonly Judged[]): string[] {
  return ESSENTIALS.filter((e) => {
    const mine = checks.filter((c) => e.proofs.some((p) => matches(c.id, p)));
    return mine.length > 0 && !mine.some(concluded);
  }).map((e) => e.name);
}
