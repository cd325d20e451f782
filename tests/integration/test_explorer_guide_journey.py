"""The generated explorer guide serves a browser-only pilot (issue 13): every step it needs
is there, and the holder-file fields it quotes are the holder file's real keys."""

from __future__ import annotations

import re

from daftar_registry.formats.credentials import HolderFile, build_credential
from daftar_registry.guide import ACTIONS, FIELD_HELP

BROWSER_ONLY_STEPS = {
    ("PilotRegistry", "registerSponsor"),
    ("PilotRegistry", "propose"),
    ("PilotRegistry", "approve"),
    ("PilotRegistry", "activate"),
    ("PilotRegistry", "reportMilestone"),
    ("PilotRegistry", "anchorCheckpoint"),
    ("PilotRegistry", "complete"),
    ("IssuerRegistry", "suspend"),
    ("IssuerRegistry", "reinstate"),
    ("IssuerRegistry", "pause"),
    ("CredentialRegistry", "pause"),
    ("PilotRegistry", "pause"),
}


def test_every_browser_only_step_has_a_guide_entry():
    have = {(a.contract, a.function) for a in ACTIONS}
    assert have >= BROWSER_ONLY_STEPS, BROWSER_ONLY_STEPS - have


def test_holder_file_fields_quoted_by_the_guide_exist():
    doc = build_credential({"name": "Aisyah"}, "0x" + "11" * 20, "sepolia", 0)
    holder = HolderFile(
        document=doc, contract="0x" + "22" * 20, network="sepolia", merkle_root=None, proof=()
    ).to_json()
    keys = set(holder) | {f"document.{k}" for k in holder["document"]}
    quoted = set()
    for text in FIELD_HELP.values():
        if "holder file" in text:
            quoted |= set(re.findall(r"`([A-Za-z_.]+)`", text))
    assert quoted, "the guide quotes no holder-file field"
    assert quoted <= keys, quoted - keys
