#!/usr/bin/env node
"use strict";
// `npm run bench`: the compiled runner lives in dist/ (built by `npm ci` through the prepare script, or `npm run build`).
require("../dist/bench/run.js").main();
