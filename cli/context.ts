// The argv every yargs handler receives: yargs merges the context object given to parseAsync into it.
import type { CliIo } from "../common/io";

export interface WithIo {
  readonly io: CliIo;
  readonly debug?: boolean;
}
