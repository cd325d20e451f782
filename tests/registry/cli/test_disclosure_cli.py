"""Selective disclosure on the command line, against a real registry on anvil.

dev3 (accredited by dev0) issues two credentials as one batch. A holder discloses two of
three fields; the file holds neither the hidden value nor its salt; `credential verify`
accepts it (VALID, only the revealed fields shown), refuses it once a revealed value is
changed, and says REVOKED (exit 3) after the issuer revokes the credential.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from daftar.keys import dev_accounts

pytestmark = pytest.mark.slow

DEV = [a.address for a in dev_accounts()]
ISSUER = DEV[3]
PEOPLE = {
    "aisyah": {"name": "Aisyah", "degree": "BSc Computer Science", "ic": "900101-14-5678"},
    "boon": {"name": "Boon Keat", "degree": "MSc Blockchain", "ic": "880202-10-1234"},
}
LOCAL = ("--network", "localhost")


@pytest.fixture(scope="module")
def holders(cli: Any, registry: dict[str, Any], tmp_path_factory: Any) -> Path:
    """The holder files of two credentials issued by dev3 as one batch."""
    admin = registry["admin"]
    admin.issuers.accredit(ISSUER, "Universiti Contoh", "", 0, 0, sender=admin.signer)
    folder = tmp_path_factory.mktemp("disclose")
    inputs = []
    for stem, fields in PEOPLE.items():
        (folder / f"{stem}.json").write_text(json.dumps(fields))
        inputs.append(str(folder / f"{stem}.json"))
    cli.json("credential", "issue", *inputs, "--out", str(folder), *LOCAL, "--account", "dev3")
    return folder


def test_disclose_two_of_three_fields_then_verify(cli, holders):
    holder = holders / "aisyah.holder.json"
    made = cli.json("credential", "disclose", str(holder), "--field", "name", "--field", "degree")
    target = holders / "aisyah.disclosure.json"  # default: beside the holder file
    assert made["disclosure"] == str(target)
    assert made["revealed"] == ["name", "degree"] and made["hidden"] == ["ic"]
    assert (made["format"], made["chain_id"], made["registry_version"]) == (
        "daftar-disclosure/2",
        31337,
        1,
    )
    text = target.read_text()
    hidden_salt = json.loads(holder.read_text())["salts"]["ic"]
    assert PEOPLE["aisyah"]["ic"] not in text and hidden_salt[2:] not in text
    data = json.loads(text)
    assert data["format"] == "daftar-disclosure/2" and set(data["revealed"]) == {"name", "degree"}
    assert data["credentialHash"] == made["credential_hash"] and data["network"] == "localhost"
    assert data["merkleRoot"].startswith("0x") and len(data["merkleProof"]) == 1
    assert oct(target.stat().st_mode & 0o777) == "0o600"

    proc = cli("credential", "verify", str(target))
    assert proc.returncode == 0, proc.stderr
    assert "VALID: valid" in proc.stdout and f"{ISSUER} (Universiti Contoh)" in proc.stdout
    assert '  name: "Aisyah"' in proc.stdout and '  degree: "BSc Computer Science"' in proc.stdout
    assert "hidden:       ic" in proc.stdout and PEOPLE["aisyah"]["ic"] not in proc.stdout
    result = cli.json("credential", "verify", str(target))
    assert result["status"] == "VALID" and result["valid"] is True
    assert result["revealed"] == {"name": "Aisyah", "degree": "BSc Computer Science"}
    assert result["hidden"] == ["ic"] and result["credential_hash"] == made["credential_hash"]
    # holder files still verify through the same command
    assert cli.json("credential", "verify", str(holder))["status"] == "VALID"


def test_tampered_disclosure_is_refused(cli, holders, tmp_path):
    out = tmp_path / "a.json"
    cli.json("credential", "disclose", str(holders / "aisyah.holder.json"), "--field", "degree",
             "--out", str(out))  # fmt: skip
    data = json.loads(out.read_text())
    data["revealed"]["degree"]["value"] = "PhD Computer Science"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(data))
    proc = cli("credential", "verify", str(forged))
    cli.failed(proc, f"disclosure file {forged} has been altered",
               "field 'degree' does not match its commitment", "Do not trust it")  # fmt: skip
    assert proc.returncode == 4 and "PhD" not in proc.stdout  # TAMPERED: exit 4 (issue 12)


def test_disclose_refusals(cli, holders):
    holder = holders / "boon.holder.json"
    proc = cli("credential", "disclose", str(holder), "--field", "age")
    cli.failed(proc, "has no field(s) 'age'", "its fields are 'degree', 'ic', 'name'")
    proc = cli("credential", "disclose", str(holder), "--field", "name", "--out", str(holder))
    cli.failed(proc, "exists and is not a disclosure file")
    assert json.loads(holder.read_text())["format"] == "daftar-holder/2"  # untouched


def test_revoked_credential_disclosure_says_revoked(cli, holders):
    holder = holders / "boon.holder.json"
    made = cli.json("credential", "disclose", str(holder), "--field", "degree")
    cli.json("credential", "revoke", str(holder), "--reason", "9", "--account", "dev3")
    proc = cli("credential", "verify", made["disclosure"])
    assert proc.returncode == 3, proc.stderr
    assert "REVOKED: revoked (by its issuer" in proc.stdout and "reason code:  9" in proc.stdout
    assert '  degree: "MSc Blockchain"' in proc.stdout
    result = cli.json("credential", "verify", made["disclosure"], ok=(3,))
    assert result["status"] == "REVOKED" and result["valid"] is False
    assert result["reason_code"] == 9
