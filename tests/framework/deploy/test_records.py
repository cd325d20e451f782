"""deployments/<network>/ files: atomic writes, the .chainId guard, the generated README."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from daftar.config import NetworkConfig
from daftar.deploy import records
from daftar.errors import DeployError
from daftar.util import files
from daftar.util.files import write_json

SEPOLIA = NetworkConfig("sepolia", "rpc", 11155111, explorer="https://sepolia.etherscan.io")


def test_atomic_write_replaces_whole_file(tmp_path):
    path = tmp_path / "r.json"
    write_json(path, {"v": 1})
    write_json(path, {"v": 2})
    assert json.loads(path.read_text()) == {"v": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_failure_before_rename_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "r.json"
    write_json(path, {"v": 1})

    def boom(*_a):
        raise OSError("disk gone")

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(OSError):
        write_json(path, {"v": 2})
    assert json.loads(path.read_text()) == {"v": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_crash_between_write_and_rename_keeps_old_file(tmp_path):
    """SIGKILL after the temp file is written and fsync'd, before the rename."""
    path = tmp_path / "r.json"
    write_json(path, {"v": 1})
    code = (
        "import os, signal, sys; from pathlib import Path\n"
        "from daftar.util import files\n"
        "files.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
        "files.write_json(Path(sys.argv[1]), {'v': 2})\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    assert json.loads(path.read_text()) == {"v": 1}


def test_chain_id_guard(tmp_path):
    records.check_chain_id(tmp_path, 5)  # no guard yet: fine
    records.write_chain_id(tmp_path, 11155111)
    records.check_chain_id(tmp_path, 11155111)
    with pytest.raises(DeployError, match="chain id 11155111, but the node reports 560048"):
        records.check_chain_id(tmp_path, 560048)


def test_readme_lists_addresses_with_explorer_links(tmp_path):
    artifact = {"contractName": "Thing", "abi": [], "compiler": {"version": "0.8.30+c"}}
    mined = {
        "contract_address": "0x" + "ab" * 20,
        "hash": "0x" + "cd" * 32,
        "block": 7,
        "from": "0xD",
    }
    rec = records.contract_record(
        network=SEPOLIA,
        chain_id=11155111,
        step="thing",
        artifact=artifact,
        initcode_hash="0x00",
        mined=mined,
        args_raw="0x",
        args_decoded=[],
        previous=None,
    )
    assert rec["verification"] == {
        "etherscan": "unverified",
        "sourcify": "unverified",
        "blockscout": "unverified",
    }
    rec["verification"]["etherscan"] = "verified"
    again = records.contract_record(
        network=SEPOLIA,
        chain_id=11155111,
        step="thing",
        artifact=artifact,
        initcode_hash="0x00",
        mined=mined,
        args_raw="0x",
        args_decoded=[],
        previous=rec,
    )
    assert again["verification"]["etherscan"] == "verified"  # rewrites keep verification
    write_json(tmp_path / "Thing.json", again)
    records.write_readme(tmp_path, SEPOLIA, 11155111)
    text = (tmp_path / "README.md").read_text()
    assert f"https://sepolia.etherscan.io/address/{mined['contract_address']}" in text
    assert "| Thing |" in text
    assert oct(os.stat(tmp_path / "README.md").st_mode & 0o777) == "0o644"
