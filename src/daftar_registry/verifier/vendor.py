"""The vendored ethers bundle: `vendor/ethers.umd.min.js`, pinned and integrity-checked.

The page needs Keccak-256, EIP-55 and ABI encoding; it takes them from ethers (npm, pinned
exactly in package.json), never from a CDN. The bundle is copied into the package from
`node_modules/ethers/dist/` at set-up (tools/bootstrap.sh runs
`python -m daftar_registry.verifier.vendor install` after `npm ci`): only the pin
(`vendor/ethers.json`: version and sha256) is in the repository, and `install` refuses a
bundle whose bytes do not match it. After changing the ethers pin in package.json, run
`python -m daftar_registry.verifier.vendor refresh` to record the new version and sha256.
`bundle()` refuses a bundle whose bytes do not match the record, and
tests/registry/verifier/test_vendor.py checks the copy against the installed npm package.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from daftar.util.files import atomic_write, atomic_write_bytes

__all__ = ["VENDOR", "VendoredBundle", "bundle", "install", "refresh"]

VENDOR = Path(__file__).resolve().parent / "vendor"
_BUNDLE = VENDOR / "ethers.umd.min.js"
_RECORD = VENDOR / "ethers.json"
_SOURCE = Path("node_modules") / "ethers"


@dataclass(frozen=True)
class VendoredBundle:
    version: str
    sha256: str
    text: str


def bundle() -> VendoredBundle:
    """The vendored ethers bundle, after checking its bytes against `vendor/ethers.json`."""
    record = json.loads(_RECORD.read_text(encoding="utf-8"))
    try:
        data = _BUNDLE.read_bytes()
    except FileNotFoundError:
        raise RuntimeError(
            f"the ethers bundle {_BUNDLE} is not installed: run "
            "`python -m daftar_registry.verifier.vendor install` from the project folder "
            "(after `npm ci`; ./run-tests and ./run-demo do both)"
        ) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != record["sha256"]:
        raise RuntimeError(
            f"{_BUNDLE} does not match its recorded sha256 ({digest} != {record['sha256']}): "
            "the vendored ethers bundle was altered. Rerun "
            "`python -m daftar_registry.verifier.vendor` from the project folder."
        )
    return VendoredBundle(record["version"], digest, data.decode("utf-8"))


def _installed(project: Path) -> tuple[dict[str, str], bytes, Path]:
    source = project / _SOURCE
    try:
        meta = json.loads((source / "package.json").read_text(encoding="utf-8"))
        data = (source / "dist" / "ethers.umd.min.js").read_bytes()
    except OSError as exc:
        raise RuntimeError(
            f"ethers is not installed under {source} ({exc.strerror}): run `npm ci` first"
        ) from None
    return meta, data, source


def install(project: Path) -> VendoredBundle:
    """Copy the installed npm package's bundle into the package, refusing one off the pin."""
    record = json.loads(_RECORD.read_text(encoding="utf-8"))
    meta, data, source = _installed(project)
    digest = hashlib.sha256(data).hexdigest()
    if meta["version"] != record["version"] or digest != record["sha256"]:
        raise RuntimeError(
            f"{source} holds ethers {meta['version']} (sha256 {digest}), not the pinned "
            f"{record['version']} (sha256 {record['sha256']}): run `npm ci`, or after "
            "changing the pin, `python -m daftar_registry.verifier.vendor refresh`"
        )
    if not _BUNDLE.is_file() or _BUNDLE.read_bytes() != data:
        atomic_write_bytes(_BUNDLE, data, 0o644)
    licence = (source / "LICENSE.md").read_bytes()
    if not (VENDOR / "ethers.LICENSE.md").is_file():
        atomic_write_bytes(VENDOR / "ethers.LICENSE.md", licence, 0o644)
    return VendoredBundle(meta["version"], digest, data.decode("utf-8"))


def refresh(project: Path) -> VendoredBundle:
    """Copy the bundle of the installed npm package `ethers` into the package, and record it."""
    meta, data, source = _installed(project)
    digest = hashlib.sha256(data).hexdigest()
    atomic_write_bytes(_BUNDLE, data, 0o644)
    atomic_write_bytes(VENDOR / "ethers.LICENSE.md", (source / "LICENSE.md").read_bytes(), 0o644)
    record = {
        "package": "ethers",
        "version": meta["version"],
        "file": "dist/ethers.umd.min.js",
        "sha256": digest,
        "license": "MIT (ethers.LICENSE.md)",
    }
    atomic_write(_RECORD, json.dumps(record, indent=2) + "\n", 0o644)
    return VendoredBundle(meta["version"], digest, data.decode("utf-8"))


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "install"
    if action not in ("install", "refresh"):
        sys.exit(
            f"usage: python -m daftar_registry.verifier.vendor [install|refresh], not {action!r}"
        )
    try:
        found = (install if action == "install" else refresh)(Path.cwd())
    except RuntimeError as exc:
        sys.exit(f"error: {exc}")
    print(f"ethers {found.version} bundle in place (sha256 {found.sha256})")
    sys.exit(0)
