"""`brownie.web3`: a thin object over the active chain for what scripts commonly read."""

from __future__ import annotations

from typing import Any

from daftar.compat.brownie import _state
from daftar.compat.brownie.convert.datatypes import HexString, Wei
from daftar.compat.brownie.exceptions import NotCovered, NotCoveredAttribute


class _Eth:
    @property
    def block_number(self) -> int:
        return _state.chain().block_number()

    blockNumber = block_number

    @property
    def chain_id(self) -> int:
        return _state.chain().chain_id

    chainId = chain_id

    @property
    def accounts(self) -> list[str]:
        return [a.address for a in _state.chain().accounts]

    def get_balance(self, address: Any, block_identifier: Any = None) -> Wei:
        return Wei(_state.chain().balance(getattr(address, "address", address)))

    getBalance = get_balance

    def get_code(self, address: Any, block_identifier: Any = None) -> HexString:
        return HexString(_state.chain().code(getattr(address, "address", address)))

    getCode = get_code

    def get_transaction_count(self, address: Any, block_identifier: Any = None) -> int:
        return _state.chain().nonce(getattr(address, "address", address))

    getTransactionCount = get_transaction_count

    def get_block(self, which: Any = "latest") -> Any:
        from daftar.compat.brownie.network.state import chain

        if which not in ("latest", chain.height, -1):
            raise NotCovered("web3.eth.get_block for blocks other than 'latest'")
        return chain[-1]

    getBlock = get_block

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotCoveredAttribute(f"web3.eth.{name}")


class Web3:
    """Not a web3.py instance: daftar's chains need no web3 (the embedded one has none)."""

    def __init__(self) -> None:
        self.eth = _Eth()

    def is_connected(self) -> bool:
        return _state.chain_or_none() is not None

    isConnected = is_connected

    @staticmethod
    def to_wei(value: Any, unit: str = "wei") -> Wei:
        return Wei(f"{value} {unit}")

    toWei = to_wei

    @staticmethod
    def from_wei(value: int, unit: str) -> Any:
        return Wei(value).to(unit)

    fromWei = from_wei

    @staticmethod
    def keccak(primitive: Any = None, text: str | None = None, hexstr: str | None = None) -> Any:
        from eth_utils import keccak

        return HexString(keccak(primitive, text=text, hexstr=hexstr))

    @staticmethod
    def to_checksum_address(value: str) -> str:
        from eth_utils import to_checksum_address

        return to_checksum_address(value)

    toChecksumAddress = to_checksum_address

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotCoveredAttribute(f"web3.{name}")


web3 = Web3()
