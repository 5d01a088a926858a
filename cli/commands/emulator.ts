// `gmail-oauth emulator [--scenario FILE] [--port N]`: a local Google (OAuth, consent pages, token, Gmail, Service
// Usage) on 127.0.0.1, until SIGINT/SIGTERM. See docs/emulator.md.
import { defineCommand } from "../context";

export const emulatorCommand = defineCommand({
  command: "emulator",
  describe: "Run a faithful local Google emulator (OAuth consent, token, Gmail, Service Usage) on 127.0.0.1",
  builder: (y) =>
    y
      .option("scenario", {
        type: "string",
        requiresArg: true,
        describe: "Scenario file (YAML or JSON): projects, clients, accounts, faults",
      })
      .option("port", { type: "number", requiresArg: true, describe: "Port to listen on (default: any free port)" })
      .example("$0 emulator --scenario scenario.yaml --port 8089", "prints http://127.0.0.1:8089, runs until Ctrl-C"),
  handler: async (argv) => {
    const { runEmulatorCommand } = await import("../handlers/emulator.js");
    const { untilSignal } = await import("../../common/processSignals.js");
    argv.io.exitCode = await runEmulatorCommand(argv.io, { scenario: argv.scenario, port: argv.port }, untilSignal());
  },
});
