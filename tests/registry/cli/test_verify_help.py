"""`daftar credential verify --help` documents every exit code and the JSON outcomes.

The codes are a contract with scripts: the help text, the services' constants and the
outcomes must agree.
"""

from __future__ import annotations

from click.testing import CliRunner

from daftar_registry.cli.credential import credential
from daftar_registry.services import checks, registries


def test_help_lists_every_exit_code_and_json_status():
    result = CliRunner().invoke(credential, ["verify", "--help"])
    assert result.exit_code == 0
    text = result.output
    for code, words in (
        (0, "VALID"),
        (3, "not valid"),
        (4, "TAMPERED"),
        (5, "WRONG NETWORK"),
        (6, "UNREACHABLE"),
        (1, "any other error"),
        (2, "usage"),
    ):
        assert f"  {code}  {words}" in text, (code, text)
    for status in ("TAMPERED", "WRONG_NETWORK", "UNKNOWN_REGISTRY", "UNREACHABLE", "NO_RPC_URL"):
        assert status in text
    assert "--rpc URL" in text and "--registry ADDRESS" in text and "--batch" in text


def test_the_codes_in_the_help_are_the_services_codes():
    assert (checks.EXIT_NOT_VALID, registries.EXIT_TAMPERED) == (3, 4)
    assert (registries.EXIT_WRONG_NETWORK, registries.EXIT_UNREACHABLE, checks.EXIT_NO_RPC) == (
        5,
        6,
        2,
    )
    assert registries.WrongNetwork.exit_code == registries.UnknownRegistry.exit_code == 5
    assert registries.Unreachable.exit_code == 6


def test_several_files_exit_with_the_highest_code():
    def outcome(code: int) -> checks.Outcome:
        return checks.Outcome(file="f", status="X", exit_code=code)

    assert checks.exit_code_of([outcome(0), outcome(0)]) == 0
    assert checks.exit_code_of([outcome(0), outcome(3), outcome(6), outcome(4)]) == 6
    assert checks.exit_code_of([]) == 0
