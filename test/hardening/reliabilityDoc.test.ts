// docs/reliability.md's fault table is generated from the matrix the fault test runs: it must be current.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { RELIABILITY_DOC, withFaultTable } from "./reliabilityDoc";

const path = join(__dirname, "../..", RELIABILITY_DOC);

it(`${RELIABILITY_DOC} carries the fault table generated from test/hardening/faultMatrix.ts`, () => {
  const doc = readFileSync(path, "utf8");
  const current = withFaultTable(doc);
  if (process.env.UPDATE_DOCS === "1") writeFileSync(path, current);
  else expect(doc, "stale: run UPDATE_DOCS=1 npx vitest run test/hardening/reliabilityDoc.test.ts").toBe(current);
});
