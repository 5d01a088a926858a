// The body of `gmail-oauth explain`: read INPUT (string, file or stdin), explain it (validator/index.ts), print it.
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { InputError } from "../../common/errors";
import type { CliIo } from "../../common/io";
import { explainInput } from "../../validator/explain";
import { renderExplainHuman, renderExplainJson } from "../../validator/explainReport";

/** Pasted errors are small; a cap keeps a mistaken `explain /dev/zero` or a huge log from hanging the CLI. */
const MAX_INPUT_BYTES = 1 << 20;

async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const b = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > MAX_INPUT_BYTES)
      throw new InputError("INPUT", "stdin is larger than 1 MiB", "paste only the error message");
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** INPUT as given: `-` is stdin, an existing file is read, anything else is the text itself. */
export async function readExplainInput(input: string | undefined, io: CliIo): Promise<string> {
  const none = () =>
    new InputError(
      "INPUT",
      "nothing to explain",
      "pass the error text in quotes, a file containing it, or - to read stdin",
    );
  if (input === undefined) throw none();
  // yargs hands a lone `-` over as "": read stdin then, unless it is a terminal nobody is typing into.
  if (input === "-" || input === "") {
    if (io.stdin.isTTY) throw none();
    return readStdin(io);
  }
  if (input.trim() === "") throw none();
  if (Buffer.byteLength(input, "utf8") > MAX_INPUT_BYTES)
    throw new InputError("INPUT", "is larger than 1 MiB", "paste only the error message");
  // Only plain path-like strings are tried as files: an error text is never a path.
  if (input.length < 4096 && !input.includes("\n")) {
    const path = isAbsolute(input) ? input : resolve(io.cwd, input);
    const st = await stat(path).catch(() => undefined);
    if (st?.isFile()) {
      if (st.size > MAX_INPUT_BYTES)
        throw new InputError("INPUT", `${input} is larger than 1 MiB`, "pass only the error message");
      return readFile(path, "utf8");
    }
  }
  return input;
}

export async function runExplain(argv: { input?: string; json?: boolean }, io: CliIo): Promise<number> {
  // The library's explain() runs the same explainInput (validator/explain.ts): same result, same InputError.
  const result = explainInput(await readExplainInput(argv.input, io));
  io.stdout.write(argv.json ? `${renderExplainJson(result)}\n` : renderExplainHuman(result));
  return result.diagnosis ? 0 : 1;
}
