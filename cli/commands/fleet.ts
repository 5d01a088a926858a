// `gmail-oauth fleet FILE`: validate many connections side by side, one combined report (text, JSON or JUnit XML).
// Only the option table is loaded here; the implementation is imported when the command runs.
import type { Argv, CommandModule } from "yargs";
import type { WithIo } from "../context";
import type { FleetArgs } from "../../validator/fleet/command";
import { FLEET_CHECKS } from "../../validator/options";

type FleetArgv = FleetArgs & WithIo;

/** Shared with `check-token --tokens` and `validate --all`. */
export const fleetRunOptions = {
  concurrency: { type: "number", requiresArg: true, describe: "Connections checked at once (default 8, max 64; see docs/fleet.md on Google's quotas)" },
  format: { type: "string", requiresArg: true, describe: "text | json | junit (one testsuite per connection, one testcase per check)" },
} as const;

export const fleetCommand: CommandModule<object, FleetArgv> = {
  command: "fleet <file>",
  describe: "Validate every connection a fleet file lists (YAML or JSON), side by side, with one combined report",
  builder: (y: Argv) =>
    y
      .positional("file", { type: "string", describe: "The fleet file (docs/fleet.md)" })
      .options(fleetRunOptions)
      .option("json", { type: "boolean", describe: "Same as --format json" })
      .option("checks", { type: "string", choices: FLEET_CHECKS, describe: "preflight, stored-token checks (entries naming a refresh token), or all (default)" })
      .example("$0 fleet connections.yaml --format junit > gmail-oauth.xml", "in CI")
      .example("$0 fleet connections.yaml --checks token --json", "from cron") as unknown as Argv<FleetArgv>,
  handler: async (argv) => {
    const { runFleetCommand } = await import("../../validator/fleet/command.js");
    argv.io.exitCode = await runFleetCommand(argv, argv.io);
  },
};
