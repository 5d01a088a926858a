#!/usr/bin/env node
"use strict";
// Reads vitest's JSON report and prints the one plain line CI reads: "N passed, N failed[, N skipped]".
// A missing or unreadable report means the run broke before reporting: that is a failure, never a silent pass.
const fs = require("node:fs");
const file = process.argv[2] || ".test-results/vitest.json";
let report;
try {
  report = JSON.parse(fs.readFileSync(file, "utf8"));
} catch (e) {
  console.log(`summary: no test report at ${file} (${e.message})`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A test file that failed to load counts as a failure even though it ran no test.
const brokenFiles = (report.testResults || []).filter(
  (r) => r.status === "failed" && (r.assertionResults || []).length === 0,
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
