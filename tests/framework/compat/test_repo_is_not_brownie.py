"""This repository is a daftar project: nothing under its tests/ or scripts/ may make the
Brownie detector take it for a Brownie one (a test file with a brownie import at the start
of a line, even inside a string, would hand every registry test Brownie's fixtures)."""

from __future__ import annotations

from pathlib import Path

from daftar.compat.brownie._hook import is_brownie_project

REPO = Path(__file__).resolve().parents[3]


def test_the_repository_is_not_detected_as_a_brownie_project():
    assert (REPO / "brownie-config.yaml").is_file()
    assert not is_brownie_project(REPO)
