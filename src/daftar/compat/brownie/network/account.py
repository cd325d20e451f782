"""`brownie.network.account`: `accounts` (index, add, load, at) and the account objects."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from daftar.compat.brownie import _state
from daftar.compat.brownie.convert.datatypes import EthAddress, Wei
from daftar.contract.abi import checksum
from daftar.errors import DaftarError
from daftar.keys.account import Account as _DaftarAccount

if TYPE_CHECKING:
    from daftar.compat.brownie.network.transaction import TransactionReceipt


class _PrivateKeyAccount(_DaftarAccount):
    """A daftar `Account` (so every chain backend can send from it) with Brownie's methods."""

    def __eq__(self, other: Any) -> bool:
        addr = getattr(other, "address", other)
        return isinstance(addr, str) and addr.lower() == self.address.lower()

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self.address.lower())

    def __repr__(self) -> str:
        return f"<{type(self).__name__} '{self.address}'>"

    def __str__(self) -> str:
        return self.address

    @property
    def private_key(self) -> str:
        if self.key is None:
            raise DaftarError(f"daftar holds no private key for {self.address}")
        return "0x" + self.key.hex()

    def balance(self) -> Wei:
        return Wei(_state.chain().balance(self.address))

    @property
    def nonce(self) -> int:
        return _state.chain().nonce(self.address)

    def get_deployment_address(self, nonce: int | None = None) -> EthAddress:
        import rlp  # eth-account's dependency
        from eth_utils import keccak

        n = self.nonce if nonce is None else nonce
        raw = keccak(rlp.encode([bytes.fromhex(self.address[2:]), n]))[12:]
        return EthAddress("0x" + raw.hex())

    def transfer(
        self,
        to: Any = None,
        amount: Any = 0,
        gas_limit: int | None = None,
        gas_price: Any = None,
        data: Any = None,
        **_: Any,
    ) -> TransactionReceipt:
        """Send ether (and optionally data) to `to`; returns the receipt."""
        from daftar.compat.brownie.network.transaction import send_raw

        payload = b""
        if data:
            payload = bytes.fromhex(data[2:]) if isinstance(data, str) else bytes(data)
        target = getattr(to, "address", to)
        return send_raw(self, target, payload, Wei(amount), gas_limit)

    def deploy(
        self,
        container: Any,
        *args: Any,
        amount: Any = 0,
        gas_limit: Any = None,
        publish_source: Any = False,
    ) -> Any:
        tx: dict[str, Any] = {"from": self, "value": amount}
        if gas_limit is not None:
            tx["gas_limit"] = gas_limit
        return container.deploy(*args, tx, publish_source=publish_source)

    def estimate_gas(self, to: Any = None, amount: Any = 0, data: Any = None) -> int:
        payload = b""
        if data:
            payload = bytes.fromhex(data[2:]) if isinstance(data, str) else bytes(data)
        target = getattr(to, "address", to)
        return _state.chain().estimate_gas(target, payload, self, Wei(amount))


class Account(_PrivateKeyAccount):
    """An account the node (or the embedded chain) can send from: the dev accounts."""


class LocalAccount(_PrivateKeyAccount):
    """An account daftar holds the key of (`accounts.add`, `accounts.load`)."""


class Accounts:
    """The accounts of the active network: the ten dev accounts, plus any added."""

    def __init__(self) -> None:
        self._accounts: list[_PrivateKeyAccount] = []
        self.default: Any = None
        self._for_chain: Any = None

    def _sync(self) -> list[_PrivateKeyAccount]:
        chain = _state.chain_or_none()
        if chain is not None and chain is not self._for_chain:
            self._for_chain = chain
            self._accounts = [Account(a.address, a.key) for a in chain.accounts]
            self.default = None
        return self._accounts

    def __getitem__(self, index: Any) -> Any:
        accounts = self._sync()
        if not accounts and _state.chain_or_none() is None:
            raise DaftarError("no network is connected: run through `daftar test/run/console`")
        return accounts[index]

    def __len__(self) -> int:
        return len(self._sync())

    def __iter__(self) -> Iterator[_PrivateKeyAccount]:
        return iter(list(self._sync()))

    def __contains__(self, item: Any) -> bool:
        return any(a == item for a in self._sync())

    def __repr__(self) -> str:
        return repr(self._sync())

    def add(self, private_key: Any = None) -> LocalAccount:
        """A new account from `private_key` (hex or bytes), or a fresh random one."""
        from eth_account import Account as EthAccount

        if private_key is None:
            acct = EthAccount.create(os.urandom(32).hex())
        else:
            acct = EthAccount.from_key(private_key)
        new = LocalAccount(acct.address, bytes(acct.key))
        self._sync()
        if new not in self._accounts:
            self._accounts.append(new)
        return new

    def from_mnemonic(self, mnemonic: str, count: int = 1, offset: int = 0) -> Any:
        from eth_account import Account as EthAccount

        EthAccount.enable_unaudited_hdwallet_features()
        new = []
        for i in range(offset, offset + count):
            acct = EthAccount.from_mnemonic(mnemonic, account_path=f"m/44'/60'/0'/0/{i}")
            new.append(self.add(bytes(acct.key)))
        return new[0] if count == 1 else new

    def load(self, filename: str | None = None, password: str | None = None) -> LocalAccount:
        """A keystore from daftar's keystore folder (`daftar accounts list`) or a path."""
        from pathlib import Path

        from daftar.keys import keystore_dir, keystore_path, list_keystores, unlock_keystore

        if filename is None:
            return [name for name, _addr, _path in list_keystores()]  # type: ignore[return-value]
        path = Path(filename)
        if not path.is_file():
            path = keystore_path(filename)
        if not path.is_file():
            raise DaftarError(
                f"no keystore '{filename}' in {keystore_dir()}; create one with "
                "`daftar accounts new` or `daftar accounts import`"
            )
        if password is None:
            import getpass

            password = getpass.getpass(f'Enter password for "{filename}": ')
        acct = unlock_keystore(path, password)
        return self.add(acct.key)

    def at(self, address: str, force: bool = False) -> _PrivateKeyAccount:
        """The known account at `address`; with force=True any address (local chains only)."""
        address = checksum(address)
        for acct in self._sync():
            if acct == address:
                return acct
        if not force:
            raise DaftarError(
                f"no account {address} among accounts; pass force=True to send from it on a "
                "local chain (revm accepts any sender; anvil needs it unlocked)"
            )
        acct = Account(address)
        self._accounts.append(acct)
        return acct

    def remove(self, address: Any) -> None:
        self._sync()
        self._accounts = [a for a in self._accounts if a != address]

    def clear(self) -> None:
        self._sync()
        self._accounts = []


accounts = Accounts()
