// The whole project type-checks (tsc --noEmit), as the build and `pulumi up` (ts-node) need.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

it("passes tsc --noEmit", () => {
  const root = path.resolve(__dirname, "..");
  const tsc = path.join(root, "node_modules", ".bin", "tsc");
  const result = spawnSync(tsc, ["--noEmit", "-p", "tsconfig.json"], { cwd: root, encoding: "utf8" });
  expect(result.error).toBeUndefined();
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
}, 180_000);

it("the browser page and all it imports type-check against the DOM without Node's types (web/tsconfig.json)", () => {
  const root = path.resolve(__dirname, "..");
  const tsc = path.join(root, "node_modules", ".bin", "tsc");
  const result = spawnSync(tsc, ["--noEmit", "-p", "web/tsconfig.json"], { cwd: root, encoding: "utf8" });
  expect(result.error).toBeUndefined();
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
}, 180_000);
