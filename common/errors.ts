// Typed errors the CLI maps to exit codes. Only these are shown to users without a stack trace.

export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  inconclusive: 3,
  /** A bug in the kit, not a verdict: a script must not retry it as it would an inconclusive run. */
  internal: 4,
  /** Ctrl-C or SIGTERM ended the run (128 + SIGINT, as shells report it) after its cleanup ran. */
  interrupted: 130,
} as const;

/**
 * Bad input from the user: a flag, a file, a config key. `field` names what is wrong (a flag, a config key such as
 * `gmail-oauth:clients[1].redirectUris[0]`, or a JSON path in a file) and `fix` says what to do.
 * The CLI prints `field: message; fix` on one line and exits 2.
 */
export class InputError extends Error {
  override name = "InputError";
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly fix?: string,
  ) {
    // One line whatever it quotes (a JSON.parse message carries a snippet of the file, newlines included).
    super(`${field}: ${problem}${fix ? `; ${fix}` : ""}`.replace(/\s*\n\s*/g, " "));
  }
}

/** Several field-level problems found in one pass (a whole config), reported together. */
export class InputErrors extends Error {
  override name = "InputErrors";
  constructor(readonly errors: readonly InputError[]) {
    super(errors.map((e) => e.message).join("\n"));
  }
}

export function isInputError(e: unknown): e is InputError | InputErrors {
  return e instanceof InputError || e instanceof InputErrors;
}

/**
 * The person pressed Ctrl-C (or the run got SIGTERM) during an interactive wait. Thrown only after the wait released
 * everything it held (listener, stdin, live grant); the CLI prints one line and exits EXIT.interrupted.
 */
export class Interrupted extends Error {
  override name = "Interrupted";
  constructor(
    /** The signal's name ("SIGINT", "SIGTERM"): a plain string, so this module needs no Node types (the web page). */
    readonly signal: string,
    readonly cleanup: string,
  ) {
    super(`interrupted by ${signal}; ${cleanup}`);
  }
}
