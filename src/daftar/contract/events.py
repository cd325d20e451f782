"""Logs → decoded events, by topic, across every contract a project knows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_abi import decode

from daftar.chain.base import Log
from daftar.contract.abi import canonical_type, decode_values, from_abi_value, topic


@dataclass(frozen=True)
class Event:
    name: str
    address: str
    args: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.args[key]

    def __getattr__(self, key: str) -> Any:
        try:
            return self.args[key]
        except KeyError:
            raise AttributeError(key) from None


class EventRegistry:
    def __init__(self) -> None:
        self._by_topic: dict[bytes, dict[str, Any]] = {}

    def add_abi(self, abi: list[dict[str, Any]]) -> None:
        for item in abi:
            if item.get("type") == "event" and not item.get("anonymous"):
                self._by_topic.setdefault(topic(item), item)

    def decode(self, log: Log) -> Event | None:
        item = self._by_topic.get(log.topics[0]) if log.topics else None
        if item is None:
            return None
        indexed = [p for p in item["inputs"] if p.get("indexed")]
        plain = [p for p in item["inputs"] if not p.get("indexed")]
        if len(indexed) != len(log.topics) - 1:
            return None  # same signature, different indexing: not this event
        values: dict[str, Any] = {}
        for p, raw in zip(indexed, log.topics[1:], strict=True):
            typ = canonical_type(p)
            dynamic = typ in ("string", "bytes") or typ.endswith("]") or typ.startswith("(")
            values[p["name"]] = raw if dynamic else from_abi_value(typ, decode([typ], raw)[0])
        for p, v in zip(plain, decode_values(plain, log.data), strict=True):
            values[p["name"]] = v
        ordered = {p["name"]: values[p["name"]] for p in item["inputs"]}
        return Event(item["name"], log.address, ordered)

    def decode_all(self, logs: list[Log]) -> list[Event]:
        return [ev for ev in (self.decode(lg) for lg in logs) if ev is not None]
