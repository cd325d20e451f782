"""Debian's chromium driven by selenium, and a registry on anvil with credentials in every state.

The browser: `/usr/bin/chromium` with `/usr/bin/chromedriver` (override with
$DAFTAR_CHROMIUM / $DAFTAR_CHROMEDRIVER), headless. Nothing downloads a browser or a driver:
both paths are given to selenium and Selenium Manager is switched offline (SE_OFFLINE).
Without chromium the tests are skipped with the reason, except in CI ($CI set), where the
absence is a failure (.ci/run installs the Debian packages).

The chain: one anvil (chain id 31337) per module, the registry deployed by `daftar deploy`'s
runner into temporary records (so the records hook writes verifier.html there), dev3
accredited as "Universiti Contoh" and dev4 as "Kolej Contoh", and holder files for: a valid
single credential, a batch of three (one valid, one revoked with reason 7, one for a
disclosure), an expired one, and one whose issuer (dev4) is suspended afterwards.

Screenshots of each state go to reports/verifier/ (git-ignored), as test artefacts.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
SHOTS = REPO / "reports" / "verifier"
CHROMIUM = os.environ.get("DAFTAR_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("DAFTAR_CHROMEDRIVER", "/usr/bin/chromedriver")
_SCRUB = ("DAFTAR_ACCOUNT", "DAFTAR_DEPLOYMENTS", "DAFTAR_NETWORK", "DEPLOYER_PRIVATE_KEY",
          "DEPLOYER_KEYSTORE", "DEPLOYER_PASSWORD", "LOCALHOST_RPC_URL")  # fmt: skip


def _browser_missing() -> str | None:
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            return f"{path} not found: install Debian's {package} (apt-get install {package})"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (requirements.lock pins it; run ./run-tests once)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless chromium session (one per test session: pages are reloaded per test)."""
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests, but {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1200,1400", "--no-first-run", "--disable-sync",
                "--disable-background-networking", "--disable-component-update",
                "--disable-default-apps", "--disable-extensions",
                "--allow-file-access-from-files"):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@dataclass
class Chain:
    """The anvil node, the records and the holder files written for each state."""

    url: str
    records: Path
    files: dict[str, Path] = field(default_factory=dict)
    admin: Any = None
    addresses: dict[str, str] = field(default_factory=dict)
    node: Any = None


@pytest.fixture(scope="module")
def onchain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chain]:
    """anvil with the registry deployed and credentials in every state (module docstring)."""
    from daftar import config
    from daftar.chain.anvil import AnvilProcess
    from daftar.deploy.runner import deploy
    from daftar_registry.client import connect_registry
    from daftar_registry.formats.credentials import build_credential, write_holder_file
    from daftar_registry.formats.merkle import MerkleTree

    node = AnvilProcess(REPO / "node_modules", chain_id=31337)
    saved = {k: os.environ.pop(k) for k in _SCRUB if k in os.environ}
    os.environ["LOCALHOST_RPC_URL"] = node.url
    records = tmp_path_factory.mktemp("deployments")
    out = tmp_path_factory.mktemp("holders")
    cfg = config.load(REPO)
    clients: list[Any] = []
    try:
        deploy("localhost", project_dir=REPO, deployments_dir=records, say=lambda _m: None)

        def client(account: str) -> Any:
            c = connect_registry(cfg, "localhost", deployments_dir=records, account=account,
                                 sign=True)  # fmt: skip
            clients.append(c)
            return c

        office, uni, kolej = client("dev0"), client("dev3"), client("dev4")
        reg = office.credentials
        office.issuers.accredit(uni.signer, "Universiti Contoh", "https://example.edu/i.json",
                                0, 0, sender=office.signer)  # fmt: skip
        office.issuers.accredit(kolej.signer, "Kolej Contoh", "https://example.edu/k.json",
                                0, 0, sender=office.signer)  # fmt: skip
        issuer, issuer2 = uni.signer.address, kolej.signer.address
        files: dict[str, Path] = {}

        def single(name: str, fields: dict[str, Any], who: Any, expires: int = 0) -> None:
            doc = build_credential(fields, who.signer.address, "localhost", expires)
            who.credentials.issue(doc.credential_hash, expires, sender=who.signer)
            files[name] = out / f"{name}.holder.json"
            write_holder_file(files[name], doc, contract=reg.address, chain_id=31337)

        single("valid", {"name": "Aisyah binti Ahmad", "degree": "BSc Computer Science",
                         "year": 2026, "honours": True}, uni)  # fmt: skip
        people = [
            {"name": "Boon Keat", "degree": "MSc Blockchain", "year": 2026},
            {"name": "Chitra", "degree": "PhD Cryptography", "year": 2025},
            {"name": "Dina", "degree": "BEng Software", "year": 2026, "ic": "010203-04-0506"},
        ]
        docs = [build_credential(p, issuer, "localhost", 0) for p in people]
        tree = MerkleTree(d.credential_hash for d in docs)
        uni.credentials.issueBatch(tree.root, len(docs), 0, "ipfs://batch", sender=uni.signer)
        for name, doc in zip(("batch", "revoked", "disclosed"), docs, strict=True):
            files[name] = out / f"{name}.holder.json"
            write_holder_file(files[name], doc, contract=reg.address, chain_id=31337,
                              merkle_root=tree.root, proof=tree.proof(doc.credential_hash))  # fmt: skip
        uni.credentials.revokeLeaf(issuer, tree.root, docs[1].credential_hash,
                                   tree.proof(docs[1].credential_hash), 7, sender=uni.signer)  # fmt: skip
        from daftar_registry.formats.credentials import read_holder_file, write_disclosure_file

        files["disclosure"] = out / "dina.disclosure.json"
        write_disclosure_file(files["disclosure"], read_holder_file(files["disclosed"]),
                              ["name", "degree"])  # fmt: skip
        now = int(office.chain.request("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)
        single("expired", {"name": "Eng Huat", "course": "Short course"}, uni, expires=now + 60)
        single("suspended", {"name": "Farah", "diploma": "Diploma in IT"}, kolej)
        office.issuers.suspend(issuer2, 5, 0, sender=office.signer)
        office.chain.sleep(3600)  # past the expired one's expiry
        office.chain.mine()
        yield Chain(url=node.url, records=records, files=files, admin=office,
                    addresses={"issuer": issuer, "issuer2": issuer2, "registry": reg.address,
                               "issuers": office.issuers.address},
                    node=node)  # fmt: skip
    finally:
        for c in clients:
            c.close()
        os.environ.pop("LOCALHOST_RPC_URL", None)
        os.environ.update(saved)
        node.stop()


@pytest.fixture(scope="module")
def served(onchain: Chain) -> Iterator[str]:
    """The page as `daftar verifier serve` serves it (the real server, in a thread)."""
    from daftar import config
    from daftar_registry.verifier.page import page_config, render_page
    from daftar_registry.verifier.server import make_server

    net = config.load(REPO).network("localhost")
    cfg = page_config(net, onchain.records / "localhost", rpc_url=onchain.url)
    server = make_server(render_page(cfg))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()


class Page:
    """The verifier page in the browser: fill it, verify, read the result, screenshot it."""

    def __init__(self, driver: Any, url: str) -> None:
        self.driver = driver
        self.url = url

    def open(self, rpc: str | None = None) -> Page:
        self.driver.get(self.url)
        self.driver.execute_script("window.localStorage.clear()")
        if rpc is not None:
            self.set_value("rpc", rpc)
        return self

    def set_value(self, element_id: str, text: str) -> None:
        self.driver.execute_script(
            "const e = document.getElementById(arguments[0]); e.value = arguments[1];"
            "e.dispatchEvent(new Event('input'));",
            element_id,
            text,
        )

    def verify_text(self, text: str) -> dict[str, Any]:
        """Paste `text` and press Verify (a real click); the result once it is shown."""
        from selenium.webdriver.common.by import By

        self.set_value("paste", text)
        self.driver.find_element(By.ID, "verify").click()
        return self.result()

    def verify_file(self, path: Path) -> dict[str, Any]:
        """Choose `path` in the file input (verification starts on change)."""
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.ID, "file").send_keys(str(path))
        return self.result()

    def result(self, timeout: float = 60) -> dict[str, Any]:
        from selenium.webdriver.support.ui import WebDriverWait

        def settled(driver: Any) -> Any:
            status = driver.execute_script(
                "return document.getElementById('result').dataset.status || ''"
            )
            return status if status not in ("", "BUSY") else False

        status = WebDriverWait(self.driver, timeout).until(settled)
        text = self.driver.execute_script("return document.getElementById('result').innerText")
        links = self.driver.execute_script(
            "return Object.fromEntries([...document.querySelectorAll('#result a')]"
            ".map(a => [a.id, a.href]))"
        )
        return {"status": status, "text": text, "links": links}

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        width = self.driver.execute_script("return window.innerWidth")
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": width,
                "height": max(int(height), 600),
                "deviceScaleFactor": 1,
                "mobile": width < 500,
            },
        )
        try:
            self.driver.save_screenshot(str(path))
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        return path


@pytest.fixture
def page(browser: Any, served: str) -> Page:
    return Page(browser, served).open()


@pytest.fixture
def page_at(browser: Any) -> Any:
    """`page_at(url)`: the Page helper on another URL (test modules never import conftest)."""
    return lambda url: Page(browser, url).open()


def json_of(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def wait_for(predicate: Any, timeout: float = 10) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    return predicate()


__all__ = ["CHROMIUM", "SHOTS", "Chain", "Page", "json_of", "wait_for"]
