"""Issuers and verifiers on the command line, against a real registry on anvil.

The journey: the programme office (dev0) accredits dev3; dev3 issues three credentials
as one Merkle batch; each holder file verifies VALID (exit 0); one is revoked and then
verifies REVOKED with its reason (exit 3). Holder files that were altered, inputs that are
not JSON, and holder files from another network are refused with a clear message.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from daftar.keys import dev_accounts

pytestmark = pytest.mark.slow

DEV = [a.address for a in dev_accounts()]
ISSUER = DEV[3]
PEOPLE = [
    {"name": "Aisyah", "degree": "BSc Computer Science", "year": 2026},
    {"name": "Boon Keat", "degree": "MSc Blockchain", "year": 2026},
    {"name": "Chitra", "degree": "PhD Cryptography", "year": 2025},
]
LOCAL = ("--network", "localhost")


@pytest.fixture(scope="module")
def issued(cli: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """dev3 accredited by dev0, then three credentials issued by dev3 as one batch."""
    accredit = cli.json(
        "issuer", "accredit", ISSUER, "--name", "Universiti Contoh", "--uri",
        "https://example.edu/issuer.json", *LOCAL, "--account", "dev0",
    )  # fmt: skip
    assert accredit["standing"] == "ACTIVE" and accredit["in_good_standing"] is True
    folder = tmp_path_factory.mktemp("issue")
    inputs = []
    for person in PEOPLE:
        path = folder / f"{person['name'].split()[0].lower()}.json"
        path.write_text(json.dumps(person))
        inputs.append(str(path))
    out = folder / "holders"
    result = cli.json(
        "credential", "issue", *inputs, "--out", str(out), "--expires-at", "2099-01-01",
        "--uri", "ipfs://batch-2026", *LOCAL, "--account", "dev3",
    )  # fmt: skip
    return {"result": result, "out": out, "folder": folder}


def test_issue_writes_one_holder_file_per_credential(issued):
    result, out = issued["result"], issued["out"]
    assert result["mode"] == "batch" and result["count"] == 3
    assert result["issuer"] == ISSUER and result["network"] == "localhost"
    assert result["expires_at"] == "2099-01-01T00:00:00Z"
    assert len(result["transactions"]) == 1 and result["transactions"][0]["tx"].startswith("0x")
    assert result["contract_link"] is None  # localhost has no explorer
    holders = sorted(p.name for p in out.iterdir())
    assert holders == ["aisyah.holder.json", "boon.holder.json", "chitra.holder.json"]
    for cred in result["credentials"]:
        data = json.loads(Path(cred["holder"]).read_text())
        assert data["credentialHash"] == cred["credential_hash"]
        assert data["merkleRoot"] == result["merkle_root"]
        assert data["contract"] == result["contract"] and data["network"] == "localhost"
        assert oct(Path(cred["holder"]).stat().st_mode & 0o777) == "0o600"


def test_each_holder_file_verifies_valid(cli, issued):
    for holder in sorted(issued["out"].iterdir()):
        proc = cli("credential", "verify", str(holder))
        assert proc.returncode == 0, proc.stderr
        assert "VALID: valid: issued by an accredited issuer" in proc.stdout
        assert f"{ISSUER} (Universiti Contoh)" in proc.stdout
        assert "2099-01-01T00:00:00Z" in proc.stdout
        assert "http" not in proc.stdout  # no explorer on localhost: no links


def test_revoke_then_verify_says_revoked_with_reason(cli, issued, tmp_path):
    holder = tmp_path / "boon.holder.json"  # a copy: other tests keep a valid one
    holder.write_bytes((issued["out"] / "boon.holder.json").read_bytes())
    revoked = cli.json("credential", "revoke", str(holder), "--reason", "7", "--account", "dev3")
    assert revoked["revoked"] is True and revoked["status"] == "REVOKED"
    proc = cli("credential", "verify", str(holder))
    assert proc.returncode == 3, proc.stderr
    assert "REVOKED: revoked (by its issuer" in proc.stdout and "reason code:  7" in proc.stdout
    data = cli.json("credential", "verify", str(holder), ok=(3,))
    assert data["status"] == "REVOKED" and data["valid"] is False
    assert data["reason_code"] == 7 and data["revoked_at"].endswith("Z")
    # the other members of the batch are untouched
    assert cli("credential", "verify", str(issued["out"] / "aisyah.holder.json")).returncode == 0


def test_verify_json_keys(cli, issued):
    data = cli.json("credential", "verify", str(issued["out"] / "chitra.holder.json"))
    for key in ("status", "explanation", "valid", "credential_hash", "merkle_root", "issuer",
                "issuer_name", "issued_at", "expires_at", "revoked_at", "reason_code",
                "contract", "contract_link", "network"):  # fmt: skip
        assert key in data, key
    assert data["status"] == "VALID" and data["valid"] is True and data["revoked_at"] is None


def test_single_issue_and_revoke(cli, issued, tmp_path):
    """--single anchors with `issue`; revoke then uses `revoke`, not `revokeLeaf`."""
    source = tmp_path / "dina.json"
    source.write_text(json.dumps({"name": "Dina", "course": "Smart contract security"}))
    result = cli.json(
        "credential", "issue", str(source), "--single", "--out", str(tmp_path), *LOCAL,
        "--account", "dev3",
    )  # fmt: skip
    assert result["mode"] == "single" and result["merkle_root"] is None
    holder = tmp_path / "dina.holder.json"
    assert json.loads(holder.read_text())["merkleRoot"] is None
    assert cli.json("credential", "verify", str(holder))["status"] == "VALID"
    cli.json("credential", "revoke", str(holder), "--reason", "3", "--account", "dev3")
    data = cli.json("credential", "verify", str(holder), ok=(3,))
    assert data["status"] == "REVOKED" and data["reason_code"] == 3


def test_tampered_holder_file_is_refused(cli, issued, tmp_path):
    data = json.loads((issued["out"] / "aisyah.holder.json").read_text())
    data["document"]["fields"]["degree"] = "PhD Computer Science"
    forged = tmp_path / "forged.holder.json"
    forged.write_text(json.dumps(data))
    proc = cli("credential", "verify", str(forged))
    cli.failed(proc, "has been altered", str(forged))
    assert proc.returncode == 4  # TAMPERED (`credential verify --help`)
    proc = cli("--json", "credential", "verify", str(forged))
    answer = json.loads(proc.stdout)
    assert proc.returncode == 4 and answer["status"] == "TAMPERED" and answer["exit_code"] == 4
    for text, needle in (("not json", "is not valid JSON"), ("[1, 2]", "not a usable daftar"),
                         ('{"format": "x"}', "not a usable daftar")):  # fmt: skip
        forged.write_text(text)
        cli.failed(cli("credential", "verify", str(forged)), str(forged), needle)


def test_only_the_issuer_may_revoke(cli, issued):
    proc = cli(
        "credential", "revoke", str(issued["out"] / "chitra.holder.json"), "--reason", "1",
        "--account", "dev5",
    )  # fmt: skip
    cli.failed(proc, f"only the issuer {ISSUER} may revoke", DEV[5], "--as-authority")


def test_bad_credential_files_are_named(cli, issued, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("name: Aisyah\n")
    out = tmp_path / "out"
    proc = cli("credential", "issue", str(broken), "--out", str(out), *LOCAL, "--account", "dev3")
    cli.failed(proc, f"credential file {broken} is not valid JSON")
    floats = tmp_path / "grade.json"
    floats.write_text(json.dumps({"name": "Aisyah", "cgpa": 3.85}))
    proc = cli("credential", "issue", str(floats), "--out", str(out), *LOCAL, "--account", "dev3")
    cli.failed(proc, str(floats), "floats are not canonical")
    missing = tmp_path / "missing.json"
    proc = cli("credential", "issue", str(missing), "--out", str(out), *LOCAL, "--account", "dev3")
    cli.failed(proc, f"cannot read credential file {missing}")
    assert not out.exists()  # nothing written, nothing sent


def test_refused_issue_leaves_no_holder_files(cli, issued, tmp_path):
    """dev6 is not accredited: the registry refuses and the holder files are removed."""
    source = tmp_path / "eve.json"
    source.write_text(json.dumps({"name": "Eve"}))
    out = tmp_path / "out"
    proc = cli("credential", "issue", str(source), "--out", str(out), *LOCAL, "--account", "dev6")
    cli.failed(proc, f"{DEV[6]} is not an issuer in good standing")
    assert list(out.iterdir()) == []


def test_holder_file_from_another_network_is_refused(cli, issued):
    holder = str(issued["out"] / "aisyah.holder.json")
    proc = cli("credential", "verify", holder, "--network", "sepolia")
    cli.failed(proc, "issued on network 'localhost', not 'sepolia'")


def test_explorer_links_where_the_network_has_one(cli, issued, tmp_path):
    """The same node, configured with an explorer: every address and tx gets its link."""
    import yaml

    from daftar.config import CONFIG_NAME

    config = yaml.safe_load((cli.cwd / CONFIG_NAME).read_text())
    config["daftar"]["networks"]["localhost"]["explorer"] = "https://scan.example"
    (tmp_path / CONFIG_NAME).write_text(yaml.safe_dump(config))
    holder = str(issued["out"] / "aisyah.holder.json")
    proc = cli("--project", str(tmp_path), "credential", "verify", holder)
    assert proc.returncode == 0, proc.stderr
    registry = issued["result"]["contract"]
    assert f"{registry}  https://scan.example/address/{registry}" in proc.stdout
    assert f"https://scan.example/address/{ISSUER}" in proc.stdout
    data = cli.json("--project", str(tmp_path), "credential", "verify", holder)
    assert data["contract_link"] == f"https://scan.example/address/{registry}"
    proc = cli("--project", str(tmp_path), "issuer", "renew", ISSUER, *LOCAL, "--account", "dev0")
    assert proc.returncode == 0, proc.stderr
    assert "transaction:  0x" in proc.stdout and "https://scan.example/tx/0x" in proc.stdout


def test_stolen_key_story_on_the_command_line(cli, tmp_path):
    """The office marks a stolen key compromised since the theft: what it anchored since then
    turns ISSUER_COMPROMISED, earlier credentials stay VALID, the office revokes the forgery
    as the authority, and the organisation continues with a new key (dev8)."""
    org = DEV[6]
    cli.json("issuer", "accredit", org, "--name", "Kolej Kunci", *LOCAL, "--account", "dev0")
    (tmp_path / "genuine.json").write_text(json.dumps(PEOPLE[0]))
    (tmp_path / "forged.json").write_text(json.dumps({"name": "Mallory", "degree": "PhD"}))
    (tmp_path / "fresh.json").write_text(json.dumps(PEOPLE[1]))

    def issue(name: str, account: str) -> Path:
        out = tmp_path / name
        cli.json("credential", "issue", str(tmp_path / f"{name}.json"), "--out", str(out),
                 "--single", *LOCAL, "--account", account)  # fmt: skip
        return next(out.iterdir())

    genuine = issue("genuine", "dev6")
    time.sleep(1.1)  # the theft happens a second later
    forged = issue("forged", "dev6")  # the thief signs with the stolen key
    forged_at = cli.json("credential", "verify", str(forged))["issued_at_unix"]
    retired = cli.json("issuer", "retire-key", org, org, "--compromised-since", str(forged_at),
                       *LOCAL, "--account", "dev0")  # fmt: skip
    assert retired["keys"][0]["status"] == "RETIRED" and retired["keys"][0]["compromised_since"]
    assert cli.json("credential", "verify", str(genuine))["status"] == "VALID"
    bad = cli.json("credential", "verify", str(forged), ok=(3,))
    assert bad["status"] == "ISSUER_COMPROMISED" and bad["valid"] is False
    proc = cli("credential", "revoke", str(genuine), "--reason", "1", "--account", "dev6")
    cli.failed(proc, f"only the issuer {org} may revoke", "active keys")
    done = cli.json("credential", "revoke", str(forged), "--reason", "9", "--as-authority",
                    "--account", "dev0", ok=(0, 3))  # fmt: skip
    assert done["revoked_by"] == "authority"
    added = cli.json("issuer", "add-key", org, DEV[8], *LOCAL, "--account", "dev0")
    assert [k["status"] for k in added["keys"]] == ["RETIRED", "ACTIVE"]
    fresh = issue("fresh", "dev8")
    verdict = cli.json("credential", "verify", str(fresh))
    assert verdict["status"] == "VALID" and verdict["issuer"] == org and verdict["signer"] == DEV[8]
    proc = cli("--json", "credential", "cancel-signatures", "--count", "2", *LOCAL,
               "--account", "dev8")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["to_nonce"] == 2
