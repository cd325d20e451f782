"""Stateful speed: one fixed registry state machine, steps/s per backend, against peers.

The machine (issuers and credentials): accredit, suspend, reinstate, issue, revoke and
sleep, over 3 issuers and 4 credential hashes; after every step, `verify` of every
(issuer, hash) pair touched so far is checked against a Python model. The same machine
class runs, with the same derandomized Hypothesis settings, through five adapters:

  revm        daftar on its embedded revm
  tester      daftar on eth-tester (py-evm)
  anvil       daftar on anvil
  web3        the same calls written directly on web3.py + eth-abi against anvil, no
              framework: middleware removed (no per-request chain-id / ENS / validation),
              gas estimated first, receipts polled every 2 ms — the fastest honest client
  noop        every contract call replaced by the model's own answer: Hypothesis's ceiling

Every variant must execute the same rules with the same arguments and outcomes (ok or
reverted, and every `verify` status): the run fails otherwise. Hypothesis 6.170 also draws
constants harvested from local modules, so importing a backend's modules would change a
derandomized sequence; harvesting is turned off here (`_no_local_constants`).

`--registry` also times the registry's own three state machines (tests/registry/
contracts/test_stateful_*.py) on the named backends, counting their steps exactly.

The registry's function signatures live in `CALLS` only: a change of signature is a
one-line fix there.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import time
from collections.abc import Callable
from typing import Any

from bench import emit, say

DAY = 24 * 3600
SLEEP = 500 * DAY  # time jumps far larger than any wall-clock drift between backends
LIFETIME = 700 * DAY  # a long-lived credential expires after the second sleep
N_ISSUERS = 3
HASHES = [bytes([k + 1]) * 32 for k in range(4)]
NONE, ACTIVE, SUSPENDED = 0, 1, 2  # the model's issuer status
NOT_ISSUED, VALID, REVOKED, EXPIRED, ISSUER_SUSPENDED = 0, 1, 2, 3, 4  # verify's Status

# The registry's public functions as this bench calls them: name -> (contract, arguments).
# A change of signature in the registry is a one-line change here.
CALLS: dict[str, tuple[str, Callable[..., tuple[Any, ...]]]] = {
    "accredit": ("issuers", lambda who: (who, "Organisation", "ipfs://org", 0, 0)),
    "suspend": ("issuers", lambda who: (who, 1, 0)),  # reason 1, no compromise
    "reinstate": ("issuers", lambda who: (who,)),
    "issue": ("credentials", lambda h, expires: (h, expires)),  # the sender is the issuer
    "revoke": ("credentials", lambda who, h: (who, h, 1)),
    "verify": ("credentials", lambda who, h: (who, h)),
}
VARIANTS = ("revm", "tester", "anvil", "web3", "noop")
NETWORKS = {"revm": "development", "tester": "tester", "anvil": "anvil"}


def _no_local_constants() -> None:
    """Hypothesis draws constants found in local (non site-packages) modules; which modules
    are loaded differs per backend, so turn harvesting off for identical runs."""
    from hypothesis.internal.conjecture import providers

    providers._get_local_constants = lambda: providers.Constants()


# ------------------------------------------------------------------------------ adapters
class Adapter:
    """What the machine needs; `who` is an issuer index, `h` a bytes32 hash."""

    office: str
    issuers: list[str]
    calls = 0

    def reset(self) -> None: ...
    def now(self) -> int: ...
    def mine_at(self, timestamp: int) -> None: ...
    def transact(self, name: str, sender: str, *args: Any) -> bool: ...
    def verify(self, who: str, h: bytes) -> int: ...


class DaftarAdapter(Adapter):
    def __init__(self, project: Any, network: str) -> None:
        from daftar_registry import RegistryRoles, deploy_registry

        self.chain = project.connect(network)
        acc = self.chain.accounts
        roles = RegistryRoles(
            admin=acc[0], registrar=acc[1], programme_office=acc[1], pauser=acc[2]
        )
        self.reg = deploy_registry(project, roles)
        self.accounts = {a.address: a for a in acc}
        self.office = acc[1].address
        self.issuers = [a.address for a in acc[3 : 3 + N_ISSUERS]]
        self.snap = self.chain.snapshot()
        self.methods = {name: getattr(getattr(self.reg, c), name) for name, (c, _) in CALLS.items()}
        from daftar.chain.base import Reverted

        self.reverted = Reverted

    def reset(self) -> None:
        self.chain.revert(self.snap)
        self.snap = self.chain.snapshot()

    def now(self) -> int:
        return self.chain.time()

    def mine_at(self, timestamp: int) -> None:
        self.chain.mine(timestamp=timestamp)

    def transact(self, name: str, sender: str, *args: Any) -> bool:
        self.calls += 1
        try:
            self.methods[name](*CALLS[name][1](*args), sender=self.accounts[sender])
        except self.reverted:
            return False
        return True

    def verify(self, who: str, h: bytes) -> int:
        self.calls += 1
        return int(self.methods["verify"](*CALLS["verify"][1](who, h))[0])


class Web3Adapter(Adapter):
    """web3.py + eth-abi on the anvil the daftar variant deployed to; no daftar on the path."""

    def __init__(self, url: str, addresses: dict[str, str], abis: dict[str, list], office: str,
                 issuers: list[str]) -> None:  # fmt: skip
        from web3 import Web3
        from web3.exceptions import ContractLogicError

        self.w3 = w3 = Web3(Web3.HTTPProvider(url))
        w3.middleware_onion.clear()  # no chain-id / ENS / validation round trips per request
        self.office, self.issuers = office, issuers
        self.contracts = {k: w3.eth.contract(address=addresses[k], abi=abis[k]) for k in abis}
        self.logic_error = ContractLogicError
        self.snap = w3.provider.make_request("evm_snapshot", [])["result"]
        self.gas_price = 2 * int(w3.eth.gas_price)  # read once, as daftar does

    def reset(self) -> None:
        self.w3.provider.make_request("evm_revert", [self.snap])
        self.snap = self.w3.provider.make_request("evm_snapshot", [])["result"]

    def now(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def mine_at(self, timestamp: int) -> None:
        self.w3.provider.make_request("evm_mine", [timestamp])

    def transact(self, name: str, sender: str, *args: Any) -> bool:
        self.calls += 1
        contract, arguments = CALLS[name]
        fn = self.contracts[contract].functions[name](*arguments(*args))
        try:
            gas = fn.estimate_gas({"from": sender})
        except self.logic_error:
            return False
        tx = self.w3.eth.send_transaction({"from": sender, "to": fn.address, "gas": gas,
                                           "data": fn._encode_transaction_data(),
                                           "gasPrice": self.gas_price})  # fmt: skip
        while (receipt := self._receipt(tx)) is None:
            time.sleep(0.002)
        return receipt["status"] == 1

    def _receipt(self, tx: Any) -> Any:
        from web3.exceptions import TransactionNotFound

        try:
            return self.w3.eth.get_transaction_receipt(tx)
        except TransactionNotFound:
            return None

    def verify(self, who: str, h: bytes) -> int:
        self.calls += 1
        fn = self.contracts["credentials"].functions.verify(*CALLS["verify"][1](who, h))
        return int(fn.call()[0])


class NoopAdapter(Adapter):
    """Answers from the model: what Hypothesis and the machine cost without any chain."""

    def __init__(self) -> None:
        from daftar.keys import dev_accounts

        acc = list(dev_accounts())
        self.office = acc[1].address
        self.issuers = [a.address for a in acc[3 : 3 + N_ISSUERS]]
        self.machine: Any = None

    def reset(self) -> None: ...

    def now(self) -> int:
        return 1_700_000_000

    def mine_at(self, timestamp: int) -> None: ...

    def transact(self, name: str, sender: str, *args: Any) -> bool:
        self.calls += 1
        return self.machine.predict_ok(name, sender, *args)

    def verify(self, who: str, h: bytes) -> int:
        self.calls += 1
        return self.machine.predict_status(self.issuers.index(who), h)


# ------------------------------------------------------------------------------ machine
def machine_class(adapter: Adapter, trace: list[tuple[Any, ...]]) -> type:
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

    issuer = st.integers(0, N_ISSUERS - 1)
    credential = st.integers(0, len(HASHES) - 1)

    class RegistryMachine(RuleBasedStateMachine):
        """Issuers and credentials; `verify` of every touched pair matches the model."""

        def __init__(self) -> None:
            super().__init__()
            adapter.reset()
            self.status = [NONE] * N_ISSUERS
            self.creds: dict[tuple[int, int], list[int]] = {}  # -> [expiresAt, revoked]
            self.touched: set[tuple[int, int]] = set()
            self.now = adapter.now()
            self.start = self.now
            trace.append(("init",))

        # The model: which calls succeed, and what verify says.
        def predict_ok(self, name: str, sender: str, *args: Any) -> bool:
            if name in ("accredit", "suspend", "reinstate"):
                i = adapter.issuers.index(args[0])
                want = {"accredit": NONE, "suspend": ACTIVE, "reinstate": SUSPENDED}[name]
                return self.status[i] == want
            if name == "issue":
                i = adapter.issuers.index(sender)
                return self.status[i] == ACTIVE and (i, HASHES.index(args[0])) not in self.creds
            i, k = adapter.issuers.index(args[0]), HASHES.index(args[1])
            return (i, k) in self.creds and not self.creds[(i, k)][1]

        def predict_status(self, i: int, h: bytes) -> int:
            rec = self.creds.get((i, HASHES.index(h)))
            if rec is None:
                return NOT_ISSUED
            if rec[1]:
                return REVOKED
            if rec[0] and self.now >= rec[0]:
                return EXPIRED
            if self.status[i] == SUSPENDED:
                return ISSUER_SUSPENDED
            return VALID

        def _step(self, what: tuple[Any, ...], name: str, sender: str, *args: Any) -> bool:
            ok = adapter.transact(name, sender, *args)
            expected = self.predict_ok(name, sender, *args)
            trace.append((*what, ok))  # indices, not addresses or times: same on every backend
            assert ok == expected, (
                f"{name}{args}: {'ok' if ok else 'reverted'}, model says {expected}"
            )
            return ok

        @rule(i=issuer)
        def accredit(self, i: int) -> None:
            if self._step(("accredit", i), "accredit", adapter.office, adapter.issuers[i]):
                self.status[i] = ACTIVE

        @rule(i=issuer)
        def suspend(self, i: int) -> None:
            if self._step(("suspend", i), "suspend", adapter.office, adapter.issuers[i]):
                self.status[i] = SUSPENDED

        @rule(i=issuer)
        def reinstate(self, i: int) -> None:
            if self._step(("reinstate", i), "reinstate", adapter.office, adapter.issuers[i]):
                self.status[i] = ACTIVE

        @rule(i=issuer, k=credential, expires=st.booleans())
        def issue(self, i: int, k: int, expires: bool) -> None:
            expires_at = self.now + LIFETIME if expires else 0
            self.touched.add((i, k))
            if self._step(
                ("issue", i, k, expires), "issue", adapter.issuers[i], HASHES[k], expires_at
            ):
                self.creds[(i, k)] = [expires_at, 0]

        @rule(i=issuer, k=credential)
        def revoke(self, i: int, k: int) -> None:
            self.touched.add((i, k))
            if self._step(
                ("revoke", i, k), "revoke", adapter.issuers[i], adapter.issuers[i], HASHES[k]
            ):
                self.creds[(i, k)][1] = 1

        @rule()
        def sleep(self) -> None:
            self.now += SLEEP
            adapter.mine_at(self.now)
            trace.append(("sleep",))

        @invariant()
        def verify_matches_the_model(self) -> None:
            for i, k in sorted(self.touched):
                got = adapter.verify(adapter.issuers[i], HASHES[k])
                trace.append(("verify", i, k, got))
                want = self.predict_status(i, HASHES[k])
                assert got == want, f"verify(issuer {i}, hash {k}) = {got}, model says {want}"

    return RegistryMachine


def run_variant(
    adapter: Adapter, examples: int, steps: int, profile: bool = False
) -> dict[str, Any]:
    from hypothesis import HealthCheck, Phase, settings
    from hypothesis.stateful import run_state_machine_as_test

    trace: list[tuple[Any, ...]] = []
    machine = machine_class(adapter, trace)
    if isinstance(adapter, NoopAdapter):
        real_init = machine.__init__

        def init(self: Any) -> None:
            adapter.machine = self
            real_init(self)

        machine.__init__ = init
    fixed = settings(
        max_examples=examples, stateful_step_count=steps, derandomize=True, database=None,
        deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    profiler = cProfile.Profile() if profile else None
    adapter.calls = 0
    # As daftar's pytest plugin does after collection, for every variant alike: what exists
    # now lives through the run, so the collector stops walking it.
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    run_state_machine_as_test(machine, settings=fixed)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    rules = sum(1 for t in trace if t[0] not in ("init", "verify"))
    out = {"seconds": seconds, "rules": rules, "calls": adapter.calls, "trace": trace}
    if profiler:
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats("cumulative").print_stats(40)
        out["profile"] = buf.getvalue()
    return out


# ----------------------------------------------------------------- the registry's machines
def registry_machines(backends: list[str]) -> dict[str, dict[str, float]]:
    """steps/s of tests/registry/contracts/test_stateful_*.py (ci profile) per backend."""
    import contextlib
    import os
    from pathlib import Path

    import pytest
    from hypothesis.stateful import RuleBasedStateMachine

    files = sorted(Path("tests/registry/contracts").glob("test_stateful_*.py"))
    counts: dict[str, int] = {}
    real = RuleBasedStateMachine.check_invariants
    current: list[str] = [""]

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        counts[current[0]] = counts.get(current[0], 0) + 1  # once at start, once per step
        return real(self, *args, **kwargs)

    class Timer:
        def __init__(self) -> None:
            self.seconds: dict[str, float] = {}
            self.examples: dict[str, int] = {}

        def pytest_runtest_logreport(self, report: Any) -> None:
            if report.when == "call":
                self.seconds[report.nodeid] = report.duration

    inits: dict[str, int] = {}
    real_init = RuleBasedStateMachine.__init__

    def counting_init(self: Any) -> None:
        inits[current[0]] = inits.get(current[0], 0) + 1
        real_init(self)

    out: dict[str, dict[str, float]] = {}
    os.environ["DAFTAR_REGRESSIONS"] = "0"  # a failure here is reported, not kept as a test
    RuleBasedStateMachine.check_invariants = counting  # type: ignore[method-assign]
    RuleBasedStateMachine.__init__ = counting_init  # type: ignore[method-assign]
    try:
        for backend in backends:
            for f in files:
                key = f"{f.stem.removeprefix('test_stateful_')}@{backend}"
                current[0] = key
                timer = Timer()
                sink = io.StringIO()
                with contextlib.redirect_stdout(sink):
                    code = pytest.main([str(f), "-q", "-p", "no:cacheprovider", "--network",
                                        backend, "--hypothesis-profile", "ci", "-W", "ignore"],
                                       plugins=[timer])  # fmt: skip
                steps = counts.get(key, 0) - inits.get(key, 0)
                seconds = sum(timer.seconds.values())
                if code != 0 or not seconds:
                    say(f"registry machine {key}: pytest exit {code}; not timed")
                    continue
                out[key] = {"steps": steps, "seconds": round(seconds, 2),
                            "steps_per_s": round(steps / seconds, 1)}  # fmt: skip
                say(f"registry machine {key}: {steps} steps in {seconds:.2f}s = "
                    f"{steps / seconds:,.1f} steps/s")  # fmt: skip
    finally:
        RuleBasedStateMachine.check_invariants = real  # type: ignore[method-assign]
        RuleBasedStateMachine.__init__ = real_init  # type: ignore[method-assign]
    return out


# ------------------------------------------------------------------------------ main
def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench stateful",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--examples", type=int, default=20, help="Hypothesis examples")
    parser.add_argument("--steps", type=int, default=20, help="stateful_step_count")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated")
    parser.add_argument("--profile", action="store_true", help="cProfile the revm variant")
    parser.add_argument(
        "--registry",
        default="",
        metavar="BACKENDS",
        help="also time the registry's three state machines, e.g. revm,anvil",
    )
    args = parser.parse_args(argv)  # fmt: skip
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = sorted(set(variants) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variant(s) {unknown}; choose from {', '.join(VARIANTS)}")

    _no_local_constants()
    from daftar.project import Project

    project = Project.load()
    results: dict[str, dict[str, Any]] = {}
    anvil: DaftarAdapter | None = None
    for name in [v for v in VARIANTS if v in variants]:
        if name == "noop":
            adapter: Adapter = NoopAdapter()
        elif name == "web3":
            base = anvil or DaftarAdapter(project, "anvil")
            abis = {
                "issuers": base.reg.issuers.type.abi,
                "credentials": base.reg.credentials.type.abi,
            }
            addresses = {"issuers": base.reg.issuers.address,
                         "credentials": base.reg.credentials.address}  # fmt: skip
            base.reset()
            adapter = Web3Adapter(
                base.chain.process.url, addresses, abis, base.office, base.issuers
            )
        else:
            adapter = DaftarAdapter(project, NETWORKS[name])
            if name == "anvil":
                anvil = adapter
        say(f"{name}: {args.examples} examples x {args.steps} steps ...")
        r = run_variant(adapter, args.examples, args.steps, profile=args.profile and name == "revm")
        results[name] = r
        say(f"{name}: {r['rules']} rules ({r['calls']} contract calls) in {r['seconds']:.2f}s = "
            f"{r['rules'] / r['seconds']:,.1f} steps/s")  # fmt: skip
        if "profile" in r:
            say(r["profile"])
        if name not in ("anvil",) and name in NETWORKS:
            project.close()
    project.close()

    first = next(iter(results))
    same = {n: r["trace"] == results[first]["trace"] for n, r in results.items()}
    for n, ok in same.items():
        if not ok:
            say(f"{n}: executed rules or outcomes differ from {first}'s: the comparison is void")
    rate = {n: round(r["rules"] / r["seconds"], 1) for n, r in results.items()}

    def ratio(a: str, b: str) -> float | None:
        return round(rate[a] / rate[b], 3) if a in rate and b in rate else None

    result: dict[str, Any] = {
        "steps_per_s": rate,
        "rules": {n: r["rules"] for n, r in results.items()},
        "identical": all(same.values()),
        "revm_over_ceiling": ratio("revm", "noop"),
        "revm_over_web3": ratio("revm", "web3"),
        "anvil_over_web3": ratio("anvil", "web3"),
        "revm_over_tester": ratio("revm", "tester"),
        "goal_revm_over_ceiling": 0.7,
        "goal_revm_over_web3": 20,
        "examples": args.examples,
        "steps": args.steps,
    }
    if args.registry:
        project.close()
        result["registry_machines"] = registry_machines(
            [b.strip() for b in args.registry.split(",") if b.strip()]
        )
    emit(result)
    return 0 if result["identical"] else 1
