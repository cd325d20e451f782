"""The explorer guide in generated deployment READMEs matches the deployed ABIs."""

from __future__ import annotations

import json

from daftar.deploy.records import write_readme
from daftar_registry.guide import ACTIONS, FIELD_HELP, actions_section

ADDRESSES = {
    "IssuerRegistry": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    "CredentialRegistry": "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    "PilotRegistry": "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
}


def _records(project):
    return {
        name: {"contract": name, "address": a, "abi": project[name].abi}
        for name, a in ADDRESSES.items()
    }


def test_every_action_names_a_real_function_with_explained_fields(project):
    """Invariant: each guide entry is a function of its contract, and every field it asks
    for has a plain-words explanation (so the guide cannot drift from the contracts)."""
    for action in ACTIONS:
        items = [i for i in project[action.contract].abi if i.get("name") == action.function]
        assert items, action
        mutability = items[0]["stateMutability"]
        assert (mutability in ("view", "pure")) == (action.tab == "read"), action
        for param in items[0]["inputs"]:
            assert param["name"] in FIELD_HELP, (action.function, param["name"])


def test_readme_links_each_action_to_the_right_tab(project, tmp_path):
    net = project.config.network("sepolia")
    folder = tmp_path / "sepolia"
    folder.mkdir()
    for name, rec in _records(project).items():
        rec.update(tx_hash="0x" + "ab" * 32, block=1, verification={}, explorer={})
        (folder / f"{name}.json").write_text(json.dumps(rec))
    write_readme(folder, net, 11155111)
    text = (folder / "README.md").read_text()
    pilots = ADDRESSES["PilotRegistry"]
    assert (
        f"https://sepolia.etherscan.io/address/{pilots}#writeContract), function **`anchorCheckpoint`**"
        in text
    )
    assert f"{pilots}#readContract), function **`lastCheckpoint`**" in text
    assert "- `prevRoot` (bytes32): lastCheckpoint's `root`" in text
    assert text.count("### ") == len(ACTIONS)


def test_networks_without_explorer_name_the_address(project):
    net = project.config.network("localhost")
    lines = actions_section(_records(project), net)
    assert any(
        ADDRESSES["CredentialRegistry"] in line and "write function" in line for line in lines
    )
