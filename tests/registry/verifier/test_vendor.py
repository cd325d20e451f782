"""The vendored ethers bundle is the installed npm package's, at the version package.json pins."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from daftar_registry.verifier import vendor
from daftar_registry.verifier.page import PageConfig, render_page

REPO = Path(__file__).resolve().parents[3]


def test_the_vendored_bundle_is_the_pinned_npm_package_byte_for_byte():
    pinned = json.loads((REPO / "package.json").read_text())["dependencies"]["ethers"]
    lock = json.loads((REPO / "package-lock.json").read_text())
    assert lock["packages"][""]["dependencies"]["ethers"] == pinned
    assert lock["packages"]["node_modules/ethers"]["version"] == pinned
    installed = REPO / "node_modules" / "ethers"
    if not installed.is_dir():
        pytest.skip("node_modules/ethers is not installed (run npm ci)")
    assert json.loads((installed / "package.json").read_text())["version"] == pinned
    npm_bytes = (installed / "dist" / "ethers.umd.min.js").read_bytes()
    found = vendor.bundle()
    assert found.version == pinned
    assert found.text.encode("utf-8") == npm_bytes
    assert found.sha256 == hashlib.sha256(npm_bytes).hexdigest()


def test_an_altered_bundle_is_refused(tmp_path, monkeypatch):
    copy = tmp_path / "vendor"
    copy.mkdir()
    for name in ("ethers.umd.min.js", "ethers.json"):
        (copy / name).write_bytes((vendor.VENDOR / name).read_bytes())
    with (copy / "ethers.umd.min.js").open("ab") as fh:
        fh.write(b"\n;window.stolen = 1;\n")
    monkeypatch.setattr(vendor, "_BUNDLE", copy / "ethers.umd.min.js")
    monkeypatch.setattr(vendor, "_RECORD", copy / "ethers.json")
    with pytest.raises(RuntimeError, match="does not match its recorded sha256"):
        vendor.bundle()


def test_the_page_inlines_the_bundle_and_loads_nothing_from_elsewhere():
    page = render_page(PageConfig(network="x", chainId=5, rpcUrl="http://127.0.0.1:1/"))
    assert vendor.bundle().text in page
    assert "/*DAFTAR_ETHERS*/" not in page and "/*DAFTAR_CONFIG*/" not in page
    head = page.split(vendor.bundle().text)
    for part in head:  # the page's own markup and code, without the bundle
        assert "<script src" not in part and "<link" not in part and "@import" not in part
        assert "cdn" not in part.lower()
    assert "default-src 'none'" in page


def test_config_cannot_break_out_of_its_script_element():
    page = render_page(PageConfig(network="</script><script>alert(1)</script>", chainId=1))
    config = page.split('id="daftar-config">', 1)[1].split("</script>", 1)[0]
    assert "<" not in config and ">" not in config
    assert json.loads(config)["network"] == "</script><script>alert(1)</script>"
