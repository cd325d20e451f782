"""`daftar credential verify` from any directory, and across registry versions (issue 12).

One anvil (chain id 31337), the registry deployed by the journaled executor into temp
records, dev3 accredited and issuing as one batch (and one on its own). Then, as a
stranger would, from a folder with no brownie-config.yaml and only an RPC URL:

- a valid file is VALID (exit 0), and the output says the address is not confirmed by
  any record; `--registry` pins it (another address: UNKNOWN_REGISTRY, exit 5);
- a tampered file is TAMPERED (4), one naming another chain WRONG_NETWORK (5), one naming
  an address without a registry UNKNOWN_REGISTRY (5), a node that is down UNREACHABLE (6),
  no RPC URL at all NO_RPC_URL (2); `--json` answers every one on stdout;
- a /1 file (no chainId) still verifies and says the chain id came from the node;
- many files in one run, one call each or batched, give the same verdicts.

Then `daftar deploy --new-version` deploys registry v2 on the same network: a credential
anchored in v1 still verifies and reports version 1 (from the records), one issued after
reports version 2, and an address that is neither is UNKNOWN_REGISTRY.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from daftar.keys import dev_accounts

REPO = Path(__file__).resolve().parents[2]
DEV = [a.address for a in dev_accounts()]
ISSUER = DEV[3]
LOCAL = ("--network", "localhost")
_SCRUB = (
    "DAFTAR_ACCOUNT",
    "DAFTAR_DEPLOYMENTS",
    "DAFTAR_NETWORK",
    "DEPLOYER_PRIVATE_KEY",
    "DEPLOYER_KEYSTORE",
    "DEPLOYER_PASSWORD",
    "LOCALHOST_RPC_URL",
)


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "daftar.cli", *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=180,
    )


def lines(proc: subprocess.CompletedProcess) -> list[dict[str, Any]]:
    """stdout as JSON lines: one object per file."""
    assert "Traceback" not in proc.stderr, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from daftar.chain.anvil import AnvilProcess

    node = AnvilProcess(REPO / "node_modules", chain_id=31337)
    records = tmp_path_factory.mktemp("deployments")
    inside = {"LOCALHOST_RPC_URL": node.url, "DAFTAR_DEPLOYMENTS": str(records)}
    try:
        proc = run("deploy", *LOCAL, cwd=REPO, env=inside)
        assert proc.returncode == 0, proc.stderr
        proc = run("--json", "issuer", "accredit", ISSUER, "--name", "Universiti Contoh",
                   *LOCAL, "--account", "dev0", cwd=REPO, env=inside)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        folder = tmp_path_factory.mktemp("v1")
        inputs = []
        for name in ("aisyah", "boon", "chandra"):
            path = folder / f"{name}.json"
            path.write_text(json.dumps({"name": name, "degree": "BSc", "year": 2026}))
            inputs.append(str(path))
        out = folder / "holders"
        proc = run("--json", "credential", "issue", *inputs, "--out", str(out), *LOCAL,
                   "--account", "dev3", cwd=REPO, env=inside)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        single = folder / "dewi.json"
        single.write_text(json.dumps({"name": "dewi", "degree": "MSc"}))
        proc = run("--json", "credential", "issue", str(single), "--single", "--out", str(out),
                   *LOCAL, "--account", "dev3", cwd=REPO, env=inside)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        stranger = tmp_path_factory.mktemp("stranger")  # no brownie-config.yaml here
        assert not (stranger / "brownie-config.yaml").exists()
        yield {"node": node, "records": records, "inside": inside, "holders": out,
               "stranger": stranger}  # fmt: skip
    finally:
        node.stop()


def verify(world: Any, *args: str, env: dict[str, str] | None = None, inside: bool = False):
    cwd = REPO if inside else world["stranger"]
    extra = dict(world["inside"]) if inside else {}
    extra.update(env or {})
    flags = ("--json",) if "--json" in args else ()  # a global option: before the command
    rest = [a for a in args if a != "--json"]
    return run(*flags, "credential", "verify", *rest, cwd=cwd, env=extra)


def copy(world: Any, name: str, tmp_path: Path, edit: Any = None) -> Path:
    data = json.loads((world["holders"] / name).read_text())
    if edit is not None:
        edit(data)
    target = tmp_path / name
    target.write_text(json.dumps(data))
    return target


def test_holder_files_are_written_as_v2_with_chain_id_and_version(world):
    data = json.loads((world["holders"] / "aisyah.holder.json").read_text())
    assert data["format"] == "daftar-holder/2"
    assert (data["chainId"], data["registryVersion"]) == (31337, 1)


def test_a_stranger_verifies_with_only_an_rpc_url(world):
    holder = world["holders"] / "aisyah.holder.json"
    proc = verify(world, str(holder), "--rpc", world["node"].url)
    assert proc.returncode == 0, proc.stderr
    assert "VALID: valid" in proc.stdout
    assert "not confirmed by any deployment record" in proc.stdout
    assert "confirm it with the programme office" in proc.stdout
    assert "registry version 1 (as the file says)" in proc.stdout
    (answer,) = lines(verify(world, "--json", str(holder), "--rpc", world["node"].url))
    assert answer["status"] == "VALID" and answer["valid"] is True and answer["exit_code"] == 0
    assert answer["registry_confirmed"] is False and answer["registry_version"] == 1
    assert answer["chain_id"] == 31337 and answer["issuer_name"] == "Universiti Contoh"
    assert answer["format"] == "daftar-holder/2"


def test_a_disclosure_verifies_from_anywhere_showing_only_its_fields(world, tmp_path):
    holder = world["holders"] / "boon.holder.json"
    shown = tmp_path / "boon.disclosure.json"
    proc = run("credential", "disclose", str(holder), "--field", "degree", "--out", str(shown),
               cwd=world["stranger"])  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (answer,) = lines(verify(world, "--json", str(shown), "--rpc", world["node"].url))
    assert answer["status"] == "VALID" and answer["format"] == "daftar-disclosure/2"
    assert answer["revealed"] == {"degree": "BSc"} and answer["hidden"] == ["name", "year"]
    assert answer["disclosure"] == str(shown)


def test_the_networks_rpc_url_variable_serves_as_well(world):
    holder = world["holders"] / "dewi.holder.json"
    proc = verify(world, "--json", str(holder), env={"LOCALHOST_RPC_URL": world["node"].url})
    (answer,) = lines(proc)
    assert proc.returncode == 0 and answer["status"] == "VALID" and answer["merkle_root"] is None


def test_no_rpc_url_is_a_usage_error_naming_the_variable(world):
    holder = world["holders"] / "dewi.holder.json"
    proc = verify(world, str(holder))
    assert proc.returncode == 2
    assert "pass --rpc URL or set LOCALHOST_RPC_URL" in proc.stderr
    (answer,) = lines(verify(world, "--json", str(holder)))
    assert answer["status"] == "NO_RPC_URL" and answer["exit_code"] == 2


def test_registry_pinned_by_the_user(world, tmp_path):
    holder = world["holders"] / "aisyah.holder.json"
    contract = json.loads(holder.read_text())["contract"]
    rpc = ("--rpc", world["node"].url)
    (ok,) = lines(verify(world, "--json", str(holder), *rpc, "--registry", contract.lower()))
    assert ok["status"] == "VALID" and ok["registry_confirmed"] is True
    other = "0x" + "12" * 20
    proc = verify(world, "--json", str(holder), *rpc, "--registry", other)
    (answer,) = lines(proc)
    assert proc.returncode == 5 and answer["status"] == "UNKNOWN_REGISTRY"
    assert "not checked against any other registry" in answer["error"]


def test_tampered_file_exits_4(world, tmp_path):
    forged = copy(world, "boon.holder.json", tmp_path,
                  lambda d: d["document"]["fields"].__setitem__("degree", "PhD"))  # fmt: skip
    proc = verify(world, str(forged), "--rpc", world["node"].url)
    assert proc.returncode == 4 and "has been altered" in proc.stderr
    assert "TAMPERED" in proc.stdout
    (answer,) = lines(verify(world, "--json", str(forged), "--rpc", world["node"].url))
    assert answer["status"] == "TAMPERED" and answer["valid"] is False


def test_a_file_for_another_chain_is_wrong_network(world, tmp_path):
    other = copy(world, "boon.holder.json", tmp_path, lambda d: d.__setitem__("chainId", 11155111))
    proc = verify(world, "--json", str(other), "--rpc", world["node"].url)
    (answer,) = lines(proc)
    assert proc.returncode == 5 and answer["status"] == "WRONG_NETWORK"
    assert "chain id 11155111" in answer["error"] and "reports chain id 31337" in answer["error"]


def test_a_file_naming_no_registry_is_unknown_registry(world, tmp_path):
    nowhere = "0x" + "ab" * 20
    moved = copy(world, "boon.holder.json", tmp_path, lambda d: d.__setitem__("contract", nowhere))
    proc = verify(world, "--json", str(moved), "--rpc", world["node"].url)
    (answer,) = lines(proc)
    assert proc.returncode == 5 and answer["status"] == "UNKNOWN_REGISTRY"
    assert "no contract at" in answer["error"]
    # With records, an address that is not a recorded deployment is refused as such.
    proc = verify(world, "--json", str(moved), inside=True)
    (answer,) = lines(proc)
    assert proc.returncode == 5 and answer["status"] == "UNKNOWN_REGISTRY"
    assert "not a recorded deployment on localhost" in answer["error"]


def test_a_node_that_is_down_is_unreachable_exit_6(world):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    holder = world["holders"] / "aisyah.holder.json"
    proc = verify(world, str(holder), "--rpc", f"http://127.0.0.1:{port}")
    assert proc.returncode == 6 and "Check the RPC URL" in proc.stderr
    assert "Traceback" not in proc.stderr
    (answer,) = lines(verify(world, "--json", str(holder), "--rpc", f"http://127.0.0.1:{port}"))
    assert answer["status"] == "UNREACHABLE" and answer["exit_code"] == 6


def test_a_node_that_never_answers_is_unreachable_after_two_attempts(world):
    """A node that accepts connections and never answers: a bounded wait, then exit 6."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # accepted by the kernel, never read
        port = listener.getsockname()[1]
        holder = world["holders"] / "aisyah.holder.json"
        proc = verify(world, "--json", str(holder), "--rpc", f"http://127.0.0.1:{port}")
    (answer,) = lines(proc)
    assert proc.returncode == 6 and answer["status"] == "UNREACHABLE"
    assert "after 2 attempts" in answer["error"]


def test_a_v1_file_still_verifies_and_says_the_chain_id_came_from_the_node(world, tmp_path):
    def to_v1(d: dict[str, Any]) -> None:
        d["format"] = "daftar-holder/1"
        del d["chainId"], d["registryVersion"]

    old = copy(world, "chandra.holder.json", tmp_path, to_v1)
    proc = verify(world, "--json", str(old), "--rpc", world["node"].url)
    (answer,) = lines(proc)
    assert proc.returncode == 0 and answer["status"] == "VALID"
    assert answer["registry_version"] is None and answer["format"] == "daftar-holder/1"
    assert any("names no chain id" in n for n in answer["notes"])
    # Inside the project the records name its version.
    (inside,) = lines(verify(world, "--json", str(old), inside=True))
    assert inside["registry_version"] == 1 and inside["registry_confirmed"] is True


def test_many_files_one_call_each_or_batched_agree(world, tmp_path):
    holders = sorted(str(p) for p in world["holders"].glob("*.holder.json"))
    forged = copy(world, "boon.holder.json", tmp_path,
                  lambda d: d["document"]["fields"].__setitem__("name", "x"))  # fmt: skip
    files = [*holders, str(forged)]
    rpc = ("--rpc", world["node"].url)
    one = verify(world, "--json", *files, *rpc)
    batched = verify(world, "--json", *files, *rpc, "--batch", "3")
    assert one.returncode == batched.returncode == 4  # the highest code among the files
    a, b = lines(one), lines(batched)
    assert [x["file"] for x in a] == files
    assert [(x["status"], x.get("credential_hash")) for x in a] == [
        (x["status"], x.get("credential_hash")) for x in b
    ]
    assert [x["status"] for x in a] == ["VALID"] * len(holders) + ["TAMPERED"]
    text = verify(world, *holders, *rpc, "--batch", "2")
    assert text.returncode == 0 and text.stdout.count("VALID: valid") == len(holders)
    assert [
        line.split()[-1] for line in text.stdout.splitlines() if line.startswith("file:")
    ] == holders


def test_a_redeploy_does_not_strand_credentials(world, tmp_path):
    """v2 deployed with --new-version: v1 credentials still verify and report version 1."""
    env = world["inside"]
    proc = run("deploy", *LOCAL, "--new-version", cwd=REPO, env=env)
    assert proc.returncode == 0, proc.stderr
    records = world["records"] / "localhost"
    index = json.loads((records / "versions.json").read_text())
    assert index["current"] == 2 and index["complete"] is True
    v1 = index["versions"][0]["contracts"]["CredentialRegistry"]
    v2 = json.loads((records / "CredentialRegistry.json").read_text())["address"]
    assert v1 != v2 and (records / "versions" / "1" / "CredentialRegistry.json").is_file()
    readme = (records / "README.md").read_text()
    assert "## Earlier versions (this folder holds version 2)" in readme and v1 in readme
    # A v1 credential: still VALID, answered by version 1 (from the records).
    old = world["holders"] / "aisyah.holder.json"
    proc = verify(world, str(old), inside=True)
    assert proc.returncode == 0, proc.stderr
    assert "registry version 1 (recorded deployment)" in proc.stdout
    (answer,) = lines(verify(world, "--json", str(old), inside=True))
    assert answer["registry_version"] == 1 and answer["contract"] == v1
    assert answer["registry_confirmed"] is True
    # Revoking is for the current version: a clear refusal naming the file's version.
    proc = run("credential", "revoke", str(old), "--reason", "1", *LOCAL, "--account", "dev3",
               cwd=REPO, env=env)  # fmt: skip
    assert proc.returncode == 1 and "anchored in registry version 1" in proc.stderr
    assert "Traceback" not in proc.stderr
    # Issued after the redeploy: version 2.
    run("--json", "issuer", "accredit", ISSUER, "--name", "Universiti Contoh", *LOCAL,
        "--account", "dev0", cwd=REPO, env=env)  # fmt: skip
    person = tmp_path / "eka.json"
    person.write_text(json.dumps({"name": "eka", "degree": "BSc"}))
    proc = run("--json", "credential", "issue", str(person), "--out", str(tmp_path), *LOCAL,
               "--account", "dev3", cwd=REPO, env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    new = tmp_path / "eka.holder.json"
    data = json.loads(new.read_text())
    assert data["registryVersion"] == 2 and data["contract"] == v2
    (answer,) = lines(verify(world, "--json", str(new), inside=True))
    assert answer["status"] == "VALID" and answer["registry_version"] == 2
    # A file naming v2's address but claiming version 1 is judged by v2, with a note.
    claims = copy(world, "aisyah.holder.json", tmp_path, lambda d: d.__setitem__("contract", v2))
    (answer,) = lines(verify(world, "--json", str(claims), inside=True))
    assert answer["registry_version"] == 2 and answer["status"] == "NOT_ISSUED"
    assert any("says registry version 1" in n for n in answer["notes"])
