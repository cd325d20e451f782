"""Verifying holder files from the command line: files/s, one call each and batched.

Set-up (not timed): anvil, the registry deployed into temporary records, an issuer
accredited, and `--n` (1,000) credentials issued from the command line as one Merkle
batch (`daftar credential issue`: one transaction, `--n` holder files in format /2).

Timed, each from a folder with no project (a stranger with an RPC URL), the whole
process included (start-up, reading and checking every file, the calls):

- `daftar --json credential verify --rpc URL FILE...` with `--batch 1`: one `eth_call`
  (verifyLeaf) per file;
- the same with `--batch B` (100): JSON-RPC batch requests of B calls;
- `one_file_s`: the same command on one file (the fixed cost in the numbers above).

Peers, measured in the same run against the same node: a plain web3.py loop (read each
file's JSON, one `verifyLeaf` call each through web3's contract API, no hash checks), and
the same calls in web3.py batch requests of B. After the clocks stop, every verdict of
every mode must be VALID.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import emit, say

REPO = Path(__file__).resolve().parents[1]
_SCRUB = ("DAFTAR_ACCOUNT", "DAFTAR_DEPLOYMENTS", "DAFTAR_NETWORK", "DEPLOYER_PRIVATE_KEY",
          "DEPLOYER_KEYSTORE", "DEPLOYER_PASSWORD", "LOCALHOST_RPC_URL")  # fmt: skip


def daftar(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[float, Any]:
    """Run `daftar` as a user would; (seconds, completed process)."""
    clean = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    clean.update(env or {})
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "daftar.cli", *args],
        cwd=cwd, env=clean, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    return time.perf_counter() - start, proc


def _check(proc: Any, what: str) -> None:
    if proc.returncode != 0:
        raise SystemExit(f"{what} failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")


def set_up(node_url: str, root: Path, n: int) -> list[Path]:
    """Deploy, accredit dev3, issue `n` credentials as one batch; the holder files."""
    from daftar.keys import dev_accounts

    inside = {"LOCALHOST_RPC_URL": node_url, "DAFTAR_DEPLOYMENTS": str(root / "deployments")}
    local = ("--network", "localhost")
    _, proc = daftar("deploy", *local, cwd=REPO, env=inside)
    _check(proc, "deploy")
    issuer = dev_accounts()[3].address
    _, proc = daftar("issuer", "accredit", issuer, "--name", "Universiti Bench", *local,
                     "--account", "dev0", cwd=REPO, env=inside)  # fmt: skip
    _check(proc, "issuer accredit")
    inputs = root / "inputs"
    inputs.mkdir()
    paths = []
    for i in range(n):
        path = inputs / f"p{i:05d}.json"
        path.write_text(json.dumps({"name": f"Person {i}", "degree": "BSc", "year": 2026}))
        paths.append(str(path))
    out = root / "holders"
    seconds, proc = daftar("--json", "credential", "issue", *paths, "--out", str(out), *local,
                           "--account", "dev3", cwd=REPO, env=inside)  # fmt: skip
    _check(proc, "credential issue")
    say(f"set-up: {n} credentials issued as one batch in {seconds:.1f}s")
    return sorted(out.glob("*.holder.json"))


def cli_verify(files: list[Path], url: str, batch: int, cwd: Path) -> tuple[float, list[dict]]:
    seconds, proc = daftar("--json", "credential", "verify", "--rpc", url, "--batch", str(batch),
                           *map(str, files), cwd=cwd)  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"verify --batch {batch} exit {proc.returncode}:\n{proc.stderr[-2000:]}")
    return seconds, [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def web3_peer(files: list[Path], url: str, batch: int) -> tuple[float, list[int]]:
    """A plain web3.py verifier: read each file, one verifyLeaf each (or in batches)."""
    from web3 import HTTPProvider, Web3

    from daftar_registry.abi import abi

    start = time.perf_counter()
    w3 = Web3(HTTPProvider(url))
    contract = None
    calls = []
    for path in files:
        data = json.loads(path.read_text())
        if contract is None:
            contract = w3.eth.contract(address=data["contract"], abi=abi("CredentialRegistry"))
        calls.append(
            contract.functions.verifyLeaf(
                data["document"]["issuer"], data["merkleRoot"], data["credentialHash"],
                data["merkleProof"],
            )
        )  # fmt: skip
    statuses: list[int] = []
    if batch == 1:
        statuses = [int(c.call()[0]) for c in calls]
    else:
        for i in range(0, len(calls), batch):
            with w3.batch_requests() as requests:
                for call in calls[i : i + batch]:
                    requests.add(call)
                statuses += [int(answer[0]) for answer in requests.execute()]
    return time.perf_counter() - start, statuses


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench verify", description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="holder files to verify")
    parser.add_argument("--batch", type=int, default=100, help="calls per batch request")
    args = parser.parse_args(argv)
    if args.n < 1 or args.batch < 2:
        parser.error("--n must be at least 1 and --batch at least 2")

    from daftar.chain.anvil import AnvilProcess

    node = AnvilProcess(REPO / "node_modules", chain_id=31337)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-verify-") as tmp:
            root = Path(tmp)
            files = set_up(node.url, root, args.n)
            stranger = root / "stranger"  # no brownie-config.yaml: verification from anywhere
            stranger.mkdir()
            one_s, _ = cli_verify(files[:1], node.url, 1, stranger)
            single_s, single = cli_verify(files, node.url, 1, stranger)
            batch_s, batched = cli_verify(files, node.url, args.batch, stranger)
            peer_s, peer = web3_peer(files, node.url, 1)
            peer_batch_s, peer_batched = web3_peer(files, node.url, args.batch)
    finally:
        node.stop()

    n = len(files)
    ok = (
        n == args.n
        and [v["status"] for v in single] == ["VALID"] * n
        and [v["status"] for v in batched] == ["VALID"] * n
        and peer == [1] * n
        and peer_batched == [1] * n
    )
    if not ok:
        say("a verdict was not VALID: the numbers below are not valid measurements")
    rate = {
        "cli_one_call_each_files_s": n / single_s,
        "cli_batched_files_s": n / batch_s,
        "web3_loop_files_s": n / peer_s,
        "web3_batched_files_s": n / peer_batch_s,
    }
    say(
        f"{n} files: daftar {rate['cli_one_call_each_files_s']:.0f}/s one call each, "
        f"{rate['cli_batched_files_s']:.0f}/s batched by {args.batch}; plain web3.py "
        f"{rate['web3_loop_files_s']:.0f}/s, {rate['web3_batched_files_s']:.0f}/s batched; "
        f"one file takes {one_s:.2f}s (start-up included)"
    )
    emit(
        {
            "bench": "verify",
            "n": n,
            "batch": args.batch,
            "all_valid": ok,
            "cli_one_call_each_s": round(single_s, 3),
            "cli_batched_s": round(batch_s, 3),
            "one_file_s": round(one_s, 3),
            "web3_loop_s": round(peer_s, 3),
            "web3_batched_s": round(peer_batch_s, 3),
            **{k: round(v, 1) for k, v in rate.items()},
            "cli_over_web3_loop": round(single_s / peer_s, 2),
            "cli_batched_over_web3_batched": round(batch_s / peer_batch_s, 2),
        }
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
