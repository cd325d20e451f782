"""Text renderings shared by the CLI and the demo: `label:  value` rows and the verdict.

`verdict_line` is the one line that says what the registry answered about a credential;
`verdict_lines` is the whole block `daftar credential verify` prints. Both take a
daftar_registry.services.verdict.Verdict; nothing here talks to a chain.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from daftar_registry.services.verdict import Verdict

__all__ = ["linked_text", "row", "verdict_line", "verdict_lines"]


def row(label: str, value: Any) -> str:
    """`label:` padded to 13 columns, then the value."""
    return f"{label + ':':<13} {value}"


def linked_text(value: str, link: str | None) -> str:
    """`value`, followed by its explorer link when there is one."""
    return f"{value}  {link}" if link else value


def verdict_line(verdict: Verdict, mark: Callable[[str], str] = str) -> str:
    """`STATUS: what it means`; `mark` dresses the status name (colour, say)."""
    return f"{mark(verdict.status.name)}: {verdict.explanation}"


_REVOKERS = {"issuer": "issuer", "authority": "programme office (authority)"}


def verdict_lines(verdict: Verdict) -> list[str]:
    """The verdict as `daftar credential verify` prints it (revealed fields for a disclosure)."""
    lines = [
        row("credential", "0x" + verdict.credential_hash.hex()),
        row("status", verdict_line(verdict)),
    ]
    if verdict.merkle_root:
        lines.append(row("batch", "0x" + verdict.merkle_root.hex()))
    if verdict.issuer:
        shown = verdict.issuer + (f" ({verdict.issuer_name})" if verdict.issuer_name else "")
        lines.append(row("issuer", linked_text(shown, verdict.issuer_link)))
    if verdict.signer and verdict.issuer and verdict.signer.lower() != verdict.issuer.lower():
        lines.append(row("signed by", f"{verdict.signer} (a key of the issuer)"))
    if not verdict.issuer_matches:
        lines.append(
            row("warning", f"the document names issuer {verdict.document_issuer}, "
                "but another account anchored it: do not accept it")
        )  # fmt: skip
    data = verdict.to_json()
    lines += [
        row("issued", data["issued_at"] or "-"),
        row("expires", data["expires_at"] or "never"),
        row(
            "revoked",
            (data["revoked_at"] + f" by the {_REVOKERS[verdict.revoked_by]}")
            if verdict.revoked_by
            else "-",
        ),
        row("reason code", verdict.reason_code),
        row("registry", linked_text(verdict.contract, verdict.contract_link)),
        row("network", verdict.network),
    ]
    if verdict.kind == "disclosure":  # only these fields were shown
        lines.append(
            row("revealed", f"{len(verdict.revealed)} field(s), checked against the credential")
        )
        shown = verdict.revealed.items()
        lines += [f"  {n}: {json.dumps(v, ensure_ascii=False)}" for n, v in shown]
        lines.append(row("hidden", ", ".join(verdict.hidden) or "-"))
    return lines
