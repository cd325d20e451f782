"""Hypothesis strategies for ABI types: `abi("uint64")`, `abi("address")`, `abi("bytes32[]")`."""

from __future__ import annotations

import re

from eth_utils import to_checksum_address
from hypothesis import strategies as st

_INT = re.compile(r"^(u?)int(\d*)$")
_BYTES = re.compile(r"^bytes(\d+)$")


def address(pool: list[str] | None = None) -> st.SearchStrategy[str]:
    """Checksummed addresses: from `pool` (e.g. dev accounts) when given, else any 20 bytes."""
    anything = st.binary(min_size=20, max_size=20).map(lambda b: to_checksum_address(b))
    if pool:
        return st.one_of(st.sampled_from(pool), anything)
    return anything


def abi(typ: str, max_length: int = 8) -> st.SearchStrategy:
    """A strategy for one ABI type: (u)intN, address, bool, bytesN, bytes, string, T[], T[k]."""
    if typ.endswith("]"):
        base, _, size = typ[:-1].rpartition("[")
        inner = abi(base, max_length)
        if size:
            return st.lists(inner, min_size=int(size), max_size=int(size))
        return st.lists(inner, max_size=max_length)
    if m := _INT.match(typ):
        bits = int(m.group(2) or 256)
        if m.group(1):
            return st.integers(0, 2**bits - 1)
        return st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    if m := _BYTES.match(typ):
        n = int(m.group(1))
        return st.binary(min_size=n, max_size=n)
    if typ == "address":
        return address()
    if typ == "bool":
        return st.booleans()
    if typ == "bytes":
        return st.binary(max_size=max_length * 32)
    if typ == "string":
        return st.text(max_size=max_length * 8)
    raise ValueError(f"no strategy for ABI type {typ!r}")
