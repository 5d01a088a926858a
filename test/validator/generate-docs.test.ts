// docs/troubleshooting.md is generated from the catalogue: this fails when the committed page is stale.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { renderTroubleshooting, TROUBLESHOOTING_PATH } from "../../scripts/generate-docs";
import { DIAGNOSIS_LIST } from "../../validator/diagnoses";

test("docs/troubleshooting.md is up to date (regenerate with `npm run build && npm run docs`)", () => {
  const committed = readFileSync(join(__dirname, "..", "..", TROUBLESHOOTING_PATH), "utf8");
  expect(committed).toBe(renderTroubleshooting());
});

test("every diagnosis has its own anchored section with cause and fix", () => {
  const page = renderTroubleshooting();
  for (const d of DIAGNOSIS_LIST) {
    expect(page).toContain(`<a id="${d.code}"></a>`);
    expect(page).toContain(`## \`${d.code}\`: ${d.title}`);
    expect(page).toContain(d.cause);
  }
});
