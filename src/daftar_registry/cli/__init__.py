"""`daftar credential | issuer | pilot | admin | verifier`: the registry from the command line.

Each command talks to the registry recorded by `daftar deploy` in
`deployments/<network>/` (or `--deployments DIR` / `$DAFTAR_DEPLOYMENTS`); see
daftar_registry.client for how the network, records and signer are found. With the global
`--json`, every command prints one JSON object. Exit codes: 0 done (or VALID / anchored),
1 an error the message explains, 2 bad usage, 3 answered but not valid / not anchored.
"""

from __future__ import annotations

from daftar_registry.cli import delegated as _delegated  # noqa: F401 - adds sign-*/relay
from daftar_registry.cli.admin import admin
from daftar_registry.cli.disclosure import credential  # the credential group + disclose
from daftar_registry.cli.issuer import issuer
from daftar_registry.cli.pilot import pilot
from daftar_registry.cli.verifier import verifier

COMMANDS = [credential, issuer, pilot, admin, verifier]
