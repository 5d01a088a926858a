// The stale-build guard of the program (infra/buildFreshness.ts): Pulumi runs dist/, so a source newer than its
// compiled file must be named before anything deploys.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { staleSource } from "../../infra/buildFreshness";

let root: string;

function file(rel: string, secondsAgo: number): void {
  const path = join(root, rel);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, "");
  const t = Date.now() / 1000 - secondsAgo;
  utimesSync(path, t, t);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "build-freshness-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("staleSource", () => {
  test("a build newer than every source is current", () => {
    file("infra/index.ts", 100);
    file("dist/infra/index.js", 10);
    file("connection/flow/deep.ts", 100);
    file("dist/connection/flow/deep.js", 10);
    expect(staleSource(root)).toBeUndefined();
  });

  test("names the first source edited after the build, or never built, in subfolders too", () => {
    file("infra/index.ts", 100);
    file("dist/infra/index.js", 10);
    file("connection/flow/deep.ts", 1);
    file("dist/connection/flow/deep.js", 10);
    expect(staleSource(root)).toBe("connection/flow/deep.ts");
    file("google/new.ts", 100);
    expect(staleSource(root, ["google"])).toBe("google/new.ts");
  });

  test("an installed package (no sources) and declaration files are never stale", () => {
    file("dist/infra/index.js", 10);
    file("infra/types.d.ts", 1);
    expect(staleSource(root)).toBeUndefined();
  });
});
