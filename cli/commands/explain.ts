// `gmail-oauth explain [--json] INPUT`: what a copied Google error means and how to fix it.
import { defineCommand } from "../context";

export const explainCommand = defineCommand({
  command: "explain [input]",
  describe:
    "Explain an error copied from a failing app: an authError URL, Google's page text, a JSON body, a library error line, a callback URL or a whole log excerpt (a string, a file, or - for stdin)",
  builder: (y) =>
    y
      .positional("input", { type: "string", describe: "The error text, a file containing it, or - to read stdin" })
      .option("web", {
        type: "boolean",
        describe: "Open the self-contained explain page (dist/web/explain.html) in the browser instead: paste there",
      })
      .option("browser", {
        type: "boolean",
        default: true,
        describe: "With --web: open the browser (--no-browser prints the page's path only)",
      })
      .option("json", {
        type: "boolean",
        describe:
          'One JSON document: {"diagnosis", "title", "cause", "fix", "details", "evidence", "alternatives", "distinct_errors"}',
      })
      // explain's own "finding" is not recognising the error: 1 tells a script to look at the input itself.
      .epilogue(
        "Exit codes: 0 the error was recognised (--web: the page was opened or its path printed), 1 it was not, 2 bad input.",
      ),
  handler: async (argv) => {
    const { runExplain } = await import("../handlers/explain.js");
    argv.io.exitCode = await runExplain(argv, argv.io);
  },
});
