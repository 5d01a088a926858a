// `gmail-oauth sandbox`: the whole kit on this machine against the Google emulator, no Google account needed
// (provision → runbook → console steps with two mistakes → validate → fixes → validate → check-token → expiry).
// `--serve` leaves the provisioned emulator running instead. Implementation: sandbox/.
import { InputError } from "../../common/errors";
import { defineCommand } from "../context";

export const sandboxCommand = defineCommand({
  command: "sandbox",
  describe: "See the whole kit work on this machine, with a local emulator standing in for Google (no account needed)",
  builder: (y) =>
    y
      .option("json", {
        type: "boolean",
        describe: "One JSON document on stdout: each stage with its expected and actual outcome",
      })
      .option("serve", {
        type: "boolean",
        describe: "Provision and do the console steps, then keep the emulator running for your own app (Ctrl-C stops)",
      })
      .option("stack-config", {
        type: "string",
        requiresArg: true,
        describe: "A Pulumi.<stack>.yaml to provision instead of the bundled sandbox/stack.example.yaml",
      })
      .option("port", {
        type: "number",
        requiresArg: true,
        describe: "With --serve: the emulator's port (default any free one)",
      })
      .example("$0 sandbox", "the walkthrough, in a few seconds")
      .example("$0 sandbox --serve --port 8089", "a provisioned Google on http://127.0.0.1:8089 for your app"),
  handler: async (argv) => {
    if (argv.port !== undefined && !argv.serve)
      throw new InputError("--port", "only applies with --serve", "add --serve, or drop --port");
    if (argv.port !== undefined && (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65_535))
      throw new InputError(
        "--port",
        `${argv.port} is not a port number`,
        "use 1-65535, or leave it out for any free port",
      );
    if (argv.serve) {
      const { runServe } = await import("../../sandbox/serve.js");
      const { untilSignal } = await import("../../common/processSignals.js");
      argv.io.exitCode = await runServe(
        argv.io,
        { json: argv.json, stackConfig: argv.stackConfig, port: argv.port },
        untilSignal(),
      );
      return;
    }
    const { runSandbox } = await import("../../sandbox/walkthrough.js");
    argv.io.exitCode = await runSandbox(argv.io, {
      runCli: argv.runCli,
      json: argv.json,
      stackConfig: argv.stackConfig,
    });
  },
});
