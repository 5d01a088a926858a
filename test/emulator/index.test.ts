// startEmulator options and scenario files (YAML and JSON): a malformed scenario names the field.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario, startEmulator } from "../../emulator/index";

const dir = mkdtempSync(join(tmpdir(), "emu-scenario-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("loadScenario", () => {
  it("reads YAML with every section and starts an emulator from it", async () => {
    const path = file(
      "ok.yaml",
      `seed: 7
clock: { now: "2026-02-01T00:00:00Z", frozen: true }
projects:
  - id: demo-project
    number: "123456789012"
    services: { gmail.googleapis.com: DISABLED }
    appName: Demo
    testUsers: [ana@example.com]
clients:
  - id: 1111-desktop.apps.googleusercontent.com
    projectId: demo-project
    type: installed
    secrets: [GOCSPX-yamlSecret000000000000000]
accounts:
  - email: ana@example.com
    hasMailbox: false
cloudCredentials:
  - token: ya29.cloud-token-yaml
    projects: [demo-project]
faults:
  token: { status: 503, times: 1 }
`,
    );
    const emu = await startEmulator(await loadScenario(path));
    try {
      const s = emu.admin.state();
      expect(s.now).toBe("2026-02-01T00:00:00.000Z");
      expect(s.projects[0]!.services).toEqual({ "gmail.googleapis.com": "DISABLED" });
      expect(s.accounts[0]!.hasMailbox).toBe(false);
      expect(s.faults).toEqual({ token: { status: 503, times: 1 } });
      expect(s.cloudCredentials).toHaveLength(1);
    } finally {
      await emu.close();
    }
  });

  it("reads JSON", async () => {
    const path = file("ok.json", JSON.stringify({ accounts: [{ email: "a@example.com" }] }));
    expect((await loadScenario(path)).accounts).toEqual([
      {
        email: "a@example.com",
        hasMailbox: undefined,
        orgDomain: undefined,
        passwordChanged: undefined,
        messagesTotal: undefined,
        threadsTotal: undefined,
      },
    ]);
  });

  it.each([
    [
      "bad-type.yaml",
      "projects:\n  - id: demo-project\n    userType: public\n",
      /bad-type\.yaml: projects\[0\]\.userType: 'public' is not allowed; use one of: internal, external/,
    ],
    ["typo.yaml", "acounts: []\n", /typo\.yaml: acounts: unknown key; did you mean 'accounts'\?/],
    [
      "email.yaml",
      "accounts:\n  - email: not-an-email\n",
      /accounts\[0\]\.email: 'not-an-email' is not an email address/,
    ],
    ["client.yaml", "clients:\n  - id: 1-a.apps.googleusercontent.com\n", /clients\[0\]\.projectId: is required/],
    ["fault.yaml", "faults:\n  token: { status: 418 }\n", /faults\.token\.status: must be 500, 503 or 429/],
    ["clock.yaml", "clock: { now: yesterday }\n", /clock\.now: "yesterday" is not a time/],
    ["syntax.yaml", "projects: [\n", /syntax\.yaml: is not valid YAML/],
    ["syntax.json", "{", /syntax\.json: is not valid JSON/],
  ])("%s: one clear line naming the field", async (name, text, message) => {
    await expect(loadScenario(file(name, text))).rejects.toThrow(message);
  });

  it("a reference to a missing project is named at its scenario path", async () => {
    await expect(
      startEmulator({ clients: [{ id: "1-a.apps.googleusercontent.com", projectId: "ghost-project" }] }),
    ).rejects.toThrow(/clients\[0\]\.projectId: no project 'ghost-project'/);
  });

  it("a missing file names --scenario", async () => {
    await expect(loadScenario(join(dir, "absent.yaml"))).rejects.toThrow(/--scenario: cannot read .*ENOENT/);
  });

  it("a port in use is an input error", async () => {
    const a = await startEmulator();
    try {
      await expect(startEmulator({}, { port: Number(new URL(a.origin).port) })).rejects.toThrow(
        /port: \d+ is already in use/,
      );
    } finally {
      await a.close();
    }
  });
});
