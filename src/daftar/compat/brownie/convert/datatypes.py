"""Brownie's value types: `Wei` (unit strings, floats), `EthAddress`, `HexString`, `ReturnValue`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from daftar.contract.abi import checksum
from daftar.errors import DaftarError

UNITS = {
    "wei": 0,
    "kwei": 3,
    "babbage": 3,
    "mwei": 6,
    "lovelace": 6,
    "gwei": 9,
    "shannon": 9,
    "microether": 12,
    "szabo": 12,
    "milliether": 15,
    "finney": 15,
    "ether": 18,
}


def to_wei(value: Any) -> int:
    """An int from what Brownie accepts: ints, integral floats (1e21), "1 ether", "0x10"."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise DaftarError(f"cannot convert {value!r} to wei: it has a fractional part")
        return int(Decimal(repr(value)))
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise DaftarError(f"cannot convert {value} to wei: it has a fractional part")
        return int(value)
    if isinstance(value, (bytes, bytearray)):
        return int.from_bytes(value, "big")
    if isinstance(value, str):
        text = value.strip()
        if text.startswith(("0x", "0X")):
            return int(text, 16)
        parts = text.split()
        if len(parts) in (1, 2) and (len(parts) == 1 or parts[1].lower() in UNITS):
            try:
                amount = Decimal(parts[0])
            except ArithmeticError:
                raise DaftarError(f"cannot convert {value!r} to wei") from None
            if len(parts) == 2:
                amount *= Decimal(10) ** UNITS[parts[1].lower()]
        else:
            units = ", ".join(UNITS)
            raise DaftarError(f"cannot convert {value!r} to wei: the unit must be one of {units}")
        if amount != amount.to_integral_value():
            raise DaftarError(f"cannot convert {value!r} to wei: it is not a whole number of wei")
        return int(amount)
    raise DaftarError(f"cannot convert {type(value).__name__} {value!r} to wei")


class Wei(int):
    """An integer amount of wei that also compares with unit strings: `Wei("1 ether") == 10**18`."""

    def __new__(cls, value: Any = 0) -> Wei:
        return super().__new__(cls, to_wei(value))

    def __repr__(self) -> str:
        return str(int(self))

    def _other(self, other: Any) -> Any:
        if isinstance(other, (str, float, Decimal)) and not isinstance(other, bool):
            try:
                return to_wei(other)
            except DaftarError:
                return None
        return other

    def __eq__(self, other: Any) -> bool:
        o = self._other(other)
        return o is not None and int(self) == o

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    def __lt__(self, other: Any) -> bool:
        return int(self) < self._other(other)

    def __le__(self, other: Any) -> bool:
        return int(self) <= self._other(other)

    def __gt__(self, other: Any) -> bool:
        return int(self) > self._other(other)

    def __ge__(self, other: Any) -> bool:
        return int(self) >= self._other(other)

    __hash__ = int.__hash__

    def __add__(self, other: Any) -> Wei:
        return Wei(int(self) + to_wei(other))

    __radd__ = __add__

    def __sub__(self, other: Any) -> Wei:
        return Wei(int(self) - to_wei(other))

    def __rsub__(self, other: Any) -> Wei:
        return Wei(to_wei(other) - int(self))

    def to(self, unit: str) -> Decimal:
        """This amount in `unit` ("ether", "gwei", ...), as a Decimal."""
        if unit not in UNITS:
            raise DaftarError(f"unknown unit {unit!r}; units: {', '.join(UNITS)}")
        return Decimal(int(self)) / (Decimal(10) ** UNITS[unit])


def Fixed(value: Any) -> Decimal:
    return Decimal(str(value))


def _address_of(value: Any) -> str | None:
    if hasattr(value, "address") and isinstance(value.address, str):
        return value.address
    if isinstance(value, str) and len(value) == 42 and value[:2].lower() == "0x":
        return value
    return None


class EthAddress(str):
    """A checksummed address that compares equal to any casing and to account objects."""

    def __new__(cls, value: Any) -> EthAddress:
        addr = _address_of(value)
        if addr is None:
            raise DaftarError(f"{value!r} is not an address")
        return super().__new__(cls, checksum(addr))

    def __eq__(self, other: Any) -> bool:
        addr = _address_of(other)
        return addr is not None and addr.lower() == self.lower()

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return str.__hash__(self)


class HexString(bytes):
    """Bytes that compare equal to their 0x-hex text as well."""

    def __new__(cls, value: Any) -> HexString:
        if isinstance(value, str):
            value = bytes.fromhex(value[2:] if value[:2].lower() == "0x" else value)
        return super().__new__(cls, bytes(value))

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, str):
            text = other[2:] if other[:2].lower() == "0x" else other
            return bytes(self).hex() == text.lower()
        return bytes(self) == other

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    __hash__ = bytes.__hash__

    def __str__(self) -> str:
        return "0x" + self.hex()

    def __repr__(self) -> str:
        return f"HexString('0x{self.hex()}')"


class ReturnValue(tuple):
    """Several return values: a tuple that also reads by output name (`r["owner"]`, `r.dict()`)."""

    _names: tuple[str, ...] = ()

    def __new__(cls, values: Any, names: Any = ()) -> ReturnValue:
        obj = super().__new__(cls, values)
        obj._names = tuple(names)
        return obj

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            if key not in self._names:
                raise KeyError(key)
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, (list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return False

    __hash__ = tuple.__hash__

    def dict(self) -> dict[str, Any]:
        return dict(zip(self._names, self, strict=False))

    def keys(self) -> tuple[str, ...]:
        return self._names

    def items(self) -> list[tuple[str, Any]]:
        return list(self.dict().items())


def wrap_value(typ: str, value: Any) -> Any:
    """A decoded ABI value → Brownie's types (Wei, EthAddress, HexString, lists)."""
    if typ.endswith("]"):
        base = typ[: typ.rindex("[")]
        return [wrap_value(base, v) for v in value]
    if typ.startswith("("):
        from daftar.contract.abi import split_tuple

        return ReturnValue([wrap_value(t, v) for t, v in zip(split_tuple(typ), value, strict=True)])
    if typ == "address":
        return EthAddress(value)
    if typ.startswith(("uint", "int")):
        return Wei(value)
    if typ.startswith("bytes"):
        return HexString(value)
    return value
