"""Hypothesis strategies for ABI types: `abi("uint64")`, `abi("address")`, `abi("bytes32[]")`,
`abi("(uint8,address,string)[2]")`.

They are eth-abi's own (`eth_abi.tools.get_abi_strategy`: integer ranges, fixed-point,
bytesN, bool, address), reached through eth-abi's type grammar, with one change of ours:
dynamic sizes are bounded by `max_length` (items of a `T[]`, bytes of `bytes`, characters
of `string`), so values stay cheap to send to a chain and shrink fast. Tuples and arrays of
any nesting are built from their components the same way eth-abi builds them.
"""

from __future__ import annotations

from eth_abi.exceptions import ABITypeError, NoEntriesFound, ParseError
from eth_abi.grammar import ABIType, BasicType, TupleType, normalize, parse
from eth_abi.tools import get_abi_strategy
from eth_utils import to_checksum_address
from hypothesis import strategies as st

__all__ = ["abi", "address"]


def address(pool: list[str] | None = None) -> st.SearchStrategy[str]:
    """Checksummed addresses: from `pool` (e.g. dev accounts) when given, else any 20 bytes."""
    anything = get_abi_strategy("address")
    if pool:
        return st.one_of(st.sampled_from([to_checksum_address(a) for a in pool]), anything)
    return anything


def abi(typ: str, max_length: int = 8) -> st.SearchStrategy:
    """A strategy for one ABI type string, as written in a Solidity signature.

    Basic types, arrays (`T[]`, `T[k]`, nested) and tuples (`(T1,T2)`) are accepted;
    `uint` means `uint256`. Values are what eth-abi encodes: ints, bools, checksummed
    address strings, bytes, str, Decimals for (u)fixed, tuples for tuples, lists for arrays.
    `max_length` bounds every dynamic size (bytes get `32 * max_length` at most, strings
    `8 * max_length` characters). An unknown or malformed type is a ValueError.
    """
    try:
        parsed = parse(normalize(typ))
        parsed.validate()
        return _strategy(parsed, max_length)
    except (ParseError, ABITypeError, NoEntriesFound) as exc:
        raise ValueError(f"no strategy for ABI type {typ!r}: {exc}") from None


def _strategy(typ: ABIType, max_length: int) -> st.SearchStrategy:
    if typ.arrlist:
        item = _strategy(typ.item_type, max_length)
        (size,) = typ.arrlist[-1] or (None,)
        if size is None:
            return st.lists(item, max_size=max_length)
        return st.lists(item, min_size=size, max_size=size)
    if isinstance(typ, TupleType):
        return st.tuples(*(_strategy(c, max_length) for c in typ.components))
    assert isinstance(typ, BasicType)
    if typ.base == "bytes" and typ.sub is None:
        return st.binary(max_size=32 * max_length)
    if typ.base == "string":
        return st.text(max_size=8 * max_length)
    if typ.base == "function":
        return st.binary(min_size=24, max_size=24)  # address ‖ selector
    return get_abi_strategy(typ.to_type_str())
