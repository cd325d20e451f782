"""anvil, launched from node_modules on a free loopback port, stopped on exit.

The native binary (`@foundry-rs/anvil-<platform>/bin/anvil`) is started directly, so there
is one process to stop; on Linux it is also told to die with its parent, so even a killed
test run leaves no orphan node behind.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import platform
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from daftar.chain.rpc import connect_http
from daftar.chain.web3chain import Web3Chain
from daftar.errors import NetworkError, ToolchainError
from daftar.keys import DEV_BALANCE, DEV_COUNT, DEV_MNEMONIC, dev_accounts

_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}


def anvil_binary(node_modules: Path) -> Path:
    system = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(
        sys.platform, sys.platform
    )
    arch = _ARCH.get(platform.machine().lower(), platform.machine())
    exe = node_modules / "@foundry-rs" / f"anvil-{system}-{arch}" / "bin" / "anvil"
    if not exe.is_file():
        raise ToolchainError(
            f"anvil is not installed at {exe}. Run `npm ci` (package.json pins @foundry-rs/anvil)."
        )
    return exe


XDIST_PORT_BASE = 21000  # pytest-xdist worker gwN takes ports from 21000 + 200 * N
XDIST_PORTS_PER_WORKER = 200


def free_port() -> int:
    """A free loopback port; under pytest-xdist, one from the worker's own range, so two
    workers never race for the same port between choosing it and anvil binding it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw") and worker[2:].isdigit():
        base = XDIST_PORT_BASE + XDIST_PORTS_PER_WORKER * (int(worker[2:]) % 100)
        for port in range(base, base + XDIST_PORTS_PER_WORKER):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_port_free(port: int, host: str = "127.0.0.1") -> None:
    """Refuse a port something already listens on (else a probe would talk to that node)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not "in use"
        try:
            s.bind((host, port))
        except OSError:
            raise NetworkError(
                f"port {port} on {host} is already in use (another node, or another "
                f"`daftar node`?). Stop it, or pick a free port: `daftar node --port "
                f"{port + 1}` (and point LOCALHOST_RPC_URL at it)."
            ) from None


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


#: solc `evm_version`s before London, oldest first: anvil runs them as London, the first
#: hardfork with the EIP-1559 (type 2) transactions daftar signs. Code built for an older
#: target runs unchanged there, as it does on today's chains.
_BEFORE_LONDON = (
    "homestead", "tangerinewhistle", "spuriousdragon", "byzantium", "constantinople",
    "petersburg", "istanbul", "berlin",
)  # fmt: skip


def hardfork_for(evm_version: str | None) -> str:
    """The `--hardfork` anvil needs to run the rules the contracts were compiled for (solc's
    `evm_version`; Prague when none is configured): the bundled anvil defaults to a later
    hardfork, whose gas and opcodes are not the ones the build targets."""
    name = (evm_version or "prague").lower()
    return "london" if name in _BEFORE_LONDON else name


#: Extra flags for every anvil launched here (coverage adds `--steps-tracing`, without which
#: debug_traceTransaction returns no opcode steps).
LAUNCH_ARGS: list[str] = []


class AnvilProcess:
    """A running anvil; `url` answers JSON-RPC once the constructor returns."""

    def __init__(
        self,
        node_modules: Path,
        chain_id: int = 31337,
        block_time: int | None = None,
        port: int | None = None,
        startup_timeout: float = 20.0,
        extra_args: list[str] | tuple[str, ...] = (),
        log_path: Path | None = None,
        hardfork: str = "prague",
    ) -> None:
        if port:
            check_port_free(port)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        cmd = [
            str(anvil_binary(node_modules)),
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--chain-id", str(chain_id),
            "--mnemonic", DEV_MNEMONIC,
            "--accounts", str(DEV_COUNT),
            "--balance", str(DEV_BALANCE // 10**18),
        ]  # fmt: skip
        if "--hardfork" not in extra_args:  # the user's own choice (`daftar node -- …`) wins
            cmd += ["--hardfork", hardfork]
        if block_time:
            cmd += ["--block-time", str(block_time)]
        cmd += LAUNCH_ARGS
        cmd += list(extra_args)
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = open(log_path or os.devnull, "ab" if log_path else "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd,
            stdout=self.log,
            stderr=subprocess.STDOUT if log_path else subprocess.PIPE,
            preexec_fn=_die_with_parent,
        )
        atexit.register(self.stop)
        self._wait_ready(startup_timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise NetworkError(
                    f"anvil exited at start (code {self.proc.returncode}): {self.exit_output()}"
                )
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                time.sleep(0.05)  # the answer must come from our anvil, still running
                if self.proc.poll() is None:
                    return
                continue
            time.sleep(0.02)
        self.stop()
        raise NetworkError(f"anvil did not answer on {self.url} within {timeout:.0f}s")

    def exit_output(self) -> str:
        """What anvil printed (its log file's tail, or its stderr) after it exited."""
        if self.log_path is not None:
            with contextlib.suppress(OSError):
                lines = self.log_path.read_text(errors="replace").strip().splitlines()
                return " | ".join(lines[-5:]) + f" (log: {self.log_path})"
            return f"(log: {self.log_path})"
        if self.proc.stderr:
            with contextlib.suppress(OSError, ValueError):
                return self.proc.stderr.read().decode(errors="replace").strip()
        return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        if self.proc.stderr:
            self.proc.stderr.close()


class AnvilChain(Web3Chain):
    backend = "anvil"

    def __init__(
        self,
        node_modules: Path,
        name: str = "anvil",
        chain_id: int = 31337,
        block_time: int | None = None,
        hardfork: str = "prague",
    ) -> None:
        self.process = AnvilProcess(node_modules, chain_id, block_time, hardfork=hardfork)
        try:
            w3 = connect_http(self.process.url)
            accounts = list(dev_accounts())
            unlocked = {a.address for a in accounts}
            super().__init__(name, w3, accounts, unlocked, endpoint=self.process.url)
        except BaseException:
            self.process.stop()
            raise

    def close(self) -> None:
        self.process.stop()
