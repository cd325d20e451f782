"""Logs → decoded events, by topic, across every contract a project knows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_abi import decode

from daftar.chain.base import Log
from daftar.contract.abi import canonical_type, checksum, decoder, from_abi_value, topic


@dataclass(frozen=True)
class Event:
    """A decoded log. Arguments read as `ev.issuer` or `ev["issuer"]`; the event's own
    name is `ev.event` (so an argument called `name` stays reachable as `ev.name`)."""

    event: str
    address: str
    args: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.args[key]

    def __getattr__(self, key: str) -> Any:
        try:
            return self.__dict__["args"][key]
        except KeyError:
            raise AttributeError(f"event {self.event} has no argument '{key}'") from None


class _EventLayout:
    """How to decode one event: worked out once per event, not once per log."""

    def __init__(self, item: dict[str, Any]) -> None:
        self.name = item["name"]
        self.names = [p["name"] for p in item["inputs"]]
        self.indexed = [(p["name"], canonical_type(p)) for p in item["inputs"] if p.get("indexed")]
        self.plain = [p for p in item["inputs"] if not p.get("indexed")]
        self.plain_names = [p["name"] for p in self.plain]
        self.decode_plain = decoder(self.plain)

    def topic_value(self, typ: str, raw: bytes) -> Any:
        if typ in ("string", "bytes") or typ.endswith("]") or typ.startswith("("):
            return raw  # dynamic values are indexed by their hash
        if typ == "address":
            return checksum("0x" + raw[12:].hex())
        if typ.startswith("uint"):
            return int.from_bytes(raw, "big")
        if typ == "bytes32":
            return raw
        return from_abi_value(typ, decode([typ], raw)[0])

    def decode(self, log: Log) -> Event | None:
        if len(self.indexed) != len(log.topics) - 1:
            return None  # same signature, different indexing: not this event
        values: dict[str, Any] = {
            name: self.topic_value(typ, raw)
            for (name, typ), raw in zip(self.indexed, log.topics[1:], strict=True)
        }
        if self.plain:
            values.update(zip(self.plain_names, self.decode_plain(log.data), strict=True))
        return Event(self.name, log.address, {n: values[n] for n in self.names})


class EventRegistry:
    def __init__(self) -> None:
        self._by_topic: dict[bytes, _EventLayout] = {}

    def add_abi(self, abi: list[dict[str, Any]]) -> None:
        for item in abi:
            if item.get("type") == "event" and not item.get("anonymous"):
                self._by_topic.setdefault(topic(item), _EventLayout(item))

    def decode(self, log: Log) -> Event | None:
        layout = self._by_topic.get(log.topics[0]) if log.topics else None
        return layout.decode(log) if layout else None

    def decode_all(self, logs: list[Log]) -> list[Event]:
        return [ev for ev in (self.decode(lg) for lg in logs) if ev is not None]
