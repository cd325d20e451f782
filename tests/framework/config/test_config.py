"""brownie-config.yaml loading: typed settings, ${VAR} expansion, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from daftar import config
from daftar.errors import ConfigError, NetworkError

REPO = Path(__file__).resolve().parents[3]


def test_repo_config_has_required_networks():
    cfg = config.load(REPO)
    assert cfg.compiler.evm_version == "prague"
    assert cfg.compiler.remappings == ("@openzeppelin/=node_modules/@openzeppelin/",)
    backends = {n.backend for n in cfg.networks.values()}
    assert backends == {"revm", "tester", "anvil", "rpc"}
    assert cfg.network().name == "development"
    sepolia = cfg.network("sepolia")
    assert (sepolia.chain_id, sepolia.rpc_env_var) == (11155111, "SEPOLIA_RPC_URL")
    assert cfg.network("hoodi").rpc_env_var == "HOODI_RPC_URL"
    assert cfg.network("base-sepolia").rpc_env_var == "BASE_SEPOLIA_RPC_URL"
    assert all(
        n.explorer and n.confirmations > 1
        for n in cfg.networks.values()
        if n.live and n.name != "localhost"
    )
    assert sepolia.explorer_link("tx", "0xab") == "https://sepolia.etherscan.io/tx/0xab"


def test_missing_config_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="no brownie-config.yaml found"):
        config.load(tmp_path)


def test_malformed_yaml_names_file_and_line(tmp_project):
    (tmp_project / "brownie-config.yaml").write_text("compiler:\n  solc: [unclosed\n")
    with pytest.raises(ConfigError, match=r"brownie-config.yaml:\d+:\d+: not valid YAML"):
        config.load(tmp_project)


def test_compiler_version_is_optional(tmp_project):
    """Without compiler.solc.version, each source's pragma chooses its compiler."""
    (tmp_project / "brownie-config.yaml").write_text(
        "compiler: {evm_version: prague}\ndaftar: {networks: {development: {backend: revm}}}\n"
    )
    assert config.load(tmp_project).compiler.version is None


def test_bad_backend_is_reported(tmp_project):
    text = (
        (tmp_project / "brownie-config.yaml")
        .read_text()
        .replace("backend: revm", "backend: ganache")
    )
    (tmp_project / "brownie-config.yaml").write_text(text)
    with pytest.raises(
        ConfigError, match=r"development.backend must be one of revm, tester, anvil, rpc"
    ):
        config.load(tmp_project)


def test_unknown_network_lists_known_ones(tmp_project):
    cfg = config.load(tmp_project)
    with pytest.raises(NetworkError, match=r"unknown network 'mainnet'.*development, sepolia"):
        cfg.network("mainnet")


def test_rpc_url_from_environment(tmp_project, monkeypatch):
    cfg = config.load(tmp_project)
    monkeypatch.delenv("SEPOLIA_RPC_URL", raising=False)
    with pytest.raises(NetworkError, match="SEPOLIA_RPC_URL is not set"):
        cfg.network("sepolia").rpc_url()
    monkeypatch.setenv("SEPOLIA_RPC_URL", "http://127.0.0.1:1")
    assert cfg.network("sepolia").rpc_url() == "http://127.0.0.1:1"


def test_host_variable_expansion_and_missing_variable(tmp_project, monkeypatch):
    cfg = config.load(tmp_project)
    monkeypatch.delenv("WRONGNODE_URL", raising=False)
    with pytest.raises(ConfigError, match=r"\$\{WRONGNODE_URL\}, but WRONGNODE_URL is not set"):
        cfg.network("wrongnode").rpc_url()
    monkeypatch.setenv("WRONGNODE_URL", "http://127.0.0.1:2")
    assert cfg.network("wrongnode").rpc_url() == "http://127.0.0.1:2"


def test_dotenv_is_loaded(tmp_project, monkeypatch):
    monkeypatch.delenv("SEPOLIA_RPC_URL", raising=False)
    (tmp_project / ".env").write_text("SEPOLIA_RPC_URL=http://127.0.0.1:3\n")
    cfg = config.load(tmp_project)
    assert cfg.network("sepolia").rpc_url() == "http://127.0.0.1:3"
    monkeypatch.delenv("SEPOLIA_RPC_URL")


def test_rpc_network_requires_chain_id(tmp_project):
    (tmp_project / "brownie-config.yaml").write_text(
        "compiler: {evm_version: prague, solc: {version: 0.8.30}}\n"
        "daftar: {networks: {x: {backend: rpc}}, default_network: x}\n"
    )
    with pytest.raises(ConfigError, match="needs chain_id"):
        config.load(tmp_project)
