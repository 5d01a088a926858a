// The stage record: expectations against a command's real report, and the rendering of sections and the summary.
import { describe, expect, it } from "vitest";
import type { KitRun } from "../../sandbox/kit";
import {
  expect as expectation,
  expectDiagnoses,
  expectExit,
  expectNoFailure,
  failedStage,
  renderJson,
  renderStage,
  renderSummary,
  stage,
} from "../../sandbox/stages";

const run = (
  exitCode: number,
  checks: { id: string; status: "pass" | "warn" | "fail" | "inconclusive"; diagnosis?: string }[],
): KitRun => ({
  command: "gmail-oauth validate --flow",
  exitCode,
  stderr: exitCode === 2 ? "gmail-oauth: --spec: x.json does not exist; pass the path\n" : "",
  report: {
    ok: false,
    summary: { pass: 0, warn: 0, fail: 0, skip: 0, inconclusive: 0 },
    unproven: [],
    checks: checks.map((c) => ({ title: c.id, ...c })) as never,
  },
});

describe("expectations", () => {
  it("compare exit codes, naming an input error's line", () => {
    expect(expectExit(run(1, []), 1)).toEqual({ expected: "exit code 1", actual: "exit code 1", ok: true });
    expect(expectExit(run(2, []), 0)).toMatchObject({
      ok: false,
      actual: "exit code 2 (gmail-oauth: --spec: x.json does not exist; pass the path)",
    });
  });

  it("find diagnosis codes in the report, whatever their status", () => {
    const r = run(1, [
      { id: "a", status: "warn", diagnosis: "testing_refresh_token_expiry" },
      { id: "b", status: "fail", diagnosis: "redirect_uri_not_registered" },
    ]);
    expect(expectDiagnoses(r, ["redirect_uri_not_registered", "consent_not_completed"]).map((c) => c.ok)).toEqual([
      true,
      false,
    ]);
    expect(expectDiagnoses(r, ["consent_not_completed"])[0]?.actual).toBe(
      "not reported (seen: testing_refresh_token_expiry, redirect_uri_not_registered)",
    );
  });

  it("treat fail and inconclusive checks as failures, warnings not", () => {
    expect(expectNoFailure(run(0, [{ id: "a", status: "warn" }])).ok).toBe(true);
    expect(
      expectNoFailure(
        run(3, [{ id: "live.gmail-api", status: "inconclusive", diagnosis: "cloud_credentials_missing" }]),
      ),
    ).toMatchObject({ ok: false, actual: "inconclusive live.gmail-api [cloud_credentials_missing]" });
  });
});

describe("rendering", () => {
  const ok = stage("provision", "pulumi up", ["  + a resource"], [expectation("the project exists", "it does", true)]);
  const bad = stage(
    "validate-fixed",
    "validate again",
    [],
    [expectation("exit code 0", "exit code 1", false)],
    run(1, [{ id: "x", status: "fail", diagnosis: "redirect_uri_not_registered" }]),
  );

  it("a stage is ok only when every check holds, and carries its command's outcome", () => {
    expect(ok.ok).toBe(true);
    expect(bad).toMatchObject({
      ok: false,
      command: "gmail-oauth validate --flow",
      exitCode: 1,
      diagnoses: ["redirect_uri_not_registered"],
    });
  });

  it("a section shows the lines and each expectation; the summary names the stage that deviated", () => {
    const text = renderStage(bad, 7, false);
    expect(text).toContain("── 7. validate again ");
    expect(text).toContain("✖ expected exit code 0, got exit code 1");
    expect(renderStage(ok, 1, false)).toContain("✔ expected the project exists\n");
    expect(renderSummary([ok], 1, false)).toContain("all 1 stages behaved as expected");
    expect(renderSummary([ok, bad], 4, false)).toContain(
      "stage 2 (validate again) deviated: expected exit code 0, got exit code 1; 2 later stage(s) did not run",
    );
  });

  it("a stage that threw is a deviation with the reason; secrets are masked in every output", () => {
    const failed = failedStage("console", "console", [], "addClient failed for GOCSPX-abcdefghijkl");
    expect(failed.ok).toBe(false);
    expect(failed.error).toBe("addClient failed for [REDACTED]");
    const json = renderJson({ ok: false, emulator: { origin: "http://127.0.0.1:1" }, clients: [], stages: [failed] });
    expect(json).not.toContain("GOCSPX-abcdefghijkl");
    expect(JSON.parse(json)).toMatchObject({ ok: false, stages: [{ id: "console", ok: false }] });
  });
});
