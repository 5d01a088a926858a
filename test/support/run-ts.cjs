// Runs a TypeScript entry from its sources in a real child process, for the as-a-process tests (the CLI, the
// emulator's $BROWSER script): TypeScript's transpiler as a require hook, and `.js` specifiers (as the compiled build
// needs) resolved to the `.ts` files. Usage: node test/support/run-ts.cjs ENTRY.ts [args…]
// The entry is loaded as the main module, so main guards work; an entry that exports runMain() has it called.
"use strict";
const fs = require("node:fs");
const Module = require("node:module");
const ts = require("typescript");

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  try {
    return resolve.call(this, request, parent, ...rest);
  } catch (err) {
    if (request.startsWith(".") && request.endsWith(".js"))
      return resolve.call(this, `${request.slice(0, -3)}.ts`, parent, ...rest);
    if (request.startsWith(".")) return resolve.call(this, `${request}.ts`, parent, ...rest);
    throw err;
  }
};
require.extensions[".ts"] = (module, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      useDefineForClassFields: false,
    },
  });
  module._compile(out.outputText, filename);
};
const path = require("node:path");
const entry = path.resolve(process.argv.splice(2, 1)[0]);
const loaded = Module._load(entry, null, true);
if (typeof loaded.runMain === "function") loaded.runMain();
