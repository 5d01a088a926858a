import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only thrash, and the browser tests want a core of their own.
    maxWorkers: 2,
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
  },
});
