"""`daftar deploy [SCRIPT]`: run the plan a project's deploy script defines on a network.

The plan comes from the script (default `scripts/deploy.py`; see daftar.deploy.script);
this module picks the deployer and the executor:

- `--dry-run`: the plan on the embedded chain, priced at the live network's fees.
- local in-process or launched chains (revm, tester, anvil backends): run directly with
  dev account 0; the chain vanishes with the process, so nothing is recorded.
- rpc networks: the journaled executor, records in `deployments/<network>/`. Local nodes
  (chain id 1337/31337) default to dev account 0; public ones need DEPLOYER_PRIVATE_KEY or
  DEPLOYER_KEYSTORE. `new_version` keeps the current records as an earlier version
  (daftar.deploy.versions) and deploys the plan afresh as the next one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from daftar.deploy.records import records_folder
from daftar.deploy.script import PlanFactory, load_plan_factory, script_path
from daftar.errors import AccountError, DeployError
from daftar.keys import (
    KEY_ENV,
    KEYSTORE_ENV,
    Account,
    deployer_address,
    dev_accounts,
    load_deployer,
    refuse_public_test_key,
)

LOCAL_CHAIN_IDS = (1337, 31337)


def deploy(
    network: str | None = None,
    *,
    project_dir: Path | None = None,
    dry_run: bool = False,
    deployments_dir: Path | None = None,
    say: Callable[[str], None] = print,
    prompt: Callable[[str], str] | None = None,
    script: Path | str | None = None,
    plan_factory: PlanFactory | None = None,
    new_version: bool = False,
) -> dict[str, str]:
    """Deploy (or resume deploying) the script's plan on `network`; returns step → address.

    `plan_factory` (for callers holding a plan in Python) replaces the script.
    `new_version` (live networks only) archives the network's current records into
    `versions/<n>/` first, so the plan is deployed anew as version n+1; a rerun of an
    interrupted new version resumes it rather than starting another.
    """
    from daftar.project import Project

    project = Project.load(project_dir, progress=say)
    if plan_factory is None:
        plan_factory = load_plan_factory(script_path(project.config.root, script))
    net = project.config.network(network)
    if new_version and (dry_run or net.backend != "rpc"):
        raise DeployError(
            f"--new-version keeps the records of a live network's earlier deployment; "
            f"{'a dry run records nothing' if dry_run else f'{net.name} records nothing'}"
        )
    if dry_run:
        return _dry_run(project, net, say, plan_factory)
    if net.backend != "rpc":
        return _ephemeral(project, net, say, plan_factory)

    from dataclasses import replace

    from daftar.chain.rpc import RpcChain
    from daftar.deploy.executor import Executor, LiveSettings
    from daftar.deploy.lock import deploy_lock

    # Every check that needs no password comes first: the URL, the deployer's address,
    # the node's chain id, the lock, the journal, the funds. The key is unlocked last.
    url = net.rpc_url()
    address, unlock = _deployer(net, prompt)
    settings = LiveSettings.of(net)
    retry = replace(settings.retry, notify=say)  # retries are reported as they happen
    chain = RpcChain(net.name, url, net.chain_id, retry=retry)  # chain id checked
    folder = records_folder(project.config, net.name, deployments_dir)
    with deploy_lock(folder, say):
        if new_version:
            from daftar.deploy.records import check_chain_id
            from daftar.deploy.versions import start_new_version

            check_chain_id(folder, chain.chain_id)  # never archive another chain's records
            number = start_new_version(folder)
            say(f"Deploying version {number} on {net.name}; earlier versions: {folder}/versions/")
        say(f"Deploying to {net.name} (chain id {chain.chain_id}) from {address.address}")
        plan = plan_factory(address.address, net)
        executor = Executor(project, plan, net, chain, address, folder, say, settings, unlock)
        addresses = executor.run()
        from daftar.deploy.versions import finish_version

        finish_version(folder)
        return addresses


def _deployer(net: Any, prompt: Callable[[str], str] | None) -> tuple[Account, Any]:
    """The deployer's address (no password asked) and how to unlock its key later."""
    if os.environ.get(KEY_ENV) and os.environ.get(KEYSTORE_ENV):
        raise AccountError(f"set {KEY_ENV} or {KEYSTORE_ENV}, not both")
    address = deployer_address()
    if address is None:
        if net.chain_id not in LOCAL_CHAIN_IDS:
            raise AccountError(
                f"no deployer key for {net.name}: set {KEY_ENV} (hex private key) or "
                f"{KEYSTORE_ENV} (a keystore name or path; `daftar accounts new NAME` makes one)"
            )
        dev = dev_accounts()[0]
        return dev, None
    if net.chain_id not in LOCAL_CHAIN_IDS:
        refuse_public_test_key(address, f"the deployer for {net.name}")
    if os.environ.get(KEY_ENV):
        return load_deployer(prompt), None  # no prompt: the key is in the environment
    return Account(address), lambda: load_deployer(prompt)


def _ephemeral(project: Any, net: Any, say: Callable[[str], None], factory: PlanFactory) -> dict:
    from daftar.deploy.local import run_local

    chain = project.connect(net.name)
    try:
        sender = chain.accounts[0]
        results = run_local(project, factory(sender.address, net), chain, sender, say)
    finally:
        project.close()
    say(f"{net.name} is a throwaway {net.backend} chain: nothing was recorded.")
    return {r.name: r.address for r in results if r.address}


def _dry_run(project: Any, net: Any, say: Callable[[str], None], factory: PlanFactory) -> dict:
    from daftar.deploy.local import dry_run

    sender = deployer_address()
    if sender is None:
        sender = dev_accounts()[0].address
        if net.backend == "rpc" and net.chain_id not in LOCAL_CHAIN_IDS:
            say(
                f"warning: no deployer set ({KEY_ENV} or {KEYSTORE_ENV}): planning as dev "
                f"account 0 ({sender}); roles that default to the deployer go to it, and the "
                "balance is not checked. Set the deployer to plan the real run."
            )
    elif net.chain_id not in LOCAL_CHAIN_IDS:
        refuse_public_test_key(sender, f"the deployer for {net.name}")
    fees = balance = None
    margin = 1.2
    if net.backend == "rpc":
        from daftar.deploy.executor import LiveSettings

        settings = LiveSettings.of(net)
        margin = settings.gas_margin
        opened: list[Any] = []

        def chain() -> Any:
            from daftar.chain.rpc import RpcChain

            if not opened:
                opened.append(RpcChain(net.name, net.rpc_url(), net.chain_id, retry=settings.retry))
            return opened[0]

        def fees() -> dict[str, int]:
            from daftar.deploy.fees import current_fees

            return current_fees(chain(), settings.max_fee_wei, net.name)

        if deployer_address() is not None:

            def balance() -> int:
                return chain().balance(sender)

    results = dry_run(project, factory(sender, net), net, sender, say, fees, margin, balance)
    return {r.name: r.address for r in results if r.address}
