"""`with reverts("ErrorName", arg=value): ...`: assert a call reverts, and how."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from daftar.chain.base import Reverted


class RevertInfo:
    exc: Reverted | None = None


@contextlib.contextmanager
def reverts(error: str | None = None, **expected: Any) -> Iterator[RevertInfo]:
    """Fail unless the block raises `Reverted`, with `error`'s name and these arguments.

    `error` is a custom error's name, "Error" (require strings, match with message=...),
    or "Panic" (match with code=...).
    """
    info = RevertInfo()
    try:
        yield info
    except Reverted as exc:
        info.exc = exc
        if error is not None and exc.error != error:
            raise AssertionError(f"expected revert {error}, got {exc}") from exc
        for key, want in expected.items():
            got = exc.args_by_name.get(key, "<missing>")
            if _norm(got) != _norm(want):
                raise AssertionError(
                    f"revert {exc.error}: {key}={got!r}, expected {want!r}"
                ) from exc
        return
    raise AssertionError(
        f"expected a revert{' with ' + error if error else ''}, but nothing reverted"
    )


def _norm(value: Any) -> Any:
    if hasattr(value, "address"):
        return value.address.lower()
    if isinstance(value, str) and value.startswith("0x"):
        return value.lower()
    return value
