"""The explorer guide: the registry from an explorer's Read/Write Contract tabs, per action.

Written into each network's generated `deployments/<network>/README.md`, so a pilot who
never reads code can act from the explorer: which contract tab, which function, and what
goes in each field. Field lists come from the deployed ABI, so they cannot drift.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from daftar.explorer.links import read_contract_url, write_contract_url


class Action(NamedTuple):
    title: str
    who: str
    contract: str
    tab: str  # "read" or "write"
    function: str


_CR, _PR, _IR = "CredentialRegistry", "PilotRegistry", "IssuerRegistry"
ACTIONS = (
    Action("Accredit an issuer", "programme office", _IR, "write", "accredit"),
    Action("Add a signing key to an issuer", "programme office", _IR, "write", "addKey"),
    Action("Retire a key (or mark it compromised)", "programme office", _IR, "write", "retireKey"),
    Action(
        "Suspend an issuer (maybe compromised since a time)",
        "programme office",
        _IR,
        "write",
        "suspend",
    ),
    Action(
        "Revoke an issuer's accreditation", "programme office", _IR, "write", "revokeAccreditation"
    ),
    Action("Reinstate a suspended issuer", "programme office", _IR, "write", "reinstate"),
    Action("Check a signing key", "anyone", _IR, "read", "keyInfo"),
    Action("Issue one credential", "issuer's key", _CR, "write", "issue"),
    Action("Issue a batch of credentials", "issuer's key", _CR, "write", "issueBatch"),
    Action("Verify a credential", "anyone", _CR, "read", "verify"),
    Action("Verify a credential from a batch", "anyone", _CR, "read", "verifyLeaf"),
    Action("Revoke a credential", "a key of its issuer", _CR, "write", "revoke"),
    Action("Revoke a credential from a batch", "a key of its issuer", _CR, "write", "revokeLeaf"),
    Action("Revoke a whole batch", "a key of its issuer", _CR, "write", "revokeBatch"),
    Action("Revoke any issuer's credential", "programme office", _CR, "write", "authorityRevoke"),
    Action(
        "Revoke any issuer's credential from a batch",
        "programme office",
        _CR,
        "write",
        "authorityRevokeLeaf",
    ),
    Action("Revoke any issuer's batch", "programme office", _CR, "write", "authorityRevokeBatch"),
    Action("Cancel your outstanding signatures", "a signing key", _CR, "write", "cancelSignatures"),
    Action("Relay a signed revocation", "anyone (pays the gas)", _CR, "write", "revokeWithSig"),
    Action(
        "Relay a signed revocation of a batch member",
        "anyone (pays the gas)",
        _CR,
        "write",
        "revokeLeafWithSig",
    ),
    Action(
        "Relay a signed revocation of a whole batch",
        "anyone (pays the gas)",
        _CR,
        "write",
        "revokeBatchWithSig",
    ),
    Action("Register a pilot sponsor", "programme office", _PR, "write", "registerSponsor"),
    Action("Propose a pilot", "registered sponsor", _PR, "write", "propose"),
    Action("Approve a pilot", "programme office", _PR, "write", "approve"),
    Action("Activate an approved pilot", "pilot sponsor", _PR, "write", "activate"),
    Action("Read a pilot's status", "anyone", _PR, "read", "pilot"),
    Action("Report a milestone", "pilot sponsor", _PR, "write", "reportMilestone"),
    Action("Read the last checkpoint", "anyone", _PR, "read", "lastCheckpoint"),
    Action("Anchor a checkpoint", "pilot sponsor", _PR, "write", "anchorCheckpoint"),
    Action("Check a checkpoint", "anyone", _PR, "read", "checkpointAnchored"),
    Action("Complete an active pilot", "pilot sponsor", _PR, "write", "complete"),
    Action("Pause issuer changes (emergency)", "pauser", _IR, "write", "pause"),
    Action("Pause credential issuance (emergency)", "pauser", _CR, "write", "pause"),
    Action("Pause pilot changes (emergency)", "pauser", _PR, "write", "pause"),
    Action("Unpause the issuer registry", "pauser", _IR, "write", "unpause"),
    Action("Unpause the credential registry", "pauser", _CR, "write", "unpause"),
    Action("Unpause the pilot registry", "pauser", _PR, "write", "unpause"),
)

#: What to type, by parameter name; the type decides the fallback.
FIELD_HELP = {
    "issuer": "the issuer's (organisation's) address: the holder file's `document.issuer`",
    "sponsor": "the sponsor's address (0x…): the account that will propose and run pilots",
    "key": "the signing key's address (0x…)",
    "compromisedSince": (
        "unix time the key was (or may have been) stolen: what it anchored since then turns "
        "invalid (0 = not compromised; never in the future)"
    ),
    "signer": (
        "the signing key's address: `message.signer` in the request file that `daftar "
        "credential sign-revocation` wrote (or run `daftar credential relay` on that file)"
    ),
    "deadline": "`message.deadline` from the request file (unix time; it must not have passed)",
    "signature": "`signature` from the request file (0x + 130 hex)",
    "howMany": "how many of your next signatures to cancel (1 cancels the next one)",
    "name": "the issuer's public name",
    "metadataURI": "link to the accreditation details (e.g. ipfs://…)",
    "validFrom": "unix time the accreditation starts (0 = valid immediately)",
    "validUntil": "unix time it ends (0 = open-ended)",
    "credentialHash": "`credentialHash` from the holder file (0x + 64 hex)",
    "expiresAt": (
        "unix time the credential expires (0 = never); it must equal `document.expiresAt` "
        "in the holder files"
    ),
    "merkleRoot": (
        "`merkleRoot` from the holder file (the batch root `daftar credential issue` prints; "
        "0x + 64 hex)"
    ),
    "root": "the batch root / checkpoint root (0x + 64 hex)",
    "count": "how many credentials the batch holds",
    "uri": "a public link for the record (no personal data)",
    "proof": 'the holder file\'s `merkleProof`, as ["0x…","0x…"] (use [] for a batch of one)',
    "reasonCode": "a number from the programme's reason code list (e.g. 1 = issued in error)",
    "title": "the pilot's public title",
    "detailsHash": "keccak-256 of the proposal document (`daftar pilot propose` computes it)",
    "pilotId": (
        "the pilot's number: `pilotId` in the PilotProposed event of the proposal "
        "transaction (the explorer's Logs tab), or `daftar pilot show`"
    ),
    "evidenceHash": "keccak-256 of the evidence file (`daftar pilot milestone` computes it)",
    "seq": "lastCheckpoint's `seq` + 1 (read it first; 1 for the first checkpoint)",
    "prevRoot": "lastCheckpoint's `root` (0x000…000 for the first checkpoint)",
}


def _field(param: dict[str, Any]) -> str:
    name, typ = param.get("name") or "?", param["type"]
    return f"`{name}` ({typ}): {FIELD_HELP.get(name, typ)}"


def _inputs(abi: list[dict[str, Any]], function: str) -> list[dict[str, Any]] | None:
    for item in abi:
        if item.get("type") == "function" and item.get("name") == function:
            return item.get("inputs", [])
    return None


def actions_section(records: dict[str, dict[str, Any]], network: Any) -> list[str]:
    """Markdown lines: one entry per action whose contract has a record here.

    Registered as a `daftar.records_readme` hook; records without any registry contract
    get no lines at all.
    """
    if not any(action.contract in records for action in ACTIONS):
        return []
    lines = [
        "## Using the registry from the explorer",
        "",
        "Connect your wallet on the Write tab (the account must hold the role named), fill the",
        "fields, and send. Reads need no wallet. The `daftar` command line does the same.",
        "A pilot goes: programme office registers the sponsor → sponsor proposes → programme",
        "office approves → sponsor activates → milestones and checkpoints → sponsor completes.",
        "Times are unix seconds; hashes are 0x followed by 64 hex digits. The pause",
        "functions stop issuance and changes, never a suspension or revocation.",
        "",
    ]
    for action in ACTIONS:
        record = records.get(action.contract)
        if not record:
            continue
        inputs = _inputs(record.get("abi", []), action.function)
        if inputs is None:
            continue
        link_of = write_contract_url if action.tab == "write" else read_contract_url
        link = link_of(network, record["address"])
        where = (
            f"[{action.contract} → {action.tab.capitalize()} Contract]({link})"
            if link
            else (f"{action.contract} ({record['address']}), {action.tab} function")
        )
        lines.append(f"### {action.title} ({action.who})")
        lines.append("")
        lines.append(f"{where}, function **`{action.function}`**:")
        lines.append("")
        lines.extend(f"- {_field(p)}" for p in inputs)
        lines.append("")
    return lines
