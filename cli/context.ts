// What every command handler receives besides its own flags: yargs merges the context object given to parseAsync
// (cli/main.ts) into argv. `defineCommand` keeps each module's flags typed from its builder to its handler.
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import type { CliIo, RunCli } from "../common/io";

export interface WithIo {
  readonly io: CliIo;
  /** The CLI itself, for commands that run other commands (the sandbox). */
  readonly runCli: RunCli;
  readonly debug?: boolean;
}

/** The flags a handler sees: what its builder declared (camel-cased by yargs), plus the run's context. */
export type CommandArgv<A> = ArgumentsCamelCase<A> & WithIo;

/** A command module whose handler is typed by its own builder; `--debug` is the one global option. */
export function defineCommand<A>(module: {
  readonly command: string;
  readonly describe: string;
  readonly builder: (y: Argv<{ debug: boolean | undefined }>) => Argv<A>;
  readonly handler: (argv: CommandArgv<A>) => Promise<void>;
}): CommandModule<{ debug: boolean | undefined }, A> {
  return { ...module, handler: (argv) => module.handler(argv as CommandArgv<A>) };
}
