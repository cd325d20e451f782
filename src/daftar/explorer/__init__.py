"""Explorers: source verification (local recompile, Etherscan v2, Sourcify, Blockscout) and
links to a contract's Code / Read / Write tabs."""

from daftar.explorer.base import Explorer
from daftar.explorer.blockscout import Blockscout
from daftar.explorer.etherscan import Etherscan
from daftar.explorer.links import (
    code_url,
    contract_links,
    contract_tab_url,
    read_contract_url,
    write_contract_url,
)
from daftar.explorer.local import LocalMatch, verify_local
from daftar.explorer.result import ExplorerError, VerificationResult
from daftar.explorer.sourcify import Sourcify
from daftar.explorer.submission import Submission
from daftar.explorer.verify import (
    explorers_for,
    make_explorer,
    updated_verification,
    verify_contract,
    verify_record,
)

__all__ = [
    "Blockscout",
    "Etherscan",
    "Explorer",
    "ExplorerError",
    "LocalMatch",
    "Sourcify",
    "Submission",
    "VerificationResult",
    "code_url",
    "contract_links",
    "contract_tab_url",
    "explorers_for",
    "make_explorer",
    "read_contract_url",
    "updated_verification",
    "verify_contract",
    "verify_local",
    "verify_record",
    "write_contract_url",
]
