"""`brownie.reverts(...)`: a context manager asserting that the block reverts, and how."""

from __future__ import annotations

import re
from types import TracebackType
from typing import Any

from daftar.chain.base import Reverted
from daftar.compat.brownie.exceptions import VirtualMachineError


class RevertContextManager:
    """`with brownie.reverts("reason"):` — or `"dev: comment"`, `dev_revert_msg=...`,
    `revert_pattern=...` / `dev_revert_pattern=...` (regular expressions)."""

    def __init__(
        self,
        revert_msg: str | None = None,
        dev_revert_msg: str | None = None,
        revert_pattern: str | None = None,
        dev_revert_pattern: str | None = None,
    ) -> None:
        if revert_msg is not None and revert_msg.startswith("dev:"):
            dev_revert_msg, revert_msg = revert_msg, None
        self.want_msg = revert_msg
        self.want_dev = dev_revert_msg
        self.want_pattern = re.compile(revert_pattern) if revert_pattern else None
        self.want_dev_pattern = re.compile(dev_revert_pattern) if dev_revert_pattern else None
        self.revert_msg: str | None = None
        self.dev_revert_msg: str | None = None

    def __enter__(self) -> RevertContextManager:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        if kind is None:
            raise AssertionError("Transaction did not revert")
        if not isinstance(exc, Reverted):
            return False
        if not isinstance(exc, VirtualMachineError):
            from daftar.compat.brownie.network.transaction import revert_message

            exc = VirtualMachineError(exc, revert_message(exc))
        self.revert_msg, self.dev_revert_msg = exc.revert_msg, exc.dev_revert_msg
        got = exc.revert_msg
        if self.want_msg is not None and got != self.want_msg:
            raise AssertionError(
                f"Unexpected revert string '{got}' (expected '{self.want_msg}')"
            ) from exc
        if self.want_pattern is not None and not self.want_pattern.fullmatch(got or ""):
            raise AssertionError(
                f"Unexpected revert string '{got}' (expected pattern '{self.want_pattern.pattern}')"
            ) from exc
        dev: tuple[str, ...] = getattr(exc, "dev_candidates", ()) or ()
        if self.want_dev is not None and self.want_dev not in dev:
            seen = ", ".join(f"'{d}'" for d in dev) or "none found"
            raise AssertionError(
                f"Unexpected dev revert string (expected '{self.want_dev}'; the dev comments "
                f"that can explain this revert: {seen})"
            ) from exc
        if self.want_dev_pattern is not None and not any(
            self.want_dev_pattern.fullmatch(d) for d in dev
        ):
            raise AssertionError(
                f"Unexpected dev revert string (expected pattern "
                f"'{self.want_dev_pattern.pattern}'; found: {', '.join(dev) or 'none'})"
            ) from exc
        return True


def reverts(*args: Any, **kwargs: Any) -> RevertContextManager:
    return RevertContextManager(*args, **kwargs)
