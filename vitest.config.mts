import { defineConfig } from "vitest/config";

/** The checks that run whole tools over the repository (tsc, dependency-cruiser, Biome, npm pack): slow, and about the
 * code base rather than its behaviour, so they are a project of their own (`vitest run --project tools`). */
const TOOLS = ["test/typecheck.test.ts", "test/architecture.test.ts", "test/package/tarball.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only thrash, and the browser tests want a core of their own.
    maxWorkers: 2,
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
    // `npm test` runs both; `npx vitest run --project unit` is the quick loop while editing.
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: TOOLS } },
      { extends: true, test: { name: "tools", include: TOOLS } },
    ],
  },
});
