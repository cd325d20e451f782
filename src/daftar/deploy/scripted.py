"""`daftar run` on a live network: every transaction a script sends goes through the journal.

A Brownie-style script (`main()` deploying and calling contracts) is not a plan: it is
code, and it may stop anywhere (a crash, Ctrl-C, a key out of funds). On an `rpc` network
its chain is wrapped in a `JournaledChain`, so each transaction it sends is the step
`tx-<n>` of the run's journal `deployments/<network>/runs/<script>.<function>.jsonl`,
signed, journaled, broadcast and confirmed by the same phases as `daftar deploy`
(daftar.deploy.broadcast / .confirm): a dropped transaction is rebroadcast, a stuck one
re-priced, a nonce taken by an unknown transaction reported.

Rerunning an interrupted run resumes it: the script runs again from the top, and each
transaction the journal already holds is not sent again. A mined one answers with its
receipt, a pending one is waited for. A transaction that differs from the journaled one
(the script or its inputs changed) stops the run with both described. A run that returns
normally moves its journal to `runs/done/`, so the next run starts afresh. `--fresh` moves
an interrupted one to `runs/abandoned/` and starts over.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from daftar.chain.base import Account, Chain, Receipt
from daftar.deploy.broadcast import broadcast, sign
from daftar.deploy.confirm import wait
from daftar.deploy.journal import Journal, StepState
from daftar.deploy.live import LiveRun, LiveSettings
from daftar.deploy.plan import CallStep, DeployStep, Plan, Prepared
from daftar.deploy.preflight import check_pending, verify_done
from daftar.errors import DeployError
from daftar.util.files import fsync_dir

RUNS = "runs"


class _Transfer(Prepared):
    """A transaction to an address no project contract describes (ether, raw data)."""

    def describe(self) -> str:
        return f"send {self.value} wei to {self.to}" + (" with data" if self.data else "")


def journal_path(folder: Path, script: Path, function: str) -> Path:
    return folder / RUNS / f"{script.stem}.{function}.jsonl"


def set_aside(path: Path, why: str) -> Path | None:
    """Move a run's journal to `runs/<why>/` (atomically, by rename); its new path."""
    if not path.exists():
        return None
    target = path.parent / why / f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{path.name}"
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(path, target)
    fsync_dir(path.parent)
    fsync_dir(target.parent)
    return target


class JournaledChain:
    """A live chain whose `deploy` / `transact` go through the run's journal; every other
    attribute is the wrapped chain's."""

    def __init__(
        self,
        inner: Chain,
        project: Any,
        net: Any,
        folder: Path,
        journal: Path,
        say: Callable[[str], None] = print,
    ) -> None:
        self._inner = inner
        self._project = project
        self._net = net
        self._folder = folder
        self._journal = Journal(journal)
        self._say = say
        self._cfg = LiveSettings.of(net)
        self._runs: dict[str, LiveRun] = {}
        self._functions: dict[bytes, tuple[Any, str]] | None = None  # by selector, on first use
        self._count = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    @property
    def journal(self) -> Journal:
        return self._journal

    def deploy(
        self, initcode: bytes, sender: Account | str, value: int = 0, gas: int | None = None
    ) -> Receipt:
        ctype = next(
            (
                t
                for t in self._project.contract_types.values()
                if t.bytecode and initcode.startswith(t.bytecode)
            ),
            None,
        )
        name = ctype.name if ctype is not None else "(unknown contract)"
        self._count += 1
        step = DeployStep(f"tx-{self._count}", name)
        initcode_hash = ctype.initcode_hash if ctype is not None else None
        prep = Prepared(step, None, bytes(initcode), ctype, (), initcode_hash, value)
        return self._send(prep, sender, gas)

    def transact(
        self,
        to: str,
        data: bytes,
        sender: Account | str,
        value: int = 0,
        gas: int | None = None,
    ) -> Receipt:
        self._count += 1
        name = f"tx-{self._count}"
        found = self._function(bytes(data[:4])) if len(data) >= 4 else None
        if found is None:
            raw = CallStep(name, to, "")
            prep: Prepared = _Transfer(raw, to, bytes(data), None, (), None, value)  # type: ignore[arg-type]
        else:
            ctype, function = found
            prep = Prepared(CallStep(name, to, function), to, bytes(data), ctype, (), None, value)
        return self._send(prep, sender, gas)

    # -- one transaction -----------------------------------------------------------------
    def _send(self, prep: Prepared, sender: Account | str, gas: int | None) -> Receipt:
        step = prep.step.name
        tag = f"[{step}] {prep.describe()}"
        state = self._journal.state(step)
        run = self._run(sender, prep)
        if state.mined:
            self._same(state, prep, run)
            verify_done(run, prep, state.mined)
            self._say(f"{tag}: mined in an earlier run ({state.mined['hash']}), not sent again")
            return self._receipt(state.mined["hash"])
        if state.signed:
            self._same(state, prep, run)
            self._say(f"{tag}: resuming (nonce {state.latest['nonce']})")  # type: ignore[index]
        else:
            # The node's estimate first: a transaction that would revert raises `Reverted`
            # here, before anything is signed, for the caller to decode (brownie.reverts).
            me = run.deployer.address
            estimated = self._inner.estimate_gas(prep.to, prep.data, me, prep.value)
            run.gas_limits[step] = max(gas or 0, int(estimated * self._cfg.gas_margin))
            broadcast(run, sign(run, prep, tag))
        wait(run, prep, tag)
        mined = self._journal.state(step).mined
        assert mined is not None
        return self._receipt(mined["hash"])

    def _receipt(self, tx_hash: str) -> Receipt:
        receipt = self._inner.receipt(tx_hash)
        assert receipt is not None, tx_hash
        return receipt

    def _run(self, sender: Account | str, prep: Prepared) -> LiveRun:
        if not isinstance(sender, Account) or sender.key is None:
            address = sender if isinstance(sender, str) else sender.address
            raise DeployError(
                f"{prep.describe()} from {address}: on {self._net.name} daftar signs every "
                "transaction itself and has no key for that account. Load one in the script "
                "(accounts.add(os.environ[...]) or accounts.load(NAME))."
            )
        run = self._runs.get(sender.address)
        if run is None:
            run = LiveRun(
                project=self._project,
                plan=Plan(),
                net=self._net,
                chain=self._inner,
                deployer=sender,
                folder=self._folder,
                say=self._say,
                cfg=self._cfg,
                journal=self._journal,
            )
            check_pending(run, self._journal.in_flight_nonces(sender.address))
            self._runs[sender.address] = run
        return run

    def _same(self, state: StepState, prep: Prepared, run: LiveRun) -> None:
        """The script sends what the interrupted run journaled at this position."""
        rec = state.record
        assert rec is not None
        then = (rec["from"].lower(), (rec.get("to") or "").lower(), rec["data_hash"])
        now = (run.deployer.address.lower(), (prep.to or "").lower(), prep.data_hash)
        if then != now or int(rec.get("value", 0)) != prep.value:
            raise DeployError(
                f"transaction {prep.step.name} of this run is {prep.describe()} from "
                f"{run.deployer.address}, but the interrupted run journaled a different one "
                f"there ({rec['hash']}, to {rec.get('to') or 'a new contract'}, from "
                f"{rec['from']}): the script or its inputs changed. Restore them and rerun to "
                f"finish that run, or rerun with --fresh to start over (the journal "
                f"{self._journal.path} is kept under runs/abandoned/)."
            )

    def _function(self, selector: bytes) -> tuple[Any, str] | None:
        """The project contract and function a call's selector names (first one wins)."""
        if self._functions is None:
            from daftar.contract.abi import selector as selector_of

            self._functions = {}
            for ctype in self._project.contract_types.values():
                for item in ctype.abi:
                    if item.get("type") == "function":
                        self._functions.setdefault(selector_of(item), (ctype, item["name"]))
        return self._functions.get(selector)
