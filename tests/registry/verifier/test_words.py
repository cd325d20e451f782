"""The page and the command line name every outcome the same way, in the same words."""

from __future__ import annotations

import re
from importlib.resources import files

from daftar_registry.services.registries import UnknownRegistry, Unreachable, WrongNetwork
from daftar_registry.status import CredentialStatus, Standing
from daftar_registry.verifier.page import STANDING_WORDS, PageConfig, status_words


def test_every_status_and_outcome_has_the_command_lines_words():
    words = status_words()
    for status in CredentialStatus:
        assert words[status.name] == status.explain()
    for outcome in (WrongNetwork, UnknownRegistry, Unreachable):
        assert outcome.status in words
    assert {"TAMPERED", "ERROR"} <= set(words)
    assert set(STANDING_WORDS) == set(Standing)


def test_the_page_knows_every_status_by_its_contract_value():
    page = files("daftar_registry.verifier").joinpath("page.html").read_text()
    listed = re.search(r"const STATUS_NAMES = \[([^\]]+)\]", page)
    assert listed is not None
    names = re.findall(r'"([A-Z_]+)"', listed.group(1))
    assert names == [s.name for s in sorted(CredentialStatus)]
    standings = re.search(r"const STANDINGS = \[([^\]]+)\]", page)
    assert standings is not None
    assert re.findall(r'"([A-Z_]+)"', standings.group(1)) == [s.name for s in sorted(Standing)]
    config = PageConfig().to_json()
    assert config["words"] == status_words()
    for name in status_words():
        assert f"{name}:" in page, f"the page has no title for {name}"
