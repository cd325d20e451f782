"""User-facing errors: every message says what failed, where, and what to do.

The CLI turns any `DaftarError` into a one-paragraph message and a non-zero exit, never a
traceback; anything else escaping is a bug in daftar.
"""


class DaftarError(Exception):
    """A problem the user can fix (bad config, wrong network, compile error, ...)."""

    exit_code = 1


class ConfigError(DaftarError):
    """brownie-config.yaml (or the environment it names) is missing or wrong."""


class NetworkError(DaftarError):
    """A network cannot be used: unknown name, missing RPC URL, unreachable, wrong chain."""


class CompileError(DaftarError):
    """solc rejected the sources; the message carries file:line:col and solc's text."""


class ToolchainError(DaftarError):
    """node, npm packages (solc, anvil) or another tool daftar drives is missing."""


class DeployError(DaftarError):
    """A deploy cannot go on safely; the journal keeps what was done, so a rerun resumes."""


class AccountError(DaftarError):
    """A deployer key cannot be loaded: malformed key, wrong password, missing keystore."""
