// `gmail-oauth emulator`: start the emulator, print its origin on stdout (one line, for scripts), a short summary on
// stderr, and run until stopped.
import { InputError } from "../../common/errors";
import { redact } from "../../common/redact";
import { paint, useColor } from "../../common/terminal";
import type { CliIo } from "../../common/io";
import { loadScenario, startEmulator } from "../../emulator/index";

export interface EmulatorCommandOptions {
  scenario?: string;
  port?: number;
}

/** Runs until `stop` settles, then closes the server. Resolves with the exit code. */
export async function runEmulatorCommand(
  io: CliIo,
  opts: EmulatorCommandOptions,
  stop: Promise<unknown>,
): Promise<number> {
  if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65_535)) {
    throw new InputError(
      "--port",
      `${opts.port} is not a port number`,
      "use 1-65535, or leave it out for any free port",
    );
  }
  const scenario = opts.scenario
    ? await loadScenario(opts.scenario.startsWith("/") ? opts.scenario : `${io.cwd}/${opts.scenario}`)
    : {};
  const emu = await startEmulator(scenario, { port: opts.port ?? 0 });
  const s = emu.admin.state();
  const c = paint(useColor(io.stderr, io.env));
  io.stdout.write(`${emu.origin}\n`);
  io.stderr.write(
    redact(
      `${c.green("Google emulator")} on ${c.bold(emu.origin)}: ${s.projects.length} project(s), ${s.clients.length} client(s), ${s.accounts.length} account(s)${opts.scenario ? ` from ${opts.scenario}` : ""}.\n` +
        `${c.dim(`Point the kit at it with --google-origin ${emu.origin}; admin API under ${emu.origin}/__emulator/ (docs/emulator.md). Ctrl-C stops it.`)}\n`,
    ),
  );
  try {
    await stop;
  } finally {
    await emu.close();
  }
  io.stderr.write("Google emulator stopped.\n");
  return 0;
}
