// `gmail-oauth fleet FILE`: validate many connections side by side, one combined report (text, JSON or JUnit XML).
// Only the option table is loaded here; the implementation is imported when the command runs.
import { defineCommand } from "../context";
import { FLEET_CHECKS } from "../../validator/options";

/** Shared with `check-token --tokens` and `validate --all`. */
export const fleetRunOptions = {
  concurrency: {
    type: "number",
    requiresArg: true,
    describe: "Connections checked at once (default 8, max 64; see docs/fleet.md on Google's quotas)",
  },
  format: {
    type: "string",
    requiresArg: true,
    describe:
      "text | json | jsonl (one line per connection, streamed) | junit (one testsuite per connection) | openmetrics (Prometheus, docs/monitoring.md)",
  },
  output: {
    type: "string",
    requiresArg: true,
    describe: "Write the report to FILE instead of stdout (with --format jsonl, what --resume reads)",
  },
  resume: {
    type: "boolean",
    describe: "Skip the connections --output FILE already has a line for, and append the rest",
  },
  "rate-limit": {
    type: "string",
    requiresArg: true,
    describe:
      "Requests per second per Google project and endpoint: 20, or token=10,gmail=50 (defaults and why: docs/fleet.md)",
  },
  "metrics-file": {
    type: "string",
    requiresArg: true,
    describe: "Also write the run's metrics (OpenMetrics) to FILE, atomically: for node exporter's textfile collector",
  },
  "warn-before": {
    type: "string",
    requiresArg: true,
    describe: "Warn this long before a kept token's forecast expiry: 2d (default), 36h, 1w",
  },
} as const;

export const fleetCommand = defineCommand({
  command: "fleet <file>",
  describe: "Validate every connection a fleet file lists (YAML or JSON), side by side, with one combined report",
  builder: (y) =>
    y
      .positional("file", { type: "string", demandOption: true, describe: "The fleet file (docs/fleet.md)" })
      .options(fleetRunOptions)
      .option("json", { type: "boolean", describe: "Same as --format json" })
      .option("checks", {
        type: "string",
        choices: FLEET_CHECKS,
        describe: "preflight, stored-token checks (entries naming a refresh token), or all (default)",
      })
      .example("$0 fleet connections.yaml --format junit > gmail-oauth.xml", "in CI")
      .example("$0 fleet connections.yaml --checks token --json", "from cron"),
  handler: async (argv) => {
    const { runFleetCommand } = await import("../handlers/fleet.js");
    argv.io.exitCode = await runFleetCommand(argv, argv.io);
  },
});
