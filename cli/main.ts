// The `gmail-oauth` CLI. The parser is built per run and exported, so tests call runCli() in-process; the launcher
// in bin/ calls runMain(). Command modules load their implementation lazily so `--help` stays fast.
import yargs from "yargs/yargs";
import type { Argv } from "yargs";
import { EXIT, InputError, Interrupted, isInputError } from "../common/errors";
import { redact } from "../common/redact";
import { processIo, type CliIo } from "../common/io";
import { withCommands } from "./commands";

export function buildParser(args: readonly string[]): Argv {
  const parser = yargs([...args])
    .scriptName("gmail-oauth")
    .usage("$0 <command> [options]\n\nSet up, verify and diagnose Gmail OAuth connections.")
    .option("debug", { type: "boolean", describe: "Show stack traces for errors", global: true })
    .strict()
    .demandCommand(1, "Name a command: see --help.")
    .recommendCommands()
    .epilogue(
      "Exit codes: 0 ok, 1 findings, 2 usage or input error, 3 inconclusive, 4 internal error (a bug), 130 interrupted.\nDocs: docs/validating.md, docs/troubleshooting.md",
    )
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    // Let errors reach runCli, which prints one line and sets exit code 2.
    .fail((msg, err) => {
      // yargs reports its own validation failures (a flag without its value, …) as a YError: usage, not a crash.
      if (err && err.name !== "YError") throw err;
      throw new InputError("usage", msg ?? err?.message ?? "invalid arguments", "see `gmail-oauth --help`");
    })
    .exitProcess(false);
  return withCommands(parser);
}

/** Runs the CLI and returns its exit code; never throws and never calls process.exit. */
export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  io.exitCode = EXIT.ok;
  const debug = args.includes("--debug");
  try {
    await buildParser(args).parseAsync([...args], { io, runCli });
    return io.exitCode;
  } catch (err) {
    if (isInputError(err)) {
      // One line per problem, each prefixed, so a whole config's problems read like single errors.
      io.stderr.write(
        `${redact(
          err.message
            .split("\n")
            .map((line) => `gmail-oauth: ${line}`)
            .join("\n"),
        )}\n`,
      );
      if (debug && err instanceof Error) io.stderr.write(`${redact(err.stack ?? "")}\n`);
      return EXIT.usage;
    }
    if (err instanceof Interrupted) {
      io.stderr.write(`${redact(`gmail-oauth: ${err.message}`)}\n`);
      return EXIT.interrupted;
    }
    // A bug, not a verdict: its own exit code, so a script reading 3 as "retry later" does not retry it forever.
    const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, " ");
    io.stderr.write(
      `${redact(`gmail-oauth: internal error (a bug, exit ${EXIT.internal}): ${message}`)}${debug ? "" : "; run again with --debug for the stack trace"}\n`,
    );
    if (debug && err instanceof Error) io.stderr.write(`${redact(err.stack ?? "")}\n`);
    return EXIT.internal;
  }
}

export function runMain(): void {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = EXIT.internal;
    },
  );
}
