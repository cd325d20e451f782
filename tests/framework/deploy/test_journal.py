"""The write-ahead journal: durable records, a crash mid-write never loses earlier ones."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from daftar.deploy.journal import FAILED, MINED, SENT, SIGNED, SKIPPED, Journal, read
from daftar.errors import DeployError


def test_append_and_read_back(tmp_path):
    path = tmp_path / "d" / "journal.jsonl"
    j = Journal(path)
    j.append(SIGNED, "a", nonce=0, hash="0x01", raw="0xaa", **{"from": "0xD"})
    j.append(SENT, "a", hash="0x01")
    again = Journal(path)
    assert [r["event"] for r in again.records] == [SIGNED, SENT]
    assert path.read_text().count("\n") == 2
    assert again.deployer() == "0xD"


def test_truncated_last_line_is_ignored_and_cut_before_the_next_append(tmp_path):
    """A crash mid-write leaves a partial line: readers skip it, the next append replaces it."""
    path = tmp_path / "journal.jsonl"
    j = Journal(path)
    j.append(SIGNED, "a", nonce=0, hash="0x01", raw="0xaa")
    with open(path, "a") as f:
        f.write('{"event":"sent","step":"a","ha')  # the crash happened here
    assert [r["event"] for r in read(path)] == [SIGNED]
    j = Journal(path)
    j.append(SENT, "a", hash="0x01")
    lines = path.read_text().splitlines()
    assert [json.loads(line)["event"] for line in lines] == [SIGNED, SENT]


def test_a_corrupt_record_in_the_middle_is_an_error(tmp_path):
    path = tmp_path / "journal.jsonl"
    path.write_text('{"event":"signed","step":"a"}\nnot json\n{"event":"sent","step":"a"}\n')
    with pytest.raises(DeployError, match="journal.jsonl:2: not a journal record"):
        read(path)


def test_state_folds_records_and_failed_restarts_a_step(tmp_path):
    j = Journal(tmp_path / "journal.jsonl")
    j.append(SIGNED, "a", nonce=0, hash="0x01")
    j.append(SIGNED, "a", nonce=0, hash="0x02", replaces="0x01")
    j.append(SIGNED, "b", nonce=1, hash="0x03")
    assert j.state("a").hashes == ["0x01", "0x02"]
    assert j.in_flight_nonces() == {0, 1}
    j.append(MINED, "a", hash="0x02", block=5)
    assert j.state("a").done and j.in_flight_nonces() == {1}
    j.append(FAILED, "b", hash="0x03", block=6)
    assert j.state("b").signed == [] and not j.state("b").done
    j.append(SKIPPED, "c", reason="already in effect")
    assert j.state("c").done


def test_crash_hook_kills_right_after_the_nth_record(tmp_path):
    path = tmp_path / "journal.jsonl"
    code = (
        "import sys; from pathlib import Path\n"
        "from daftar.deploy.journal import Journal\n"
        "j = Journal(Path(sys.argv[1]))\n"
        "for i in range(5): j.append('sent', f's{i}')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        env={**os.environ, "DAFTAR_CRASH_AFTER": "3"},
        capture_output=True,
    )
    assert proc.returncode == -signal.SIGKILL
    assert [r["step"] for r in read(path)] == ["s0", "s1", "s2"]
