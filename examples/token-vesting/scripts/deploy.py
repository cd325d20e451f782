"""Deploy VestToken and TokenVesting, and mint the initial supply; rerun to resume.

    daftar deploy --network sepolia                  # this script is the default
    daftar deploy --network sepolia --dry-run        # on the embedded chain: gas and cost
    python scripts/deploy.py --network sepolia       # the same as the first line

The deployer key comes from DEPLOYER_PRIVATE_KEY or DEPLOYER_KEYSTORE; the node from
SEPOLIA_RPC_URL (<NETWORK>_RPC_URL). The deployer owns both contracts and receives the
initial supply; grants are made afterwards (approve the vesting contract, then
`createSchedule`). Records and the journal go to deployments/<network>/.
"""

from __future__ import annotations

import sys
from typing import Any

from daftar.deploy import Plan

NAME, SYMBOL = "Vest Token", "VEST"
CAP = 1_000_000_000 * 10**18
INITIAL_SUPPLY = 100_000_000 * 10**18


def plan(deployer: str, network: Any) -> Plan:
    """The token (capped, owned by the deployer), the vesting contract for it, the mint."""
    steps = Plan()
    token = steps.deploy("token", "VestToken", NAME, SYMBOL, CAP, deployer)
    steps.deploy("vesting", "TokenVesting", token, deployer)
    steps.call(
        "mint-initial-supply",
        token,
        "mint",
        deployer,
        INITIAL_SUPPLY,
        skip_if=lambda t: t.totalSupply() >= INITIAL_SUPPLY,  # a rerun never mints twice
    )
    return steps


if __name__ == "__main__":
    from daftar.cli import main

    sys.exit(main(["deploy", __file__, *sys.argv[1:]]))
