"""ABI helpers: canonical types, selectors, argument conversion and decoding (eth-abi)."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any, NamedTuple

from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address

#: Checksumming hashes the address; results repeat the same few addresses, so cache it.
checksum = lru_cache(maxsize=8192)(to_checksum_address)


def canonical_type(param: dict[str, Any]) -> str:
    """`tuple` params become `(t1,t2)` (with array suffixes kept), as selectors need."""
    typ = param["type"]
    if typ.startswith("tuple"):
        inner = ",".join(canonical_type(c) for c in param["components"])
        return f"({inner}){typ[5:]}"
    return typ


def types_of(params: list[dict[str, Any]]) -> list[str]:
    return [canonical_type(p) for p in params]


def signature(item: dict[str, Any]) -> str:
    return f"{item['name']}({','.join(types_of(item.get('inputs', [])))})"


@cache
def _keccak_text(text: str) -> bytes:
    return keccak(text=text)


def selector(item: dict[str, Any]) -> bytes:
    return _keccak_text(signature(item))[:4]


def topic(item: dict[str, Any]) -> bytes:
    return _keccak_text(signature(item))


def to_abi_value(typ: str, value: Any) -> Any:
    """Accept what a person would pass: accounts, contracts, hex strings for bytes, ints as str."""
    if typ.endswith("]"):
        base = typ[: typ.rindex("[")]
        return [to_abi_value(base, v) for v in value]
    if typ.startswith("("):
        inner = split_tuple(typ)
        return tuple(to_abi_value(t, v) for t, v in zip(inner, value, strict=True))
    if typ == "address":
        if isinstance(value, str):
            return checksum(value)
        return getattr(value, "address", value)  # an Account or a Contract
    if typ.startswith("bytes"):
        if isinstance(value, str):
            value = bytes.fromhex(value[2:] if value.startswith("0x") else value)
        value = bytes(value)
        if typ != "bytes" and len(value) != int(typ[5:]):
            # eth-abi would pad a short value silently; for hashes that hides a mistake.
            raise ValueError(f"{typ} needs exactly {typ[5:]} bytes, got {len(value)}")
        return value
    if typ.startswith(("uint", "int")) and isinstance(value, str):
        return int(value, 0)
    return value


def split_tuple(typ: str) -> list[str]:
    """'(uint256,(address,bool)[])' → ['uint256', '(address,bool)[]']."""
    body, depth, parts, cur = typ[1:-1], 0, [], ""
    for ch in body:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    if cur:
        parts.append(cur)
    return parts


def from_abi_value(typ: str, value: Any) -> Any:
    """Checksum addresses so results compare equal to `Account.address`."""
    if typ == "address":
        return checksum(value)
    if typ.endswith("]"):
        base = typ[: typ.rindex("[")]
        return [from_abi_value(base, v) for v in value]
    if typ.startswith("("):
        return tuple(from_abi_value(t, v) for t, v in zip(split_tuple(typ), value, strict=True))
    return value


def encode_args(params: list[dict[str, Any]], args: tuple[Any, ...] | list[Any]) -> bytes:
    types = types_of(params)
    return encode(types, [to_abi_value(t, a) for t, a in zip(types, args, strict=True)])


def decode_values(params: list[dict[str, Any]], data: bytes) -> list[Any]:
    types = types_of(params)
    return [from_abi_value(t, v) for t, v in zip(types, decode(types, data), strict=True)]


class _NotCanonical(Exception):
    """A word the fast decoders will not judge: eth-abi decodes (or refuses) it instead."""


_ZERO12, _ZERO31 = bytes(12), bytes(31)


def _word_codec(typ: str) -> tuple[Any, Any] | None:
    """(encode, decode) for one 32-byte static type, or None for anything else.

    eth-abi's generic machinery dominates the cost of a transaction on the embedded chain;
    these cover the common static types. Out-of-range values return None from `enc`, so
    the caller falls back to eth-abi and its precise error message.
    """
    if typ.startswith("uint") and (typ[4:] == "" or typ[4:].isdigit()):  # not uint8[]
        bits = int(typ[4:] or 256)

        def enc_uint(v: Any) -> bytes | None:
            if type(v) is int and 0 <= v < 1 << bits:
                return v.to_bytes(32, "big")
            return None

        def dec_uint(w: bytes) -> int:
            value = int.from_bytes(w, "big")
            if value >> bits:
                raise _NotCanonical  # high bits set: eth-abi says how it is wrong
            return value

        return enc_uint, dec_uint
    if typ == "address":

        def enc_address(v: Any) -> bytes | None:
            if not isinstance(v, str):
                v = getattr(v, "address", v)  # an Account or a Contract
            if isinstance(v, str) and len(v) == 42 and v[:2] == "0x":
                try:
                    return bytes(12) + bytes.fromhex(v[2:])
                except ValueError:
                    return None
            return None

        def dec_address(w: bytes) -> str:
            if w[:12] != _ZERO12:
                raise _NotCanonical
            return checksum("0x" + w[12:].hex())

        return enc_address, dec_address
    if typ == "bytes32":

        def enc_b32(v: Any) -> bytes | None:
            return bytes(v) if isinstance(v, (bytes, bytearray)) and len(v) == 32 else None

        return enc_b32, bytes
    if typ == "bool":

        def dec_bool(w: bytes) -> bool:
            if w[:31] != _ZERO31 or w[31] > 1:
                raise _NotCanonical
            return w[31] == 1

        return (
            lambda v: (b"\0" * 31 + (b"\1" if v else b"\0")) if type(v) is bool else None
        ), dec_bool
    return None


def encoder(params: list[dict[str, Any]]) -> Any:
    """A function encoding arguments for `params`; the types are worked out once."""
    types = types_of(params)
    codecs = [_word_codec(t) for t in types]
    fast = all(c is not None for c in codecs)
    encs = [c[0] for c in codecs] if fast else []  # type: ignore[index]

    def encode_args_fast(args: tuple[Any, ...] | list[Any]) -> bytes:
        if fast:
            words = [enc(a) for enc, a in zip(encs, args, strict=True)]
            if None not in words:
                return b"".join(words)  # type: ignore[arg-type]
        return encode(types, [to_abi_value(t, a) for t, a in zip(types, args, strict=True)])

    return encode_args_fast


def decoder(params: list[dict[str, Any]]) -> Any:
    """A function decoding `params` from ABI data; fast for all-static word types."""
    types = types_of(params)
    codecs = [_word_codec(t) for t in types]
    if all(c is not None for c in codecs):
        decs = [c[1] for c in codecs]  # type: ignore[index]
        size = 32 * len(decs)

        def decode_fast(data: bytes) -> list[Any]:
            if len(data) < size:
                return decode_values(params, data)  # let eth-abi raise its error
            try:
                return [dec(data[32 * i : 32 * i + 32]) for i, dec in enumerate(decs)]
            except _NotCanonical:
                return decode_values(params, data)  # eth-abi decides (and explains)

        return decode_fast
    return lambda data: decode_values(params, data)


@cache
def result_type(name: str, fields: tuple[str, ...]) -> type:
    """A NamedTuple for a function's named outputs, so `r.status` reads like the ABI."""
    return NamedTuple(name, [(f, Any) for f in fields])  # type: ignore[misc]


@lru_cache(maxsize=512)
def _struct_type(name: str, fields: tuple[str, ...]) -> type:
    return result_type(name, fields)


def named(param: dict[str, Any], value: Any) -> Any:
    """`value` of ABI parameter `param`, with structs as NamedTuples of their field names.

    A struct whose components are not all named (or repeat a name) stays a plain tuple.
    """
    typ = param.get("type", "")
    components = param.get("components")
    if not components or not typ.startswith("tuple"):
        return value
    if typ != "tuple":  # tuple[] / tuple[N]: each element is the struct
        inner = {**param, "type": typ[: typ.rindex("[")]}
        return type(value)(named(inner, v) for v in value)
    values = tuple(named(c, v) for c, v in zip(components, value, strict=True))
    names = tuple(c.get("name") or "" for c in components)
    if all(names) and len(set(names)) == len(names) and all(n.isidentifier() for n in names):
        struct = (param.get("internalType") or "struct Struct").split(".")[-1].split()[-1]
        return _struct_type(struct.split("[")[0] or "Struct", names)(*values)
    return values


#: id(ABI item) → (item, its outputs' decoder); the item is kept so its id stays its own.
_OUTPUT_DECODERS: dict[int, tuple[dict[str, Any], Any]] = {}


def _output_decoder(item: dict[str, Any]) -> Any:
    cached = _OUTPUT_DECODERS.get(id(item))
    if cached is None or cached[0] is not item:
        cached = (item, decoder(item.get("outputs", [])))
        _OUTPUT_DECODERS[id(item)] = cached
    return cached[1]


def decode_output(item: dict[str, Any], data: bytes) -> Any:
    outputs = item.get("outputs", [])
    values = _output_decoder(item)(data)
    if not outputs:
        return None
    if any(o.get("components") for o in outputs):
        values = [named(o, v) for o, v in zip(outputs, values, strict=True)]
    if len(outputs) == 1:
        return values[0]
    names = tuple(o.get("name") or f"value{i}" for i, o in enumerate(outputs))
    if all(o.get("name") for o in outputs) and len(set(names)) == len(names):
        return result_type(item["name"].capitalize() + "Result", names)(*values)
    return tuple(values)
