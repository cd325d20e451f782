"""Pilots on the command line, against a real registry on anvil.

The journey: the office (dev0) registers dev4 as a sponsor; dev4 proposes, the office
approves, dev4 activates, reports a milestone and anchors three checkpoints of a log
directory. `pilot prove` then finds the current state anchored (seq 3) and an earlier copy
anchored (seq 1); after one log line changes it says "not anchored", names the file, and
exits 3.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from daftar.keys import dev_accounts
from daftar.util.hashing import keccak256

pytestmark = pytest.mark.slow

DEV = [a.address for a in dev_accounts()]
SPONSOR = DEV[4]
LOCAL = ("--network", "localhost")
OFFICE = (*LOCAL, "--account", "dev0")
AS_SPONSOR = (*LOCAL, "--account", "dev4")


@pytest.fixture(scope="module")
def active_pilot(cli: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Pilot proposed by dev4, approved by dev0, activated by dev4."""
    folder = tmp_path_factory.mktemp("pilot")
    details = folder / "proposal.pdf"
    details.write_bytes(b"%PDF-1.7 land registry pilot proposal\n")
    sponsor = cli.json("pilot", "sponsor", "register", SPONSOR, "--name", "GLC Digital", *OFFICE)
    assert sponsor["registered"] is True and sponsor["name"] == "GLC Digital"
    proposed = cli.json(
        "pilot", "propose", "--title", "Land title registry", "--uri", "https://glc.example/p1",
        "--details", str(details), *AS_SPONSOR,
    )  # fmt: skip
    pilot_id = proposed["pilot"]
    assert proposed["status"] == "PROPOSED" and proposed["sponsor"] == SPONSOR
    assert proposed["details_hash"] == "0x" + keccak256(details.read_bytes()).hex()
    assert cli.json("pilot", "approve", str(pilot_id), *OFFICE)["status"] == "APPROVED"
    assert cli.json("pilot", "activate", str(pilot_id), *AS_SPONSOR)["status"] == "ACTIVE"
    return {"id": pilot_id, "folder": folder}


def _logs(folder: Path) -> Path:
    logs = folder / "logs"
    (logs / "nginx").mkdir(parents=True)
    (logs / "app.log").write_text("2026-01-05T09:00:00Z started\n")
    (logs / "nginx" / "access.log").write_text("GET / 200\n")
    return logs


def test_milestone_checkpoints_show_and_prove(cli, active_pilot):
    pilot_id, folder = str(active_pilot["id"]), active_pilot["folder"]
    evidence = folder / "uat-report.pdf"
    evidence.write_bytes(b"UAT passed")
    ms = cli.json("pilot", "milestone", pilot_id, "--evidence", str(evidence), "--uri",
                  "https://glc.example/uat", *AS_SPONSOR)  # fmt: skip
    assert ms["index"] == 0 and ms["evidence_hash"] == "0x" + keccak256(b"UAT passed").hex()

    logs = _logs(folder)
    first = cli.json("pilot", "checkpoint", pilot_id, str(logs), *AS_SPONSOR)
    shutil.copytree(logs, folder / "logs-at-seq-1")
    with (logs / "app.log").open("a") as fh:
        fh.write("2026-01-05T10:00:00Z request served\n")
    second = cli.json(
        "pilot", "checkpoint", pilot_id, str(logs), "--uri", "s3://logs/2", *AS_SPONSOR
    )
    (logs / "nginx" / "error.log").write_text("")
    proc = cli("pilot", "checkpoint", pilot_id, str(logs), *AS_SPONSOR)  # human output
    assert proc.returncode == 0, proc.stderr
    assert f"#3 of pilot #{pilot_id}" in proc.stdout
    assert [first["seq"], second["seq"]] == [1, 2]
    assert second["prev_root"] == first["root"]
    manifest = json.loads(Path(first["manifest"]).read_text())
    assert Path(first["manifest"]).parent == folder  # beside the directory, never inside it
    assert manifest["root"] == first["root"] and manifest["seq"] == 1
    assert [e["path"] for e in manifest["entries"]] == ["app.log", "nginx/access.log"]

    again = cli("pilot", "checkpoint", pilot_id, str(logs), *AS_SPONSOR)
    cli.failed(again, "already anchored as checkpoint #3")

    show = cli.json("pilot", "show", pilot_id, *LOCAL)
    assert show["status"] == "ACTIVE" and show["sponsor_name"] == "GLC Digital"
    assert show["last_checkpoint"]["seq"] == 3 and len(show["milestones"]) == 1
    assert show["milestones"][0]["uri"] == "https://glc.example/uat"
    text = cli("pilot", "show", pilot_id, *LOCAL).stdout
    assert "Land title registry" in text and "GLC Digital" in text and "#3" in text

    now = cli.json("pilot", "prove", pilot_id, str(logs), *LOCAL)
    assert now["anchored"] is True and now["seq"] == 3 and now["anchored_at"].endswith("Z")
    earlier = cli.json("pilot", "prove", pilot_id, str(folder / "logs-at-seq-1"), *LOCAL)
    assert earlier["anchored"] is True and earlier["seq"] == 1

    (logs / "app.log").write_text("2026-01-05T09:00:00Z started\n(history rewritten)\n")
    proc = cli("pilot", "prove", pilot_id, str(logs), *LOCAL)
    assert proc.returncode == 3, proc.stderr
    assert "never anchored" in proc.stdout and "changed  app.log" in proc.stdout
    data = cli.json("pilot", "prove", pilot_id, str(logs), *LOCAL, ok=(3,))
    assert data["anchored"] is False and data["seq"] is None
    assert data["differences"]["changed"] == ["app.log"]
    assert data["differences"]["added"] == [] and data["differences"]["removed"] == []


def test_complete_stops_checkpoints(cli, active_pilot, tmp_path):
    pilot_id = str(active_pilot["id"])
    logs = tmp_path / "later"
    logs.mkdir()
    (logs / "x.log").write_text("after the end\n")
    assert cli.json("pilot", "complete", pilot_id, *AS_SPONSOR)["status"] == "COMPLETED"
    proc = cli("pilot", "checkpoint", pilot_id, str(logs), *AS_SPONSOR)
    cli.failed(proc, f"pilot #{pilot_id} is Completed", "need it Active")


def test_reject_and_invalid_transition(cli, active_pilot, tmp_path):
    details = tmp_path / "p2.txt"
    details.write_text("second proposal")
    pilot_id = str(cli.json("pilot", "propose", "--title", "Supply chain", "--details",
                            str(details), *AS_SPONSOR)["pilot"])  # fmt: skip
    rejected = cli.json("pilot", "reject", pilot_id, "--reason", "9", *OFFICE)
    assert rejected["status"] == "REJECTED" and rejected["reason_code"] == 9
    proc = cli("pilot", "activate", pilot_id, *AS_SPONSOR)
    cli.failed(proc, f"pilot #{pilot_id} is Rejected; it cannot move to Active")


def test_unknown_pilot_and_bad_directory(cli, active_pilot, tmp_path):
    cli.failed(cli("pilot", "show", "999", *LOCAL), "there is no pilot #999 on localhost")
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = cli("pilot", "prove", str(active_pilot["id"]), str(empty), *LOCAL)
    cli.failed(proc, f"cannot checkpoint {empty}", "nothing to checkpoint")
    proc = cli("pilot", "checkpoint", "1", str(tmp_path / "nope"), *AS_SPONSOR)
    cli.failed(proc, "not a directory")


def test_only_registered_sponsors_propose(cli, active_pilot, tmp_path):
    details = tmp_path / "d.txt"
    details.write_text("x")
    proc = cli("pilot", "propose", "--title", "T", "--details", str(details), *LOCAL,
               "--account", "dev5")  # fmt: skip
    cli.failed(proc, f"{DEV[5]} is not a registered sponsor", "daftar pilot sponsor register")
