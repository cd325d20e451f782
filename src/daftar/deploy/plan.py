"""Deploy plans: an ordered list of named steps that an executor runs, or resumes.

A plan is data, not a script, so the same plan can run on the embedded chain (tests, dry
runs) and through the journaled executor (live networks), and a rerun can tell which steps
are already done. A step's name is its identity in the journal: keep names stable.

    plan = Plan()
    token = plan.deploy("token", "Token", "Example", "EXM", owner)
    plan.call("grant-minter", token, "grantRole", MINTER, who,
              skip_if=lambda c: c.hasRole(MINTER, who))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eth_utils import keccak

from daftar.contract.types import Contract, ContractType
from daftar.errors import DeployError


@dataclass(frozen=True)
class Ref:
    """The address a deploy step produced; resolved when a later step runs."""

    step: str


@dataclass(frozen=True)
class DeployStep:
    name: str
    contract: str  # contract type name in the project
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class CallStep:
    name: str
    target: Ref | str  # a deploy step's result, or an address
    function: str
    args: tuple[Any, ...] = ()
    skip_if: Callable[[Contract], bool] | None = field(default=None, compare=False)
    contract: str | None = None  # contract type of an address target


Step = DeployStep | CallStep


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)

    def deploy(self, name: str, contract: str, *args: Any) -> Ref:
        self._add(DeployStep(name, contract, tuple(args)))
        return Ref(name)

    def call(
        self,
        name: str,
        target: Ref | str,
        function: str,
        *args: Any,
        skip_if: Callable[[Contract], bool] | None = None,
        contract: str | None = None,
    ) -> None:
        if isinstance(target, Ref) and not any(
            isinstance(s, DeployStep) and s.name == target.step for s in self.steps
        ):
            raise DeployError(f"plan step '{name}' targets '{target.step}', which comes later")
        self._add(CallStep(name, target, function, tuple(args), skip_if, contract))

    def _add(self, step: Step) -> None:
        if any(s.name == step.name for s in self.steps):
            raise DeployError(f"the plan has two steps named '{step.name}'; names must be unique")
        self.steps.append(step)

    def __len__(self) -> int:
        return len(self.steps)


@dataclass(frozen=True)
class Prepared:
    """A step turned into a transaction: where it goes and what it carries."""

    step: Step
    to: str | None
    data: bytes
    ctype: ContractType
    args: tuple[Any, ...]  # references resolved
    initcode_hash: str | None  # deploy steps: keccak of the creation bytecode
    value: int = 0  # wei sent with it (plans send none; scripts run by `daftar run` may)

    @property
    def data_hash(self) -> str:
        return "0x" + keccak(self.data).hex()

    def describe(self) -> str:
        if isinstance(self.step, DeployStep):
            return f"deploy {self.step.contract}"
        return f"{self.ctype.name}.{self.step.function}({', '.join(map(_short, self.args))})"


def resolve(value: Any, addresses: dict[str, str]) -> Any:
    if isinstance(value, Ref):
        if value.step not in addresses:
            raise DeployError(f"step '{value.step}' has no address yet; it must run first")
        return addresses[value.step]
    if isinstance(value, (list, tuple)):
        return type(value)(resolve(v, addresses) for v in value)
    return value


def prepare(project: Any, plan: Plan, step: Step, addresses: dict[str, str]) -> Prepared:
    """Encode a step against the current build; `addresses` holds earlier deploy results."""
    args = tuple(resolve(a, addresses) for a in step.args)
    if isinstance(step, DeployStep):
        ctype = project[step.contract]
        return Prepared(step, None, ctype.deploy_data(*args), ctype, args, ctype.initcode_hash)
    to = resolve(step.target, addresses)
    name = step.contract
    if name is None and isinstance(step.target, Ref):
        name = next(
            s.contract
            for s in plan.steps
            if isinstance(s, DeployStep) and s.name == step.target.step
        )
    if name is None:
        raise DeployError(f"step '{step.name}' calls {to}: say which contract it is (contract=)")
    ctype = project[name]
    data = getattr(ctype.at(to, _NoChain()), step.function).encode_input(*args)  # type: ignore[arg-type]
    return Prepared(step, to, data, ctype, args, None)


class _NoChain:
    """Encoding needs no chain; a placeholder that fails loudly if one is used."""

    name = "(encoding only)"

    def __getattr__(self, attr: str) -> Any:
        raise RuntimeError("encoding only: no chain")


def _short(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()[:8] + "…"
    return str(value)
