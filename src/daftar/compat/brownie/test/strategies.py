"""`brownie.test.strategy(type, **kwargs)`: Hypothesis strategies for ABI types."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st

from daftar.compat.brownie.convert.datatypes import to_wei
from daftar.compat.brownie.exceptions import NotCovered
from daftar.errors import DaftarError

_INT = re.compile(r"^(u?)int(\d*)$")
_BYTES = re.compile(r"^bytes(\d+)$")


def _ints(typ: str, min_value: Any, max_value: Any, exclude: Any) -> st.SearchStrategy:
    m = _INT.match(typ)
    assert m
    bits = int(m.group(2) or 256)
    lo, hi = (0, 2**bits - 1) if m.group(1) else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    lo = max(lo, to_wei(min_value)) if min_value is not None else lo
    hi = min(hi, to_wei(max_value)) if max_value is not None else hi
    if lo > hi:
        raise DaftarError(f"strategy('{typ}'): min_value {lo} is above max_value {hi}")
    strat = st.integers(lo, hi)
    if exclude is not None:
        excluded = {
            to_wei(v) for v in (exclude if isinstance(exclude, (list, tuple, set)) else [exclude])
        }
        strat = strat.filter(lambda v: v not in excluded)
    return strat


def _address(length: int | None = None, include: Any = ()) -> st.SearchStrategy:
    def pool() -> st.SearchStrategy:
        from daftar.compat.brownie.network.account import accounts

        found = list(accounts)[:length] if length else list(accounts)
        found += [a for a in include if a not in found]
        if not found:
            raise DaftarError("strategy('address'): no accounts (no network connected)")
        return st.sampled_from(found)

    return st.deferred(pool)


def strategy(type_str: str, **kwargs: Any) -> st.SearchStrategy:
    """A strategy for `type_str`: (u)intN, address, bool, bytesN, bytes, string, decimal, arrays."""
    typ = type_str.strip()
    if typ == "uint":
        typ = "uint256"
    if typ == "int":
        typ = "int256"
    if typ.endswith("]"):
        base, _, size = typ[:-1].rpartition("[")
        min_length = kwargs.pop("min_length", int(size) if size else 1)
        max_length = kwargs.pop("max_length", int(size) if size else 8)
        unique = kwargs.pop("unique", False)
        return st.lists(
            strategy(base, **kwargs), min_size=min_length, max_size=max_length, unique=unique
        )
    if _INT.match(typ):
        return _ints(typ, kwargs.pop("min_value", None), kwargs.pop("max_value", None),
                     kwargs.pop("exclude", None))  # fmt: skip
    if typ == "address":
        return _address(kwargs.pop("length", None), kwargs.pop("include", ()))
    if typ == "bool":
        return st.booleans()
    if m := _BYTES.match(typ):
        n = int(m.group(1))
        return st.binary(min_size=n, max_size=n)
    if typ == "bytes":
        return st.binary(min_size=kwargs.pop("min_size", 1), max_size=kwargs.pop("max_size", 64))
    if typ == "string":
        return st.text(min_size=kwargs.pop("min_size", 0), max_size=kwargs.pop("max_size", 64))
    if typ == "decimal":
        return st.decimals(
            min_value=kwargs.pop("min_value", -(2**127)),
            max_value=kwargs.pop("max_value", 2**127 - 1),
            places=kwargs.pop("places", 10),
            allow_nan=False,
            allow_infinity=False,
        )
    raise NotCovered(f"brownie.test.strategy('{type_str}')")
