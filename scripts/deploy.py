"""Deploy the Daftar registry and grant its initial roles; rerun to resume after a crash.

    python scripts/deploy.py --network sepolia            # = daftar deploy --network sepolia
    python scripts/deploy.py --network sepolia --dry-run  # gas and cost, nothing signed

The deployer key comes from DEPLOYER_PRIVATE_KEY, or DEPLOYER_KEYSTORE (+ DEPLOYER_PASSWORD
or a prompt); the node from SEPOLIA_RPC_URL (<NETWORK>_RPC_URL). Records, the `.chainId`
guard and the write-ahead journal go to deployments/<network>/.
"""

from __future__ import annotations

import sys

from daftar.cli import main

if __name__ == "__main__":
    sys.exit(main(["deploy", *sys.argv[1:]]))
