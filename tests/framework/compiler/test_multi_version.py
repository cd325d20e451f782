"""Several compiler versions: chosen by pragma, grouped per version, from node_modules or cache."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from daftar import config
from daftar.compiler import compile_project, installed
from daftar.compiler.build import evm_for, plan
from daftar.compiler.versions import parse_version
from daftar.errors import CompileError, ToolchainError

REPO = Path(__file__).resolve().parents[3]
INSTALLED = {c.text for c in installed.project_compilers(REPO / "node_modules")}

UNPINNED = """
compiler:
  evm_version: prague
  solc:
    optimizer: {enabled: true, runs: 200}
daftar:
  networks:
    development: {backend: revm, chain_id: 1337}
"""


def tiny(pragma: str, name: str, body: str = "") -> str:
    return (
        f"// SPDX-License-Identifier: MIT\npragma solidity {pragma};\n{body}\n"
        f"contract {name} {{\n    uint256 public value;\n"
        '    function set(uint256 v) public { require(v > 0, "zero"); value = v; }\n}\n'
    )


@pytest.fixture(autouse=True)
def empty_home(tmp_path, monkeypatch):
    """A per-user cache of our own: what the developer installed must not change results."""
    monkeypatch.setenv("DAFTAR_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def unpinned(tmp_project: Path) -> Path:
    (tmp_project / "brownie-config.yaml").write_text(UNPINNED)
    (tmp_project / "contracts" / "Counter.sol").unlink()
    return tmp_project


def need(*versions: str) -> None:
    missing = [v for v in versions if v not in INSTALLED]
    if missing:
        pytest.skip(f"solc-js {', '.join(missing)} not in node_modules (package.json aliases)")


@pytest.mark.parametrize("version", ["0.5.17", "0.6.12", "0.7.6", "0.8.30"])
def test_each_version_compiles_through_the_shim(unpinned, version):
    need(version)
    (unpinned / "contracts" / "Tiny.sol").write_text(tiny(version, "Tiny"))
    result = compile_project(config.load(unpinned))
    assert result.compiled and result.contracts == ["Tiny"]
    assert result.versions == {"contracts/Tiny.sol": version}
    art = json.loads((unpinned / "build" / "contracts" / "Tiny.json").read_text())
    assert art["compiler"]["version"].startswith(version + "+commit.")
    assert art["bytecode"] and art["deployedBytecode"] and art["abi"]
    assert {f["name"] for f in art["abi"] if f["type"] == "function"} == {"set", "value"}

    # The bytecode runs: deploy on revm, transact, call, and see the revert reason.
    from daftar.chain.base import Reverted
    from daftar.project import Project

    with Project.load(unpinned, compile=False) as project:
        chain = project.connect("development")
        me = chain.accounts[0]
        tiny_contract = project.Tiny.deploy(sender=me)
        tiny_contract.set(7, sender=me)
        assert tiny_contract.value() == 7
        with pytest.raises(Reverted, match="zero"):
            tiny_contract.set(0, sender=me)


def test_pragma_picks_the_newest_installed_per_unit_and_groups_by_version(unpinned):
    need("0.5.17", "0.6.12", "0.7.6", "0.8.30")
    c = unpinned / "contracts"
    (c / "Old.sol").write_text(tiny("^0.6.0", "Old"))
    (c / "Mid.sol").write_text(tiny(">=0.5.0 <0.8.0", "Mid"))
    (c / "New.sol").write_text(tiny("^0.8.0", "New"))
    # Alone this file would take 0.8.30; its import holds it to ^0.6.0.
    (c / "lib").mkdir()
    (c / "lib" / "Math6.sol").write_text("pragma solidity ^0.6.0;\nlibrary Math6 {}\n")
    (c / "UsesLib.sol").write_text(tiny(">=0.5.0", "UsesLib", 'import "./lib/Math6.sol";'))
    (c / "Five.sol").write_text(tiny("0.5.0 - 0.5.17 || =0.4.26", "Five"))
    cfg = config.load(unpinned)

    jobs = plan(cfg)
    assert [(j.compiler.text, j.units) for j in jobs] == [
        ("0.5.17", ["contracts/Five.sol"]),
        ("0.6.12", ["contracts/Old.sol", "contracts/UsesLib.sol", "contracts/lib/Math6.sol"]),
        ("0.7.6", ["contracts/Mid.sol"]),
        ("0.8.30", ["contracts/New.sol"]),
    ]
    assert jobs[0].input["settings"]["evmVersion"] == "istanbul"  # prague is unknown to 0.5
    assert jobs[3].input["settings"]["evmVersion"] == "prague"

    result = compile_project(cfg)
    assert result.compiled
    assert result.contracts == ["Five", "Math6", "Mid", "New", "Old", "UsesLib"]
    assert any("does not know evm_version prague" in w for w in result.warnings)
    for name, version in [("Five", "0.5.17"), ("Old", "0.6.12"), ("UsesLib", "0.6.12"),
                          ("Mid", "0.7.6"), ("New", "0.8.30")]:  # fmt: skip
        art = json.loads((c.parent / "build" / "contracts" / f"{name}.json").read_text())
        assert art["compiler"]["version"].startswith(version + "+"), name
        assert art["inputHash"] == next(j.key for j in jobs if j.compiler.text == version)

    # Changing one version's file recompiles that job only; the others are reused.
    (c / "New.sol").write_text(tiny("^0.8.0", "New", "// changed"))
    progress: list[str] = []
    again = compile_project(cfg, progress=progress.append)
    assert again.compiled
    assert [line for line in progress if line.startswith("Compiling")] == [
        "Compiling 1 source file(s) (1 with imports) with solc 0.8.30, evm prague"
    ]
    assert not compile_project(cfg).compiled


def test_no_installed_version_names_pragma_file_and_install_command(unpinned):
    (unpinned / "contracts" / "Ancient.sol").write_text(tiny("^0.4.24", "Ancient"))
    with pytest.raises(ToolchainError) as err:
        compile_project(config.load(unpinned))
    message = str(err.value)
    assert message.startswith(
        "contracts/Ancient.sol: no installed solc satisfies "
        "`pragma solidity ^0.4.24;` in contracts/Ancient.sol."
    )
    assert "0.8.30 (node_modules/solc)" in message
    assert "`daftar compilers install 0.4.26`" in message
    assert '"solc0426": "npm:solc@0.4.26"' in message


def test_an_import_that_rules_out_every_version_is_named(unpinned):
    c = unpinned / "contracts"
    (c / "A.sol").write_text(tiny("^0.8.0", "A", 'import "./B.sol";'))
    (c / "B.sol").write_text("pragma solidity ^0.7.0;\ncontract B {}\n")
    with pytest.raises(ToolchainError) as err:
        compile_project(config.load(unpinned))
    assert str(err.value).splitlines()[0] == (
        "contracts/A.sol: no installed solc satisfies `pragma solidity ^0.8.0;` in "
        "contracts/A.sol and `pragma solidity ^0.7.0;` in contracts/B.sol (imported)."
    )
    assert "admit no version in common" in str(err.value)


def test_a_pin_the_pragma_rejects_is_reported_before_compiling(tmp_project):
    (tmp_project / "contracts" / "Old.sol").write_text(tiny("^0.6.0", "Old"))
    with pytest.raises(
        CompileError,
        match=r"contracts/Old.sol: `pragma solidity \^0.6.0;` does not accept solc 0.8.30",
    ):
        compile_project(config.load(tmp_project))


def test_the_pin_wins_over_newer_installed_versions(tmp_project):
    need("0.6.12", "0.7.6")
    cfg_path = tmp_project / "brownie-config.yaml"
    cfg_path.write_text(cfg_path.read_text().replace("version: 0.8.30", "version: 0.6.12"))
    (tmp_project / "contracts" / "Counter.sol").write_text(tiny(">=0.6.0", "Counter"))
    result = compile_project(config.load(tmp_project))
    assert result.versions == {"contracts/Counter.sol": "0.6.12"}


def test_evm_version_is_lowered_only_where_the_compiler_lacks_it():
    assert evm_for("prague", (0, 8, 30)) == ("prague", None)
    assert evm_for("prague", (0, 8, 27)) == ("prague", None)
    lowered, note = evm_for("prague", (0, 8, 26))
    assert lowered == "cancun" and "does not know evm_version prague" in note
    assert evm_for("prague", (0, 6, 12))[0] == "istanbul"
    assert evm_for("istanbul", (0, 5, 13))[0] == "petersburg"
    assert evm_for("prague", (0, 4, 20))[0] is None  # no evmVersion setting before 0.4.21
    assert evm_for("someday", (0, 8, 30)) == ("someday", None)  # solc judges unknown names


def test_cache_entries_are_found_and_only_complete_ones(empty_home):
    """A cache entry counts once its entry.json is there; a half-done install never does."""
    pkg = REPO / "node_modules" / "solc0612"
    if not pkg.is_dir():
        pytest.skip("needs node_modules/solc0612")
    cache = empty_home / "compilers"
    for name, complete in [("0.6.12", True), (".0.7.6-tmp", False)]:
        nm = cache / name / "node_modules"
        nm.mkdir(parents=True)
        (nm / "solc").symlink_to(pkg)
        if complete:
            (cache / name / "entry.json").write_text('{"version": "0.6.12"}')
    assert [c.text for c in installed.cached_compilers()] == ["0.6.12"]
    comp = installed.find(Path("/nonexistent/node_modules"), "0.6.12")
    assert comp.origin == "cache" and comp.folder == cache / "0.6.12" / "node_modules" / "solc"


def test_install_refuses_a_range(empty_home):
    with pytest.raises(ToolchainError, match=r"'\^0.6.0' is not an exact compiler version"):
        installed.install("^0.6.0")
    assert not (empty_home / "compilers").exists()


def daftar(*args: str, env_home: Path, cwd: Path) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "DAFTAR_HOME": str(env_home)}
    return subprocess.run(
        [sys.executable, "-m", "daftar", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_cli_compilers_list(tmp_project, empty_home):
    proc = daftar("--json", "compilers", "list", env_home=empty_home, cwd=tmp_project)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert {"version": "0.8.30", "origin": "node_modules/solc"}.items() <= rows[0].items()
    assert [r["version"] for r in rows] == sorted(
        (r["version"] for r in rows), key=parse_version, reverse=True
    )
    bad = daftar("compilers", "install", "0.6", env_home=empty_home, cwd=tmp_project)
    assert bad.returncode != 0 and "not an exact compiler version" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.slow
def test_install_into_the_cache_then_compile_0_4(unpinned, empty_home):
    """Network: npm installs solc 0.4.26 into a fresh cache; 0.4.x compiles via the wrapper."""
    try:
        comp, new = installed.install("0.4.26")
    except ToolchainError as exc:
        pytest.skip(f"npm cannot install solc here: {exc}")
    assert new and comp.origin == "cache"
    entry = json.loads((empty_home / "compilers" / "0.4.26" / "entry.json").read_text())
    assert entry["integrity"].startswith("sha512-")
    assert installed.install("0.4.26")[1] is False  # already there: nothing downloaded
    (unpinned / "contracts" / "Ancient.sol").write_text(tiny("^0.4.24", "Ancient"))
    result = compile_project(config.load(unpinned))
    assert result.versions == {"contracts/Ancient.sol": "0.4.26"}
    art = json.loads((unpinned / "build" / "contracts" / "Ancient.json").read_text())
    assert art["compiler"]["version"].startswith("0.4.26+commit.")
    assert art["input"]["settings"]["evmVersion"] == "constantinople"


def test_solcx_folder_offers_every_installed_version_to_py_solc_x(tmp_path):
    """What Brownie needs to pick among the same compilers: `solc-v<version>` launchers."""
    import solcx

    from daftar.compiler import solc

    folder = solc.solcx_folder(REPO / "node_modules", tmp_path / "solcx")
    assert {p.name for p in folder.iterdir()} == {f"solc-v{v}" for v in INSTALLED}
    if "0.6.12" in INSTALLED:
        assert str(solcx.wrapper.get_solc_version(folder / "solc-v0.6.12")) == "0.6.12"
