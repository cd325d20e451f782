"""`brownie.convert`: Wei and unit strings, addresses, bytes, integer conversion."""

from __future__ import annotations

from typing import Any

from daftar.compat.brownie.convert.datatypes import (
    EthAddress,
    Fixed,
    HexString,
    ReturnValue,
    Wei,
    to_wei,
)
from daftar.errors import DaftarError

__all__ = [
    "EthAddress",
    "Fixed",
    "HexString",
    "ReturnValue",
    "Wei",
    "to_address",
    "to_bool",
    "to_bytes",
    "to_int",
    "to_string",
    "to_uint",
]


def to_uint(value: Any, type_str: str = "uint256") -> Wei:
    bits = int(type_str[4:] or 256)
    wei = Wei(value)
    if not 0 <= wei < 2**bits:
        raise OverflowError(f"{value!r} does not fit {type_str}")
    return wei


def to_int(value: Any, type_str: str = "int256") -> Wei:
    bits = int(type_str[3:] or 256)
    wei = Wei(value)
    if not -(2 ** (bits - 1)) <= wei < 2 ** (bits - 1):
        raise OverflowError(f"{value!r} does not fit {type_str}")
    return wei


def to_address(value: Any) -> str:
    return str(EthAddress(value))


def to_bytes(value: Any, type_str: str = "bytes32") -> HexString:
    if isinstance(value, int):
        size = int(type_str[5:] or 32)
        return HexString(value.to_bytes(size, "big"))
    out = HexString(value)
    if type_str != "bytes" and len(out) < int(type_str[5:] or 32):
        out = HexString(bytes(out).rjust(int(type_str[5:] or 32), b"\0"))
    return out


def to_bool(value: Any) -> bool:
    if value in (0, 1, True, False, "0", "1", "True", "False", "true", "false"):
        return str(value) in ("1", "True", "true")
    raise DaftarError(f"cannot convert {value!r} to bool")


def to_string(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode()
    return str(value)


del to_wei
