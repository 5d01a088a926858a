// A service-account connection in `gmail-oauth fleet`, over real HTTP against the emulator.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator/index";
import { dwdScenario, MAIL, OPS_TOKEN, SA, SEND, writeKeyFile } from "../../support/dwdScenario";
import { cli } from "../helpers";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

it("fleet runs each service-account entry's mailbox × scope rows; field errors name the entry's keys", async () => {
  emu = await startEmulator(dwdScenario([MAIL]));
  const dir = await mkdtemp(join(tmpdir(), "sa-fleet-"));
  const fleet = {
    connections: [
      { name: "relay-keyless", serviceAccount: SA, mailboxes: ["ana@acme.com"], scopes: [MAIL], cloudTokenEnv: "OPS" },
      {
        name: "relay-key",
        serviceAccount: SA,
        serviceAccountKeyFile: writeKeyFile(),
        mailboxes: ["ana@acme.com", "bob@acme.com"],
        scopes: [MAIL, SEND],
      },
    ],
    defaults: { googleOrigin: emu.origin, timeout: 20 },
  };
  await writeFile(join(dir, "fleet.json"), JSON.stringify(fleet));
  const r = await cli(["fleet", "fleet.json", "--json"], { cwd: dir, env: { OPS: OPS_TOKEN } });
  expect(r.code, r.stderr).toBe(1);
  const doc = JSON.parse(r.stdout);
  const text = JSON.stringify(doc);
  expect(text).toContain("dwd_scope_not_authorized");
  expect(text).not.toMatch(/PRIVATE KEY/);
  const byName = Object.fromEntries((doc.connections as { name: string; ok: boolean }[]).map((c) => [c.name, c.ok]));
  expect(byName).toEqual({ "relay-keyless": true, "relay-key": false });

  await writeFile(
    join(dir, "bad.json"),
    JSON.stringify({ connections: [{ name: "x", serviceAccount: SA, mailboxes: ["nope"] }] }),
  );
  const bad = await cli(["fleet", "bad.json"], { cwd: dir });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/bad\.json:connections\[0\]\.mailboxes/);
});
