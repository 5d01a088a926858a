// The whole project type-checks (tsc --noEmit), as the build and `pulumi up` (ts-node) need; and the browser page
// with all it imports type-checks against the DOM without Node's types (web/tsconfig.json).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");

function expectTypeChecks(project: string): void {
  const tsc = path.join(ROOT, "node_modules", ".bin", "tsc");
  const result = spawnSync(tsc, ["--noEmit", "-p", project], { cwd: ROOT, encoding: "utf8" });
  expect(result.error).toBeUndefined();
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
}

it("passes tsc --noEmit", () => expectTypeChecks("tsconfig.json"), 180_000);

it(
  "the browser page and all it imports type-check against the DOM without Node's types (web/tsconfig.json)",
  () => expectTypeChecks("web/tsconfig.json"),
  180_000,
);
