#!/usr/bin/env node
// A long-lived solc-js for mutation runs: one standard-JSON input per stdin line, one
// output per stdout line. Loading the wasm costs ~0.4 s; this pays it once per worker.
// $DAFTAR_NODE_MODULES and $DAFTAR_SOLC_PACKAGE name the compiler, as for solc_shim.js.
'use strict';
const path = require('path');
const readline = require('readline');

console.log = (...args) => process.stderr.write(args.join(' ') + '\n');
console.info = console.log;
console.warn = console.log;

const nodeModules = process.env.DAFTAR_NODE_MODULES || path.resolve('node_modules');
const solc = require(path.join(nodeModules, process.env.DAFTAR_SOLC_PACKAGE || 'solc'));
const noImports = () => ({ error: 'imports must be given as sources' });

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on('line', (line) => {
  let out;
  try {
    out = solc.compile(line, { import: noImports });
  } catch (e) {
    out = JSON.stringify({ errors: [{ severity: 'error', message: String(e) }] });
  }
  process.stdout.write(out.replace(/\n/g, ' ') + '\n');
});
