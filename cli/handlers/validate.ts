// The body of `gmail-oauth validate`, kept out of cli/ so --help never loads it.
import { redact } from "../../common/redact";
import type { CliIo } from "../../common/io";
import { resolveInput } from "../../validator/inputs";
import type { ValidateFlags } from "../../validator/options";
import { runPreflight } from "../../validator/preflight";
import { writeReport } from "../../validator/report";
import type { CheckResult, ValidationInput } from "../../validator/types";

/** The --flow seam: `check` refuses bad flow input before the preflight runs; `run` appends the flow's results. */
export interface FlowRunner {
  check(input: ValidationInput): Promise<void>;
  run(input: ValidationInput): Promise<CheckResult[]>;
}

export async function runValidate(
  argv: ValidateFlags & { json?: boolean; flow?: boolean; all?: boolean; concurrency?: number },
  io: CliIo,
  flow?: FlowRunner,
): Promise<number> {
  if (argv.all) {
    const { runValidateAll } = await import("./fleet.js");
    return runValidateAll(argv, io);
  }
  const input = await resolveInput(argv, io.env, io.cwd);
  if (argv.flow && flow) await flow.check(input);
  const progress = (msg: string) => io.stderr.write(redact(`… ${msg}\n`));
  const checks = await runPreflight(input, { progress });
  if (argv.flow && flow) checks.push(...(await flow.run(input)));
  return writeReport(checks, { json: argv.json === true, io });
}
