"""The verifier page: written beside the records, private, accessible, readable on a phone.

- the deploy hook wrote `verifier.html` into the records folder; opened from disk with an
  RPC URL typed in once, it verifies (and the file carries no RPC URL);
- nothing leaves the browser but JSON-RPC calls to the node, and those carry no field value
  or salt (Chrome's own network log of the page, not the page's word);
- every control has a label, Tab reaches them in order, Enter on Verify runs it, the result
  is an aria-live region that takes focus; text and status colours meet WCAG AA contrast;
- at 375 px wide nothing scrolls sideways;
- with an explorer configured, the issuer, the contract and the anchoring transaction link
  to it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[3]


def test_the_deploy_hook_wrote_the_page_and_it_verifies_from_disk(page_at, onchain):
    written = onchain.records / "localhost" / "verifier.html"
    assert written.is_file(), "daftar deploy should write verifier.html beside the records"
    html = written.read_text()
    assert onchain.url not in html  # never an RPC URL in a written page (it may hold a key)
    config = json.loads(html.split('id="daftar-config">', 1)[1].split("</script>", 1)[0])
    assert config["chainId"] == 31337 and config["network"] == "localhost"
    assert [r["address"] for r in config["registries"]] == [onchain.addresses["registry"]]
    page = page_at(written.as_uri())
    assert page.driver.find_element("id", "rpc").get_attribute("value") == ""
    page.set_value("rpc", onchain.url)
    shown = page.verify_file(onchain.files["valid"])
    assert shown["status"] == "VALID", shown["text"]
    # entered once: a reload keeps the URL (this browser only)
    page.driver.refresh()
    assert page.driver.find_element("id", "rpc").get_attribute("value") == onchain.url


def _requests(driver: Any) -> list[dict[str, Any]]:
    out = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            out.append(message["params"]["request"])
    return out


def test_only_rpc_calls_leave_the_browser_and_they_carry_no_personal_data(page, onchain):
    page.driver.get_log("performance")  # drop what loading the page did
    shown = page.verify_text(onchain.files["disclosure"].read_text())
    assert shown["status"] == "VALID"
    sent = _requests(page.driver)
    assert sent, "the verification must have called the node"
    holder = json.loads(onchain.files["disclosed"].read_text())
    secrets = [str(v) for v in holder["document"]["fields"].values()] + list(
        holder["salts"].values()
    )
    methods = set()
    for request in sent:
        assert request["url"].rstrip("/") == onchain.url.rstrip("/"), request["url"]
        assert request["method"] in ("POST", "OPTIONS")
        body = request.get("postData") or ""
        if body:
            methods.add(json.loads(body)["method"])
        for secret in secrets:
            assert secret.lower() not in body.lower(), f"{secret!r} was sent to the node"
    assert methods <= {"eth_chainId", "eth_call", "eth_getLogs", "eth_getCode"}
    assert {"eth_chainId", "eth_call"} <= methods


def test_labels_keyboard_and_live_region(page, onchain):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver = page.driver
    unlabelled = driver.execute_script(
        "return [...document.querySelectorAll('input, textarea, select')]"
        ".filter(e => !document.querySelector(`label[for='${e.id}']`)).map(e => e.id || e.name)"
    )
    assert unlabelled == []
    result = driver.find_element("id", "result")
    assert result.get_attribute("aria-live") == "polite" and result.get_attribute("role") == (
        "status"
    )
    page.set_value("paste", onchain.files["valid"].read_text())
    driver.execute_script("document.activeElement.blur(); document.body.focus()")
    order = []
    for _ in range(4):  # real key presses (send_keys to a file input would upload)
        ActionChains(driver).send_keys(Keys.TAB).perform()
        order.append(driver.switch_to.active_element.get_attribute("id"))
    assert order == ["rpc", "file", "paste", "verify"]
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert page.result()["status"] == "VALID"
    assert driver.switch_to.active_element.get_attribute("id") == "result"


CONTRAST = """
const lum = (c) => {
  const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const bg = (e) => { while (e) { const c = getComputedStyle(e).backgroundColor;
  if (c && !c.endsWith(", 0)") && c !== "transparent") return c; e = e.parentElement; } return "rgb(255, 255, 255)"; };
const out = {};
const box = document.getElementById("result");
for (const tone of ["good", "bad", "warn", "busy"]) {
  box.dataset.tone = tone;
  box.innerHTML = '<p class="headline" id="h">X</p><p id="t">y</p>';
  for (const id of ["h", "t"]) { const e = document.getElementById(id); out[tone + ":" + id] = ratio(getComputedStyle(e).color, bg(e)); }
}
for (const sel of ["label", ".hint", "button", "footer", "#rpc"]) {
  const e = document.querySelector(sel); out[sel] = ratio(getComputedStyle(e).color, bg(e));
}
box.replaceChildren();
return out;
"""


def test_text_contrast_meets_wcag_aa(page):
    ratios = page.driver.execute_script(CONTRAST)
    low = {k: round(v, 2) for k, v in ratios.items() if v < 4.5}
    assert low == {}, f"below 4.5:1: {low}"


def test_readable_at_phone_width(page, onchain):
    driver = page.driver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True},
    )
    try:
        driver.refresh()
        shown = page.verify_text(onchain.files["disclosure"].read_text())
        assert shown["status"] == "VALID"
        widths = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        wide = driver.execute_script(
            "return [...document.querySelectorAll('body *')].filter(e => "
            "e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)"
            ".map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5)"
        )
        assert widths[0] <= widths[1] <= 375, (widths, wide)
        size = driver.execute_script(
            "return parseFloat(getComputedStyle(document.getElementById('explanation')).fontSize)"
        )
        assert size >= 16
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.set_window_size(375, 900)
    try:
        page.shot("phone-disclosure")
    finally:
        driver.set_window_size(1200, 1400)


def test_explorer_links_for_issuer_contract_and_anchoring_transaction(page_at, onchain):
    from daftar import config
    from daftar_registry.verifier.page import page_config, render_page
    from daftar_registry.verifier.server import make_server

    net = replace(config.load(REPO).network("localhost"), explorer="https://explorer.example/")
    cfg = page_config(net, onchain.records / "localhost", rpc_url=onchain.url)
    server = make_server(render_page(cfg))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = page_at(server.url)
        shown = page.verify_text(onchain.files["revoked"].read_text())
        assert shown["status"] == "REVOKED"
        links = shown["links"]
        base = "https://explorer.example"
        assert links["issuer-link"] == f"{base}/address/{onchain.addresses['issuer']}"
        assert links["contract-link"] == f"{base}/address/{onchain.addresses['registry']}"
        tx = links["tx-link"].removeprefix(f"{base}/tx/")
        receipt = onchain.admin.chain.request("eth_getTransactionReceipt", [tx])
        assert receipt and receipt["to"].lower() == onchain.addresses["registry"].lower()
        page.shot("revoked-with-explorer-links")
    finally:
        server.shutdown()
        server.server_close()
