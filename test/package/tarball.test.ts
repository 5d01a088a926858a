// The package as a consumer gets it: `npm pack` of this build, installed with npm into a scratch folder outside the
// repository, and used there only through its published names (`gmail-connection-kit`, `/validator`, `/emulator`,
// `/policy`, the `gmail-oauth` bin). One pack and one install serve every check; the consumer's own files are in
// ./consumer (a Pulumi program, its mocks test and an app's test suites), run there with the consumer's own vitest
// and jest.
// The npm registry is reached through npm's cache (--prefer-offline). A current dist/ is packed as it is; a stale one
// (sources edited since the last `npm run build`) is left alone and the package is built in a staging copy instead,
// so the test never fails on a stale dist/ and never rewrites the dist/ other tests are reading.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staleSource } from "../../infra/buildFreshness";
import { declarationClosure, declarationEntries, declarationImports } from "../../scripts/prune-declarations";
import { MAX_UNPACKED_BYTES } from "../../bench/package";
import { startEmulator } from "../../emulator/index";

const ROOT = path.resolve(__dirname, "../..");
const CONSUMER = path.join(__dirname, "consumer");
/** Every folder the build compiles (tsconfig.build.json); bench/ and scripts/ are built but never shipped. */
const BUILT_FOLDERS = (
  ts.readConfigFile(path.join(ROOT, "tsconfig.build.json"), ts.sys.readFile).config as { include: string[] }
).include.filter((f) => !f.endsWith(".ts"));
/** tsc, vitest and npx each start a fresh Node with a cold cache; on a loaded CI runner that takes a while. */
const SLOW = 300_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs = 300_000,
  env: NodeJS.ProcessEnv = {},
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      // No colour, no update check, no funding notes: plain output to assert on.
      {
        cwd,
        timeout: timeoutMs,
        maxBuffer: 64 << 20,
        env: { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false", npm_config_fund: "false", ...env },
      },
      (err, stdout, stderr) =>
        resolve({
          code: err ? ((err as { code?: number }).code ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
  });
}

const versionOf = (pkg: string) =>
  (JSON.parse(readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string })
    .version;

interface PackResult {
  readonly filename: string;
  readonly unpackedSize: number;
  readonly files: readonly { path: string; size: number }[];
}

let scratch: string;
let packed: PackResult;

/** Folders of the repository a build does not read. */
const NOT_BUILT = new Set(["node_modules", "dist", ".git", ".test-results"]);

/** The folder to pack: the repository when dist/ is current, else a staging copy of it with a fresh build. */
async function packableRoot(): Promise<string> {
  if (!staleSource(ROOT, BUILT_FOLDERS)) return ROOT;
  staging = mkdtempSync(path.join(tmpdir(), "gmail-kit-build-"));
  cpSync(ROOT, staging, {
    recursive: true,
    filter: (src) => !NOT_BUILT.has(path.relative(ROOT, src).split(path.sep)[0] ?? ""),
  });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(staging, "node_modules"), "dir");
  const build = await run("npm", ["run", "build", "--silent"], staging, 600_000);
  expect(build.code, build.stdout + build.stderr).toBe(0);
  return staging;
}

let staging: string | undefined;

beforeAll(async () => {
  const root = await packableRoot();
  scratch = mkdtempSync(path.join(tmpdir(), "gmail-kit-consumer-"));
  // --ignore-scripts: the build is current (checked, or just made in the staging copy).
  const pack = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], root);
  expect(pack.code, pack.stderr).toBe(0);
  packed = (JSON.parse(pack.stdout) as PackResult[])[0]!;

  writeFileSync(
    path.join(scratch, "package.json"),
    `${JSON.stringify({ name: "gmail-kit-consumer", version: "1.0.0", private: true }, null, 2)}\n`,
  );
  cpSync(CONSUMER, scratch, { recursive: true });
  // The consumer's own tools, at the versions this repository uses, so npm finds them in its cache.
  const install = await run(
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      path.join(scratch, packed.filename),
      `vitest@${versionOf("vitest")}`,
      `jest@${versionOf("jest")}`,
      `typescript@${versionOf("typescript")}`,
      `@types/node@${versionOf("@types/node")}`,
    ],
    scratch,
    600_000,
  );
  expect(install.code, install.stderr).toBe(0);
}, 900_000);

// The scratch folder holds a whole install (@pulumi/gcp among it): removing it takes a while on a loaded machine.
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
  if (staging) await rm(staging, { recursive: true, force: true });
}, SLOW);

describe("the tarball", () => {
  it("holds the build, the docs and the Pulumi project files only, within the size budget", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths.filter((p) => /^(test|bench|scripts|dist\/(test|bench|scripts))\//.test(p))).toEqual([]);
    expect(paths.filter((p) => /(\.test\.|\.map$|fixtures\/)/.test(p))).toEqual([]);
    const outside = paths.filter(
      (p) =>
        !/^(dist\/|docs\/|schemas\/|bin\/gmail-oauth\.js$|package\.json$|README\.md$|Pulumi\.(example\.)?yaml$|policy\/(PulumiPolicy\.yaml|package\.json)$|sandbox\/stack\.example\.yaml$)/.test(
          p,
        ),
    );
    expect(outside).toEqual([]);
    for (const entry of ["dist/index.js", "dist/index.d.ts", "dist/validator/index.d.ts", "dist/emulator/index.d.ts"])
      expect(paths).toContain(entry);
    // The budget (bench/package.ts prints the size beside it): the build minifies what it ships to stay inside.
    expect(packed.unpackedSize, "unpacked bytes without dependencies").toBeLessThan(MAX_UNPACKED_BYTES);
  });

  it("ships minified modules that keep their function names for --debug stack traces", () => {
    const kit = path.join(scratch, "node_modules", "gmail-connection-kit");
    const pool = readFileSync(path.join(kit, "dist/validator/fleet/pool.js"), "utf8");
    expect(pool.split("\n").length, "one line: minified").toBeLessThanOrEqual(2);
    expect(pool).toContain('"runOrdered"');
  });

  it("ships every declaration its entry points reach, and no other (the build prunes the rest)", () => {
    const kit = path.join(scratch, "node_modules", "gmail-connection-kit");
    const shipped = packed.files.map((f) => f.path).filter((p) => p.endsWith(".d.ts"));
    const dangling = shipped.flatMap((file) =>
      declarationImports(kit, file)
        .filter((i) => i.target === undefined)
        .map((i) => `${file} → ${i.specifier}`),
    );
    expect(dangling).toEqual([]);
    expect(new Set(shipped)).toEqual(declarationClosure(kit, declarationEntries(kit)));
  });

  it("installs with one @pulumi/pulumi, the consumer's own (a caret dependency, not a pinned copy)", () => {
    const kit = path.join(scratch, "node_modules", "gmail-connection-kit");
    expect(existsSync(path.join(kit, "package.json"))).toBe(true);
    expect(existsSync(path.join(kit, "node_modules", "@pulumi", "pulumi"))).toBe(false);
    expect(existsSync(path.join(scratch, "node_modules", "@pulumi", "pulumi", "package.json"))).toBe(true);
  });
});

describe("a consumer of the installed package", () => {
  it(
    "type-checks its Pulumi program and app tests against the package's declarations",
    async () => {
      const tsc = await run(
        process.execPath,
        [path.join("node_modules", "typescript", "bin", "tsc"), "-p", "."],
        scratch,
      );
      expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
    },
    SLOW,
  );

  it(
    "runs its Pulumi program under mocks and its app suite against the emulator (its own vitest)",
    async () => {
      const report = path.join(scratch, "vitest-report.json");
      const vitest = await run(
        process.execPath,
        [
          path.join("node_modules", "vitest", "vitest.mjs"),
          "run",
          "--reporter=json",
          `--outputFile=${report}`,
          "--testTimeout=60000",
        ],
        scratch,
      );
      const results = JSON.parse(readFileSync(report, "utf8")) as {
        testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
      };
      const outcomes = Object.fromEntries(
        results.testResults.flatMap((f) => f.assertionResults.map((a) => [a.fullName, a.status])),
      );
      expect(outcomes, vitest.stderr).toEqual({
        "a Pulumi program using GmailConnection creates the project, enables Gmail, stores the client secret and exports the runbook":
          "passed",
        "a Pulumi program using GmailConnection the spec builder names every wrong field, as stack config does":
          "passed",
        "a Pulumi program using GmailConnection ships Google's scope table": "passed",
        "the policy pack's rules refuses an http redirect URI outside dev stacks": "passed",
        "an app on google-auth-library against the emulator exchanges the code for tokens and refreshes the access token":
          "passed",
        "an app on google-auth-library against the emulator loses the refresh token 7 days after consent while the app is in Testing":
          "passed",
        "an app on google-auth-library against the emulator is refused with redirect_uri_mismatch for a redirect URI the client does not list":
          "passed",
        "an app on google-auth-library against the emulator keeps each emulator's state to itself": "passed",
      });
      expect(vitest.code).toBe(0);
    },
    SLOW,
  );

  it(
    "runs an app's jest suite against two emulators at once (jest's own runner, no --forceExit)",
    async () => {
      const jest = await run(
        process.execPath,
        [
          path.join("node_modules", "jest", "bin", "jest.js"),
          "--ci",
          "--json",
          "--testMatch",
          "**/*.jest.cjs",
          "--testTimeout=60000",
        ],
        scratch,
      );
      const results = JSON.parse(jest.stdout) as {
        numPassedTests: number;
        numFailedTests: number;
        testResults: { assertionResults: { title: string; status: string }[] }[];
      };
      expect(
        Object.fromEntries(results.testResults.flatMap((f) => f.assertionResults.map((a) => [a.title, a.status]))),
        jest.stderr,
      ).toEqual({
        "signs in and refreshes against one emulator; the other never saw the code": "passed",
        "each emulator keeps its own clock: 8 days on one expire its Testing token only": "passed",
      });
      expect(jest.code, jest.stderr).toBe(0);
    },
    SLOW,
  );

  it(
    "an ES module consumer imports by name every export a CommonJS consumer gets, from each entry point",
    async () => {
      // Node finds a CommonJS module's names for `import { x }` with cjs-module-lexer, which only reads tsc's own
      // re-export form: a build step that rewrote the entry points would leave an ES module consumer with `default` only.
      const entries = ["gmail-connection-kit", "gmail-connection-kit/validator", "gmail-connection-kit/emulator"];
      const script = `
        import { createRequire } from "node:module";
        const require = createRequire(process.cwd() + "/");
        const out = {};
        for (const entry of ${JSON.stringify([...entries, "gmail-connection-kit/policy"])}) {
          const esm = Object.keys(await import(entry)).filter((k) => k !== "default" && k !== "__esModule").sort();
          const cjs = Object.keys(require(entry)).filter((k) => k !== "__esModule").sort();
          out[entry] = { esm, cjs };
        }
        const { validate, checkToken, explain } = await import("gmail-connection-kit/validator");
        const { startEmulator, scenario } = await import("gmail-connection-kit/emulator");
        const { GmailConnection, connectionSpec } = await import("gmail-connection-kit");
        out.named = [validate, checkToken, explain, startEmulator, scenario, GmailConnection, connectionSpec].map((f) => typeof f);
        console.log(JSON.stringify(out));`;
      const r = await run(process.execPath, ["--input-type=module", "-e", script], scratch);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as Record<string, { esm: string[]; cjs: string[] }> & { named: string[] };
      for (const entry of [...entries, "gmail-connection-kit/policy"]) {
        expect(out[entry]!.cjs.length, entry).toBeGreaterThan(0);
        expect(out[entry]!.esm, entry).toEqual(out[entry]!.cjs);
      }
      expect(out.named).toEqual(Array(7).fill("function"));
    },
    SLOW,
  );

  it(
    "runs the CLI through npx: --help lists the commands",
    async () => {
      const help = await run("npx", ["--no-install", "gmail-oauth", "--help"], scratch);
      expect(help.code, help.stderr).toBe(0);
      for (const command of ["validate", "check-token", "explain", "fleet", "emulator", "sandbox"])
        expect(help.stdout).toMatch(new RegExp(`gmail-oauth ${command}\\b`));
    },
    SLOW,
  );

  it(
    "npx gmail-connection-kit validate works from an empty folder (the tarball as npx's package, nothing installed there)",
    async () => {
      const empty = mkdtempSync(path.join(tmpdir(), "gmail-kit-npx-"));
      const CLIENT = "123456789012-npx.apps.googleusercontent.com";
      const google = await startEmulator({
        projects: [{ id: "npx-mail", number: "123456789012", userType: "external", publishingStatus: "production" }],
        clients: [{ id: CLIENT, projectId: "npx-mail", type: "web", secrets: ["GOCSPX-npx-empty-folder-secret"] }],
      });
      try {
        const r = await run(
          "npx",
          [
            "--yes",
            "--prefer-offline",
            "--package",
            path.join(scratch, packed.filename),
            "gmail-connection-kit",
            "validate",
            "--client-id",
            CLIENT,
            "--google-origin",
            google.origin,
            "--json",
          ],
          empty,
          600_000,
          { GMAIL_OAUTH_CLIENT_SECRET: "GOCSPX-npx-empty-folder-secret" },
        );
        const doc = JSON.parse(r.stdout) as { checks: { id: string; status: string }[] };
        expect(doc.checks, r.stderr).toContainEqual(expect.objectContaining({ id: "live.token", status: "pass" }));
        expect(r.stdout + r.stderr).not.toContain("GOCSPX-npx-empty-folder-secret");
        expect(readdirSync(empty)).toEqual([]);
      } finally {
        await google.close();
        await rm(empty, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  it(
    "explain through npx prints the object the library's explain() resolves to",
    async () => {
      // Google's token endpoint answer to a refresh of a dead token, as google-auth-library reports it (google-behaviour.md §2.3).
      const pasted = "GaxiosError: invalid_grant: Token has been expired or revoked.";
      const cli = await run("npx", ["--no-install", "gmail-oauth", "explain", "--json", pasted], scratch);
      expect(cli.code, cli.stderr).toBe(0);
      const library = await run(
        process.execPath,
        [
          "-e",
          `require("gmail-connection-kit/validator").explain(process.argv[1]).then((r) => console.log(JSON.stringify(r)))`,
          pasted,
        ],
        scratch,
      );
      expect(library.code, library.stderr).toBe(0);
      expect(JSON.parse(cli.stdout)).toEqual(JSON.parse(library.stdout));
      expect(JSON.parse(cli.stdout).diagnosis).toBe("refresh_token_invalid");
    },
    SLOW,
  );

  it(
    "starts the shipped policy pack with Pulumi's policy-pack runner (`--policy-pack node_modules/gmail-connection-kit/policy`)",
    async () => {
      const runner = path.join(scratch, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
      const pack = path.join(scratch, "node_modules", "gmail-connection-kit", "policy");
      const port = await new Promise<string>((resolve, reject) => {
        const child = execFile(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: pack, timeout: 120_000 });
        let out = "";
        let err = "";
        child.stdout!.on("data", (d) => {
          out += d;
          const line = out.split("\n")[0]!.trim();
          if (out.includes("\n") && /^\d+$/.test(line)) {
            child.kill();
            resolve(line);
          }
        });
        child.stderr!.on("data", (d) => (err += d));
        child.on("exit", (code) =>
          reject(new Error(`policy pack exited (${code}) before printing its port:\n${out}${err}`)),
        );
      });
      expect(Number(port)).toBeGreaterThan(0);
    },
    SLOW,
  );
});
