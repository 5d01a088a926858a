// Runs the CLI from its TypeScript sources in a real child process, for the as-a-process tests: TypeScript's
// transpiler as a require hook, and `.js` specifiers (as the compiled build needs) resolved to the `.ts` files.
"use strict";
const fs = require("node:fs");
const Module = require("node:module");
const ts = require("typescript");

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  try {
    return resolve.call(this, request, parent, ...rest);
  } catch (err) {
    if (request.startsWith(".") && request.endsWith(".js")) return resolve.call(this, request.slice(0, -3) + ".ts", parent, ...rest);
    if (request.startsWith(".")) return resolve.call(this, request + ".ts", parent, ...rest);
    throw err;
  }
};
require.extensions[".ts"] = (module, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, useDefineForClassFields: false },
  });
  module._compile(out.outputText, filename);
};
const entry = process.argv.splice(2, 1)[0];
require(entry).runMain();
