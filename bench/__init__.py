"""Benchmarks that measure daftar against its peers in the same run, on the same machine.

Ratios, not absolute numbers, are what we track: a peer measured minutes earlier on
another machine proves nothing. Each bench prints progress, then one JSON line last.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def say(message: str) -> None:
    """Progress goes to stderr, so stdout's last line stays the machine-readable result."""
    print(message, file=sys.stderr, flush=True)


def emit(result: dict[str, Any]) -> None:
    """The result: exactly one JSON object, the last line of stdout."""
    print(json.dumps(result), flush=True)
