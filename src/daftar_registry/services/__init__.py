"""The registry's rules as a Python API: what the CLI prints, callable with a client.

Each service takes a registry client (daftar_registry.client: `connect_registry` for a
live network, `local_client` for a registry deployed in this process) and returns a
frozen dataclass with a `to_json()` (the `--json` output of the matching command):

- `verdict.verify`: a holder or disclosure file → `Verdict` (`verify_many`: many, batched);
- `registries.open_registry`: the registry a file names, found among the network's
  recorded versions or taken from the file (unconfirmed), with packaged ABIs;
- `checks.check_files`: `credential verify FILE...` from any directory → one `Outcome`
  (verdict or TAMPERED / WRONG_NETWORK / UNKNOWN_REGISTRY / UNREACHABLE) and exit code each;
- `issuers.issuer_summary`: an issuer's standing and history → `IssuerSummary`;
- `pilots.pilot_summary`, `pilots.prove`, `pilots.manifest_diff`: a pilot, whether a
  directory's state was anchored, and which files differ from a checkpoint's manifest;
- `admin.admin_state`: each contract's admin, pending handover, delay, pause, roles.

The CLI (daftar_registry.cli) parses arguments, calls these, and renders the result.
"""

from __future__ import annotations

from daftar_registry.services.admin import AdminState, ContractState, admin_state
from daftar_registry.services.issuers import IssuerSummary, issuer_summary
from daftar_registry.services.pilots import (
    ManifestDiff,
    PilotSummary,
    Proof,
    manifest_diff,
    pilot_summary,
    prove,
)
from daftar_registry.services.verdict import Verdict, verify

__all__ = [
    "AdminState",
    "ContractState",
    "IssuerSummary",
    "ManifestDiff",
    "PilotSummary",
    "Proof",
    "Verdict",
    "admin_state",
    "issuer_summary",
    "manifest_diff",
    "pilot_summary",
    "prove",
    "verify",
]
