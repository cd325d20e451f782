"""Registry times as people read them: ISO 8601 UTC, and durations in days to seconds."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["duration", "utc"]


def utc(seconds: int) -> str | None:
    """Unix seconds as ISO 8601 UTC (`2026-06-30T00:00:00Z`); None for 0 (never / not set)."""
    if not seconds:
        return None
    return datetime.fromtimestamp(int(seconds), UTC).isoformat().replace("+00:00", "Z")


def duration(seconds: int) -> str:
    """`172800` → `2 d`; `93784` → `1 d 2 h 3 min 4 s`; `0` → `0 s`."""
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    units = ((days, "d"), (hours, "h"), (minutes, "min"), (secs, "s"))
    return " ".join(f"{n} {unit}" for n, unit in units if n) or "0 s"
