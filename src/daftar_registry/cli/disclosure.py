"""`daftar credential disclose`: a holder shows some fields of a credential, not all.

A holder rarely wants to show every field (a degree, but not the date of birth).
`disclose` writes a disclosure file (daftar_registry.formats.credentials, `daftar-disclosure/2`)
from a holder file: the salted document, the chosen fields' values and salts, and where the
credential is anchored, nothing about the other fields beyond their commitments.
`credential verify` takes it like a holder file (both are an AnchoredCredential): checked
offline, then on chain, and only the revealed fields are printed.

This module adds `disclose` to the `credential` group of daftar_registry.cli.credential.
"""

from __future__ import annotations

from pathlib import Path

import click

from daftar.cli.context import Context
from daftar_registry.cli.common import InputError, emit, row
from daftar_registry.cli.credential import credential

__all__ = ["credential", "disclose"]


@credential.command("disclose")
@click.argument("holder_file", type=click.Path(path_type=Path))
@click.option(
    "--field", "fields", multiple=True, required=True, metavar="NAME",
    help="A field to reveal (repeat for several); the others stay hidden.",
)  # fmt: skip
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Disclosure file to write (default: <holder>.disclosure.json beside the holder file).",
)
@click.pass_obj
def disclose(ctx: Context, holder_file: Path, fields: tuple[str, ...], out: Path | None) -> None:
    """Write a disclosure of some fields of HOLDER_FILE for a verifier (no network needed)."""
    from daftar_registry.formats.credentials import DISCLOSURE_FORMATS, write_disclosure_file
    from daftar_registry.services.files import json_object, read_holder

    holder = read_holder(holder_file)
    names = list(dict.fromkeys(fields))
    unknown = [n for n in names if n not in holder.document.fields]
    if unknown:
        raise InputError(
            f"{holder_file} has no field(s) {', '.join(map(repr, unknown))}; its fields are "
            f"{', '.join(map(repr, holder.document.fields))}"
        )
    stem = holder_file.name.removesuffix(".json").removesuffix(".holder")
    target = out or holder_file.with_name(f"{stem}.disclosure.json")
    if target.exists():
        # Never overwrite a holder file (its salts may be the only proof) or anything else
        # that is not an earlier disclosure, which can always be made again.
        existing = json_object(target, "file") if target.is_file() else None
        if existing is None or existing.get("format") not in DISCLOSURE_FORMATS:
            raise InputError(f"{target} exists and is not a disclosure file; choose another --out")
    try:
        written = write_disclosure_file(target, holder, names)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
    hidden = written.hidden()
    data = {
        "disclosure": str(target),
        "holder": str(holder_file),
        "revealed": names,
        "hidden": hidden,
        "credential_hash": "0x" + written.credential_hash.hex(),
        "contract": written.contract,
        "network": written.network,
        "chain_id": written.chain_id,
        "registry_version": written.registry_version,
        "format": written.format,
    }
    lines = [
        row("disclosure", str(target)),
        row("revealed", ", ".join(names)),
        row("hidden", ", ".join(hidden) or "-"),
        row("credential", data["credential_hash"]),
    ]
    emit(ctx, data, lines)
