// Issues 11 and 24: real errors copied verbatim from public threads (test/fixtures/wild), diagnosed by `explain`.
// Two splits: `tune` (rules may be written against it) and `test` (test-split.json, frozen before any rule was tuned
// on the cases collected with it; see the corpus README). Both figures are printed side by side; the test split is
// the one that says how the kit meets errors it has never seen. Misses are listed for the tune split only, so reading
// the output never tunes a rule on the test split.
import { describe, expect, test } from "vitest";
import { explain } from "../../../validator/explain";
import { counts, KINDS, loadWild, thread, type Split, type WildCase } from "./wild";

const TUNE = loadWild("tune");
const TEST = loadWild("test");
const ALL = [...TUNE, ...TEST];

describe("the corpus itself", () => {
  test("every case has a source, a year, a kind, an expected code or null and a reason", () => {
    for (const c of ALL) {
      expect(c.source, c.input.slice(0, 60)).toMatch(/^https:\/\//);
      expect(c.year).toBeGreaterThanOrEqual(2010);
      expect(c.year).toBeLessThanOrEqual(2030);
      expect(KINDS).toContain(c.kind);
      expect(c.expected === null || /^[a-z][a-z0-9_]+$/.test(c.expected)).toBe(true);
      expect(c.why.length).toBeGreaterThan(10);
      expect(c.input.trim().length).toBeGreaterThan(0);
    }
  });

  test("issue 24's size: 500 cases from 300 threads, 60 SMTP/IMAP, 40 service-account, 40 not setup problems, several languages", () => {
    expect(ALL.length).toBeGreaterThanOrEqual(500);
    expect(new Set(ALL.map(thread)).size).toBeGreaterThanOrEqual(300);
    expect(ALL.filter((c) => c.kind === "smtp-imap").length).toBeGreaterThanOrEqual(60);
    expect(ALL.filter((c) => c.kind === "service-account").length).toBeGreaterThanOrEqual(40);
    expect(ALL.filter((c) => c.expected === null).length).toBeGreaterThanOrEqual(40);
    expect(new Set(ALL.map((c) => c.lang ?? "en")).size).toBeGreaterThanOrEqual(5);
  });

  test("the test split holds at least 30% of the corpus, and no thread is in both splits", () => {
    expect(TEST.length / ALL.length).toBeGreaterThanOrEqual(0.3);
    const tuneThreads = new Set(TUNE.map(thread));
    expect(TEST.filter((c) => tuneThreads.has(thread(c))).map((c) => c.source)).toEqual([]);
  });
});

interface Figures {
  nonNull: number;
  exact: number;
  nulls: number;
  nullOk: number;
  aside: number;
  /** The expected code is the answer or one of the other readings the answer offers. */
  offered: number;
  /** A wrong diagnosis given with no other reading and not marked inferred: what the kit must never do. */
  confidentWrong: number;
  readonly misses: string[];
}

function figures(cases: readonly WildCase[], split: Split): Figures {
  const f: Figures = { nonNull: 0, exact: 0, nulls: 0, nullOk: 0, aside: 0, offered: 0, confidentWrong: 0, misses: [] };
  for (const c of cases) {
    if (!counts(c)) {
      f.aside++;
      continue;
    }
    const r = explain(c.input);
    const got = r.diagnosis;
    const ok = got === c.expected;
    if (ok || (r.alternatives ?? []).some((a) => a.code === c.expected)) f.offered++;
    if (!ok && got !== null && !r.inferred && !r.alternatives?.length) f.confidentWrong++;
    if (c.expected === null) {
      f.nulls++;
      if (ok) f.nullOk++;
    } else {
      f.nonNull++;
      if (ok) f.exact++;
    }
    if (!ok && split === "tune") f.misses.push(`  miss: ${c.source} expected ${c.expected}, got ${got}`);
  }
  return f;
}

const pct = (a: number, b: number) => (b === 0 ? "n/a" : `${((100 * a) / b).toFixed(1)}%`);

/**
 * Floors that hold the measured figures against regressions. The test split's bar in issue 24 is 95% exact and 90%
 * of the not-a-setup-problem cases "not recognized"; the figures below say how far the kit is from it.
 */
const FLOORS = { tune: { exact: 0.93, nulls: 0.85 }, test: { exact: 0.75, nulls: 0.7 } } as const;

describe("explain on the corpus", () => {
  test("the tune and the test split, side by side", () => {
    const lines: string[] = [];
    const bySplit = { tune: figures(TUNE, "tune"), test: figures(TEST, "test") };
    for (const split of ["tune", "test"] as const) {
      const f = bySplit[split];
      lines.push(
        `wild corpus, ${split} split: ${f.exact} of ${f.nonNull} diagnosed as expected (${pct(f.exact, f.nonNull)}); ${f.nullOk} of ${f.nulls} not-a-setup-problem cases answered with no diagnosis (${pct(f.nullOk, f.nulls)}); ${f.offered} of ${f.nonNull + f.nulls} with the expected answer given or among the readings offered (${pct(f.offered, f.nonNull + f.nulls)}); ${f.confidentWrong} confident wrong answers (no other reading, not inferred); ${f.aside} set aside (code not in the catalogue)`,
      );
      for (const kind of KINDS) {
        const k = figures(
          (split === "tune" ? TUNE : TEST).filter((c) => c.kind === kind),
          "test",
        );
        lines.push(`  ${kind}: ${k.exact}/${k.nonNull} exact, ${k.nullOk}/${k.nulls} null`);
      }
    }
    lines.push(...bySplit.tune.misses);
    process.stdout.write(`${lines.join("\n")}\n`);
    for (const split of ["tune", "test"] as const) {
      const f = bySplit[split];
      expect(f.exact / f.nonNull, `${split}: exact share`).toBeGreaterThanOrEqual(FLOORS[split].exact);
      expect(f.nullOk / f.nulls, `${split}: null share`).toBeGreaterThanOrEqual(FLOORS[split].nulls);
    }
  });

  test("every catalogue code a pasted error can show appears in the corpus", () => {
    const expected = new Set(ALL.map((c) => c.expected));
    // Codes that come from the kit's own checks of a configuration, never from an error Google shows.
    const checkOnly = new Set([
      "unknown_scope",
      "no_test_users",
      "test_user_limit_exceeded",
      "publishing_status_mismatch",
      "internal_without_organization",
      "consent_not_completed",
      "token_audience_mismatch",
      "wrong_account",
      "app_redirect_endpoint_unreachable",
    ]);
    expect([...checkOnly].filter((c) => expected.has(c))).toEqual([]);
  });
});
