"""Registry command-line writes that hold (issue 13), on a real anvil deployment.

Holder files only once the node accepted the transaction (none after a refusal such as
insufficient funds; removed if it is dropped), the hash printed at broadcast, Ctrl-C says
what was sent, an address with a wrong EIP-55 checksum is refused before anything is sent,
and `credential verify --json` on an altered file answers TAMPERED on stdout with exit 4.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_live import REPO, make_project, nonce, rpc

from daftar.chain.anvil import AnvilProcess
from daftar.keys import dev_accounts

pytestmark = pytest.mark.slow
DEV = [a.address for a in dev_accounts()]
LOCAL = ("--network", "localhost")


@pytest.fixture(scope="module")
def reg(tmp_path_factory):
    node = AnvilProcess(REPO / "node_modules", chain_id=31337)
    project = make_project(tmp_path_factory.mktemp("writes") / "project")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEPLOYER_", "DAFTAR_"))}
    env.update({"LOCALHOST_RPC_URL": node.url})

    def cli(*args: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "daftar.cli", *args], cwd=project, env=env,
            capture_output=True, text=True, timeout=180, **kw,
        )  # fmt: skip

    proc = cli("deploy", str(REPO / "scripts" / "deploy.py"), *LOCAL)
    assert proc.returncode == 0, proc.stderr
    for issuer in (DEV[5], DEV[6]):
        proc = cli("issuer", "accredit", issuer, "--name", "Kolej", *LOCAL, "--account", "dev0")
        assert proc.returncode == 0, proc.stderr
    yield {"node": node, "project": project, "env": env, "cli": cli}
    node.stop()


def popen(reg, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "daftar.cli", *args], cwd=reg["project"], env=reg["env"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def person(tmp: Path, name: str) -> Path:
    path = tmp / f"{name.lower()}.json"
    path.write_text(json.dumps({"name": name, "degree": "BSc", "year": 2026}))
    return path


def test_no_holder_files_when_the_node_refuses_for_funds(reg, tmp_path):
    url = reg["node"].url
    rpc(url, "anvil_setBalance", DEV[5], "0x0")
    out = tmp_path / "holders"
    proc = reg["cli"]("credential", "issue", str(person(tmp_path, "Aisyah")), "--out", str(out),
                      *LOCAL, "--account", "dev5")  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "insufficient funds" in proc.stderr and "Nothing was sent" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not list(out.glob("*.holder.json")) if out.exists() else True
    assert nonce(url, DEV[5]) == 0


def test_hash_at_broadcast_and_holder_file_after_it(reg, tmp_path):
    out = tmp_path / "holders"
    proc = reg["cli"]("credential", "issue", str(person(tmp_path, "Boon")), "--out", str(out),
                      *LOCAL, "--account", "dev6")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    assert "sent 0x" in err and err.index("sent 0x") < err.index("mined in block")
    assert (out / "boon.holder.json").exists()
    assert reg["cli"]("credential", "verify", str(out / "boon.holder.json")).returncode == 0


def _wait_for(proc: subprocess.Popen, needle: str, timeout: float = 60) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        seen += line
        if needle in line:
            return seen
        if not line and proc.poll() is not None:
            break
    raise AssertionError(seen)


def test_dropped_transaction_removes_its_holder_files(reg, tmp_path):
    url = reg["node"].url
    out = tmp_path / "holders"
    rpc(url, "evm_setAutomine", False)
    try:
        proc = popen(reg, "credential", "issue", str(person(tmp_path, "Chitra")), "--out",
                     str(out), *LOCAL, "--account", "dev6")  # fmt: skip
        seen = _wait_for(proc, "sent 0x")
        tx = seen.split("sent ", 1)[1].split()[0].rstrip(";")
        deadline = time.monotonic() + 10
        while not (out / "chitra.holder.json").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (out / "chitra.holder.json").exists()  # accepted: the file is there
        rpc(url, "anvil_dropTransaction", tx)
        _out, err = proc.communicate(timeout=120)
    finally:
        rpc(url, "evm_setAutomine", True)
    assert proc.returncode == 1, err
    assert "dropped" in err and "removed 1 holder file(s)" in err
    assert not (out / "chitra.holder.json").exists()


def test_ctrl_c_after_broadcast_says_what_was_sent(reg, tmp_path):
    url = reg["node"].url
    out = tmp_path / "holders"
    rpc(url, "evm_setAutomine", False)
    try:
        proc = popen(reg, "credential", "issue", str(person(tmp_path, "Daniel")), "--out",
                     str(out), *LOCAL, "--account", "dev6")  # fmt: skip
        seen = _wait_for(proc, "sent 0x")
        tx = seen.split("sent ", 1)[1].split()[0].rstrip(";")
        time.sleep(1)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    finally:
        rpc(url, "evm_setAutomine", True)
    assert proc.returncode == 130, err
    assert tx in err and "may still be mined" in err and "Traceback" not in err
    assert (out / "daniel.holder.json").exists()  # it may be anchored: kept, with a message
    assert "kept 1 holder file(s)" in err


def test_wrong_checksum_address_refused_before_sending(reg):
    typo = DEV[7][:-1] + ("A" if DEV[7][-1] != "A" else "B")
    mixed = "0x" + typo[2:3].swapcase() + typo[3:] if typo[2:3].isalpha() else typo
    before = nonce(reg["node"].url, DEV[0])
    for bad in {typo, mixed}:
        if bad.lower() == bad:  # all-lowercase is accepted by design
            continue
        proc = reg["cli"]("issuer", "accredit", bad, "--name", "Typo", *LOCAL, "--account", "dev0")
        assert proc.returncode == 2, proc.stderr
        assert "wrong EIP-55 checksum" in proc.stderr
    assert nonce(reg["node"].url, DEV[0]) == before


def test_verify_json_on_an_altered_file_exits_4_with_json(reg, tmp_path):
    out = tmp_path / "holders"
    proc = reg["cli"]("credential", "issue", str(person(tmp_path, "Eka")), "--out", str(out),
                      *LOCAL, "--account", "dev6")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    holder = out / "eka.holder.json"
    data = json.loads(holder.read_text())
    data["document"]["fields"]["degree"] = "PhD"
    holder.write_text(json.dumps(data))
    proc = reg["cli"]("--json", "credential", "verify", str(holder))
    assert proc.returncode == 4, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["valid"] is False and answer["status"] == "TAMPERED"
