#!/usr/bin/env node
"use strict";
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
require("../dist/cli/main.js").runMain();
