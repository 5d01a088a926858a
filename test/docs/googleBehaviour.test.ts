// docs/google-behaviour.md is what the code cites for Google's behaviour (`google-behaviour.md §1.2`): every citation
// must name a section it has, and every fact in it must say where it comes from.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const doc = readFileSync(path.join(ROOT, "docs/google-behaviour.md"), "utf8");

/** "1", "1.2", …: the numbers of its `## 1.` and `### 1.2` headings. */
const sections = new Set([...doc.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? /gm)].map((m) => m[1]));

describe("docs/google-behaviour.md", () => {
  it("keeps the numbering the citations use: §1 to §11, with their subsections", () => {
    for (const n of [
      "1",
      "1.1",
      "1.2",
      "1.5",
      "2.2",
      "2.3",
      "3",
      "4.1",
      "4.2",
      "5.3",
      "6",
      "7",
      "8.1",
      "8.3",
      "9",
      "10",
      "11",
    ])
      expect(sections, n).toContain(n);
  });

  it("has every section a citation in the repository names", () => {
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
      .split("\0")
      .filter((f) => /\.(ts|md|cjs|yaml)$/.test(f));
    const missing: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      for (const m of text.matchAll(/google-behaviour\.md §(\d+(?:\.\d+)?)/g))
        if (!sections.has(m[1] ?? "")) missing.push(`${file}: §${m[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it("says where each fact comes from", () => {
    const facts = doc
      .slice(doc.indexOf("## 1."))
      .split("\n")
      .filter((l) => l.startsWith("- "));
    expect(facts.length).toBeGreaterThan(100);
    const unsourced = facts.filter(
      (l, i, all) =>
        !/(Documented|Observed|Unconfirmed|Inferred|inferred|observed|unconfirmed|https:\/\/)/.test(
          // A fact may run over several lines: read up to the next one.
          `${l} ${doc.slice(doc.indexOf(l) + l.length, all[i + 1] ? doc.indexOf(all[i + 1] ?? "", doc.indexOf(l) + 1) : undefined)}`,
        ),
    );
    expect(unsourced).toEqual([]);
  });
});
