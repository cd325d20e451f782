"""EIP-1559 fees for deploy transactions: from the node, capped by config, bumped when stuck."""

from __future__ import annotations

from typing import Any

from daftar.chain.base import Chain
from daftar.errors import DeployError

GWEI = 10**9
BUMP_PERCENT = 125  # nodes demand >= +10% on both fees to replace a transaction


def current_fees(chain: Chain, cap_wei: int | None, network: str) -> dict[str, int]:
    """Base fee from the latest block; tip from the node; max = 2×base + tip, capped."""
    now = chain.fees()
    base, tip = now.base_fee, now.priority_fee
    max_fee = 2 * base + tip
    if cap_wei is not None:
        if base >= cap_wei:
            raise DeployError(
                f"{network}: the base fee is {base / GWEI:.2f} gwei, at or above max_fee_gwei "
                f"({cap_wei / GWEI:g} gwei) in brownie-config.yaml: a transaction could not be "
                "mined. Wait for fees to drop, or raise the cap."
            )
        max_fee = min(max_fee, cap_wei)
        tip = min(tip, max_fee - base)
    return {"baseFeePerGas": base, "maxPriorityFeePerGas": tip, "maxFeePerGas": max_fee}


def bumped(old: dict[str, Any], now: dict[str, int], cap_wei: int | None) -> dict[str, int] | None:
    """Fees for a replacement (same nonce), or None when the cap leaves no room to bump."""
    tip = max(
        -(-int(old["maxPriorityFeePerGas"]) * BUMP_PERCENT // 100), now["maxPriorityFeePerGas"]
    )
    max_fee = max(-(-int(old["maxFeePerGas"]) * BUMP_PERCENT // 100), now["maxFeePerGas"])
    if cap_wei is not None and max_fee > cap_wei:
        max_fee = cap_wei
    if max_fee * 100 < int(old["maxFeePerGas"]) * 110:
        return None
    tip = min(tip, max_fee)
    if tip * 100 < int(old["maxPriorityFeePerGas"]) * 110:
        return None
    return {"maxPriorityFeePerGas": tip, "maxFeePerGas": max_fee}
