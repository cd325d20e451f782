"""Reading what users hand the registry: holder and disclosure files, documents, inputs.

Every reader checks what it reads: a holder or disclosure file whose content no longer
matches its hashes is an error (InputError, naming the file and what to do), never a
verdict. A file that cannot be read or parsed is an error that says why.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from daftar_registry.errors import InputError
from daftar_registry.formats.credentials import (
    DISCLOSURE_FORMATS,
    AnchoredCredential,
    DisclosureFile,
    HolderFile,
    TamperedCredential,
)

__all__ = [
    "is_disclosure",
    "json_object",
    "read_bytes",
    "read_credential",
    "read_disclosure",
    "read_holder",
]

PathLike = str | os.PathLike[str]


def read_bytes(path: PathLike, what: str) -> bytes:
    """The file's bytes; InputError naming `what` it was meant to be if it cannot be read."""
    path = Path(path)
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{what} {path} is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror or exc}") from None


def json_object(path: PathLike, what: str) -> dict[str, Any] | None:
    """The file's top-level JSON object, or None if it is not one (the caller explains)."""
    try:
        data = json.loads(read_bytes(path, what))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


class AlteredFile(InputError):
    """A holder or disclosure file whose content no longer matches its hashes or proof:
    TAMPERED (exit 4, as `credential verify --help` documents)."""

    exit_code = 4


def read_holder(path: PathLike) -> HolderFile:
    """A holder file, checked: altered content is an error, never a verdict."""
    path = Path(path)
    text = read_bytes(path, "holder file")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"holder file {path} is not valid JSON: {exc}") from None
    try:
        if not isinstance(data, dict):
            raise ValueError("the top level is not a JSON object")
        return HolderFile.from_json(data)
    except TamperedCredential as exc:
        raise AlteredFile(
            f"holder file {path} has been altered: {exc}. Do not trust it; ask the holder "
            "for the file exactly as the issuer wrote it."
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{path} is not a usable daftar holder file: {exc}") from None


def read_disclosure(path: PathLike) -> DisclosureFile:
    """A disclosure file, checked: altered content is an error, never a verdict."""
    path = Path(path)
    data = json_object(path, "disclosure file")
    if data is None:
        raise InputError(f"disclosure file {path} is not a JSON object")
    try:
        return DisclosureFile.from_json(data)
    except TamperedCredential as exc:
        raise AlteredFile(
            f"disclosure file {path} has been altered: {exc}. Do not trust it; ask the holder "
            "for a new disclosure."
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{path} is not a usable daftar disclosure file: {exc}") from None


def is_disclosure(path: PathLike) -> bool:
    """Whether `path` holds a disclosure file (by its `format`), rather than a holder file."""
    data = json_object(path, "file")
    return data is not None and data.get("format") in DISCLOSURE_FORMATS


def read_credential(path: PathLike) -> AnchoredCredential:
    """A holder or disclosure file (told apart by its `format`), checked."""
    return read_disclosure(path) if is_disclosure(path) else read_holder(path)
