// `gmail-oauth emulator`: origin on stdout, summary on stderr, runs until stopped; bad input exits 2.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../../common/io";
import { runCli } from "../../../cli/main";
import { runEmulatorCommand } from "../../../cli/handlers/emulator";
import { captureIo } from "../../support/captureIo";
import { waitFor } from "../../support/waitFor";

function io(cwd = process.cwd()): CliIo & { out: () => string; err: () => string } {
  const captured = captureIo({ NO_COLOR: "1" }, cwd);
  return Object.assign(captured.io, { out: captured.out, err: captured.err });
}

describe("emulator command", () => {
  it("prints the origin alone on stdout, a plain summary on stderr, serves until stopped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-cmd-"));
    writeFileSync(join(dir, "s.yaml"), "accounts:\n  - email: ana@example.com\n");
    const term = io(dir);
    let stop!: () => void;
    const running = runEmulatorCommand(term, { scenario: "s.yaml" }, new Promise<void>((r) => (stop = r)));
    await waitFor("the origin on stdout", () => term.out().includes("\n"), { seen: term.err });
    const origin = term.out().trim();
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(term.err()).toContain("1 account(s) from s.yaml");
    expect(term.err()).not.toContain("\u001b[");
    const res = await fetch(`${origin}/__emulator/state`);
    expect(((await res.json()) as any).result.accounts[0].email).toBe("ana@example.com");
    stop();
    expect(await running).toBe(0);
    await expect(fetch(`${origin}/__emulator/state`)).rejects.toThrow();
  });

  it("SIGINT stops it through the CLI", async () => {
    const term = io();
    const running = runCli(["emulator"], term);
    await waitFor("the origin on stdout", () => term.out().includes("\n"), { seen: term.err });
    process.emit("SIGINT");
    expect(await running).toBe(0);
    expect(term.err()).toContain("stopped");
  });

  it("bad flags and scenarios exit 2 with one line naming the field", async () => {
    const bad = io();
    expect(await runCli(["emulator", "--port", "70000"], bad)).toBe(2);
    expect(bad.err()).toMatch(/^gmail-oauth: --port: 70000 is not a port number/);
    const dir = mkdtempSync(join(tmpdir(), "emu-cmd-"));
    writeFileSync(join(dir, "bad.yaml"), "projects:\n  - id: X\n");
    const t = io(dir);
    expect(await runCli(["emulator", "--scenario", "bad.yaml"], t)).toBe(2);
    expect(t.err().trim().split("\n")).toHaveLength(1);
    expect(t.err()).toContain("bad.yaml: projects[0].id: 'X' is not valid");
  });
});
