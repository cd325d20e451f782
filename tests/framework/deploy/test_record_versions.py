"""daftar.deploy.versions: earlier deployments of a network are kept, never overwritten.

Invariants: archiving moves the current records (not `.chainId`) into `versions/<n>/`
unchanged; the index names every archived version with its contracts' addresses; an
interrupted new version is resumed, not archived again; a crash between moving the files
and writing the index is finished by the next run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from daftar.deploy.versions import (
    INDEX_FILE,
    current_version,
    finish_version,
    read_index,
    recorded_versions,
    start_new_version,
)
from daftar.errors import DeployError


def _deployed(folder: Path, address: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".chainId").write_text("31337\n")
    record = {"contract": "Token", "address": address, "tx_hash": "0x01", "block": 1}
    (folder / "Token.json").write_text(json.dumps(record))
    (folder / "journal.jsonl").write_text('{"event": "mined", "step": "token"}\n')
    (folder / "README.md").write_text("# Deployments\n")


A1 = "0x" + "11" * 20
A2 = "0x" + "22" * 20
A3 = "0x" + "33" * 20


def test_a_folder_without_index_is_version_1(tmp_path):
    _deployed(tmp_path, A1)
    assert current_version(tmp_path) == 1 and read_index(tmp_path) is None
    (only,) = recorded_versions(tmp_path)
    assert (only.version, only.current, only.address_of("Token")) == (1, True, A1)


def test_an_empty_folder_has_no_versions_and_nothing_to_archive(tmp_path):
    assert recorded_versions(tmp_path) == []
    with pytest.raises(DeployError, match="deploy without --new-version"):
        start_new_version(tmp_path)


def test_new_versions_keep_the_earlier_records_unchanged(tmp_path):
    _deployed(tmp_path, A1)
    before = (tmp_path / "Token.json").read_bytes()
    assert start_new_version(tmp_path, now=1000) == 2
    assert not (tmp_path / "Token.json").exists() and (tmp_path / ".chainId").is_file()
    assert (tmp_path / "versions" / "1" / "Token.json").read_bytes() == before
    assert (tmp_path / "versions" / "1" / "journal.jsonl").is_file()
    index = read_index(tmp_path)
    assert index == {
        "current": 2,
        "complete": False,
        "versions": [
            {"version": 1, "folder": "versions/1", "archived_at": 1000, "contracts": {"Token": A1}}
        ],
    }
    # The interrupted new version is resumed, not archived again.
    assert start_new_version(tmp_path) == 2
    _deployed(tmp_path, A2)
    finish_version(tmp_path)
    assert read_index(tmp_path)["complete"] is True
    assert start_new_version(tmp_path) == 3
    _deployed(tmp_path, A3)
    finish_version(tmp_path)
    found = [(v.version, v.current, v.address_of("Token")) for v in recorded_versions(tmp_path)]
    assert found == [(1, False, A1), (2, False, A2), (3, True, A3)]
    assert [v["contracts"] for v in read_index(tmp_path)["versions"]] == [
        {"Token": A1},
        {"Token": A2},
    ]


def test_a_crash_after_moving_the_files_is_finished_by_the_next_run(tmp_path):
    _deployed(tmp_path, A1)
    (tmp_path / "versions" / "1").mkdir(parents=True)
    for name in ("Token.json", "journal.jsonl", "README.md"):
        (tmp_path / name).rename(tmp_path / "versions" / "1" / name)
    assert start_new_version(tmp_path) == 2
    assert read_index(tmp_path)["versions"][0]["contracts"] == {"Token": A1}


def test_a_crash_while_moving_is_finished_from_the_partial_folder(tmp_path):
    _deployed(tmp_path, A1)
    partial = tmp_path / "versions" / "1.partial"
    partial.mkdir(parents=True)
    (tmp_path / "Token.json").rename(partial / "Token.json")
    assert start_new_version(tmp_path) == 2
    assert sorted(p.name for p in (tmp_path / "versions" / "1").iterdir()) == [
        "README.md",
        "Token.json",
        "journal.jsonl",
    ]
    assert not partial.exists()


def test_hand_edited_versions_are_refused(tmp_path):
    _deployed(tmp_path, A1)
    (tmp_path / "versions" / "1").mkdir(parents=True)
    with pytest.raises(DeployError, match="edited by hand"):
        start_new_version(tmp_path)


def test_a_broken_index_is_a_clear_error(tmp_path):
    _deployed(tmp_path, A1)
    (tmp_path / INDEX_FILE).write_text("{not json")
    with pytest.raises(DeployError, match="versions.json cannot be read"):
        current_version(tmp_path)
    (tmp_path / INDEX_FILE).write_text("[]")
    with pytest.raises(DeployError, match="not a versions index"):
        current_version(tmp_path)


def test_new_version_is_refused_where_nothing_is_recorded(tmp_path):
    """A dry run and a throwaway chain record nothing, so there is no version to keep."""
    from daftar.deploy.runner import deploy

    repo = Path(__file__).resolve().parents[2]
    for network, dry in (("development", False), ("development", True)):
        with pytest.raises(DeployError, match="--new-version keeps the records"):
            deploy(network, project_dir=repo, dry_run=dry, new_version=True,
                   deployments_dir=tmp_path, say=lambda _m: None)  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_a_deploy_with_transactions_in_flight_is_not_archived(tmp_path):
    _deployed(tmp_path, A1)
    signed = {"event": "signed", "step": "token", "nonce": 7, "hash": "0x02", "from": A1}
    (tmp_path / "journal.jsonl").write_text(json.dumps(signed) + "\n")
    with pytest.raises(DeployError, match=r"in flight \(nonce 7\)"):
        start_new_version(tmp_path)
    assert (tmp_path / "Token.json").is_file() and not (tmp_path / "versions").exists()
