"""pilot_summary(), sponsor_summary(), prove() and manifest_diff() on the fixture registry.

The fixture registered `actors.sponsor` as "GLC Berhad"; the office approves.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from daftar.util.hashing import keccak256
from daftar_registry.errors import InputError
from daftar_registry.formats.checkpoints import anchor_checkpoint, hash_directory
from daftar_registry.services.pilots import (
    MANIFEST_FORMAT,
    checkpoint_manifest,
    checkpoint_of,
    default_manifest,
    manifest_diff,
    pilot_summary,
    prove,
    sponsor_summary,
    write_manifest,
)
from daftar_registry.status import PilotStatus

DETAILS = keccak256(b"land title registry proposal")


def _propose(registry, actors, title="Land title registry"):
    receipt = registry.pilots.propose(
        title, "https://glc.example/p", DETAILS, sender=actors.sponsor
    )
    return int(receipt.event("PilotProposed").pilotId)


def _active(registry, actors):
    pilot_id = _propose(registry, actors)
    registry.pilots.approve(pilot_id, sender=actors.office)
    registry.pilots.activate(pilot_id, sender=actors.sponsor)
    return pilot_id


@pytest.fixture
def logs(tmp_path):
    folder = tmp_path / "logs"
    (folder / "nginx").mkdir(parents=True)
    (folder / "app.log").write_text("09:00 started\n")
    (folder / "nginx" / "access.log").write_text("GET / 200\n")
    (folder / "old.log").write_text("rotated\n")
    return folder


def test_proposed_pilot(registry, client, chain, actors):
    before = chain.time()
    pilot_id = _propose(registry, actors)
    summary = pilot_summary(client, pilot_id)
    assert summary.pilot == pilot_id and summary.status is PilotStatus.PROPOSED
    assert summary.title == "Land title registry" and summary.uri == "https://glc.example/p"
    assert summary.details_hash == DETAILS
    assert summary.sponsor == actors.sponsor.address and summary.sponsor_name == "GLC Berhad"
    assert summary.sponsor_registered is True
    assert before <= summary.proposed_at <= chain.time() and summary.reason_code == 0
    assert summary.milestones == ()
    assert (summary.last_checkpoint.seq, summary.last_checkpoint.root) == (0, None)
    assert summary.registry == registry.pilots.address and summary.network == chain.name
    data = summary.to_json()
    assert data["status"] == "PROPOSED" and data["details_hash"] == "0x" + DETAILS.hex()
    assert data["last_checkpoint"] == {"seq": 0, "root": None, "anchored_at": None}


def test_active_pilot_with_milestone_and_checkpoint(registry, client, actors, logs):
    pilot_id = _active(registry, actors)
    evidence = keccak256(b"UAT passed")
    uri = "https://glc.example/uat"
    registry.pilots.reportMilestone(pilot_id, evidence, uri, sender=actors.sponsor)
    root = hash_directory(logs).root
    anchor_checkpoint(registry.pilots, pilot_id, root, "s3://1", sender=actors.sponsor)
    summary = pilot_summary(client, pilot_id)
    assert summary.status is PilotStatus.ACTIVE
    assert [(m.index, m.evidence_hash, m.uri) for m in summary.milestones] == [(0, evidence, uri)]
    assert summary.milestones[0].reported_at > 0
    assert summary.last_checkpoint.seq == 1 and summary.last_checkpoint.root == root
    assert summary.to_json()["last_checkpoint"]["root"] == "0x" + root.hex()


def test_rejected_pilot_and_deregistered_sponsor(registry, client, actors):
    pilot_id = _propose(registry, actors)
    registry.pilots.reject(pilot_id, 9, sender=actors.office)
    registry.pilots.deregisterSponsor(actors.sponsor, sender=actors.office)
    summary = pilot_summary(client, pilot_id)
    assert summary.status is PilotStatus.REJECTED and summary.reason_code == 9
    assert summary.sponsor_registered is False and summary.sponsor_name == "GLC Berhad"
    sponsor = sponsor_summary(client, actors.sponsor.address)
    assert sponsor.registered is False and sponsor.to_json()["registered"] is False


def test_unknown_pilot(client, chain):
    with pytest.raises(InputError, match=f"there is no pilot #99 on {chain.name}"):
        pilot_summary(client, 99)


def test_sponsor_summary(client, chain, actors):
    sponsor = sponsor_summary(client, actors.sponsor.address)
    assert sponsor.registered is True and sponsor.name == "GLC Berhad"
    assert 0 < sponsor.registered_at <= chain.time()
    stranger = sponsor_summary(client, actors.outsiders[0].address)
    assert stranger.registered is False and stranger.to_json()["registered_at"] is None


def _save_manifest(client, pilot_id, seq, logs):
    cp = hash_directory(logs)
    target = default_manifest(logs, cp.root)
    write_manifest(target, checkpoint_manifest(client, pilot_id, seq, bytes(32), "0xt", logs, cp))
    return target


def test_manifest_diff_names_changed_added_removed(client, logs):
    target = _save_manifest(client, 1, 1, logs)
    assert target.parent == logs.parent and target.name.endswith(".manifest.json")
    saved = json.loads(target.read_text())
    assert saved["format"] == MANIFEST_FORMAT and saved["pilot"] == 1
    assert [e["path"] for e in saved["entries"]] == ["app.log", "nginx/access.log", "old.log"]
    assert manifest_diff(hash_directory(logs), target).changed == ()  # nothing differs yet
    (logs / "app.log").write_text("09:00 started\n(history rewritten)\n")
    (logs / "old.log").unlink()
    (logs / "new.log").write_text("later\n")
    os.symlink("access.log", logs / "nginx" / "current.log")
    diff = manifest_diff(hash_directory(logs), target)
    assert diff.changed == ("app.log",)
    assert diff.added == ("new.log", "nginx/current.log")
    assert diff.removed == ("old.log",)
    assert diff.manifest == str(target) and diff.manifest_root == saved["root"]
    assert diff.to_json()["added"] == ["new.log", "nginx/current.log"]


def test_manifest_diff_sees_a_changed_kind(client, logs):
    target = _save_manifest(client, 1, 1, logs)
    (logs / "old.log").unlink()
    os.symlink("app.log", logs / "old.log")  # same path, now a link
    diff = manifest_diff(hash_directory(logs), target)
    assert diff.changed == ("old.log",) and diff.added == () and diff.removed == ()


def test_manifest_diff_trusts_no_edited_or_missing_manifest(client, logs, tmp_path):
    target = _save_manifest(client, 1, 1, logs)
    (logs / "app.log").write_text("changed\n")
    saved = json.loads(target.read_text())
    saved["entries"][0]["hash"] = "0x" + "11" * 32  # no longer hashes to the saved root
    target.write_text(json.dumps(saved))
    assert manifest_diff(hash_directory(logs), target) is None
    assert manifest_diff(hash_directory(logs), tmp_path / "missing.json") is None
    (tmp_path / "junk.json").write_text("not json")
    assert manifest_diff(hash_directory(logs), tmp_path / "junk.json") is None


def test_prove_anchored_then_changed(registry, client, actors, logs):
    pilot_id = _active(registry, actors)
    first = hash_directory(logs)
    anchor_checkpoint(registry.pilots, pilot_id, first.root, "s3://1", sender=actors.sponsor)
    _save_manifest(client, pilot_id, 1, logs)
    shutil.copytree(logs, logs.parent / "logs-at-1")

    now = prove(client, pilot_id, logs)
    assert now.anchored and now.seq == 1 and now.latest and now.differences is None
    assert now.root == first.root and now.entries == 3 and now.anchored_at > 0

    (logs / "app.log").write_text("09:00 started\n10:00 served\n")
    changed = prove(client, pilot_id, logs)
    assert not changed.anchored and changed.seq is None and not changed.latest
    assert changed.last_checkpoint.seq == 1 and changed.last_checkpoint.root == first.root
    assert changed.differences.changed == ("app.log",)
    assert changed.differences.added == () and changed.differences.removed == ()
    data = changed.to_json()
    assert data["anchored"] is False and data["differences"]["changed"] == ["app.log"]

    second = hash_directory(logs)
    anchor_checkpoint(registry.pilots, pilot_id, second.root, "s3://2", sender=actors.sponsor)
    earlier = prove(client, pilot_id, logs.parent / "logs-at-1")
    assert earlier.anchored and earlier.seq == 1 and not earlier.latest
    assert prove(client, pilot_id, logs).seq == 2


def test_prove_without_a_manifest_names_no_files(registry, client, actors, logs):
    pilot_id = _active(registry, actors)
    root = hash_directory(logs).root
    anchor_checkpoint(registry.pilots, pilot_id, root, "", sender=actors.sponsor)
    (logs / "app.log").write_text("edited\n")
    proof = prove(client, pilot_id, logs)
    assert not proof.anchored and proof.differences is None
    assert "differences" not in proof.to_json()


def test_directories_that_cannot_be_checkpointed(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="nothing to checkpoint"):
        checkpoint_of(empty)
    with pytest.raises(InputError, match="not a directory"):
        checkpoint_of(tmp_path / "nope")
