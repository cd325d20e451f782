"""`daftar credential disclose`, and `credential verify` for disclosure files too.

A holder rarely wants to show every field (a degree, but not the date of birth).
`disclose` writes a disclosure file (daftar_registry.formats.credentials, `daftar-disclosure/1`)
from a holder file: the salted document, the chosen fields' values and salts, and where the
credential is anchored, nothing about the other fields beyond their commitments. `verify`
recognises either file by its `format` field: a disclosure is checked offline (each
revealed value against its commitment, the document against the credential hash, the Merkle
proof), then on chain exactly like a holder file, and only the revealed fields are printed.

This module adds `disclose` to the `credential` group of daftar_registry.cli.credential,
whose `verify` reads disclosure files through `is_disclosure` / `anchored_disclosure`.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

from daftar.cli.context import Context
from daftar_registry.cli.common import (
    InputError,
    emit,
    read_bytes,
    row,
)
from daftar_registry.cli.credential import credential, read_holder


def _json_object(path: Path, what: str) -> dict[str, Any] | None:
    """The file's top-level JSON object, or None if it is not one (the caller explains)."""
    try:
        data = json.loads(read_bytes(path, what))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def read_disclosure(path: Path) -> Any:
    """A disclosure file, checked: altered content is an error, never a verdict."""
    from daftar_registry.formats.credentials import DisclosureFile, TamperedCredential

    data = _json_object(path, "disclosure file")
    if data is None:
        raise InputError(f"disclosure file {path} is not a JSON object")
    try:
        return DisclosureFile.from_json(data)
    except TamperedCredential as exc:
        raise InputError(
            f"disclosure file {path} has been altered: {exc}. Do not trust it; ask the holder "
            "for a new disclosure."
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{path} is not a usable daftar disclosure file: {exc}") from None


# -- disclose -----------------------------------------------------------------------------------
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
    from daftar_registry.formats.credentials import DISCLOSURE_FORMAT, write_disclosure_file

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
        existing = _json_object(target, "file") if target.is_file() else None
        if existing is None or existing.get("format") != DISCLOSURE_FORMAT:
            raise InputError(f"{target} exists and is not a disclosure file; choose another --out")
    try:
        written = write_disclosure_file(target, holder, names)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
    hidden = [n for n in holder.document.fields if n not in names]
    data = {
        "disclosure": str(target),
        "holder": str(holder_file),
        "revealed": names,
        "hidden": hidden,
        "credential_hash": "0x" + written.credential_hash.hex(),
        "contract": written.contract,
        "network": written.network,
    }
    lines = [
        row("disclosure", str(target)),
        row("revealed", ", ".join(names)),
        row("hidden", ", ".join(hidden) or "-"),
        row("credential", data["credential_hash"]),
    ]
    emit(ctx, data, lines)


def is_disclosure(path: Path) -> bool:
    """Whether `path` holds a disclosure file (by its `format`), rather than a holder file."""
    from daftar_registry.formats.credentials import DISCLOSURE_FORMAT

    data = _json_object(path, "file")
    return data is not None and data.get("format") == DISCLOSURE_FORMAT


def anchored_disclosure(path: Path) -> tuple[Any, dict[str, Any]]:
    """A checked disclosure as the view `credential verify` judges, plus what it reveals.

    The view has the attributes verification reads from a holder file, so a disclosure
    gets exactly the same registry checks and verdict.
    """
    found = read_disclosure(path)
    revealed = found.check()
    anchored = SimpleNamespace(
        network=found.network, contract=found.contract, credential_hash=found.credential_hash,
        merkle_root=found.merkle_root, proof=found.proof,
        document=SimpleNamespace(issuer=found.issuer),
    )  # fmt: skip
    hidden = [n for n in found.disclosure.salted["fields"] if n not in revealed]
    return anchored, {"disclosure": str(path), "revealed": revealed, "hidden": hidden}
