"""Deploy the Daftar registry and grant its initial roles; rerun to resume after a crash.

    daftar deploy --network sepolia                      # this script is the default
    daftar deploy scripts/deploy.py --network sepolia --dry-run
    python scripts/deploy.py --network sepolia           # the same as the first line

The deployer key comes from DEPLOYER_PRIVATE_KEY, or DEPLOYER_KEYSTORE (+ DEPLOYER_PASSWORD
or a prompt); the node from SEPOLIA_RPC_URL (<NETWORK>_RPC_URL). Role holders come from
`daftar.networks.<name>.roles` in brownie-config.yaml (default: the deployer). On a public
network a plan that gives the registrar, programme office and pauser roles all to the deployer
is refused unless `allow_deployer_roles: true` is set for the network (or
DAFTAR_ALLOW_DEPLOYER_ROLES=1). Records, the `.chainId` guard and the write-ahead journal go
to deployments/<network>/.
"""

from __future__ import annotations

import sys
from typing import Any

from daftar.deploy import Plan
from daftar_registry.plan import check_role_separation, registry_plan, role_holders


def plan(deployer: str, network: Any) -> Plan:
    """The registry's three contracts and role grants, holders from the network's config."""
    holders = role_holders(deployer, network.settings, network.name)
    check_role_separation(deployer, holders, network.settings, network.name, network.chain_id)
    return registry_plan(deployer, holders)


if __name__ == "__main__":
    from daftar.cli import main

    sys.exit(main(["deploy", __file__, *sys.argv[1:]]))
