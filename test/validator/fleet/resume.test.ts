// --format jsonl --output FILE --resume (issue 16 §4): a run cut off mid-line goes on where it stopped, checking
// only the connections FILE has no line for.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../../cli/main";
import { forgetSecrets } from "../../../common/redact";
import { scenario, startEmulator, type RunningEmulator } from "../../../emulator/index";
import { captureIo } from "../../support/captureIo";

const CLIENT = "919191-resume.apps.googleusercontent.com";
const SECRET = "GOCSPX-resume-client-secret";

describe("fleet --resume", () => {
  let emu: RunningEmulator;
  afterEach(async () => {
    await emu?.close();
    forgetSecrets();
  });

  it("skips what the output file holds, drops a cut-off last line, appends the rest", async () => {
    const fleet = scenario()
      .project({
        id: "resume-proj",
        number: "919191",
        userType: "external",
        publishingStatus: "production",
        verified: true,
      })
      .client({ id: CLIENT, type: "web", secrets: [SECRET], redirectUris: ["https://mail.example.com/cb"] });
    for (let i = 0; i < 5; i++) fleet.account(`r${i}@example.com`);
    emu = await startEmulator({ scenario: fleet });
    const dir = mkdtempSync(join(tmpdir(), "resume-"));
    mkdirSync(join(dir, "tokens"));
    for (let i = 0; i < 5; i++) {
      const g = emu.admin.mintGrant({
        clientId: CLIENT,
        account: `r${i}@example.com`,
        scopes: ["https://mail.google.com/"],
        offline: true,
      });
      writeFileSync(join(dir, "tokens", `r${i}@example.com`), g.refresh_token!);
    }
    const run = async (...extra: string[]) => {
      const cap = captureIo({ NO_COLOR: "1", GMAIL_OAUTH_CLIENT_SECRET: SECRET }, dir);
      const args = ["check-token", "--google-origin", emu.origin, "--client-id", CLIENT, "--tokens", "tokens"];
      const code = await runCli([...args, "--format", "jsonl", "--output", "run.jsonl", ...extra], cap.io);
      return { code, out: cap.out(), err: cap.err() };
    };
    const first = await run();
    expect(first).toMatchObject({ code: 0, out: "" });
    const lines = readFileSync(join(dir, "run.jsonl"), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(6); // 5 connections, then the summary
    expect(JSON.parse(lines[5]!)).toMatchObject({ summary: { connections: 5, connections_ok: 5 }, ok: true });

    // The run was killed while writing its third line.
    writeFileSync(join(dir, "run.jsonl"), `${lines.slice(0, 2).join("\n")}\n${lines[2]!.slice(0, 40)}`);
    const resumed = await run("--resume");
    expect(resumed.code).toBe(0);
    expect(resumed.err).toContain("resuming: 2 connections already checked in");
    const after = readFileSync(join(dir, "run.jsonl"), "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    const names = after.filter((r) => r.name).map((r) => r.name as string);
    expect(names.sort()).toEqual([0, 1, 2, 3, 4].map((i) => join("tokens", `r${i}@example.com`)));
    expect(after.at(-1)).toMatchObject({ summary: { connections: 3, connections_ok: 3 }, ok: true });

    const bad = captureIo({ NO_COLOR: "1", GMAIL_OAUTH_CLIENT_SECRET: SECRET }, dir);
    const args = [
      "check-token",
      "--google-origin",
      emu.origin,
      "--client-id",
      CLIENT,
      "--tokens",
      "tokens",
      "--resume",
    ];
    expect(await runCli(args, bad.io)).toBe(2);
    expect(bad.err()).toBe(
      "gmail-oauth: --resume: needs the JSON lines file of the run to resume; run with --format jsonl --output FILE, and the same flags again with --resume\n",
    );
  });
});
