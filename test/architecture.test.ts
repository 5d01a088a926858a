// The layout rules of docs/architecture.md, checked on every `npm test`: the dependency rule (dependency-cruiser,
// .dependency-cruiser.cjs: layers point one way, no cycles) and the formatter and linter (Biome, biome.jsonc).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";

const ROOT = join(__dirname, "..");
const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);

async function run(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
      maxBuffer: 16 << 20,
    });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : 1, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

// Under a loaded machine a whole-tree cruise can take tens of seconds: the bound is generous, not a timing claim.
describe("architecture", { timeout: 180_000 }, () => {
  test("dependencies point one way, with no cycles (dependency-cruiser)", async () => {
    // The whole tree: every folder a layer of .dependency-cruiser.cjs names, and tests (which may import anything).
    const r = await run(bin("depcruise"), ["--config", ".dependency-cruiser.cjs", "--output-type", "err", "."]);
    // The whole report is the failure message: every violation with its rule and both files.
    expect(r.output, r.output).toMatch(/no dependency violations found/);
    expect(r.code).toBe(0);
  });

  test("every source file is formatted and passes the linter (biome ci)", async () => {
    const r = await run(bin("biome"), ["ci", "--reporter=summary", "."]);
    expect(r.code, r.output).toBe(0);
  });
});
