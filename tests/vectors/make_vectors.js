#!/usr/bin/env node
// Golden vectors for the registry's hash formats, computed independently of the Python code.
//
//   node tests/vectors/make_vectors.js            # prints {"<file>.json": vectors, ...}
//   node tests/vectors/make_vectors.js --write    # (re)writes tests/vectors/<file>.json
//
// Nothing here comes from daftar: the definitions are re-implemented from their written
// specifications, with Keccak-256 from js-sha3 (node_modules, a solc-js dependency) and
// UTF-8 from Node's Buffer. The Python tests (tests/registry/formats/test_vectors.py) read
// the JSON files and must reproduce every hash; they also run this script, when node is
// there, to check that the files are what it prints.
//
// - Canonical JSON: RFC 8785 (JSON Canonicalization Scheme), written from its rules:
//   literals null/true/false; numbers as ECMAScript prints them (only integers in the
//   safe range |n| < 2^53 appear, because the credential format refuses floats and the
//   double-precision number model of RFC 8785 cannot carry larger integers exactly);
//   strings with `"` and `\` escaped, U+0008/09/0A/0C/0D as \b \t \n \f \r, the other
//   controls below U+0020 as \u00xx (lowercase hex), everything else as is; object members
//   sorted by their names' UTF-16 code units (§3.2.3); no whitespace; UTF-8 bytes.
// - Credentials (daftar-credential/1, see src/daftar_registry/formats/credentials.py):
//   commitment(name, value, salt) = keccak256(JCS({"name", "salt": "0x" + 64 hex, "value"}));
//   salted document = {"format": "daftar-credential/1", "issuer": EIP-55 checksummed
//   address, "network", "expiresAt", "fields": {name: "0x" + commitment hex}};
//   credential hash = keccak256(JCS(salted document)). Salts are fixed here:
//   keccak256("daftar vector salt " + document index + " " + field name).
// - Merkle batches (src/daftar_registry/formats/merkle.py): OpenZeppelin's StandardMerkleTree
//   of one bytes32 value per credential, built here by the reference library itself
//   (@openzeppelin/merkle-tree, pinned in package.json): leaf(h) = keccak256(keccak256(h))
//   (recomputed with js-sha3 as a cross-check), sorted-pair nodes, OpenZeppelin's flat
//   array layout; a proof lists the siblings, leaf to root. Credential hashes here:
//   keccak256("daftar vector leaf " + i).
// - Checkpoints (src/daftar_registry/formats/checkpoints.py): for each entry (file: its
//   bytes; symlink: its target path; empty directory: nothing) contentHash =
//   keccak256(content), entryHash = keccak256(kind ‖ 0x00 ‖ UTF-8 path ‖ 0x00 ‖ contentHash);
//   entries sorted by the path's bytes; root = the Merkle root above over the entry hashes.
//
// A fourth group, "rfc8785_divergences", lists inputs on which RFC 8785 and a JSON
// serializer that sorts keys by code point (or prints integers exactly beyond 2^53) differ.

"use strict";

const fs = require("fs");
const path = require("path");
const { keccak256 } = require("js-sha3");
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");

const keccak = (bytes) => Buffer.from(keccak256.arrayBuffer(bytes));
const hex = (buf) => "0x" + Buffer.from(buf).toString("hex");
const fromHex = (text) => Buffer.from(text.replace(/^0x/, ""), "hex");
const utf8 = (text) => Buffer.from(text, "utf8");

// ---- RFC 8785 ----------------------------------------------------------------------------

const SHORT = { 0x08: "\\b", 0x09: "\\t", 0x0a: "\\n", 0x0c: "\\f", 0x0d: "\\r" };

function jcsString(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) throw new Error("lone surrogate");
      out += s[i] + s[i + 1];
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      throw new Error("lone surrogate");
    } else if (c === 0x22) {
      out += '\\"';
    } else if (c === 0x5c) {
      out += "\\\\";
    } else if (c < 0x20) {
      out += SHORT[c] || "\\u" + c.toString(16).padStart(4, "0");
    } else {
      out += s[i];
    }
  }
  return out + '"';
}

function utf16Compare(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function jcs(value) {
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`not a safe integer: ${value}`);
    return String(value); // ECMAScript Number::toString, as RFC 8785 §3.2.2.3 prescribes
  }
  if (typeof value === "string") return jcsString(value);
  if (Array.isArray(value)) return "[" + value.map(jcs).join(",") + "]";
  const keys = Object.keys(value).sort(utf16Compare);
  return "{" + keys.map((k) => jcsString(k) + ":" + jcs(value[k])).join(",") + "}";
}

const canonical = (value) => utf8(jcs(value));

// ---- EIP-55 ------------------------------------------------------------------------------

function checksum(address) {
  const lower = address.toLowerCase().replace(/^0x/, "");
  if (!/^[0-9a-f]{40}$/.test(lower)) throw new Error(`not an address: ${address}`);
  const h = keccak256(lower); // of the ASCII hex digits
  let out = "0x";
  for (let i = 0; i < 40; i++) out += parseInt(h[i], 16) >= 8 ? lower[i].toUpperCase() : lower[i];
  return out;
}

// ---- credentials -------------------------------------------------------------------------

const salt = (doc, name) => keccak(utf8(`daftar vector salt ${doc} ${name}`));

function credential(index, { fields, issuer, network, expiresAt }) {
  const salts = {};
  const commitments = {};
  for (const name of Object.keys(fields)) {
    salts[name] = hex(salt(index, name));
    commitments[name] = hex(
      keccak(canonical({ name, salt: salts[name], value: fields[name] }))
    );
  }
  const salted = {
    format: "daftar-credential/1",
    issuer: checksum(issuer),
    network,
    expiresAt,
    fields: commitments,
  };
  return {
    input: { fields, salts, issuer, network, expiresAt },
    commitments,
    salted_canonical: jcs(salted),
    credential_hash: hex(keccak(canonical(salted))),
  };
}

const DOCUMENTS = [
  {
    fields: {
      name: "Siti Nurhaliza binti Tarudin",
      ic: "790111-05-1234",
      award: "Sijil Kemahiran Malaysia, Tahap 3",
      grade: "A",
      modules: ["M1", "M2"],
    },
    issuer: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    network: "development",
    expiresAt: 2000000000,
  },
  {
    fields: {
      nama: "Tan Mei Ling 陈美玲",
      "நிலை": "தேர்ச்சி",
      "B": { z: null, a: [true, false, 0, -1, 9007199254740991, -9007199254740991] },
      "a b": "quote \" backslash \\ slash / tab \t newline \n cr \r bs \b ff \f nul \u0000 us \u001f del \u007f",
      "é": "line sep \u2028 para sep \u2029 bom \ufeff",
      "🎓": "supplementary plane: 🎓 𝄞",
      aa: [],
      Z: {},
    },
    issuer: "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65", // lowercase: checksummed in the document
    network: "sepolia",
    expiresAt: 0,
  },
  {
    fields: { grade: "" },
    issuer: "0x0000000000000000000000000000000000000001",
    network: "mainnet",
    expiresAt: 1099511627775, // 2^40 - 1, the largest the contract's uint40 holds
  },
];

const CANONICAL = [
  null,
  true,
  0,
  -42,
  9007199254740991,
  "",
  "é\u0001\"\\",
  { "": "an empty member name" },
  [],
  {},
  [1, [2, [3, {}]]],
  { b: 1, a: { y: [1, "é"], x: null } },
  { "\u0080": 1, "\u007f": 2, "\u00ff": 3, "\u0100": 4, A: 5, a: 6, "1": 7 },
];

// ---- Merkle ------------------------------------------------------------------------------

const leafOf = (h) => keccak(keccak(h));

function merkle(hashes) {
  const tree = StandardMerkleTree.of(hashes.map((h) => [hex(h)]), ["bytes32"]);
  const nodes = tree.dump().tree.map(fromHex);
  for (const h of hashes) {
    if (!nodes.some((n) => n.equals(leafOf(h)))) throw new Error("leaf definition differs");
  }
  const proof = (h) => tree.getProof([hex(h)]).map(fromHex);
  return { root: fromHex(tree.root), proof, nodes };
}

function merkleVector(n) {
  const hashes = Array.from({ length: n }, (_, i) => keccak(utf8(`daftar vector leaf ${i}`)));
  const tree = merkle(hashes);
  return {
    credential_hashes: hashes.map(hex),
    leaves: hashes.map((h) => hex(leafOf(h))),
    root: hex(tree.root),
    tree: tree.nodes.map(hex),
    proofs: hashes.map((h) => tree.proof(h).map(hex)),
  };
}

// ---- checkpoints -------------------------------------------------------------------------

const ENTRIES = [
  { path: "app/2024-05-01.log", kind: "file", content: utf8("GET /health 200\n") },
  { path: "app/2024-05-02.log", kind: "file", content: utf8("POST /issue 201\n".repeat(100)) },
  { path: "db/slow.log", kind: "file", content: Buffer.alloc(0) },
  { path: "audit.log", kind: "file", content: utf8("pengguna=admin tindakan=log masuk\n") },
  { path: "a.log", kind: "file", content: utf8("sorts before a/") },
  { path: "a/x.log", kind: "file", content: utf8("and after a.log") },
  { path: "A.log", kind: "file", content: utf8("uppercase sorts first") },
  { path: "laporan/ringkasan-é.log", kind: "file", content: utf8("non-ASCII path\n") },
  { path: "blob.bin", kind: "file", content: Buffer.from([0x00, 0xff, 0x10, 0x0a]) },
  { path: "current", kind: "symlink", content: utf8("audit.log") },
  { path: "dangling", kind: "symlink", content: utf8("../nowhere/missing.log") },
  { path: "spool/empty", kind: "dir", content: Buffer.alloc(0) },
];

function checkpointVector(entries) {
  const manifest = entries
    .map((e) => {
      const contentHash = keccak(e.content);
      const entryHash = keccak(
        Buffer.concat([utf8(e.kind), Buffer.from([0]), utf8(e.path), Buffer.from([0]), contentHash])
      );
      return { path: e.path, kind: e.kind, size: e.content.length, content_hash: contentHash, entry_hash: entryHash };
    })
    .sort((a, b) => Buffer.compare(utf8(a.path), utf8(b.path)));
  const tree = merkle(manifest.map((m) => m.entry_hash));
  return {
    input: entries.map((e) => ({ path: e.path, kind: e.kind, content_hex: hex(e.content) })),
    manifest: manifest.map((m) => ({
      path: m.path,
      kind: m.kind,
      size: m.size,
      content_hash: hex(m.content_hash),
      entry_hash: hex(m.entry_hash),
      proof: tree.proof(m.entry_hash).map(hex),
    })),
    root: hex(tree.root),
  };
}

// ---- output ------------------------------------------------------------------------------

const DIVERGENCES = [
  {
    why: "member names sorted by UTF-16 code units: U+1F393 (surrogates D83C DF93) before U+FF61",
    value: { "\uff61": 1, "🎓": 2 },
  },
  {
    why: "member names sorted by UTF-16 code units: U+10000 before U+E000",
    value: { "\ue000": "private use", "\u{10000}": "linear b" },
  },
];

const vectors = {
  "credentials.json": {
    canonical: CANONICAL.map((value) => ({ value, canonical: jcs(value) })),
    documents: DOCUMENTS.map((doc, i) => credential(i, doc)),
    rfc8785_divergences: DIVERGENCES.map((d) => ({ ...d, canonical: jcs(d.value) })),
  },
  "merkle.json": { trees: [1, 2, 3, 4, 5, 7, 8, 13].map(merkleVector) },
  "checkpoints.json": {
    directories: [checkpointVector(ENTRIES), checkpointVector(ENTRIES.slice(2, 3))],
  },
};

if (process.argv.includes("--write")) {
  for (const [name, data] of Object.entries(vectors)) {
    fs.writeFileSync(path.join(__dirname, name), JSON.stringify(data, null, 2) + "\n");
  }
} else {
  process.stdout.write(JSON.stringify(vectors) + "\n");
}
