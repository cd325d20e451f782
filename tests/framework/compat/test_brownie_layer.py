"""The Brownie layer's own parts: values, the import hook's rules, clear errors, dev comments.

The layer end to end (fixtures, containers, receipts, reverts, state machines, on revm,
anvil and under Brownie itself) is proved by tests/integration/test_brownie_examples.py.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from daftar.chain.base import Reverted
from daftar.compat.brownie import _devrevert, _hook
from daftar.compat.brownie.convert import EthAddress, HexString, Wei, to_uint
from daftar.compat.brownie.exceptions import NotCovered
from daftar.errors import DaftarError


def test_wei_reads_units_floats_and_hex() -> None:
    assert Wei("1 ether") == 10**18
    assert Wei("1.5 gwei") == 1_500_000_000
    assert Wei(1e21) == 10**21
    assert Wei("0x10") == 16
    assert Wei(10**18) == "1 ether"
    assert Wei(5) + "1 wei" == 6
    assert Wei("2 ether").to("ether") == 2


@pytest.mark.parametrize("bad", [1.5, "1 wei wei", "0.5 wei", "ten ether"])
def test_wei_refuses_what_is_not_a_whole_number_of_wei(bad: object) -> None:
    with pytest.raises(DaftarError):
        Wei(bad)


def test_uint_range_is_checked() -> None:
    with pytest.raises(OverflowError):
        to_uint(256, "uint8")


def test_addresses_and_bytes_compare_like_brownie() -> None:
    addr = EthAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3")
    assert addr == "0x5FbDB2315678afecb367f032d93F642f64180aa3"
    assert addr == SimpleNamespace(address="0x5FBDB2315678AFECB367F032D93F642F64180AA3")
    assert HexString(b"\x01\x02") == "0x0102"


def _project(tmp_path: Path, test_source: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "brownie-config.yaml").write_text("compiler: {}\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(test_source)
    return tmp_path


def test_brownie_style_means_config_plus_code_importing_brownie(tmp_path: Path) -> None:
    assert _hook.is_brownie_project(_project(tmp_path / "a", "import brownie\n"))
    assert _hook.is_brownie_project(_project(tmp_path / "b", "from brownie import accounts\n"))
    assert not _hook.is_brownie_project(_project(tmp_path / "c", "x = 'from brownie import a'\n"))
    assert not _hook.is_brownie_project(tmp_path)  # no config at all


def test_the_repository_itself_is_not_brownie_style() -> None:
    assert not _hook.is_brownie_project(Path(__file__).resolve().parents[3])


@pytest.fixture
def hooked(tmp_path: Path):
    assert _hook.activate(_project(tmp_path, "import brownie\n"))
    yield
    _hook.deactivate()


def test_brownie_names_resolve_to_the_layer(hooked: None) -> None:
    brownie = importlib.import_module("brownie")
    assert brownie is importlib.import_module("daftar.compat.brownie")
    assert importlib.import_module("brownie.test").strategy
    assert importlib.import_module("brownie.network").show_active() is None
    web3 = importlib.import_module("brownie.network.web3")
    assert web3.web3 is brownie.web3 and web3.Web3 is type(brownie.web3)


def test_uncovered_names_are_one_clear_error(hooked: None) -> None:
    brownie = importlib.import_module("brownie")
    with pytest.raises(NotCovered, match=r"brownie.rpc is not covered .*docs/brownie.md"):
        brownie.rpc  # noqa: B018
    with pytest.raises(NotCovered, match="brownie._config"):
        importlib.import_module("brownie._config")
    with pytest.raises(NotCovered, match="brownie.exceptions.Nope"):
        importlib.import_module("brownie.exceptions").Nope  # noqa: B018


def test_a_real_brownie_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "site" / "brownie"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("REAL = True\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    assert not _hook.activate(_project(tmp_path / "p", "import brownie\n"))
    assert not _hook.installed()
    sys.modules.pop("brownie", None)


SOURCE = """
contract T {
    modifier live() {
        require(on); // dev: not live
        _;
    }
    bool on;
    function pay(uint256 a) external live {
        require(a > 0); // dev: zero amount
        require(a < 10, "too much"); // dev: over the cap
        _check(a);
    }
    function _check(uint256 a) internal pure {
        if (a == 7) revert Seven(); // dev: seven is refused
    }
    error Seven();
}
"""


def _revert(error: str | None, **args: object) -> Reverted:
    exc = Reverted(b"")
    exc.error, exc.args_by_name = error, args
    return exc


def _ctype() -> SimpleNamespace:
    return SimpleNamespace(artifact={"input": {"sources": {"T.sol": {"content": SOURCE}}}})


def test_dev_comments_are_narrowed_by_what_the_revert_says() -> None:
    ctype = _ctype()
    assert _devrevert.candidates(ctype, "pay", _revert("Error", message="too much")) == [
        "dev: over the cap"
    ]
    assert _devrevert.candidates(ctype, "pay", _revert("Seven")) == ["dev: seven is refused"]
    bare = _devrevert.candidates(ctype, "pay", _revert("Revert"))
    assert sorted(bare) == ["dev: not live", "dev: zero amount"]  # both bare requires
    assert _devrevert.candidates(ctype, "other", _revert("Revert")) == []
