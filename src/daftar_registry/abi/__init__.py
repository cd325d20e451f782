"""The registry contracts' ABIs, shipped inside the package.

Verifying a credential needs only the ABI of the contracts it asks (CredentialRegistry,
and IssuerRegistry for the issuer's name), not a checkout of this repository, a compiler
or deployment records: `abi("CredentialRegistry")` reads the JSON file beside this module.

The files are the compiled contracts' ABIs, exactly (tests/registry/formats/test_packaged_abi.py
compares them with a fresh compile). After a change to a contract's external interface,
regenerate them from the repository root with `python -m daftar_registry.abi` (it
compiles the project and rewrites the files), and commit them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["CONTRACTS", "abi"]

#: The contracts whose ABI ships with the package.
CONTRACTS = ("CredentialRegistry", "IssuerRegistry", "PilotRegistry")


@cache
def _text(name: str) -> str:
    return resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")


def abi(name: str) -> list[dict[str, Any]]:
    """The ABI of registry contract `name` (a fresh copy: callers may change it)."""
    if name not in CONTRACTS:
        raise KeyError(f"no packaged ABI for {name!r}; there are: {', '.join(CONTRACTS)}")
    return json.loads(_text(name))
