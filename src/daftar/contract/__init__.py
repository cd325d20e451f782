"""Contracts in Python: types from artifacts, typed methods, events, decoded errors."""

from daftar.contract.events import Event
from daftar.contract.types import Contract, ContractType

__all__ = ["Contract", "ContractType", "Event"]
