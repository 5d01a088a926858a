// `gmail-oauth emulator [--scenario FILE] [--port N]`: a local Google (OAuth, consent pages, token, Gmail, Service
// Usage) on 127.0.0.1, until SIGINT/SIGTERM. See docs/emulator.md.
import type { Argv, CommandModule } from "yargs";
import type { WithIo } from "../context";

interface EmulatorArgs extends WithIo {
  readonly scenario?: string;
  readonly port?: number;
}

export const emulatorCommand: CommandModule<object, EmulatorArgs> = {
  command: "emulator",
  describe: "Run a faithful local Google emulator (OAuth consent, token, Gmail, Service Usage) on 127.0.0.1",
  builder: (y: Argv) =>
    y
      .option("scenario", { type: "string", requiresArg: true, describe: "Scenario file (YAML or JSON): projects, clients, accounts, faults" })
      .option("port", { type: "number", requiresArg: true, describe: "Port to listen on (default: any free port)" })
      .example("$0 emulator --scenario scenario.yaml --port 8089", "prints http://127.0.0.1:8089, runs until Ctrl-C") as unknown as Argv<EmulatorArgs>,
  handler: async (argv) => {
    const { runEmulatorCommand } = await import("../../emulator/command.js");
    const { untilSignal } = await import("../../common/signals.js");
    argv.io.exitCode = await runEmulatorCommand(argv.io, { scenario: argv.scenario, port: argv.port }, untilSignal());
  },
};
