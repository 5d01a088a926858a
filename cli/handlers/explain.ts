// The body of `gmail-oauth explain`: read INPUT (string, file or stdin), explain it (validator/index.ts), print it.
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
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

/**
 * The built page, dist/web/explain.html (scripts/build-web.ts writes it): beside dist/cli/ when the CLI runs from the
 * build, under the repository's dist/ when it runs from source (tests).
 */
export function explainPagePath(): string {
  const built = join(__dirname, "..", "..", "web", "explain.html");
  return existsSync(built) ? built : join(__dirname, "..", "..", "dist", "web", "explain.html");
}

/** `explain --web`: the page's path on stdout, and the browser opened on it unless --no-browser. */
async function openExplainPage(browser: boolean, io: CliIo): Promise<number> {
  const page = explainPagePath();
  if (!existsSync(page))
    throw new InputError("--web", `the page is not built (${page} is missing)`, "run `npm run build` first");
  io.stdout.write(`${page}\n`);
  if (!browser) return 0;
  // Loaded only here: starting a browser is --web's job, and plain explain should not pay for child_process.
  const { openInBrowser } = await import("../../validator/flow/browser.js");
  const opened = await openInBrowser(pathToFileURL(page).href, io.env);
  io.stderr.write(
    opened.ok ? `opened with ${opened.how}\n` : `could not open a browser: ${opened.reason}; open the path above\n`,
  );
  return 0;
}

export async function runExplain(
  argv: { input?: string; json?: boolean; web?: boolean; browser?: boolean },
  io: CliIo,
): Promise<number> {
  if (argv.web) return openExplainPage(argv.browser !== false, io);
  // The library's explain() runs the same explainInput (validator/explain.ts): same result, same InputError.
  const result = explainInput(await readExplainInput(argv.input, io));
  io.stdout.write(argv.json ? `${renderExplainJson(result)}\n` : renderExplainHuman(result));
  return result.diagnosis ? 0 : 1;
}
