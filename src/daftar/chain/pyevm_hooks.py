"""In-process hooks into py-evm (the tester backend): call trees and executed program counters.

py-evm runs every message through `<Computation class>.apply_computation`, and every
opcode through the class's `opcodes` table, so wrapping both sees everything the EVM does:

- `RECORDER` (always on once a tester chain exists; it costs one Python call per message
  and per JUMP/JUMPI/REVERT) builds each top-level execution's call tree in the format of
  geth's / anvil's `callTracer` (type, from, to, input, output, gas, gasUsed, error, calls,
  logs), plus what only an in-process hook knows: `codeKind` ("create" or "call"), `code`
  (the bytes that ran) and, for a frame that failed, `pc` (where) and `recentPcs` (the last
  jumps before it: the source line of a Panic raised in a compiler helper).
- `start_steps()` / `stop_steps()` (coverage) record, per code blob, every program counter
  executed and every JUMPI's direction. That wraps every opcode: py-evm gets about 1.5x slower
  while it is on.

The hooks are process-wide (py-evm's classes are shared by every tester chain), installed
once, and only read what the EVM does: they never change a result.
"""

from __future__ import annotations

import collections
from typing import Any

from eth_utils import to_checksum_address

_JUMP, _JUMPI, _REVERT, _INVALID = 0x56, 0x57, 0xFD, 0xFE
_WRAPPED: dict[type, dict[int, Any]] = {}  # computation class -> its original opcode table


class CallRecorder:
    """Call trees of top-level executions, newest last (a bounded history)."""

    def __init__(self, keep: int = 64) -> None:
        self.stack: list[dict[str, Any]] = []
        self.recent: collections.deque[dict[str, Any]] = collections.deque(maxlen=keep)

    @property
    def last(self) -> dict[str, Any] | None:
        return self.recent[-1] if self.recent else None

    def enter(self, message: Any) -> dict[str, Any]:
        to = message.storage_address
        if message.is_create:
            kind = "CREATE"
        elif message.is_static:
            kind = "STATICCALL"
        elif message.code_address != message.storage_address:
            kind = "DELEGATECALL"
        else:
            kind = "CALL"
        frame: dict[str, Any] = {
            "type": kind,
            "from": to_checksum_address(message.sender),
            "to": to_checksum_address(to) if to else None,
            "value": hex(message.value),
            "gas": hex(message.gas),
            "input": "0x" + bytes(message.code if message.is_create else message.data).hex(),
            "calls": [],
            "logs": [],
            "codeKind": "create" if message.is_create else "call",
            "code": bytes(message.code),
            "_jumps": collections.deque(maxlen=12),
        }
        if kind == "DELEGATECALL":
            frame["codeAddress"] = to_checksum_address(message.code_address)
        self.stack.append(frame)
        return frame

    def leave(self, frame: dict[str, Any], computation: Any) -> None:
        if self.stack and self.stack[-1] is frame:
            self.stack.pop()
        gas = int(frame["gas"], 16)
        frame["gasUsed"] = hex(max(gas - computation.get_gas_remaining(), 0))
        frame["output"] = "0x" + bytes(computation.output).hex()
        if computation.is_error:
            err = computation.error
            name = type(err).__name__
            frame["error"] = "execution reverted" if name == "Revert" else name
            frame["recentPcs"] = list(frame["_jumps"])
            frame.setdefault("pc", frame["recentPcs"][-1] if frame["recentPcs"] else None)
        else:
            for _seq, address, topics, data in computation._log_entries:
                frame["logs"].append(
                    {
                        "address": to_checksum_address(address),
                        "topics": ["0x" + t.to_bytes(32, "big").hex() for t in topics],
                        "data": "0x" + bytes(data).hex(),
                    }
                )
        del frame["_jumps"]
        if self.stack:
            self.stack[-1]["calls"].append(frame)
        else:
            self.recent.append(frame)

    def note_pc(self, pc: int, failing: bool = False) -> None:
        if self.stack:
            top = self.stack[-1]
            if failing:
                top["pc"] = pc
            else:
                top["_jumps"].append(pc)


class StepCollector:
    """Executed program counters and JUMPI outcomes, per (kind, code)."""

    def __init__(self) -> None:
        self.pcs: dict[tuple[str, bytes], set[int]] = {}
        self.jumps: dict[tuple[str, bytes], set[tuple[int, bool]]] = {}
        self._stack: list[tuple[set[int], set[tuple[int, bool]]]] = []
        self.cur_pcs: set[int] = set()
        self.cur_jumps: set[tuple[int, bool]] = set()

    def enter(self, message: Any) -> None:
        key = ("create" if message.is_create else "call", bytes(message.code))
        self._stack.append((self.cur_pcs, self.cur_jumps))
        self.cur_pcs = self.pcs.setdefault(key, set())
        self.cur_jumps = self.jumps.setdefault(key, set())

    def leave(self) -> None:
        if self._stack:
            self.cur_pcs, self.cur_jumps = self._stack.pop()


RECORDER = CallRecorder()
STEPS: StepCollector | None = None


def _computation_classes(tester: Any) -> list[type]:
    chain = tester.backend.chain
    found: list[type] = []
    for _block, vm_class in chain.vm_configuration:
        cls = vm_class._state_class.computation_class
        if cls not in found:
            found.append(cls)
    return found


def install(tester: Any) -> None:
    """Hook the computation classes an `EthereumTester` runs (idempotent)."""
    for cls in _computation_classes(tester):
        if cls in _WRAPPED:
            continue
        _WRAPPED[cls] = dict(cls.opcodes)
        _wrap_messages(cls)
        cls.opcodes = _table(_WRAPPED[cls], steps=STEPS is not None)


def _wrap_messages(cls: type) -> None:
    original = cls.__dict__.get("apply_computation") or cls.apply_computation  # type: ignore[attr-defined]
    func = original.__func__ if hasattr(original, "__func__") else original

    def apply_computation(klass: type, state: Any, message: Any, *args: Any, **kw: Any) -> Any:
        frame = RECORDER.enter(message)
        steps = STEPS
        if steps is not None:
            steps.enter(message)
        computation = None
        try:
            computation = func(klass, state, message, *args, **kw)
            return computation
        finally:
            if steps is not None:
                steps.leave()
            if computation is not None:
                RECORDER.leave(frame, computation)
            elif RECORDER.stack and RECORDER.stack[-1] is frame:
                RECORDER.stack.pop()  # py-evm itself failed: no frame to keep

    cls.apply_computation = classmethod(apply_computation)  # type: ignore[attr-defined]


def _table(original: dict[int, Any], steps: bool) -> dict[int, Any]:
    table = dict(original)
    for op, fn in original.items():
        if steps:
            table[op] = _step_wrapper(op, fn)
        elif op in (_JUMP, _JUMPI, _REVERT, _INVALID):
            table[op] = _trace_wrapper(op, fn)
    return table


def _trace_wrapper(op: int, fn: Any) -> Any:
    failing = op in (_REVERT, _INVALID)

    def run(computation: Any) -> None:
        RECORDER.note_pc(computation.code.program_counter - 1, failing)
        fn(computation=computation)

    return run


def _step_wrapper(op: int, fn: Any) -> Any:
    traced = op in (_JUMP, _JUMPI, _REVERT, _INVALID)
    failing = op in (_REVERT, _INVALID)
    if op == _JUMPI:

        def run(computation: Any) -> None:
            pc = computation.code.program_counter - 1
            steps = STEPS
            if steps is not None:
                steps.cur_pcs.add(pc)
            RECORDER.note_pc(pc)
            fn(computation=computation)
            if steps is not None:
                steps.cur_jumps.add((pc, computation.code.program_counter != pc + 1))

        return run

    def run_any(computation: Any) -> None:
        pc = computation.code.program_counter - 1
        steps = STEPS
        if steps is not None:
            steps.cur_pcs.add(pc)
        if traced:
            RECORDER.note_pc(pc, failing)
        fn(computation=computation)

    return run_any


def start_steps() -> StepCollector:
    """Record executed program counters from now on (every hooked class); returns the store."""
    global STEPS
    if STEPS is None:
        STEPS = StepCollector()
    for cls, original in _WRAPPED.items():
        cls.opcodes = _table(original, steps=True)  # type: ignore[attr-defined]
    return STEPS


def stop_steps() -> StepCollector | None:
    global STEPS
    found, STEPS = STEPS, None
    for cls, original in _WRAPPED.items():
        cls.opcodes = _table(original, steps=False)  # type: ignore[attr-defined]
    return found
