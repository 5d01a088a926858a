// `gmail-oauth validate`: the preflight (and, with --flow, the consent flow added by validator/flow).
// Only the option table is loaded here; the implementation is imported when the command runs.
import { defineCommand } from "../context";
import { ENV } from "../../common/env";
import { validateOptions } from "../../validator/options";
import { fleetRunOptions } from "./fleet";

export const validateCommand = defineCommand({
  command: "validate",
  describe: "Check that a Gmail OAuth connection will work, before anyone signs in",
  builder: (y) =>
    y
      .options(validateOptions)
      .option("json", { type: "boolean", describe: "One JSON document on stdout" })
      // Prometheus metrics of the run (validator/metrics.ts, docs/monitoring.md).
      .option("format", { type: "string", requiresArg: true, describe: "text | json | openmetrics" })
      .option("metrics-file", fleetRunOptions["metrics-file"])
      // The consent-flow options (validator/flow, docs/validating.md).
      .option("flow", {
        type: "boolean",
        describe: "After the preflight, run the real consent flow with a loopback redirect (a person signs in)",
      })
      .option("browser", {
        type: "boolean",
        describe:
          "Open the consent page ($BROWSER or the system browser); --no-browser prints the URL and also accepts the redirect address pasted on stdin",
      })
      .option("keep-token", {
        type: "string",
        requiresArg: true,
        describe: "Keep the flow's refresh token in FILE (mode 0600, never printed) instead of revoking it",
      })
      // Every client of the spec at once (validator/fleet, docs/fleet.md).
      .option("all", {
        type: "boolean",
        describe: `Check every client of --spec; each client's secret from ${ENV.clientSecret}_<NAME>`,
      })
      .option("concurrency", fleetRunOptions.concurrency),
  handler: async (argv) => {
    const { runValidate } = await import("../handlers/validate.js");
    // The --flow seam: validator/flow/consentFlow.ts checks its input first, then appends its results after the preflight's.
    const flowOptions = { io: argv.io, noBrowser: argv.browser === false, keepToken: argv.keepToken };
    const flow = () => import("../../validator/flow/consentFlow.js");
    argv.io.exitCode = await runValidate(argv, argv.io, {
      check: async (input) => void (await (await flow()).checkFlowInput(input, flowOptions)),
      run: async (input) => (await flow()).runFlow(input, flowOptions),
    });
  },
});
