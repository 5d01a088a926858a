// docs/monitoring.md's examples, each tested as far as this machine allows: the alert rules and their unit tests
// through Prometheus' promtool (check rules, test rules), the CronJob and the CI workflow parsed as YAML of the right
// kind, the systemd units read as unit files. The examples are taken from the page itself, so they cannot drift.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { FAMILIES } from "../../validator/metrics";
import { missingPromtoolInCi, PROMTOOL, promtool } from "../support/promtool";

const PAGE = readFileSync(join(__dirname, "..", "..", "docs", "monitoring.md"), "utf8");

/** Every `<!-- example: NAME -->` block of the page, by NAME. */
const EXAMPLES: Record<string, string> = Object.fromEntries(
  [...PAGE.matchAll(/<!-- example: (\S+) -->\n\n```\w+\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!]),
);

/** A unit file's sections and keys (systemd's syntax: [Section], Key=Value, # comments). */
function unitFile(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  for (const line of text.split("\n")) {
    if (/^\s*(#|$)/.test(line)) continue;
    const head = /^\[(\w+)\]$/.exec(line);
    if (head) out[head[1]!] = section = {};
    else {
      const kv = /^(\w+)=(.*)$/.exec(line);
      expect(kv && section, `a unit file line: ${line}`).toBeTruthy();
      section![kv![1]!] = kv![2]!;
    }
  }
  return out;
}

const fleetArgs = (args: readonly string[]) => {
  expect(args[0]).toBe("fleet");
  expect(args).toContain("--metrics-file");
  expect(args).toContain("junit");
};

describe("docs/monitoring.md", () => {
  it("has every example the page promises", () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual([
      "cronjob.yaml",
      "gmail-oauth-fleet.service",
      "gmail-oauth-fleet.timer",
      "gmail-oauth-fleet.yml",
      "gmail-oauth.rules.test.yml",
      "gmail-oauth.rules.yml",
    ]);
  });

  it("the metrics table names exactly the metrics the kit writes", () => {
    const named = [...PAGE.matchAll(/^\| `(gmail_oauth_[a-z_]+)/gm)].map((m) => m[1]);
    expect(named).toEqual(FAMILIES.map((f) => f.name));
  });

  it("the systemd service runs the fleet once with JUnit and metrics; the timer runs it hourly", () => {
    const service = unitFile(EXAMPLES["gmail-oauth-fleet.service"]!);
    expect(service.Service).toMatchObject({ Type: "oneshot", SuccessExitStatus: "1 3" });
    fleetArgs(service.Service!.ExecStart!.split(/\s+/).slice(1));
    const timer = unitFile(EXAMPLES["gmail-oauth-fleet.timer"]!);
    expect(timer.Timer).toMatchObject({ OnCalendar: "hourly", Persistent: "true" });
    expect(timer.Install).toEqual({ WantedBy: "timers.target" });
  });

  it("the CronJob is a batch/v1 CronJob whose container runs the fleet", () => {
    const doc = YAML.parse(EXAMPLES["cronjob.yaml"]!);
    expect(doc).toMatchObject({ apiVersion: "batch/v1", kind: "CronJob", spec: { schedule: "0 * * * *" } });
    const pod = doc.spec.jobTemplate.spec.template.spec;
    expect(pod.restartPolicy).toBe("Never");
    fleetArgs(pod.containers[0].args);
    const mounts = pod.containers[0].volumeMounts.map((m: { name: string }) => m.name).sort();
    expect(mounts).toEqual(pod.volumes.map((v: { name: string }) => v.name).sort());
  });

  it("the CI workflow is scheduled, runs the fleet and publishes JUnit and the metrics", () => {
    const doc = YAML.parse(EXAMPLES["gmail-oauth-fleet.yml"]!);
    expect(doc.on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    const steps = doc.jobs.fleet.steps as { run?: string; uses?: string; with?: { path?: string } }[];
    const run = steps.find((s) => s.run?.includes("gmail-oauth fleet"))!;
    fleetArgs(run.run!.split(/\s+/).slice(2));
    expect(steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))?.with?.path).toMatch(
      /fleet-junit\.xml[\s\S]*gmail_oauth\.prom/,
    );
  });
});

describe.skipIf(!PROMTOOL)("docs/monitoring.md's alert rules, through promtool", () => {
  const dir = mkdtempSync(join(tmpdir(), "monitoring-rules-"));
  for (const name of ["gmail-oauth.rules.yml", "gmail-oauth.rules.test.yml"])
    writeFileSync(join(dir, name), EXAMPLES[name]!);

  it("promtool check rules: the rules parse", async () => {
    const r = await promtool(["check", "rules", "gmail-oauth.rules.yml"], undefined, dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("SUCCESS: 4 rules found");
  });

  it("promtool test rules: expiring, broken, inconclusive for 3 runs and stale fire when they should", async () => {
    const r = await promtool(["test", "rules", "gmail-oauth.rules.test.yml"], undefined, dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("SUCCESS");
  });

  it("the alert expressions use only metrics the kit writes", () => {
    const rules = YAML.parse(EXAMPLES["gmail-oauth.rules.yml"]!).groups[0].rules as { expr: string }[];
    const used = new Set(rules.flatMap((r) => r.expr.match(/gmail_oauth_[a-z_]+/g) ?? []));
    const written = new Set(FAMILIES.map((f) => f.name));
    expect([...used].filter((m) => !written.has(m))).toEqual([]);
  });
});

it.runIf(missingPromtoolInCi)("CI has promtool for the alert rules (Debian's prometheus package)", () => {
  expect(PROMTOOL).toBeDefined();
});
