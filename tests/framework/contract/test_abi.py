"""The ABI fast paths agree with eth-abi byte for byte, and fall back to it on bad input."""

from __future__ import annotations

import pytest
from eth_abi import decode, encode
from hypothesis import given
from hypothesis import strategies as st

from daftar.contract.abi import decode_output, decoder, encoder, selector, signature
from daftar.testing.strategies import abi

STATIC = ["uint8", "uint64", "uint256", "address", "bool", "bytes32"]


def params(types: list[str]) -> list[dict]:
    return [{"name": f"a{i}", "type": t} for i, t in enumerate(types)]


@given(data=st.data(), types=st.lists(st.sampled_from(STATIC), min_size=1, max_size=5))
def test_fast_encoder_matches_eth_abi(data, types):
    """Invariant: for static word types, daftar's encoding equals eth-abi's, and decoding
    it back gives the values (addresses checksummed)."""
    values = [data.draw(abi(t)) for t in types]
    blob = encoder(params(types))(values)
    assert blob == encode(types, values)
    decoded = decoder(params(types))(blob)
    assert [str(v).lower() for v in decoded] == [str(v).lower() for v in decode(types, blob)]


WORD_TYPES = [*STATIC, "uint16", "uint40", "uint160"]


@given(
    types=st.lists(st.sampled_from(WORD_TYPES), min_size=1, max_size=6),
    words=st.lists(
        st.one_of(
            st.binary(min_size=32, max_size=32),  # anything, padding included
            st.integers(0, 2**8).map(lambda v: v.to_bytes(32, "big")),  # near the edges
            st.integers(0, 2**160).map(lambda v: v.to_bytes(32, "big")),
        ),
        min_size=6,
        max_size=6,
    ),
)
def test_fast_decoder_agrees_with_eth_abi_on_arbitrary_words(types, words):
    """Invariant: on any data, the fast decoder returns what eth-abi (decode_values) returns,
    or both refuse: dirty padding and out-of-range words are eth-abi's to judge."""
    from daftar.contract.abi import decode_values

    data = b"".join(words[: len(types)])
    try:
        expected = decode_values(params(types), data)
    except Exception as exc:
        with pytest.raises(type(exc)):
            decoder(params(types))(data)
        return
    assert decoder(params(types))(data) == expected


def test_out_of_range_falls_back_to_eth_abi_error():
    enc = encoder(params(["uint8"]))
    with pytest.raises(Exception, match="8 bits"):
        enc([256])


def test_dynamic_types_use_eth_abi():
    p = params(["string", "bytes32[]"])
    blob = encoder(p)(["hi", [b"\x01" * 32]])
    assert decoder(p)(blob) == ["hi", [b"\x01" * 32]]


def test_selector_of_tuple_argument():
    item = {
        "name": "f",
        "inputs": [{"type": "tuple", "components": [{"type": "uint256"}, {"type": "address[]"}]}],
    }
    assert signature(item) == "f((uint256,address[]))"
    assert len(selector(item)) == 4


def test_accounts_and_contracts_pass_as_addresses():
    """An object with an `address` (an Account, a Contract) encodes as that address, on the
    fast path and through eth-abi (dynamic parameters), as Brownie projects pass them."""

    class Deployed:
        address = "0x5FbDB2315678afecb367f032d93F642f64180aa3"

    want = encode(["address"], [Deployed.address])
    assert encoder(params(["address"]))([Deployed()]) == want
    p = params(["address", "string"])
    assert encoder(p)([Deployed(), "x"]) == encode(["address", "string"], [Deployed.address, "x"])


def test_struct_outputs_keep_their_field_names():
    """A returned struct reads by field name (as Brownie and web3 give it), nested and in
    arrays; the values are eth-abi's own decoding."""
    point = {
        "type": "tuple",
        "internalType": "struct Shapes.Point",
        "components": [
            {"name": "x", "type": "uint256"},
            {"name": "y", "type": "int8"},
        ],
    }
    shape = {
        "name": "shape",
        "type": "tuple",
        "internalType": "struct Shapes.Shape",
        "components": [
            {"name": "label", "type": "string"},
            {**point, "name": "origin"},
            {
                **point,
                "name": "corners",
                "type": "tuple[]",
                "internalType": "struct Shapes.Point[]",
            },
        ],
    }
    item = {"type": "function", "name": "shape", "inputs": [], "outputs": [shape]}
    value = ("square", (1, -2), [(3, 4), (5, -6)])
    data = encode(["(string,(uint256,int8),(uint256,int8)[])"], [value])
    got = decode_output(item, data)
    expected = decode(["(string,(uint256,int8),(uint256,int8)[])"], data)[0]
    assert got[:2] == expected[:2] and tuple(got.corners) == expected[2]
    assert got.label == "square" and got.origin.y == -2
    assert [c.x for c in got.corners] == [3, 5] and type(got.origin).__name__ == "Point"
    unnamed = {**item, "outputs": [{**point, "components": [{"name": "", "type": "uint8"}]}]}
    assert decode_output(unnamed, encode(["(uint8)"], [(7,)])) == (7,)
