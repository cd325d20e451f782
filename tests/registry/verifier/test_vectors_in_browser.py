"""The page's own JavaScript reproduces every golden vector of tests/vectors/ in chromium.

The vectors were computed by an independent implementation (tests/vectors/make_vectors.js:
js-sha3 and @openzeppelin/merkle-tree); the page's code (written from docs/formats.md) runs
in a real browser and must give the same canonical JSON, commitments, credential hashes,
leaves, roots, proofs and checkpoint entry hashes. The page is opened from disk (file://)
with no configuration: the hashing needs no node.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from daftar_registry.verifier.page import PageConfig, write_page

pytestmark = [pytest.mark.slow, pytest.mark.browser]

VECTORS = Path(__file__).resolve().parents[2] / "vectors"


@pytest.fixture(scope="module")
def hasher(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    page = write_page(tmp_path_factory.mktemp("page"), PageConfig())
    browser.get(page.as_uri())
    assert browser.execute_script("return typeof window.daftarVerifier") == "object"
    return browser


def _vectors(name: str) -> Any:
    return json.loads((VECTORS / name).read_text())


def js(driver: Any, expr: str, *args: Any) -> Any:
    return driver.execute_script(f"const V = window.daftarVerifier; return {expr};", *args)


def test_canonical_json_vectors(hasher):
    data = _vectors("credentials.json")
    cases = data["canonical"] + data["rfc8785_divergences"]
    for case in cases:
        text = json.dumps(case["value"], ensure_ascii=True)  # escapes: the page's parser decodes
        assert js(hasher, "V.canonical(arguments[0])", text) == case["canonical"], case


def test_credential_document_vectors(hasher):
    for doc in _vectors("credentials.json")["documents"]:
        given = doc["input"]
        for name, value in given["fields"].items():
            got = js(hasher, "V.commitment(arguments[0], V.parse(arguments[1]), arguments[2])",
                     name, json.dumps(value), given["salts"][name])  # fmt: skip
            assert got == doc["commitments"][name], name
        holder = {
            "format": "daftar-holder/1",
            "document": {"format": "daftar-credential/1", "issuer": given["issuer"],
                         "network": given["network"], "expiresAt": given["expiresAt"],
                         "fields": given["fields"]},
            "salts": given["salts"],
            "credentialHash": doc["credential_hash"],
            "merkleRoot": None,
            "merkleProof": [],
            "contract": "0x" + "11" * 20,
            "network": given["network"],
        }  # fmt: skip
        read = js(hasher, "V.read(arguments[0])", json.dumps(holder))
        assert read["credentialHash"] == doc["credential_hash"]
        salted = json.loads(doc["salted_canonical"])
        assert (
            js(hasher, "V.credentialHash(V.parse(arguments[0]))", json.dumps(salted))
            == (doc["credential_hash"])
        )


def test_merkle_vectors(hasher):
    for tree in _vectors("merkle.json")["trees"]:
        hashes = tree["credential_hashes"]
        assert js(hasher, "arguments[0].map(V.leafHash)", hashes) == tree["leaves"]
        built = js(hasher, "V.standardTree(arguments[0])", hashes)
        assert built["root"] == tree["root"] and built["tree"] == tree["tree"]
        for h, proof in zip(hashes, tree["proofs"], strict=True):
            assert js(hasher, "V.proofRoot(arguments[0], arguments[1])", h, proof) == tree["root"]


def test_checkpoint_vectors(hasher):
    for directory in _vectors("checkpoints.json")["directories"]:
        entries = []
        for entry in directory["manifest"]:
            content = next(e for e in directory["input"] if e["path"] == entry["path"])
            assert (
                js(hasher, "V.keccakHex(arguments[0])", content["content_hex"])
                == (entry["content_hash"])
            )
            got = js(hasher, "V.entryHash(arguments[0], arguments[1], arguments[2])",
                     entry["kind"], entry["path"], entry["content_hash"])  # fmt: skip
            assert got == entry["entry_hash"], entry["path"]
            entries.append(got)
            assert (
                js(hasher, "V.proofRoot(arguments[0], arguments[1])", got, entry["proof"])
                == (directory["root"])
            )
        assert js(hasher, "V.standardTree(arguments[0]).root", entries) == directory["root"]


def test_inputs_outside_canonical_json_are_refused(hasher):
    for text, needle in (
        ('{"a": 1.5}', "not an integer"),
        ('{"a": 1e3}', "not an integer"),
        ('{"a": 9007199254740993}', "beyond"),
        ('{"a": 1, "a": 2}', "appears twice"),
        ('{"a": NaN}', "not valid JSON"),
        ('{"a": "\\ud800"}', "lone surrogate"),
    ):
        message = hasher.execute_script(
            "try { window.daftarVerifier.canonical(arguments[0]); return null; }"
            " catch (e) { return e.message; }",
            text,
        )
        assert message and needle in message, (text, message)
