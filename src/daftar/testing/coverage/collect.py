"""Executed program counters, from the tester's in-process hook or anvil's opcode steps.

Both give, per code blob that ran (creation or runtime code), the set of program counters
executed and every JUMPI's outcome (jumped or fell through):

- tester: `daftar.chain.pyevm_hooks` wraps every py-evm opcode (no RPC at all);
- anvil: every transaction, deployment and call is replayed with `debug_traceTransaction` /
  `debug_traceCall`, whose `structLogs` anvil returns only when launched with
  `--steps-tracing` (the plugin adds it). A step log has no code address, so the collector
  follows the call depth: the address of a CALL-family frame is on its caller's stack, a
  CREATE's is on the stack when it returns.
- revm: pyrevm 0.3.7 has no per-step hook (its EIP-3155 tracer prints through Python at a
  few hundred steps a second, without addresses): unsupported, see UNSUPPORTED.
"""

from __future__ import annotations

from typing import Any, ClassVar

from daftar.chain.base import Chain, Reverted

UNSUPPORTED = (
    "Solidity coverage needs every executed opcode, and the revm backend (pyrevm 0.3.7) "
    "offers no per-step hook. Run coverage on the in-process py-evm backend: "
    "`pytest --coverage --network tester` (or `--network anvil`)."
)

Key = tuple[str, bytes]  # ("create" | "call", code)


class Hits:
    """pcs and JUMPI outcomes per code blob."""

    def __init__(self) -> None:
        self.pcs: dict[Key, set[int]] = {}
        self.jumps: dict[Key, set[tuple[int, bool]]] = {}

    def merge(self, pcs: dict[Key, set[int]], jumps: dict[Key, set[tuple[int, bool]]]) -> None:
        for k, v in pcs.items():
            self.pcs.setdefault(k, set()).update(v)
        for k, j in jumps.items():
            self.jumps.setdefault(k, set()).update(j)


class TesterCollector:
    def __init__(self) -> None:
        from daftar.chain import pyevm_hooks

        self._hooks = pyevm_hooks
        self.store = pyevm_hooks.start_steps()

    def attach(self, chain: Chain) -> None:
        pass  # the hook is process-wide

    def hits(self) -> Hits:
        out = Hits()
        out.merge(self.store.pcs, self.store.jumps)
        return out

    def stop(self) -> None:
        self._hooks.stop_steps()


class AnvilCollector:
    """Replays what a test sent to anvil with opcode steps, and folds them into hits."""

    OPTIONS: ClassVar[dict[str, bool]] = {
        "disableStorage": True,
        "disableMemory": True,
        "enableReturnData": False,
    }

    def __init__(self) -> None:
        from daftar.chain import anvil

        if "--steps-tracing" not in anvil.LAUNCH_ARGS:
            anvil.LAUNCH_ARGS.append("--steps-tracing")
        self._hits = Hits()
        self._code: dict[str, bytes] = {}

    def attach(self, chain: Any) -> None:
        transact, deploy, call = chain.transact, chain.deploy, chain.call
        collector = self

        def traced_transact(to: str, data: bytes, sender: Any, *a: Any, **kw: Any) -> Any:
            try:
                receipt = transact(to, data, sender, *a, **kw)
            except Reverted as exc:
                collector._failed(chain, exc, to, data, sender, kw.get("value", 0))
                raise
            collector._tx(chain, receipt.tx_hash, ("call", to), data)
            return receipt

        def traced_deploy(initcode: bytes, sender: Any, *a: Any, **kw: Any) -> Any:
            try:
                receipt = deploy(initcode, sender, *a, **kw)
            except Reverted as exc:
                collector._failed(chain, exc, None, initcode, sender, kw.get("value", 0))
                raise
            collector._tx(chain, receipt.tx_hash, ("create", initcode), initcode)
            return receipt

        def traced_call(to: str, data: bytes, sender: str | None = None, value: int = 0) -> Any:
            try:
                return call(to, data, sender, value)
            finally:
                collector._call(chain, to, data, sender, value)

        chain.transact, chain.deploy, chain.call = traced_transact, traced_deploy, traced_call

    # -- replays -------------------------------------------------------------------------------
    def _tx(self, chain: Any, tx_hash: str, top: tuple[str, Any], data: bytes) -> None:
        result = chain.request("debug_traceTransaction", [tx_hash, self.OPTIONS])
        self._fold(chain, result, top)

    def _call(self, chain: Any, to: str | None, data: bytes, sender: Any, value: int) -> None:
        tx: dict[str, Any] = {"data": "0x" + data.hex()}
        if to:
            tx["to"] = to
        if sender:
            tx["from"] = Chain.address_of(sender)
        if value:
            tx["value"] = hex(value)
        try:
            result = chain.request("debug_traceCall", [tx, "latest", self.OPTIONS])
        except Exception:
            return
        self._fold(chain, result, ("call", to) if to else ("create", data))

    def _failed(
        self, chain: Any, exc: Reverted, to: str | None, data: bytes, sender: Any, value: int
    ) -> None:
        if exc.tx_hash:
            self._tx(chain, exc.tx_hash, ("call", to) if to else ("create", data), data)
        else:
            self._call(chain, to, data, sender, value)

    def _runtime(self, chain: Any, address: str) -> bytes:
        key = address.lower()
        if key not in self._code:
            from eth_utils import to_checksum_address

            self._code[key] = chain.code(to_checksum_address(address))
        return self._code[key]

    def _fold(self, chain: Any, result: Any, top: tuple[str, Any]) -> None:
        steps = (result or {}).get("structLogs") or []
        if not steps:
            return
        self._code = {}  # addresses are reused after a snapshot is reverted
        # frames: [kind, address-or-initcode, pcs, jumps]
        frames: list[list[Any]] = [[top[0], top[1], set(), set()]]
        done: list[list[Any]] = []
        base = steps[0]["depth"]
        pending_jumpi: tuple[int, int] | None = None  # (pc, depth)
        for i, step in enumerate(steps):
            depth = step["depth"] - base
            while depth < len(frames) - 1:  # returned from a call
                finished = frames.pop()
                if finished[0] == "create" and finished[1] is None:
                    stack = step.get("stack") or []
                    finished[1] = ("address", stack[-1]) if stack else None
                done.append(finished)
            if depth > len(frames) - 1:  # entered a call: its caller's previous step made it
                prev = steps[i - 1]
                op = prev["op"]
                stack = prev.get("stack") or []
                if op in ("CREATE", "CREATE2"):
                    frames.append(["create", None, set(), set()])
                else:
                    target = stack[-2] if len(stack) >= 2 else None
                    frames.append(["call", ("address", target), set(), set()])
            frame = frames[-1]
            pc = step["pc"]
            if pending_jumpi is not None:
                jpc, jdepth = pending_jumpi
                if jdepth == depth:
                    frame[3].add((jpc, pc != jpc + 1))
                pending_jumpi = None
            frame[2].add(pc)
            if step["op"] == "JUMPI":
                pending_jumpi = (pc, depth)
        done.extend(frames)
        for kind, what, pcs, jumps in done:
            key = self._key(chain, kind, what)
            if key is not None:
                self._hits.merge({key: pcs}, {key: jumps})

    def _key(self, chain: Any, kind: str, what: Any) -> Key | None:
        if what is None:
            return None
        if isinstance(what, bytes):
            return (kind, what)
        if isinstance(what, tuple):  # ("address", hex word)
            word = what[1]
            if word is None:
                return None
            address = "0x" + str(word).removeprefix("0x").rjust(40, "0")[-40:]
        else:
            address = str(what)
        code = self._runtime(chain, address)
        if kind == "create":
            return ("created", code)  # runtime code of what a CREATE made: resolved later
        return (kind, code)

    def hits(self) -> Hits:
        return self._hits

    def stop(self) -> None:
        pass
