// check-token prints the same report as validate (validator/report.ts) and maps it to the same exit codes.
import type { CliIo } from "../../cli/context";
import { useColor } from "../../common/terminal";
import { renderHuman, renderJson } from "../report";
import { exitCodeFor, summarize, type CheckResult } from "../types";

export function writeReport(io: CliIo, checks: readonly CheckResult[], json: boolean): number {
  const report = summarize(checks);
  io.stdout.write(json ? renderJson(report) : renderHuman(report, { color: useColor(io.stdout, io.env) }));
  return exitCodeFor(report);
}
