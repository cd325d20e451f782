"""The compiler: the solc shim as py-solc-x sees it, the cache, artifacts, errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from daftar import config
from daftar.compiler import compile_project, solc
from daftar.compiler.build import STATE_FILE
from daftar.errors import CompileError, ToolchainError

REPO = Path(__file__).resolve().parents[3]
NODE_MODULES = REPO / "node_modules"


@pytest.fixture(scope="module")
def exe() -> Path:
    return solc.launcher(NODE_MODULES, "0.8.30")


def test_version_in_native_format(exe):
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    lines = out.strip().splitlines()
    assert lines[0] == "solc, the solidity compiler commandline interface"
    assert lines[1].startswith("Version: 0.8.30+commit.")
    assert solc.long_version(exe).startswith("0.8.30+commit.")


def test_standard_json_stdout_is_pure_json_with_signed_builtin_ids(exe, tmp_path):
    """stdout must parse as one JSON document (no SMT notice), and builtin ids are negative."""
    source = "pragma solidity ^0.8.24; contract C { function f(uint x) external pure { require(x > 0); } }"
    request = {
        "language": "Solidity",
        "sources": {"C.sol": {"content": source}},
        "settings": {"evmVersion": "prague", "outputSelection": {"*": {"": ["ast"], "*": ["abi"]}}},
    }
    proc = subprocess.run(
        [exe, "--standard-json"],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
    )
    output = json.loads(proc.stdout)
    assert "errors" not in output or all(e["severity"] != "error" for e in output["errors"])
    refs = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("name") == "require" and "referencedDeclaration" in node:
                refs.append(node["referencedDeclaration"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(output["sources"]["C.sol"]["ast"])
    assert refs and all(r < 0 for r in refs), refs


def test_import_callback_honours_remappings(exe):
    """A source importing through a remapping is resolved by the shim's callback."""
    source = 'pragma solidity ^0.8.24; import "@openzeppelin/contracts/utils/Nonces.sol"; contract D is Nonces {}'
    request = {
        "language": "Solidity",
        "sources": {"D.sol": {"content": source}},
        "settings": {
            "evmVersion": "prague",
            "remappings": ["@openzeppelin/=node_modules/@openzeppelin/"],
            "outputSelection": {"*": {"*": ["abi"]}},
        },
    }
    proc = subprocess.run(
        [exe, "--standard-json", "--base-path", str(REPO)],
        input=json.dumps(request), capture_output=True, text=True, check=True,
    )  # fmt: skip
    output = json.loads(proc.stdout)
    assert "node_modules/@openzeppelin/contracts/utils/Nonces.sol" in output["sources"]
    assert "D" in output["contracts"]["D.sol"]


def test_compile_writes_full_artifacts_then_caches(tmp_project):
    cfg = config.load(tmp_project)
    progress: list[str] = []
    first = compile_project(cfg, progress=progress.append)
    assert first.compiled and first.contracts == ["Counter"]
    assert any("Compiling 1 source file" in line for line in progress)
    art = json.loads((tmp_project / "build" / "contracts" / "Counter.json").read_text())
    for key in ("abi", "bytecode", "deployedBytecode", "metadata", "devdoc", "userdoc", "input"):
        assert art[key], key
    assert art["compiler"]["version"].startswith("0.8.30+commit.")
    assert art["input"]["settings"]["evmVersion"] == "prague"
    assert art["input"]["sources"]["contracts/Counter.sol"]["content"].startswith("// SPDX")
    assert art["inputHash"] == first.key

    second = compile_project(cfg)
    assert not second.compiled and second.key == first.key

    src = tmp_project / "contracts" / "Counter.sol"
    src.write_text(src.read_text().replace("count += 1", "count += 2"))
    third = compile_project(cfg)
    assert third.compiled and third.key != first.key


def test_removed_artifact_is_restored_from_the_kept_build(tmp_project):
    cfg = config.load(tmp_project)
    first = compile_project(cfg)
    (tmp_project / "build" / "contracts" / "Counter.json").unlink()
    again = compile_project(cfg)
    assert not again.compiled and again.key == first.key
    assert (tmp_project / "build" / "contracts" / "Counter.json").is_file()
    assert (tmp_project / "build" / STATE_FILE).is_file()
    assert compile_project(cfg, force=True).compiled


def test_toggling_a_change_back_reuses_the_earlier_build(tmp_project):
    """A, then B, then A again: the second A is selected from build/, not compiled."""
    cfg = config.load(tmp_project)
    src = tmp_project / "contracts" / "Counter.sol"
    text_a = src.read_text()
    art = tmp_project / "build" / "contracts" / "Counter.json"
    a = compile_project(cfg)
    bytecode_a = json.loads(art.read_text())["bytecode"]
    src.write_text(text_a.replace("count += 1", "count += 2"))
    b = compile_project(cfg)
    assert b.compiled and b.key != a.key
    assert json.loads(art.read_text())["bytecode"] != bytecode_a
    src.write_text(text_a)
    back = compile_project(cfg)
    assert not back.compiled and back.key == a.key
    assert json.loads(art.read_text())["bytecode"] == bytecode_a
    assert json.loads(art.read_text())["inputHash"] == a.key


def test_compile_error_reports_file_line_col(tmp_project):
    (tmp_project / "contracts" / "Broken.sol").write_text(
        "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.24;\ncontract Broken {\n    uint x = ;\n}\n"
    )
    with pytest.raises(CompileError, match=r"contracts/Broken.sol:4:14: ParserError"):
        compile_project(config.load(tmp_project))


def test_missing_import_is_reported_with_importer(tmp_project):
    (tmp_project / "contracts" / "Imp.sol").write_text(
        'pragma solidity ^0.8.24; import "./Nope.sol";\n'
    )
    with pytest.raises(CompileError, match=r"contracts/Imp.sol: cannot find 'contracts/Nope.sol'"):
        compile_project(config.load(tmp_project))


def test_unknown_compiler_version_explains_how_to_install(tmp_project):
    path = tmp_project / "brownie-config.yaml"
    path.write_text(path.read_text().replace("version: 0.8.30", "version: 0.8.99"))
    with pytest.raises(ToolchainError) as err:
        compile_project(config.load(tmp_project))
    message = str(err.value)
    assert "solc 0.8.99 (compiler.solc.version in brownie-config.yaml) is not installed" in message
    assert "`daftar compilers install 0.8.99`" in message
    assert '"solc0899": "npm:solc@0.8.99"' in message
