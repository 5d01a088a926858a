// Every command of the CLI, in the order --help lists them. Each is a module {command, describe, builder, handler}
// whose handler imports its implementation lazily, so `gmail-oauth --help` loads none of them.
import type { CommandModule } from "yargs";
import { validateCommand } from "./validate";
import { explainCommand } from "./explain";
import { checkTokenCommand } from "./check-token";
import { emulatorCommand } from "./emulator";
import { sandboxCommand } from "./sandbox";
import { fleetCommand } from "./fleet";

export const commands: CommandModule<any, any>[] = [validateCommand, explainCommand, checkTokenCommand, emulatorCommand, fleetCommand, sandboxCommand];
