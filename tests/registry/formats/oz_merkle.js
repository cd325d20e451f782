#!/usr/bin/env node
// Reference answers from OpenZeppelin's @openzeppelin/merkle-tree (node_modules), for
// tests/registry/formats/test_merkle_oz.py. One JSON request per stdin line:
//   ["0x<32-byte credential hash>", ...]
// answered by one JSON line: {"root": "0x..", "proofs": [[..], ..], "tree": [..]} with the
// proofs in the order of the request (StandardMerkleTree.of(values, ["bytes32"])).
"use strict";

const readline = require("readline");
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const hashes = JSON.parse(line);
  const tree = StandardMerkleTree.of(hashes.map((h) => [h]), ["bytes32"]);
  const proofs = hashes.map((_, i) => tree.getProof(i));
  process.stdout.write(JSON.stringify({ root: tree.root, proofs, tree: tree.dump().tree }) + "\n");
});
