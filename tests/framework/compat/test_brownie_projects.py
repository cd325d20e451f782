"""Brownie projects as others write them, run through `daftar test` / `daftar run` in a
subprocess from a tiny project in tmp_path: what the community tutorials do that the
examples do not (tests that ask for no fixture, `publish_source=`, ...)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
DAFTAR = REPO / ".venv" / "bin" / "daftar"
#: Written so that no line of this file starts with a brownie import.
FROM_BROWNIE = "from " + "brownie import "


def daftar(root: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [str(DAFTAR if DAFTAR.exists() else Path(sys.executable).with_name("daftar")), *args]
    env = {k: v for k, v in os.environ.items() if k != "DAFTAR_NETWORK"}
    return subprocess.run(
        cmd, cwd=root, capture_output=True, text=True, timeout=300, env=env, check=False
    )


CONFIG = "compiler:\n  evm_version: paris\n  solc:\n    version: 0.8.30\n"
BOX = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;
contract Box {
    uint256 public value;
    function store(uint256 v) external payable { value = v; }
}
"""


def project(root: Path, files: dict[str, str], config: str = CONFIG) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "brownie-config.yaml").write_text(config)
    for name, text in {"contracts/Box.sol": BOX, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    return root


def test_the_network_is_connected_before_any_test_asks_for_a_fixture(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "tests/test_plain.py": FROM_BROWNIE + "accounts, network\n"
            "FIRST = accounts[0]\n"  # at import time, as Brownie allows
            "def test_active():\n"
            "    assert network.show_active() == 'development'\n"
            "    assert network.is_connected() and accounts[0] == FIRST\n"
        },
    )
    done = daftar(root, "test", "-q", "-p", "no:randomly")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_publish_source_false_deploys_and_true_is_one_clear_error(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "scripts/deploy.py": FROM_BROWNIE + "Box, accounts, config, network\n"
            "def main():\n"
            "    verify = config['networks'][network.show_active()].get('verify')\n"
            "    box = Box.deploy({'from': accounts[0]}, publish_source=verify)\n"
            "    accounts[0].deploy(Box, publish_source=False)\n"
            "    print('deployed', len(Box), box.value())\n",
            "tests/test_publish.py": "import pytest\n" + FROM_BROWNIE + "Box, accounts\n"
            "def test_publish():\n"
            "    with pytest.raises(Exception, match='publish_source=True .* not covered'):\n"
            "        Box.deploy({'from': accounts[0]}, publish_source=True)\n"
            "    box = Box.deploy({'from': accounts[0]})\n"
            "    with pytest.raises(Exception, match='publish_source'):\n"
            "        Box.publish_source(box)\n",
        },
        CONFIG + "networks:\n  development:\n    verify: False\n",
    )
    ran = daftar(root, "run", "scripts/deploy.py")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "deployed 2 0" in ran.stdout
    done = daftar(root, "test", "-q", "-p", "no:randomly")
    assert done.returncode == 0, done.stdout + done.stderr


DEPS = "dependencies:\n  - OpenZeppelin/openzeppelin-contracts@4.8.0\n"
OZ_TOKEN = "OpenZeppelin/openzeppelin-contracts@4.8.0/contracts/token/ERC20/ERC20.sol"


def test_brownie_packages_are_refused_with_the_npm_way(tmp_path: Path) -> None:
    remapped = (
        CONFIG
        + '    remappings:\n      - "@openzeppelin=OpenZeppelin/openzeppelin-contracts@4.8.0"\n'
    )
    token = 'import "@openzeppelin/contracts/token/ERC20/ERC20.sol";\n' + BOX
    files = {
        "contracts/Box.sol": token,
        "scripts/deploy.py": FROM_BROWNIE + "Box\ndef main():\n    pass\n",
        "tests/test_box.py": FROM_BROWNIE + "Box\ndef test_box():\n    pass\n",
    }
    root = project(tmp_path / "remapped", files, DEPS + remapped)
    for args in (("test", "-q"), ("run", "scripts/deploy.py")):
        done = daftar(root, *args)
        assert done.returncode != 0
        err = done.stdout + done.stderr
        assert "Brownie packages (`dependencies:`) are not covered" in err, err
        assert "npm install --save-exact @openzeppelin/contracts@4.8.0" in err
        assert '"@openzeppelin/=node_modules/@openzeppelin/"' in err
        assert "Traceback" not in err
    # An import of the package's own path, without a remapping: the compile error, explained.
    files["contracts/Box.sol"] = f'import "{OZ_TOKEN}";\n' + BOX
    done = daftar(project(tmp_path / "direct", files, DEPS + CONFIG), "test", "-q")
    err = done.stdout + done.stderr
    assert done.returncode != 0 and "Brownie packages (`dependencies:`)" in err, err
    assert f"cannot find '{OZ_TOKEN}'" in err


def test_the_top_level_interfaces_folder_gives_interface_names(tmp_path: Path) -> None:
    store_abi = (
        '[{"type": "function", "name": "store", "stateMutability": "payable", "outputs": [],'
        ' "inputs": [{"name": "v", "type": "uint256"}]}]'
    )
    root = project(
        tmp_path,
        {
            "interfaces/IBox.sol": "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\n"
            "interface IBox { function value() external view returns (uint256); }\n",
            "interfaces/IStore.json": store_abi,
            "interfaces/IVy.vy": "# a Vyper interface\n",
            "tests/test_iface.py": "import pytest\n" + FROM_BROWNIE + "Box, accounts, interface\n"
            "def test_iface():\n"
            "    box = Box.deploy({'from': accounts[0]})\n"
            "    interface.IStore(box.address).store(5, {'from': accounts[0]})\n"
            "    assert interface.IBox(box).value() == 5\n"
            "    assert {'IBox', 'IStore'} <= set(dir(interface))\n"
            "    with pytest.raises(Exception, match='Vyper interface IVy .*not covered'):\n"
            "        interface.IVy\n"
            "    with pytest.raises(Exception, match='interfaces: IBox, IStore'):\n"
            "        interface.INope\n",
        },
    )
    done = daftar(root, "test", "-q", "-p", "no:randomly")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (root / "build" / "interfaces" / "contracts" / "IBox.json").is_file()
