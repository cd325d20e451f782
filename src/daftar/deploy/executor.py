"""The journaled executor: runs a plan on a live network, and resumes it after any crash.

Per step: sign locally → journal `signed` (nonce + raw tx) → broadcast → journal `sent` →
wait for the configured confirmations → journal `mined` → write the contract's record.
A rerun folds the journal: done steps are verified on chain and skipped; a signed step is
looked up by its hashes (mined? pending? dropped → the same raw tx is rebroadcast); a
pending one stuck past `stuck_after` is replaced with bumped fees at the same nonce. A
step is only ever signed anew when the journal holds nothing for it, and then only after
checking that the deployer has no pending transactions the journal does not know.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daftar.chain.base import Account, Reverted
from daftar.deploy import fees as fee_mod
from daftar.deploy import records
from daftar.deploy.journal import FAILED, MINED, SENT, SIGNED, SKIPPED, Journal, StepState
from daftar.deploy.plan import CallStep, DeployStep, Plan, Prepared, prepare
from daftar.errors import DeployError
from daftar.util.files import write_json


@dataclass(frozen=True)
class LiveSettings:
    """Per-network knobs (brownie-config.yaml `daftar.networks.<name>`)."""

    confirmations: int = 2
    max_fee_wei: int | None = None
    stuck_after: float = 120.0  # seconds pending before a fee bump
    wait_limit: float = 1800.0  # give up waiting (the journal keeps the tx) after this
    poll: float = 1.0
    retries: int = 5
    backoff: float = 0.5
    gas_margin: float = 1.2

    @classmethod
    def of(cls, net: Any) -> LiveSettings:
        s = net.settings
        return cls(
            confirmations=max(1, int(net.confirmations)),
            max_fee_wei=int(float(net.max_fee_gwei) * 10**9) if net.max_fee_gwei else None,
            stuck_after=float(s.get("stuck_after", cls.stuck_after)),
            wait_limit=float(s.get("wait_limit", cls.wait_limit)),
            poll=float(s.get("poll_seconds", min(1.0, (net.block_time or 4) / 4))),
            retries=int(s.get("rpc_retries", cls.retries)),
            backoff=float(s.get("rpc_backoff", cls.backoff)),
        )


def _transient() -> tuple[type[BaseException], ...]:
    import requests

    return (requests.RequestException, OSError, TimeoutError)


class Executor:
    def __init__(
        self,
        project: Any,
        plan: Plan,
        network: Any,
        chain: Any,  # a Web3Chain whose chain id was checked against the config
        deployer: Account,
        folder: Path,
        say: Callable[[str], None],
        settings: LiveSettings | None = None,
    ) -> None:
        if deployer.key is None:
            raise DeployError("the deployer's key is not loaded; nothing can be signed")
        self.project, self.plan, self.net, self.chain = project, plan, network, chain
        self.w3 = chain.w3
        self.deployer = deployer
        self.folder = folder
        self.say = say
        self.cfg = settings or LiveSettings.of(network)
        self.journal = Journal(folder / records.JOURNAL_FILE)
        self.addresses: dict[str, str] = {}
        self._at_cap: set[str] = set()

    # -- the run -----------------------------------------------------------------------
    def run(self) -> dict[str, str]:
        self._preflight()
        total = len(self.plan)
        for i, step in enumerate(self.plan.steps, 1):
            tag = f"[{i}/{total}] {step.name}"
            prep = prepare(self.project, self.plan, step, self.addresses)
            state = self.journal.state(step.name)
            self._check_unchanged(prep, state)
            if state.mined:
                self._verify_done(prep, state.mined)
                self.say(f"{tag}: done earlier ({self._result(prep, state.mined)})")
            elif state.skipped:
                self.say(f"{tag}: skipped earlier ({prep.describe()} was already in effect)")
                continue
            elif not state.signed and self._already_in_effect(prep):
                self.journal.append(SKIPPED, step.name, reason="already in effect")
                self.say(f"{tag}: skipped ({prep.describe()} is already in effect)")
                continue
            else:
                if not state.signed:
                    self._broadcast(self._sign(prep, tag))
                else:
                    self.say(f"{tag}: resuming {prep.describe()} (nonce {state.latest['nonce']})")
                self._wait(prep, tag)
            mined = self.journal.state(step.name).mined
            assert mined is not None
            if isinstance(step, DeployStep):
                self.addresses[step.name] = mined["contract_address"]
                self._write_record(prep, mined)
        records.write_readme(self.folder, self.net, self.chain.chain_id)
        self.say(f"Deployed on {self.net.name}; records in {self.folder}")
        return dict(self.addresses)

    # -- before anything is signed -------------------------------------------------------
    def _preflight(self) -> None:
        chain_id = self._rpc("eth_chainId", lambda: int(self.w3.eth.chain_id))
        if self.net.chain_id is not None and chain_id != self.net.chain_id:
            raise DeployError(
                f"network '{self.net.name}' expects chain id {self.net.chain_id}, but the node "
                f"reports {chain_id}. Refusing to sign anything."
            )
        records.check_chain_id(self.folder, chain_id)
        owner = self.journal.deployer()
        if owner and owner.lower() != self.deployer.address.lower():
            raise DeployError(
                f"the journal in {self.folder} was written by deployer {owner}, but this run's "
                f"deployer is {self.deployer.address}. Load {owner}'s key to resume, or move "
                "the folder aside to start a separate deployment."
            )
        me = self.deployer.address
        latest = self._rpc("nonce", self.w3.eth.get_transaction_count, me, "latest")
        pending = self._rpc("pending nonce", self.w3.eth.get_transaction_count, me, "pending")
        known = self.journal.in_flight_nonces()
        unknown = [n for n in range(latest, pending) if n not in known]
        if unknown:
            raise DeployError(
                f"deployer {me} has {len(unknown)} pending transaction(s) (nonce "
                f"{unknown[0]}{'…' + str(unknown[-1]) if len(unknown) > 1 else ''}) that the "
                f"journal {self.journal.path} does not know. Refusing to start: wait until they "
                "are mined (or replace them), then rerun."
            )

    def _check_unchanged(self, prep: Prepared, state: StepState) -> None:
        """A journaled step must be the same transaction the plan builds now."""
        rec = state.latest
        if state.mined:
            rec = next((r for r in state.signed if r["hash"] == state.mined["hash"]), rec)
        if rec is None:
            return
        step = prep.step
        where = (
            f"at {state.mined['contract_address']}"
            if state.mined and state.mined.get("contract_address")
            else f"in transaction {rec['hash']}"
        )
        advice = (
            f"daftar will neither reuse it for the new build nor deploy a second copy silently. "
            f"To keep the deployed contract, restore the sources and settings it was built from; "
            f"to deploy the new version, move {self.folder} aside (git keeps the old records) "
            "and rerun."
        )
        if prep.initcode_hash and rec.get("initcode_hash") != prep.initcode_hash:
            raise DeployError(
                f"{prep.ctype.name} (step '{step.name}') changed since it was deployed {where} "
                f"on {self.net.name}: the journal has initcode {rec.get('initcode_hash')}, the "
                f"current build gives {prep.initcode_hash}. {advice}"
            )
        if rec.get("data_hash") != prep.data_hash:
            what = "constructor arguments" if isinstance(step, DeployStep) else "call data"
            raise DeployError(
                f"step '{step.name}' ({prep.describe()}): its {what} differ from the journaled "
                f"transaction {where} (e.g. another admin or role holder). {advice}"
            )

    def _verify_done(self, prep: Prepared, mined: dict[str, Any]) -> None:
        receipt = self._receipt(mined["hash"])
        if receipt is None:
            raise DeployError(
                f"the journal says step '{prep.step.name}' was mined in {mined['hash']} (block "
                f"{mined['block']}), but the node does not know that transaction: a different "
                "node or chain behind this RPC URL, or a deep reorg. Nothing was sent; check "
                "the RPC URL."
            )
        address = mined.get("contract_address")
        if address and not self._rpc("eth_getCode", self.w3.eth.get_code, address):
            raise DeployError(
                f"the journal says {prep.ctype.name} lives at {address}, but the node has no "
                "code there. Nothing was sent; check the RPC URL."
            )

    def _already_in_effect(self, prep: Prepared) -> bool:
        step = prep.step
        if not isinstance(step, CallStep) or step.skip_if is None or prep.to is None:
            return False
        contract = prep.ctype.at(prep.to, self.chain)
        return bool(self._rpc(f"check '{step.name}'", step.skip_if, contract))

    # -- signing and sending --------------------------------------------------------------
    def _sign(
        self, prep: Prepared, tag: str, nonce: int | None = None, replaces: dict | None = None
    ) -> dict[str, Any]:
        from eth_account import Account as EthAccount

        me = self.deployer.address
        if replaces is None:
            nonce = self._rpc("pending nonce", self.w3.eth.get_transaction_count, me, "pending")
            gas = int(self._estimate(prep) * self.cfg.gas_margin)
            price = self._fees()
        else:
            gas = int(replaces["gas"])
            price = fee_mod.bumped(replaces, self._fees(), self.cfg.max_fee_wei) or {}
            if not price:
                return {}
        need = gas * price["maxFeePerGas"]
        balance = self._rpc("balance", self.w3.eth.get_balance, me)
        if balance < need:
            raise DeployError(
                f"insufficient funds: step '{prep.step.name}' ({prep.describe()}) needs up to "
                f"{need / 1e18:.6f} ETH (gas {gas:,} × max fee {price['maxFeePerGas'] / 1e9:.3f} "
                f"gwei), deployer {me} has {balance / 1e18:.6f} ETH. Send it at least "
                f"{(need - balance) / 1e18:.6f} ETH and rerun; nothing was signed for this step."
            )
        tx: dict[str, Any] = {
            "type": 2,
            "chainId": self.chain.chain_id,
            "nonce": nonce,
            "gas": gas,
            "maxFeePerGas": price["maxFeePerGas"],
            "maxPriorityFeePerGas": price["maxPriorityFeePerGas"],
            "value": 0,
            "data": prep.data,
        }
        if prep.to is not None:
            tx["to"] = prep.to
        signed = EthAccount.sign_transaction(tx, self.deployer.key)
        records.write_chain_id(self.folder, self.chain.chain_id)
        fields: dict[str, Any] = {
            "nonce": nonce,
            "hash": "0x" + bytes(signed.hash).hex(),
            "raw": "0x" + bytes(signed.raw_transaction).hex(),
            "from": me,
            "to": prep.to,
            "gas": gas,
            "maxFeePerGas": price["maxFeePerGas"],
            "maxPriorityFeePerGas": price["maxPriorityFeePerGas"],
            "data_hash": prep.data_hash,
            "chain_id": self.chain.chain_id,
        }
        if prep.initcode_hash:
            fields["initcode_hash"] = prep.initcode_hash
        if replaces is not None:
            fields["replaces"] = replaces["hash"]
        rec = self.journal.append(SIGNED, prep.step.name, **fields)
        verb = "replacing with fees bumped" if replaces else "sending"
        self.say(
            f"{tag}: {verb}: {prep.describe()} (nonce {nonce}, gas {gas:,}, max fee "
            f"{price['maxFeePerGas'] / 1e9:.3f} gwei) tx {self._link(rec['hash'])}"
        )
        return rec

    def _broadcast(self, rec: dict[str, Any], again: bool = False) -> None:
        from web3.exceptions import Web3RPCError

        try:
            self._rpc("eth_sendRawTransaction", self.w3.eth.send_raw_transaction, rec["raw"])
        except Web3RPCError as err:
            text = str(err).lower()
            if "already known" in text or "known transaction" in text:
                pass
            elif "nonce too low" in text or "nonce is too low" in text:
                return  # mined already, or taken by another tx: _wait tells which
            elif "insufficient funds" in text:
                raise DeployError(
                    f"the node refused {rec['hash']}: insufficient funds for gas × price + "
                    f"value. Fund {rec['from']} and rerun."
                ) from None
            else:
                raise DeployError(
                    f"{self.net.name}: the node refused transaction {rec['hash']} of step "
                    f"'{rec['step']}': {_rpc_message(err)}. The journal keeps it; rerun to retry."
                ) from None
        self.journal.append(SENT, rec["step"], hash=rec["hash"], rebroadcast=again)

    # -- waiting -----------------------------------------------------------------------------
    def _wait(self, prep: Prepared, tag: str) -> None:
        step = prep.step.name
        start = time.monotonic()
        shown: tuple[str, int] | None = None
        while True:
            state = self.journal.state(step)
            latest = state.latest
            assert latest is not None
            found = self._find_receipt(state)
            if found is not None:
                tx_hash, receipt = found
                confs = self._block_number() - int(receipt["blockNumber"]) + 1
                if shown != (tx_hash, confs):
                    self.say(
                        f"{tag}: tx {self._link(tx_hash)} in block {receipt['blockNumber']}, "
                        f"{min(confs, self.cfg.confirmations)}/{self.cfg.confirmations} "
                        "confirmations"
                    )
                    shown = (tx_hash, confs)
                if confs >= self.cfg.confirmations:
                    again = self._receipt(tx_hash)  # still there after the wait (no reorg)?
                    if again is not None and again["blockHash"] == receipt["blockHash"]:
                        self._finish(prep, tag, tx_hash, again)
                        return
            else:
                self._not_mined(prep, tag, state, latest)
                if shown != (latest["hash"], 0):
                    self.say(f"{tag}: tx {latest['hash'][:12]}… pending, waiting to be mined")
                    shown = (latest["hash"], 0)
            if time.monotonic() - start > self.cfg.wait_limit:
                raise DeployError(
                    f"step '{step}': transaction {latest['hash']} (nonce {latest['nonce']}) is not "
                    f"confirmed after {self.cfg.wait_limit:.0f}s. It is in the journal: rerun "
                    "later to resume (a dropped one is rebroadcast, a stuck one re-priced)."
                )
            time.sleep(self.cfg.poll)

    def _not_mined(
        self, prep: Prepared, tag: str, state: StepState, latest: dict[str, Any]
    ) -> None:
        me = self.deployer.address
        nonce = int(latest["nonce"])
        if self._rpc("nonce", self.w3.eth.get_transaction_count, me, "latest") > nonce:
            if self._find_receipt(state) is not None:
                return  # mined between the two reads
            self.journal.append(FAILED, prep.step.name, reason="nonce taken", nonce=nonce)
            raise DeployError(
                f"nonce {nonce} of deployer {me} was used by a transaction the journal does not "
                f"know, so step '{prep.step.name}' ({', '.join(state.hashes)}) never ran. Another "
                "process is using this key: stop it, then rerun (the step is signed anew)."
            )
        if not any(self._known(h) for h in state.hashes):
            self.say(f"{tag}: the node dropped tx {latest['hash']}; rebroadcasting (nonce {nonce})")
            self._broadcast(latest, again=True)
            return
        if time.time() - float(latest["time"]) > self.cfg.stuck_after:
            rec = self._sign(prep, tag, nonce=nonce, replaces=latest)
            if rec:
                self._broadcast(rec)
            elif latest["hash"] not in self._at_cap:
                self._at_cap.add(latest["hash"])
                self.say(f"{tag}: tx {latest['hash']} is stuck but fees are at the cap; waiting")

    def _finish(self, prep: Prepared, tag: str, tx_hash: str, receipt: Any) -> None:
        created = receipt.get("contractAddress")
        fields = {
            "hash": tx_hash,
            "block": int(receipt["blockNumber"]),
            "block_hash": "0x" + bytes(receipt["blockHash"]).hex(),
            "status": int(receipt["status"]),
            "gas_used": int(receipt["gasUsed"]),
            "from": self.deployer.address,
            "contract_address": self.w3.to_checksum_address(created) if created else None,
        }
        if fields["status"] != 1:
            self.journal.append(FAILED, prep.step.name, **fields)
            raise DeployError(
                f"{tag}: {prep.describe()} reverted on chain (tx {self._link(tx_hash)}): "
                f"{self._why(prep)}. Fix the cause and rerun; the step will be sent again."
            )
        self.journal.append(MINED, prep.step.name, **fields)
        self.say(f"{tag}: confirmed ({self._result(prep, fields)})")

    # -- chain reads, with retries ----------------------------------------------------------
    def _rpc(self, what: str, fn: Callable[..., Any], *args: Any) -> Any:
        delay = self.cfg.backoff
        for attempt in range(self.cfg.retries + 1):
            try:
                return fn(*args)
            except _transient() as exc:
                if attempt == self.cfg.retries:
                    raise DeployError(
                        f"{self.net.name}: {what} failed {attempt + 1} times "
                        f"({type(exc).__name__}); the node is unreachable or overloaded. "
                        "Everything done so far is in the journal: rerun to resume."
                    ) from None
                self.say(f"  {what}: {type(exc).__name__}; retrying in {delay:.1f}s")
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def _receipt(self, tx_hash: str) -> Any:
        from web3.exceptions import TransactionNotFound

        try:
            return self._rpc(
                "eth_getTransactionReceipt", self.w3.eth.get_transaction_receipt, tx_hash
            )
        except TransactionNotFound:
            return None

    def _find_receipt(self, state: StepState) -> tuple[str, Any] | None:
        for tx_hash in reversed(state.hashes):
            receipt = self._receipt(tx_hash)
            if receipt is not None:
                return tx_hash, receipt
        return None

    def _known(self, tx_hash: str) -> bool:
        from web3.exceptions import TransactionNotFound

        try:
            return (
                self._rpc("eth_getTransactionByHash", self.w3.eth.get_transaction, tx_hash)
                is not None
            )
        except TransactionNotFound:
            return False

    def _block_number(self) -> int:
        return int(self._rpc("eth_blockNumber", lambda: self.w3.eth.block_number))

    def _fees(self) -> dict[str, int]:
        return self._rpc("fees", fee_mod.current_fees, self.w3, self.cfg.max_fee_wei, self.net.name)

    def _estimate(self, prep: Prepared) -> int:
        tx: dict[str, Any] = {"from": self.deployer.address, "data": prep.data, "value": 0}
        if prep.to is not None:
            tx["to"] = prep.to
        try:
            return int(
                self.chain._rpc(lambda: self._rpc("eth_estimateGas", self.w3.eth.estimate_gas, tx))
            )
        except Reverted as exc:
            func = "constructor" if isinstance(prep.step, DeployStep) else prep.step.function
            exc = prep.ctype.decoders.errors.explain(exc, f"{prep.ctype.name}.{func}")
            raise DeployError(
                f"step '{prep.step.name}' ({prep.describe()}) would revert: {exc}. Nothing was "
                "signed."
            ) from None

    def _why(self, prep: Prepared) -> str:
        try:
            self._estimate(prep)
        except DeployError as exc:
            return str(exc)
        return "no revert on replay (out of gas?)"

    # -- output -----------------------------------------------------------------------------
    def _link(self, tx_hash: str) -> str:
        link = self.net.explorer_link("tx", tx_hash)
        return f"{tx_hash} ({link})" if link else tx_hash

    @staticmethod
    def _result(prep: Prepared, mined: dict[str, Any]) -> str:
        if mined.get("contract_address"):
            return f"{prep.ctype.name} at {mined['contract_address']}"
        return f"{prep.describe()} in {mined['hash']}"

    def _write_record(self, prep: Prepared, mined: dict[str, Any]) -> None:
        from daftar.contract.abi import encode_args

        step = prep.step
        assert isinstance(step, DeployStep)
        names = [s.contract for s in self.plan.steps if isinstance(s, DeployStep)]
        file = step.contract if names.count(step.contract) == 1 else step.name
        ctor = next((i for i in prep.ctype.abi if i["type"] == "constructor"), {"inputs": []})
        inputs = ctor.get("inputs", [])
        raw = encode_args(inputs, prep.args) if inputs else b""
        decoded = [
            {"name": i["name"], "type": i["type"], "value": _jsonable(v)}
            for i, v in zip(inputs, prep.args, strict=True)
        ]
        record = records.contract_record(
            network=self.net,
            chain_id=self.chain.chain_id,
            step=step.name,
            artifact=prep.ctype.artifact,
            initcode_hash=prep.initcode_hash or "",
            mined=mined,
            args_raw="0x" + raw.hex(),
            args_decoded=decoded,
            previous=records.read_record(self.folder, file),
        )
        write_json(self.folder / f"{file}.json", record)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _rpc_message(err: Exception) -> str:
    msg = getattr(err, "message", None) or str(err)
    return str(msg)[:300]
