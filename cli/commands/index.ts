// Every command of the CLI, in the order --help lists them. Each is a module {command, describe, builder, handler}
// whose handler imports its implementation lazily, so `gmail-oauth --help` loads none of them.
import type { Argv } from "yargs";
import { validateCommand } from "./validate";
import { explainCommand } from "./explain";
import { checkTokenCommand } from "./check-token";
import { emulatorCommand } from "./emulator";
import { sandboxCommand } from "./sandbox";
import { fleetCommand } from "./fleet";
import { setupCommand } from "./setup";

/** Adds every command to the parser; each module keeps its own argv type. */
export function withCommands(parser: Argv<{ debug: boolean | undefined }>): Argv<{ debug: boolean | undefined }> {
  return parser
    .command(setupCommand)
    .command(validateCommand)
    .command(explainCommand)
    .command(checkTokenCommand)
    .command(emulatorCommand)
    .command(fleetCommand)
    .command(sandboxCommand);
}
