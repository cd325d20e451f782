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


# -- the one schema: every key checked at load --------------------------------------------

COMPILER = "compiler: {evm_version: prague, solc: {version: 0.8.30}}\n"
CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"  # EIP-55's own example


def write(project: Path, networks: str, extra: str = "") -> Path:
    """A config with `networks` (YAML lines, indented 4) under daftar.networks."""
    text = COMPILER + extra + "daftar:\n  networks:\n    development: {backend: revm}\n" + networks
    (project / "brownie-config.yaml").write_text(text)
    return project


def sepolia(*lines: str) -> str:
    return "    sepolia:\n      backend: rpc\n      chain_id: 11155111\n" + "".join(
        f"      {line}\n" for line in lines
    )


def config_error(project: Path) -> str:
    with pytest.raises(ConfigError) as info:
        config.load(project)
    message = str(info.value)
    assert str(project / "brownie-config.yaml") in message  # the file is named
    return message


BROWNIE_PROJECT = """
# A Brownie project's config, with Brownie's standard keys, plus daftar's section.
project_structure:
  build: build
  contracts: contracts
  interfaces: interfaces
  reports: reports
  scripts: scripts
  tests: tests
dotenv: .env
dependencies:
  - OpenZeppelin/openzeppelin-contracts@4.9.3
  - smartcontractkit/chainlink-brownie-contracts@0.6.1
compiler:
  evm_version: prague
  solc:
    version: 0.8.30
    optimizer: {enabled: true, runs: 1000}
    remappings:
      - "@openzeppelin=OpenZeppelin/openzeppelin-contracts@4.9.3"
      - "@chainlink=smartcontractkit/chainlink-brownie-contracts@0.6.1"
  vyper:
    version: null
networks:
  default: development
  development:
    gas_limit: max
    gas_price: 0
    cmd_settings: {accounts: 20}
  sepolia:
    vrf_coordinator: "0x8103B0A8A00be2DDC778e6e7eaa21791Cd364625"
    fee: 100000000000000000
    verify: true
reports:
  exclude_paths: [contracts/mocks/**/*.*]
  exclude_contracts: SafeMath
  only_include_project: true
hypothesis:
  deadline: null
  max_examples: 50
  report_multiple_bugs: false
  stateful_step_count: 10
  phases: {explicit: true, reuse: true, generate: true, target: true, shrink: true}
console: {show_colors: true, color_style: monokai, auto_suggest: true, editing_mode: emacs}
autofetch_sources: false
dev_deployment_artifacts: true
eager_caching: true
wallets:
  from_key: ${PRIVATE_KEY}
daftar:
  networks:
    development: {backend: revm, chain_id: 1337}
"""


def test_typical_brownie_project_config_loads(tmp_project, monkeypatch):
    monkeypatch.delenv("PRIVATE_KEY", raising=False)
    monkeypatch.delenv("FROM_BROWNIE_DOTENV", raising=False)
    (tmp_project / "brownie-config.yaml").write_text(BROWNIE_PROJECT)
    (tmp_project / ".env").write_text("FROM_BROWNIE_DOTENV=1\n")
    cfg = config.load(tmp_project)
    assert cfg.compiler.optimizer_runs == 1000
    assert cfg.compiler.remappings[0] == "@openzeppelin=OpenZeppelin/openzeppelin-contracts@4.9.3"
    assert cfg.network().name == "development"
    import os

    assert os.environ.pop("FROM_BROWNIE_DOTENV") == "1"


def test_named_dotenv_is_loaded_and_a_missing_one_is_an_error(tmp_project, monkeypatch):
    monkeypatch.delenv("SEPOLIA_RPC_URL", raising=False)
    write(tmp_project, sepolia(), extra="dotenv: secrets.env\n")
    assert "dotenv names secrets.env" in config_error(tmp_project)
    (tmp_project / "secrets.env").write_text("SEPOLIA_RPC_URL=http://127.0.0.1:4\n")
    assert config.load(tmp_project).network("sepolia").rpc_url() == "http://127.0.0.1:4"
    monkeypatch.delenv("SEPOLIA_RPC_URL")


def test_every_documented_network_key_is_typed(tmp_project):
    write(
        tmp_project,
        sepolia(
            "explorer: https://sepolia.etherscan.io",
            "explorer_api: https://api.etherscan.io/v2/api",
            "host: https://rpc.example/v1",
            "block_time: 12",
            "confirmations: 3",
            "timeout: 60",
            "max_fee_gwei: 2.5",
            "stuck_after: '30'",  # a quoted number is still a number
            "wait_limit: 600",
            "poll_seconds: 0.5",
            "rpc_retries: 0",
            "rpc_backoff: 0",
            "rpc_timeout: 5",
            "sourcify: https://sourcify.example",
            "blockscout: https://blockscout.example",
            f"roles: {{registrar: '{CHECKSUMMED}', pauser: '{CHECKSUMMED.lower()}'}}",
        ),
    )
    net = config.load(tmp_project).network("sepolia")
    assert (net.confirmations, net.max_fee_gwei, net.block_time, net.timeout) == (3, 2.5, 12, 60)
    assert net.settings["stuck_after"] == 30.0 and net.settings["rpc_retries"] == 0
    assert net.settings["roles"]["registrar"] == CHECKSUMMED

    # the live-deploy code reads these from `settings`, already of the right type
    from daftar.deploy.executor import LiveSettings

    live = LiveSettings.of(net)
    assert (live.confirmations, live.max_fee_wei, live.stuck_after) == (3, 2_500_000_000, 30.0)
    assert (live.poll, live.wait_limit) == (0.5, 600.0)


def test_misspelt_key_is_named_with_the_closest_known_one(tmp_project):
    write(tmp_project, sepolia("stuck_afer: 30"))
    message = config_error(tmp_project)
    assert "daftar.networks.sepolia.stuck_afer is not a known key" in message
    assert "did you mean 'stuck_after'?" in message


@pytest.mark.parametrize(
    ("extra", "networks", "key", "suggestion"),
    [
        ("compilr: {}\n", "", "compilr", "compiler"),
        ("reports: {exclude_contract: [SafeMath]}\n", "", "reports.exclude_contract",
         "exclude_contracts"),
        ("", "  default_netwrok: development\n", "daftar.default_netwrok", "default_network"),
        ("", "    tester: {backend: tester, confirmation: 2}\n", "daftar.networks.tester.confirmation",
         "confirmations"),
    ],
)  # fmt: skip
def test_unknown_keys_anywhere(tmp_project, extra, networks, key, suggestion):
    if networks.startswith("  default"):
        (tmp_project / "brownie-config.yaml").write_text(
            COMPILER + "daftar:\n" + networks + "  networks: {development: {backend: revm}}\n"
        )
    else:
        write(tmp_project, networks, extra)
    message = config_error(tmp_project)
    assert f"{key} is not a known key; did you mean '{suggestion}'?" in message


@pytest.mark.parametrize(
    ("line", "key", "expected"),
    [
        ("max_fee_gwei: fifty", "max_fee_gwei", "must be a number, more than 0, not 'fifty'"),
        ("max_fee_gwei: 0", "max_fee_gwei", "must be a number, more than 0, not 0"),
        ("confirmations: two", "confirmations", "must be a whole number, at least 1, not 'two'"),
        ("confirmations: 1.5", "confirmations", "must be a whole number"),
        ("confirmations: true", "confirmations", "must be a whole number, at least 1, not true"),
        ("confirmations: -2", "confirmations", "must be a whole number, at least 1, not -2"),
        ("block_time: -1", "block_time", "must be a whole number, at least 0, not -1"),
        ("stuck_after: -5", "stuck_after", "must be a number, more than 0, not -5"),
        ("rpc_retries: -1", "rpc_retries", "must be a whole number, at least 0, not -1"),
        ("timeout: soon", "timeout", "must be a number"),
        ("explorer: sepolia.etherscan.io", "explorer", "must be an http:// or https:// URL"),
        ("host: [a, b]", "host", "must be an http:// or https:// URL, not a list"),
        ("roles: [registrar]", "roles", "must be a mapping of role names to addresses"),
        ("roles: {registrar: '0x12'}", "roles.registrar", "must be an address"),
    ],
)
def test_wrong_types_name_the_key(tmp_project, line, key, expected):
    write(tmp_project, sepolia(line))
    assert f"daftar.networks.sepolia.{key} {expected}" in config_error(tmp_project)


def test_wrong_chain_id_and_backend_types(tmp_project):
    write(tmp_project, "    x: {backend: rpc, chain_id: sepolia}\n    y: {backend: ganache}\n")
    message = config_error(tmp_project)
    assert "daftar.networks.x.chain_id must be a whole number, at least 1, not 'sepolia'" in message
    assert "daftar.networks.y.backend must be one of revm, tester, anvil, rpc" in message


def test_unquoted_address_read_as_a_number_says_quote_it(tmp_project):
    write(tmp_project, sepolia(f"roles: {{registrar: {CHECKSUMMED}}}"))
    message = config_error(tmp_project)
    assert "daftar.networks.sepolia.roles.registrar was read as the number 0x5aae" in message
    assert CHECKSUMMED.lower() in message and "Quote it: '0x…'" in message


def test_wrong_checksum_is_an_error_and_one_case_is_not(tmp_project):
    wrong = CHECKSUMMED.replace("aAeb", "aaEb")
    write(tmp_project, sepolia(f"roles: {{registrar: '{wrong}'}}"))
    assert "roles.registrar '" + wrong + "' has a wrong EIP-55 checksum" in config_error(
        tmp_project
    )
    for fine in (CHECKSUMMED.lower(), "0x" + CHECKSUMMED[2:].upper(), CHECKSUMMED):
        write(tmp_project, sepolia(f"roles: {{registrar: '{fine}'}}"))
        assert config.load(tmp_project).network("sepolia").settings["roles"]["registrar"] == fine


def test_every_problem_is_reported_at_once(tmp_project):
    write(tmp_project, sepolia("confirmations: two", "max_fee_gwei: fifty", "stuck_afer: 3"))
    message = config_error(tmp_project)
    assert "has 3 problems" in message
    for key in ("confirmations", "max_fee_gwei", "stuck_afer"):
        assert f"daftar.networks.sepolia.{key}" in message


def test_brownie_sections_are_checked_as_brownie_defines_them(tmp_project):
    write(
        tmp_project,
        "",
        extra="dev_deployment_artifacts: maybe\nhypothesis: {phases: {shrik: false}}\n",
    )
    message = config_error(tmp_project)
    assert "dev_deployment_artifacts must be true or false, not 'maybe'" in message
    assert "hypothesis.phases.shrik is not a known key; did you mean 'shrink'?" in message
    (tmp_project / "brownie-config.yaml").write_text(
        "compiler: {evm_version: prague, solc: {version: 0.8.30, remappings: [nonsense]}}\n"
        "daftar: {networks: {development: {backend: revm}}}\n"
    )
    assert "compiler.solc.remappings[0] must be a solc remapping 'prefix=path'" in config_error(
        tmp_project
    )


def test_solc_evm_version_overrides_the_project_one_as_in_brownie(tmp_project):
    (tmp_project / "brownie-config.yaml").write_text(
        "compiler: {evm_version: prague, solc: {version: 0.8.30, evm_version: cancun}}\n"
        "daftar: {networks: {development: {backend: revm}}}\n"
    )
    assert config.load(tmp_project).compiler.evm_version == "cancun"


def test_variables_in_typed_settings_are_checked_when_the_network_is_used(tmp_project, monkeypatch):
    for var in ("LAZY_CONFS", "LAZY_ROLE", "LAZY_FEE"):
        monkeypatch.delenv(var, raising=False)
    write(
        tmp_project,
        sepolia(
            "confirmations: ${LAZY_CONFS}",
            "max_fee_gwei: ${LAZY_FEE:-7}",
            "roles: {registrar: '${LAZY_ROLE}'}",
        ),
    )
    cfg = config.load(tmp_project)  # unset variables: fine until sepolia is used
    assert cfg.network("development").backend == "revm"
    with pytest.raises(ConfigError, match=r"sepolia.confirmations uses \$\{LAZY_CONFS\}, but"):
        cfg.network("sepolia")
    monkeypatch.setenv("LAZY_CONFS", "two")
    monkeypatch.setenv("LAZY_ROLE", CHECKSUMMED)
    with pytest.raises(
        ConfigError, match=r"sepolia.confirmations must be a whole number.*from \$\{LAZY_CONFS\}"
    ):
        cfg.network("sepolia")
    monkeypatch.setenv("LAZY_CONFS", "4")
    net = cfg.network("sepolia")
    assert (net.confirmations, net.max_fee_gwei) == (4, 7)
    assert net.settings["roles"] == {"registrar": CHECKSUMMED}


def test_backend_must_be_written_out(tmp_project):
    write(tmp_project, "    x: {backend: '${BACKEND}'}\n")
    assert "daftar.networks.x.backend must be written out" in config_error(tmp_project)


# -- through the command line: a clean failure naming the key, before anything else --------


def _cli(*args: str, cwd: Path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEPLOYER_", "DAFTAR_"))}
    return subprocess.run(
        [sys.executable, "-m", "daftar.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("stuck_afer: 30", "daftar.networks.sepolia.stuck_afer"),
        ("max_fee_gwei: fifty", "daftar.networks.sepolia.max_fee_gwei"),
        ("confirmations: two", "daftar.networks.sepolia.confirmations"),
        (f"roles: {{registrar: {CHECKSUMMED}}}", "daftar.networks.sepolia.roles.registrar"),
    ],
)
@pytest.mark.parametrize(
    "command", [("networks",), ("deploy", "--dry-run", "--network", "sepolia")]
)
def test_cli_fails_cleanly_naming_the_key(tmp_project, line, key, command):
    write(tmp_project, sepolia(line))
    proc = _cli(*command, cwd=tmp_project)
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    assert key in proc.stderr and "brownie-config.yaml" in proc.stderr, proc.stderr
    assert "Compil" not in proc.stderr  # nothing ran before the check


def test_brownie_config_without_a_daftar_section_gets_default_networks(tmp_project):
    """A Brownie project moved unchanged has no `daftar:` section: it still has networks."""
    (tmp_project / "brownie-config.yaml").write_text(
        "networks:\n  default: anvil\ncompiler:\n  solc:\n    version: 0.8.30\n"
    )
    cfg = config.load(tmp_project)
    assert set(config.DEFAULT_NETWORKS) <= set(cfg.networks)
    assert cfg.network().name == "anvil" and cfg.network().backend == "anvil"
    assert cfg.network("development").backend == "revm"
    assert cfg.network("sepolia").chain_id == 11155111


def test_explicit_daftar_networks_replace_the_defaults(tmp_project):
    cfg = config.load(tmp_project)  # MINIMAL_CONFIG lists its own networks
    assert "anvil" not in cfg.networks and "development" in cfg.networks
