"""The application's errors a user can act on (the framework's DaftarError, exit code 1)."""

from __future__ import annotations

from daftar.errors import DaftarError

__all__ = ["InputError"]


class InputError(DaftarError):
    """A file or value given to the registry cannot be used (the message says why)."""
