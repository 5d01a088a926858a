// docs/troubleshooting.md is generated from the catalogue: this fails when the committed page is stale.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { loadExamples, renderTroubleshooting, TROUBLESHOOTING_PATH } from "../../scripts/generate-docs";
import { DIAGNOSIS_LIST } from "../../validator/diagnoses";

const ROOT = join(__dirname, "..", "..");

test("docs/troubleshooting.md is up to date (regenerate with `npm run build && npm run docs`)", () => {
  const committed = readFileSync(join(ROOT, TROUBLESHOOTING_PATH), "utf8");
  expect(committed).toBe(renderTroubleshooting(ROOT));
});

test("every diagnosis has its own anchored section with cause and fix", () => {
  const page = renderTroubleshooting(ROOT);
  for (const d of DIAGNOSIS_LIST) {
    expect(page).toContain(`<a id="${d.code}"></a>`);
    expect(page).toContain(`## \`${d.code}\`: ${d.title}`);
    expect(page).toContain(d.cause);
  }
});

test("every code the corpus holds shows a real pasted example with its source", () => {
  const page = renderTroubleshooting(ROOT);
  const examples = loadExamples(ROOT);
  for (const d of DIAGNOSIS_LIST) {
    const e = examples.get(d.code);
    if (!e) continue;
    const body = page.slice(page.indexOf(`<a id="${d.code}"></a>`)).split(/\n<a id=/)[0]!;
    expect(body, d.code).toContain(`_Real example_ (posted ${e.year}, ${e.source}):`);
  }
  expect([...examples.keys()].filter((c) => DIAGNOSIS_LIST.some((d) => d.code === c)).length).toBeGreaterThan(30);
});
