#!/usr/bin/env node
// A `solc` look-alike over solc-js (npm `solc`), so py-solc-x can drive it.
//
//   solc --version          -> "solc, the solidity compiler commandline interface\nVersion: X"
//   solc --standard-json    -> standard-JSON from stdin, result JSON on stdout
//
// Why a shim: solc-js's own CLI prints a line about SMT solvers on stdout before the JSON,
// reports builtin declaration ids as unsigned 32-bit numbers, and is not named like native
// solc. Here stdout carries exactly one JSON document; anything else goes to stderr.
// The npm package is found through $DAFTAR_NODE_MODULES (set by daftar), else ./node_modules.
'use strict';
const fs = require('fs');
const path = require('path');

const nodeModules = process.env.DAFTAR_NODE_MODULES || path.resolve('node_modules');
const solcPkg = process.env.DAFTAR_SOLC_PACKAGE || 'solc';
const solcDir = path.join(nodeModules, solcPkg);

// Keep every stray console line (SMT notices, warnings) off stdout.
console.log = (...args) => process.stderr.write(args.join(' ') + '\n');
console.info = console.log;
console.warn = console.log;

function fail(message) {
  process.stderr.write(`solc shim: ${message}\n`);
  process.exit(2);
}

function loadSolc() {
  try {
    return require(solcDir);
  } catch (e) {
    fail(`cannot load the npm package '${solcPkg}' from ${nodeModules} (${e.message}); run npm ci`);
  }
}

// Loading the wasm costs ~0.4 s, so the long version is cached beside the package,
// keyed by soljson.js's size and mtime.
function longVersion() {
  const soljson = path.join(solcDir, 'soljson.js');
  let stamp;
  try {
    const st = fs.statSync(soljson);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch (e) {
    fail(`no compiler at ${soljson}; run npm ci`);
  }
  const cacheFile = path.join(solcDir, '.daftar-version');
  try {
    const [seen, version] = fs.readFileSync(cacheFile, 'utf8').split('\n');
    if (seen === stamp && version) return version;
  } catch (e) { /* not cached yet */ }
  const version = loadSolc().version().replace('.Emscripten.clang', '');
  try {
    const tmp = `${cacheFile}.${process.pid}`;
    fs.writeFileSync(tmp, `${stamp}\n${version}`);
    fs.renameSync(tmp, cacheFile);
  } catch (e) { /* read-only install: fine, just slower */ }
  return version;
}

function parseArgs(argv) {
  const opts = { basePath: process.cwd(), includePaths: [], allowPaths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i];
    if (a === '--version') opts.version = true;
    else if (a === '--standard-json') opts.standardJson = true;
    else if (a === '--base-path') opts.basePath = path.resolve(value());
    else if (a === '--include-path') opts.includePaths.push(path.resolve(value()));
    else if (a === '--allow-paths') opts.allowPaths.push(...value().split(',').map((p) => path.resolve(p)));
    else if (a === '-' || a === '') continue;
    else fail(`unsupported argument '${a}' (this shim supports --version and --standard-json)`);
  }
  return opts;
}

function applyRemappings(unit, remappings) {
  let best = null;
  for (const r of remappings) {
    const eq = r.indexOf('=');
    if (eq < 0) continue;
    const left = r.slice(0, eq);
    const prefix = left.includes(':') ? left.split(':')[1] : left;
    if (unit.startsWith(prefix) && (!best || prefix.length > best.prefix.length)) {
      best = { prefix, target: r.slice(eq + 1) };
    }
  }
  return best ? best.target + unit.slice(best.prefix.length) : unit;
}

function makeImportCallback(opts, remappings) {
  const roots = [opts.basePath, ...opts.includePaths];
  const allowed = [...roots, ...opts.allowPaths];
  return (unit) => {
    const candidates = [unit, applyRemappings(unit, remappings)];
    for (const name of candidates) {
      for (const root of roots) {
        const file = path.resolve(root, name);
        if (!allowed.some((a) => file === a || file.startsWith(a + path.sep))) continue;
        if (fs.existsSync(file) && fs.statSync(file).isFile()) {
          return { contents: fs.readFileSync(file, 'utf8') };
        }
      }
    }
    return { error: `File not found: ${unit} (searched ${roots.join(', ')})` };
  };
}

// solc-js prints builtin declaration ids (e.g. -15 for `require`) as unsigned 32-bit.
const ID_KEYS = new Set(['referencedDeclaration', 'overloadedDeclarations']);
function signIds(node, key) {
  if (typeof node === 'number') {
    return ID_KEYS.has(key) && node >= 2 ** 31 && node < 2 ** 32 ? node - 2 ** 32 : node;
  }
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) node[i] = signIds(node[i], key);
    return node;
  }
  if (node && typeof node === 'object') {
    for (const k of Object.keys(node)) node[k] = signIds(node[k], k);
  }
  return node;
}

function standardJson(opts) {
  const input = fs.readFileSync(0, 'utf8');
  let remappings = [];
  try {
    remappings = (JSON.parse(input).settings || {}).remappings || [];
  } catch (e) { /* the compiler reports invalid JSON itself */ }
  const solc = loadSolc();
  const raw = compileWith(solc, input, makeImportCallback(opts, remappings));
  let output;
  try {
    output = JSON.parse(raw);
  } catch (e) {
    fail(`solc-js ${packageVersion()} in '${solcPkg}' did not answer standard JSON (${e.message})`);
  }
  process.stdout.write(JSON.stringify(signIds(output)));
}

function packageVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(solcDir, 'package.json'), 'utf8')).version;
  } catch (e) {
    return '?';
  }
}

// solc-js's API changed twice: 0.4.x's compile() is the legacy interface and standard JSON
// goes through compileStandardWrapper(input, callback); 0.5.x's compile(input, callback)
// takes the import callback as a function; 0.6.0 on take {import: callback}.
function compileWith(solc, input, importCallback) {
  const [major, minor] = packageVersion().split('.').map(Number);
  if (major === 0 && minor < 5) {
    if (typeof solc.compileStandardWrapper !== 'function') {
      fail(`solc-js ${packageVersion()} has no compileStandardWrapper: standard JSON is not available`);
    }
    return solc.compileStandardWrapper(input, importCallback);
  }
  if (major === 0 && minor < 6) return solc.compile(input, importCallback);
  return solc.compile(input, { import: importCallback });
}

const opts = parseArgs(process.argv.slice(2));
if (opts.version) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${longVersion()}\n`);
} else if (opts.standardJson) {
  standardJson(opts);
} else {
  fail('usage: solc --version | solc --standard-json [--base-path DIR] < input.json');
}
