"""eth-tester + py-evm through web3's EthereumTesterProvider: the reference EVM.

Slow (pure Python) but independent of revm and anvil, which is the point: the same tests
passing here and on revm means the contracts do not lean on one EVM's quirks.
"""

from __future__ import annotations

import time as _time
from typing import Any

from daftar.chain import pyevm_hooks
from daftar.chain.base import NodeRefused, Receipt, Reverted
from daftar.chain.web3chain import Web3Chain
from daftar.keys import DEV_MNEMONIC, dev_accounts


class TesterChain(Web3Chain):
    backend = "tester"

    def __init__(self, name: str = "tester") -> None:
        from eth_tester import EthereumTester, PyEVMBackend
        from web3 import Web3
        from web3.providers.eth_tester import EthereumTesterProvider

        self.tester = EthereumTester(PyEVMBackend(mnemonic=DEV_MNEMONIC, hd_path="m/44'/60'/0'/0"))
        w3 = Web3(EthereumTesterProvider(self.tester))
        accounts = list(dev_accounts())
        super().__init__(name, w3, accounts, {a.address for a in accounts})
        pyevm_hooks.install(self.tester)
        self._traces: dict[str, dict[str, Any]] = {}  # tx hash -> call tree (recent ones)

    # -- call traces from the in-process hook (daftar.chain.pyevm_hooks) ----------------------
    def _send(self, *args: Any, **kwargs: Any) -> Receipt:
        try:
            receipt = super()._send(*args, **kwargs)
        except Reverted as exc:
            tree = pyevm_hooks.RECORDER.last
            exc.call_trace = (lambda: tree) if tree is not None else None
            raise
        tree = pyevm_hooks.RECORDER.last
        if tree is not None:
            if len(self._traces) > 256:
                self._traces.pop(next(iter(self._traces)))
            self._traces[receipt.tx_hash.lower()] = tree
        return receipt

    def call(self, to: str, data: bytes, sender: str | None = None, value: int = 0) -> bytes:
        try:
            return super().call(to, data, sender, value)
        except Reverted as exc:
            tree = pyevm_hooks.RECORDER.last
            exc.call_trace = (lambda: tree) if tree is not None else None
            raise

    def trace_transaction(self, tx_hash: str) -> dict[str, Any]:
        tree = self._traces.get(tx_hash.lower())
        if tree is None:
            from daftar.errors import DaftarError

            raise DaftarError(
                f"{self.name}: no call trace kept for {tx_hash} (the tester keeps the last 256 "
                "transactions this process sent)"
            )
        return tree

    def _translate(self, err: Exception) -> Exception | None:
        """eth-tester's own exceptions: a refused transaction (no funds, bad nonce) and
        TransactionFailed, whose revert bytes come raw, as their repr, or as decoded text."""
        from eth_utils import ValidationError

        if isinstance(err, ValidationError):
            return NodeRefused(self.name, str(err))
        data = self._revert_data(err)
        return None if data is None else Reverted(data)

    @staticmethod
    def _revert_data(err: Exception) -> bytes | None:
        """Raw revert data from a TransactionFailed (None for any other exception)."""
        import ast

        from eth_abi import encode
        from eth_tester.exceptions import TransactionFailed

        if not isinstance(err, TransactionFailed):
            return None
        seen: BaseException | None = err
        while isinstance(seen, TransactionFailed):
            if seen.args and isinstance(seen.args[0], (bytes, bytearray)):
                return bytes(seen.args[0])
            seen = seen.__cause__ or seen.__context__
        text = str(err.args[0]) if err.args else ""
        reason = text.removeprefix("execution reverted: ")
        if reason.startswith(("b'", 'b"')):
            return bytes(ast.literal_eval(reason))
        if text.startswith("execution reverted: "):
            return bytes.fromhex("08c379a0") + encode(["string"], [reason])
        return b""

    def sleep(self, seconds: int) -> None:
        self._offset += int(seconds)
        self._travel(max(self.time(), self.latest_timestamp() + 1))

    def _travel(self, timestamp: int) -> None:
        """eth-tester's time_travel(t) mines its block at t - 1 (and views see t - 1)."""
        self.tester.time_travel(timestamp + 1)

    def mine(self, blocks: int = 1, timestamp: int | None = None) -> None:
        if timestamp is not None:
            self._offset = int(timestamp) - int(_time.time())
            self._travel(int(timestamp))
            blocks -= 1
        if blocks > 0:
            self.tester.mine_blocks(blocks)

    def snapshot(self) -> Any:
        return (self.tester.take_snapshot(), self._offset)

    def revert(self, snapshot_id: Any) -> None:
        sid, self._offset = snapshot_id
        self.tester.revert_to_snapshot(sid)
