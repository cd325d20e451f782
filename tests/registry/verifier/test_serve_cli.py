"""`daftar verifier serve | write` as a user runs them (subprocesses; no browser, no node).

The records folder is written here by hand in the layout `daftar deploy` leaves (two
versions of the registry: one archived under versions/1/, the current one), so the page's
configuration must list both, oldest first, with the chain id and no RPC URL unless given.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
OLD = "0x" + "aa" * 20
NEW = "0x" + "bb" * 20


@pytest.fixture
def records(tmp_path: Path) -> Path:
    folder = tmp_path / "deployments" / "localhost"
    (folder / "versions" / "1").mkdir(parents=True)
    for where, address, block in ((folder / "versions" / "1", OLD, 5), (folder, NEW, 40)):
        record = {"contract": "CredentialRegistry", "address": address, "block": block,
                  "chain_id": 31337, "abi": []}  # fmt: skip
        (where / "CredentialRegistry.json").write_text(json.dumps(record))
    (folder / ".chainId").write_text("31337\n")
    index = {"current": 2, "complete": True, "versions": [
        {"version": 1, "folder": "versions/1", "archived_at": 0, "contracts": {}}]}  # fmt: skip
    (folder / "versions.json").write_text(json.dumps(index))
    return folder.parent


def daftar(*args: str, **kw: Any) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAFTAR_")}
    env.pop("LOCALHOST_RPC_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "daftar.cli", *args], cwd=REPO, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw,
    )  # fmt: skip


def config_of(html: str) -> dict[str, Any]:
    return json.loads(html.split('id="daftar-config">', 1)[1].split("</script>", 1)[0])


def test_write_lists_every_recorded_version_and_no_rpc_url(records, tmp_path):
    out = tmp_path / "page.html"
    proc = daftar("--json", "verifier", "write", "--network", "localhost",
                  "--deployments", str(records), "--out", str(out))  # fmt: skip
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert json.loads(stdout)["written"] == str(out)
    config = config_of(out.read_text())
    assert config["chainId"] == 31337 and config["rpcUrl"] is None
    assert config["registries"] == [
        {"version": 1, "address": OLD, "block": 5},
        {"version": 2, "address": NEW, "block": 40},
    ]
    assert oct(out.stat().st_mode & 0o777) == "0o644"


def test_serve_answers_the_page_and_nothing_else_and_stops_on_ctrl_c(records):
    proc = daftar("--json", "verifier", "serve", "--network", "localhost", "--deployments",
                  str(records), "--port", "0", "--rpc", "http://127.0.0.1:8545")  # fmt: skip
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        assert info["chain_id"] == 31337 and info["rpc_url_given"] is True
        with urllib.request.urlopen(info["url"], timeout=10) as response:
            html = response.read().decode()
            assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
            assert response.headers["Cache-Control"] == "no-store"
        config = config_of(html)
        assert config["rpcUrl"] == "http://127.0.0.1:8545"
        assert [r["version"] for r in config["registries"]] == [1, 2]
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(info["url"] + "etc/passwd", timeout=10)
        assert missing.value.code == 404
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
        assert proc.returncode == 0 and "Traceback" not in stderr
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_busy_port_is_a_clear_error(records):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = daftar("verifier", "serve", "--network", "localhost", "--deployments",
                      str(records), "--port", str(port))  # fmt: skip
        _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in stderr and "--port" in stderr
    assert "Traceback" not in stderr


def test_the_hook_writes_no_page_for_records_without_a_registry(tmp_path):
    from daftar.config import NetworkConfig
    from daftar_registry.verifier.hook import write_verifier

    net = NetworkConfig(name="x", backend="rpc", chain_id=5)
    assert write_verifier(tmp_path, {"Token": {"address": OLD}}, net, 5) == []
    assert not (tmp_path / "verifier.html").exists()
    assert write_verifier(tmp_path, {"CredentialRegistry": {"address": NEW}}, net, 5) == [
        "verifier.html"
    ]
    assert config_of((tmp_path / "verifier.html").read_text())["chainId"] == 5


def test_the_records_readme_points_at_the_page(tmp_path):
    from daftar.config import NetworkConfig
    from daftar.deploy.records import write_readme

    net = NetworkConfig(name="sepolia", backend="rpc", chain_id=11155111)
    record = {"contract": "CredentialRegistry", "address": NEW, "tx_hash": "0x" + "ab" * 32,
              "block": 7, "verification": {}, "explorer": {}, "abi": []}  # fmt: skip
    (tmp_path / "CredentialRegistry.json").write_text(json.dumps(record))
    write_readme(tmp_path, net, 11155111)
    readme = (tmp_path / "README.md").read_text()
    assert "## Verify a credential in a browser" in readme and "](verifier.html)" in readme
    assert "daftar verifier serve --network sepolia" in readme
    assert (tmp_path / "verifier.html").is_file()  # the file hook ran with the README
