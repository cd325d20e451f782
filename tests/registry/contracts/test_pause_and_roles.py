"""Access control, pausing and the two-step admin transfer, for all three contracts."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from eth_account import Account as EthAccount
from eth_utils import keccak

from daftar.chain.base import Account
from daftar.keys import sign_typed_data
from daftar.testing import reverts
from daftar_registry.plan import ADMIN_DELAY, role

ZERO32 = b"\x00" * 32
ADMIN_ROLE = ZERO32  # DEFAULT_ADMIN_ROLE
CONTRACTS = ["issuers", "credentials", "pilots"]

# Inherited (OpenZeppelin) writes that administer roles and pausing; everything else is a
# contract write that a pause must stop.
ADMIN_WRITES = {
    "grantRole",
    "revokeRole",
    "renounceRole",
    "beginDefaultAdminTransfer",
    "cancelDefaultAdminTransfer",
    "acceptDefaultAdminTransfer",
    "changeDefaultAdminDelay",
    "rollbackDefaultAdminDelay",
    "pause",
    "unpause",
}


def h32(label: str) -> bytes:
    return keccak(text=label)


def _abi_functions(contract, views: bool) -> set[str]:
    return {
        item["name"]
        for item in contract.type.abi
        if item["type"] == "function" and (item["stateMutability"] in ("view", "pure")) is views
    }


@pytest.fixture
def ctx(registry, actors, chain):
    return SimpleNamespace(
        issuers=registry.issuers,
        credentials=registry.credentials,
        pilots=registry.pilots,
        actors=actors,
        chain=chain,
    )


# ───────────────────────────── role-gated functions ─────────────────────────────

# (contract, function, role, args); args are callables of the actors namespace.
_A = Callable[[Any], tuple]
ROLE_GATED: list[tuple[str, str, str, _A]] = [
    ("issuers", "accredit", "REGISTRAR_ROLE", lambda a: (a.issuer2, "X", "", 0, 0)),
    ("issuers", "suspend", "REGISTRAR_ROLE", lambda a: (a.issuer, 1, 0)),
    ("issuers", "reinstate", "REGISTRAR_ROLE", lambda a: (a.issuer,)),
    ("issuers", "revokeAccreditation", "REGISTRAR_ROLE", lambda a: (a.issuer, 1, 0)),
    ("issuers", "addKey", "REGISTRAR_ROLE", lambda a: (a.issuer, a.outsiders[1])),
    ("issuers", "retireKey", "REGISTRAR_ROLE", lambda a: (a.issuer, a.issuer, 0)),
    ("issuers", "renew", "REGISTRAR_ROLE", lambda a: (a.issuer, 0, 0)),
    ("issuers", "setMetadataURI", "REGISTRAR_ROLE", lambda a: (a.issuer, "ipfs://x")),
    ("pilots", "registerSponsor", "PROGRAMME_OFFICE_ROLE", lambda a: (a.outsiders[0], "S")),
    ("pilots", "deregisterSponsor", "PROGRAMME_OFFICE_ROLE", lambda a: (a.sponsor,)),
    ("pilots", "approve", "PROGRAMME_OFFICE_ROLE", lambda a: (1,)),
    ("pilots", "reject", "PROGRAMME_OFFICE_ROLE", lambda a: (1, 1)),
    ("pilots", "terminate", "PROGRAMME_OFFICE_ROLE", lambda a: (1, 1)),
]
for _c in CONTRACTS:
    ROLE_GATED += [
        (_c, "pause", "PAUSER_ROLE", lambda a: ()),
        (_c, "unpause", "PAUSER_ROLE", lambda a: ()),
        (_c, "grantRole", "DEFAULT_ADMIN_ROLE", lambda a: (role("PAUSER_ROLE"), a.relayer)),
        (_c, "revokeRole", "DEFAULT_ADMIN_ROLE", lambda a: (role("PAUSER_ROLE"), a.pauser)),
        (_c, "beginDefaultAdminTransfer", "DEFAULT_ADMIN_ROLE", lambda a: (a.relayer,)),
        (_c, "cancelDefaultAdminTransfer", "DEFAULT_ADMIN_ROLE", lambda a: ()),
        (_c, "changeDefaultAdminDelay", "DEFAULT_ADMIN_ROLE", lambda a: (3600,)),
        (_c, "rollbackDefaultAdminDelay", "DEFAULT_ADMIN_ROLE", lambda a: ()),
    ]


def _role_id(name: str) -> bytes:
    return ADMIN_ROLE if name == "DEFAULT_ADMIN_ROLE" else role(name)


@pytest.mark.parametrize(
    ("contract", "fn", "role_name", "args"),
    ROLE_GATED,
    ids=[f"{c}.{f}" for c, f, _, _ in ROLE_GATED],
)
def test_function_needs_its_role(ctx, contract, fn, role_name, args):
    target = getattr(ctx, contract)
    needed = _role_id(role_name)
    a = ctx.actors
    callers = [a.admin, a.office, a.pauser, a.issuer, a.sponsor, a.relayer, a.outsiders[0]]
    without = [c for c in callers if not target.hasRole(needed, c)]
    assert a.outsiders[0] in without and len(without) >= 5  # roles are kept separate
    for caller in without:
        with reverts("AccessControlUnauthorizedAccount", account=caller, neededRole=needed):
            getattr(target, fn)(*args(a), sender=caller)


def test_role_holders_are_as_deployed(ctx):
    a = ctx.actors
    holders = {
        ("issuers", "REGISTRAR_ROLE"): a.office,
        ("issuers", "PAUSER_ROLE"): a.pauser,
        ("credentials", "PAUSER_ROLE"): a.pauser,
        ("pilots", "PROGRAMME_OFFICE_ROLE"): a.office,
        ("pilots", "PAUSER_ROLE"): a.pauser,
    }
    for (contract, name), holder in holders.items():
        assert getattr(ctx, contract).hasRole(role(name), holder)
        assert getattr(ctx, contract).getRoleAdmin(role(name)) == ADMIN_ROLE
    for contract in CONTRACTS:
        c = getattr(ctx, contract)
        assert c.hasRole(ADMIN_ROLE, a.admin)
        assert c.defaultAdmin() == c.owner() == a.admin.address
        assert c.DEFAULT_ADMIN_ROLE() == ADMIN_ROLE


@pytest.mark.parametrize("contract", CONTRACTS)
def test_admin_grants_and_revokes_roles(ctx, contract):
    c, a = getattr(ctx, contract), ctx.actors
    pauser = role("PAUSER_ROLE")
    c.grantRole(pauser, a.relayer, sender=a.admin)
    assert c.hasRole(pauser, a.relayer)
    c.pause(sender=a.relayer)
    c.unpause(sender=a.relayer)
    c.revokeRole(pauser, a.relayer, sender=a.admin)
    assert not c.hasRole(pauser, a.relayer)
    with reverts("AccessControlUnauthorizedAccount", account=a.relayer, neededRole=pauser):
        c.pause(sender=a.relayer)


@pytest.mark.parametrize("contract", CONTRACTS)
def test_renounce_role(ctx, contract):
    c, a = getattr(ctx, contract), ctx.actors
    pauser = role("PAUSER_ROLE")
    with reverts("AccessControlBadConfirmation"):
        c.renounceRole(pauser, a.pauser, sender=a.outsiders[0])
    c.renounceRole(pauser, a.pauser, sender=a.pauser)
    with reverts("AccessControlUnauthorizedAccount", account=a.pauser, neededRole=pauser):
        c.pause(sender=a.pauser)


@pytest.mark.parametrize("contract", CONTRACTS)
def test_default_admin_role_cannot_be_granted_or_revoked_directly(ctx, contract):
    c, a = getattr(ctx, contract), ctx.actors
    with reverts("AccessControlEnforcedDefaultAdminRules"):
        c.grantRole(ADMIN_ROLE, a.relayer, sender=a.admin)
    with reverts("AccessControlEnforcedDefaultAdminRules"):
        c.revokeRole(ADMIN_ROLE, a.admin, sender=a.admin)


# ─────────────────────────────── pause: every write stops ───────────────────────────────


def _signer(ctx) -> Account:
    """An accredited issuer that only signs (fresh key: never a transaction sender)."""
    key = keccak(text="daftar tests: pause signer")
    acct = Account(EthAccount.from_key(key).address, key)
    ctx.issuers.accredit(acct, "Signer", "", 0, 0, sender=ctx.actors.office)
    return acct


def _typed(ctx, primary: str, fields: list[tuple[str, str]], message: dict) -> dict:
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            primary: [{"name": n, "type": t} for n, t in fields],
        },
        "primaryType": primary,
        "domain": {
            "name": "Daftar CredentialRegistry",
            "version": "2",
            "chainId": ctx.chain.chain_id,
            "verifyingContract": ctx.credentials.address,
        },
        "message": message,
    }


def _issue_with_sig(ctx):
    s = _signer(ctx)
    h, deadline = h32("sig"), ctx.chain.time() + 10**6
    fields = [
        ("issuer", "address"),
        ("credentialHash", "bytes32"),
        ("expiresAt", "uint64"),
        ("nonce", "uint256"),
        ("deadline", "uint256"),
    ]
    msg = {"issuer": s.address, "credentialHash": h, "expiresAt": 0, "nonce": 0}
    sig = sign_typed_data(s, _typed(ctx, "Issue", fields, {**msg, "deadline": deadline}))
    return lambda: ctx.credentials.issueWithSig(s, h, 0, deadline, sig, sender=ctx.actors.relayer)


def _issue_batch_with_sig(ctx):
    s = _signer(ctx)
    root, deadline = h32("sig-root"), ctx.chain.time() + 10**6
    fields = [
        ("issuer", "address"),
        ("merkleRoot", "bytes32"),
        ("count", "uint32"),
        ("expiresAt", "uint64"),
        ("uri", "string"),
        ("nonce", "uint256"),
        ("deadline", "uint256"),
    ]
    msg = {"issuer": s.address, "merkleRoot": root, "count": 2, "expiresAt": 0, "uri": "u"}
    typed = _typed(ctx, "IssueBatch", fields, {**msg, "nonce": 0, "deadline": deadline})
    sig = sign_typed_data(s, typed)
    return lambda: ctx.credentials.issueBatchWithSig(
        s, root, 2, 0, "u", deadline, sig, sender=ctx.actors.relayer
    )


def _revoke_with_sig(ctx, primary: str):
    """A delegated revocation by the issuer's key of a credential or batch of its own."""
    a, cr = ctx.actors, ctx.credentials
    deadline, nonce = ctx.chain.time() + 10**5, cr.nonces(a.issuer)
    common = {"signer": a.issuer.address, "issuer": a.issuer.address}
    tail = {"reasonCode": 1, "nonce": nonce, "deadline": deadline}
    head = [("signer", "address"), ("issuer", "address")]
    rest = [("reasonCode", "uint16"), ("nonce", "uint256"), ("deadline", "uint256")]
    if primary == "Revoke":
        h = _issued(ctx)
        fields = [*head, ("credentialHash", "bytes32"), *rest]
        sig = sign_typed_data(
            a.issuer, _typed(ctx, primary, fields, {**common, "credentialHash": h, **tail})
        )
        return lambda: cr.revokeWithSig(a.issuer, a.issuer, h, 1, deadline, sig, sender=a.relayer)
    root, h, proof = _batch(ctx)
    if primary == "RevokeLeaf":
        fields = [*head, ("merkleRoot", "bytes32"), ("credentialHash", "bytes32"), *rest]
        msg = {**common, "merkleRoot": root, "credentialHash": h, **tail}
        sig = sign_typed_data(a.issuer, _typed(ctx, primary, fields, msg))
        return lambda: cr.revokeLeafWithSig(
            a.issuer, a.issuer, root, h, proof, 1, deadline, sig, sender=a.relayer
        )
    fields = [*head, ("merkleRoot", "bytes32"), *rest]
    sig = sign_typed_data(
        a.issuer, _typed(ctx, primary, fields, {**common, "merkleRoot": root, **tail})
    )
    return lambda: cr.revokeBatchWithSig(
        a.issuer, a.issuer, root, 1, deadline, sig, sender=a.relayer
    )


def _issued(ctx) -> bytes:
    h = h32("issued")
    ctx.credentials.issue(h, 0, sender=ctx.actors.issuer)
    return h


def _batch(ctx) -> tuple[bytes, bytes, list[bytes]]:
    """A 2-leaf batch: (root, first credential hash, its proof)."""
    a, b = h32("leaf-a"), h32("leaf-b")
    la, lb = keccak(keccak(a)), keccak(keccak(b))
    root = keccak(min(la, lb) + max(la, lb))
    ctx.credentials.issueBatch(root, 2, 0, "ipfs://b", sender=ctx.actors.issuer)
    return root, a, [lb]


def _pilot(ctx, approve=False, activate=False) -> int:
    a, p = ctx.actors, ctx.pilots
    rc = p.propose("Paused pilot", "", h32(f"d{p.pilotCount()}"), sender=a.sponsor)
    pid = rc.event("PilotProposed").pilotId
    if approve or activate:
        p.approve(pid, sender=a.office)
    if activate:
        p.activate(pid, sender=a.sponsor)
    return pid


def _suspended(ctx):
    ctx.issuers.suspend(ctx.actors.issuer, 1, 0, sender=ctx.actors.office)


# (contract, function) -> setup(ctx) returning a call that succeeds when not paused
WRITES: dict[tuple[str, str], Callable[[Any], Callable[[], Any]]] = {
    ("issuers", "accredit"): lambda c: (
        lambda: c.issuers.accredit(c.actors.issuer2, "N", "", 0, 0, sender=c.actors.office)
    ),
    ("issuers", "suspend"): lambda c: (
        lambda: c.issuers.suspend(c.actors.issuer, 1, 0, sender=c.actors.office)
    ),
    ("issuers", "reinstate"): lambda c: (
        _suspended(c),
        lambda: c.issuers.reinstate(c.actors.issuer, sender=c.actors.office),
    )[1],
    ("issuers", "revokeAccreditation"): lambda c: (
        lambda: c.issuers.revokeAccreditation(c.actors.issuer, 1, 0, sender=c.actors.office)
    ),
    ("issuers", "renew"): lambda c: (
        lambda: c.issuers.renew(c.actors.issuer, 0, 2**40, sender=c.actors.office)
    ),
    ("issuers", "setMetadataURI"): lambda c: (
        lambda: c.issuers.setMetadataURI(c.actors.issuer, "ipfs://m", sender=c.actors.office)
    ),
    ("credentials", "issue"): lambda c: (
        lambda: c.credentials.issue(h32("new"), 0, sender=c.actors.issuer)
    ),
    ("credentials", "issueBatch"): lambda c: (
        lambda: c.credentials.issueBatch(h32("new-root"), 5, 0, "u", sender=c.actors.issuer)
    ),
    ("credentials", "issueWithSig"): _issue_with_sig,
    ("credentials", "issueBatchWithSig"): _issue_batch_with_sig,
    ("credentials", "revoke"): lambda c: (
        lambda h: lambda: c.credentials.revoke(c.actors.issuer, h, 1, sender=c.actors.issuer)
    )(_issued(c)),
    ("credentials", "revokeLeaf"): lambda c: (
        lambda b: (
            lambda: c.credentials.revokeLeaf(
                c.actors.issuer, b[0], b[1], b[2], 1, sender=c.actors.issuer
            )
        )
    )(_batch(c)),
    ("credentials", "revokeBatch"): lambda c: (
        lambda b: (
            lambda: c.credentials.revokeBatch(c.actors.issuer, b[0], 1, sender=c.actors.issuer)
        )
    )(_batch(c)),
    ("issuers", "addKey"): lambda c: (
        lambda: c.issuers.addKey(c.actors.issuer, c.actors.outsiders[1], sender=c.actors.office)
    ),
    ("issuers", "retireKey"): lambda c: (
        lambda: c.issuers.retireKey(c.actors.issuer, c.actors.issuer, 0, sender=c.actors.office)
    ),
    ("credentials", "authorityRevoke"): lambda c: (
        lambda h: (
            lambda: c.credentials.authorityRevoke(c.actors.issuer, h, 1, sender=c.actors.office)
        )
    )(_issued(c)),
    ("credentials", "authorityRevokeLeaf"): lambda c: (
        lambda b: (
            lambda: c.credentials.authorityRevokeLeaf(
                c.actors.issuer, b[0], b[1], b[2], 1, sender=c.actors.office
            )
        )
    )(_batch(c)),
    ("credentials", "authorityRevokeBatch"): lambda c: (
        lambda b: (
            lambda: c.credentials.authorityRevokeBatch(
                c.actors.issuer, b[0], 1, sender=c.actors.office
            )
        )
    )(_batch(c)),
    ("credentials", "cancelSignatures"): lambda c: (
        lambda: c.credentials.cancelSignatures(1, sender=c.actors.issuer)
    ),
    ("credentials", "revokeWithSig"): lambda c: _revoke_with_sig(c, "Revoke"),
    ("credentials", "revokeLeafWithSig"): lambda c: _revoke_with_sig(c, "RevokeLeaf"),
    ("credentials", "revokeBatchWithSig"): lambda c: _revoke_with_sig(c, "RevokeBatch"),
    ("pilots", "registerSponsor"): lambda c: (
        lambda: c.pilots.registerSponsor(c.actors.outsiders[0], "S", sender=c.actors.office)
    ),
    ("pilots", "deregisterSponsor"): lambda c: (
        lambda: c.pilots.deregisterSponsor(c.actors.sponsor, sender=c.actors.office)
    ),
    ("pilots", "propose"): lambda c: (
        lambda: c.pilots.propose("T", "", h32("p"), sender=c.actors.sponsor)
    ),
    ("pilots", "approve"): lambda c: (
        lambda pid: lambda: c.pilots.approve(pid, sender=c.actors.office)
    )(_pilot(c)),
    ("pilots", "reject"): lambda c: (
        lambda pid: lambda: c.pilots.reject(pid, 1, sender=c.actors.office)
    )(_pilot(c)),
    ("pilots", "terminate"): lambda c: (
        lambda pid: lambda: c.pilots.terminate(pid, 1, sender=c.actors.office)
    )(_pilot(c, approve=True)),
    ("pilots", "activate"): lambda c: (
        lambda pid: lambda: c.pilots.activate(pid, sender=c.actors.sponsor)
    )(_pilot(c, approve=True)),
    ("pilots", "complete"): lambda c: (
        lambda pid: lambda: c.pilots.complete(pid, sender=c.actors.sponsor)
    )(_pilot(c, activate=True)),
    ("pilots", "reportMilestone"): lambda c: (
        lambda pid: lambda: c.pilots.reportMilestone(pid, h32("e"), "", sender=c.actors.sponsor)
    )(_pilot(c, activate=True)),
    ("pilots", "anchorCheckpoint"): lambda c: (
        lambda pid: (
            lambda: c.pilots.anchorCheckpoint(pid, 1, h32("r"), ZERO32, "", sender=c.actors.sponsor)
        )
    )(_pilot(c, activate=True)),
}


@pytest.mark.parametrize("contract", CONTRACTS)
def test_pause_cases_cover_every_contract_write(ctx, contract):
    writes = _abi_functions(getattr(ctx, contract), views=False) - ADMIN_WRITES
    assert writes == {fn for c, fn in WRITES if c == contract}


#: Restrictive actions: incident response must never wait for an unpause (audit finding
#: "pause works against incident response": on v1 pausing IssuerRegistry blocked suspend and
#: revokeAccreditation, pausing CredentialRegistry blocked revocation).
RESTRICTIVE = {
    ("issuers", "suspend"),
    ("issuers", "revokeAccreditation"),
    ("issuers", "retireKey"),
    ("credentials", "revoke"),
    ("credentials", "revokeLeaf"),
    ("credentials", "revokeBatch"),
    ("credentials", "revokeWithSig"),
    ("credentials", "revokeLeafWithSig"),
    ("credentials", "revokeBatchWithSig"),
    ("credentials", "authorityRevoke"),
    ("credentials", "authorityRevokeLeaf"),
    ("credentials", "authorityRevokeBatch"),
    ("credentials", "cancelSignatures"),
}
EXTENDING = [key for key in WRITES if key not in RESTRICTIVE]


@pytest.mark.parametrize(
    ("contract", "fn"), sorted(RESTRICTIVE), ids=[f"{c}.{f}" for c, f in sorted(RESTRICTIVE)]
)
def test_pause_never_blocks_a_restrictive_action(ctx, contract, fn):
    call = WRITES[(contract, fn)](ctx)
    for name in CONTRACTS:
        getattr(ctx, name).pause(sender=ctx.actors.pauser)
    call()


@pytest.mark.parametrize("fn", ["issue", "issueBatch", "issueWithSig", "issueBatchWithSig"])
def test_pausing_the_issuer_registry_stops_issuance(ctx, fn):
    call = WRITES[("credentials", fn)](ctx)
    ctx.issuers.pause(sender=ctx.actors.pauser)
    with reverts("IssuerNotInGoodStanding"):
        call()
    ctx.issuers.unpause(sender=ctx.actors.pauser)
    call()


@pytest.mark.parametrize(("contract", "fn"), EXTENDING, ids=[f"{c}.{f}" for c, f in EXTENDING])
def test_pause_blocks_write_and_unpause_restores(ctx, contract, fn):
    call = WRITES[(contract, fn)](ctx)
    target, pauser = getattr(ctx, contract), ctx.actors.pauser
    rc = target.pause(sender=pauser)
    assert rc.event("Paused").account == pauser.address
    assert target.paused() is True
    with reverts("EnforcedPause"):
        call()
    rc = target.unpause(sender=pauser)
    assert rc.event("Unpaused").account == pauser.address
    assert target.paused() is False
    call()  # the very same call now goes through


@pytest.mark.parametrize("contract", CONTRACTS)
def test_pause_and_unpause_only_toggle(ctx, contract):
    c, pauser = getattr(ctx, contract), ctx.actors.pauser
    with reverts("ExpectedPause"):
        c.unpause(sender=pauser)
    c.pause(sender=pauser)
    with reverts("EnforcedPause"):
        c.pause(sender=pauser)


@pytest.mark.parametrize("contract", CONTRACTS)
def test_role_administration_still_works_while_paused(ctx, contract):
    """Pause stops the contract's own writes, not the OpenZeppelin role administration."""
    c, a = getattr(ctx, contract), ctx.actors
    c.pause(sender=a.pauser)
    c.grantRole(role("PAUSER_ROLE"), a.relayer, sender=a.admin)
    c.unpause(sender=a.relayer)
    assert c.paused() is False


def test_contracts_pause_independently(ctx):
    a = ctx.actors
    ctx.credentials.pause(sender=a.pauser)
    with reverts("EnforcedPause"):
        ctx.credentials.issue(h32("blocked"), 0, sender=a.issuer)
    ctx.issuers.accredit(a.issuer2, "Still accrediting", "", 0, 0, sender=a.office)
    ctx.pilots.propose("T", "", h32("d"), sender=a.sponsor)
    assert ctx.pilots.paused() is False and ctx.issuers.paused() is False


# ─────────────────────────────── pause: every read still works ───────────────────────────────


def _reads(ctx, seed) -> dict[tuple[str, str], Callable[[], Any]]:
    a = ctx.actors
    i, c, p = ctx.issuers, ctx.credentials, ctx.pilots
    reads: dict[tuple[str, str], Callable[[], Any]] = {
        ("issuers", "REGISTRAR_ROLE"): i.REGISTRAR_ROLE,
        ("issuers", "currentStanding"): lambda: i.currentStanding(a.issuer),
        ("issuers", "isInGoodStanding"): lambda: i.isInGoodStanding(a.issuer),
        ("issuers", "standingAt"): lambda: i.standingAt(a.issuer, 2**40),
        ("issuers", "issuerInfo"): lambda: i.issuerInfo(a.issuer),
        ("issuers", "historyLength"): lambda: i.historyLength(a.issuer),
        ("issuers", "historyEntry"): lambda: i.historyEntry(a.issuer, 0),
        ("issuers", "standingAfter"): lambda: i.standingAfter(a.issuer, 1, 2**40),
        ("issuers", "issuingOrganisation"): lambda: i.issuingOrganisation(a.issuer),
        ("issuers", "canRevoke"): lambda: i.canRevoke(a.issuer, a.issuer),
        ("issuers", "judge"): lambda: i.judge(a.issuer, a.issuer, 0, 1),
        ("issuers", "signingEpoch"): lambda: i.signingEpoch(a.issuer),
        ("issuers", "keyInfo"): lambda: i.keyInfo(a.issuer),
        ("issuers", "keyCount"): lambda: i.keyCount(a.issuer),
        ("issuers", "keyAt"): lambda: i.keyAt(a.issuer, 0),
        ("issuers", "compromiseInfo"): lambda: i.compromiseInfo(a.issuer),
        ("credentials", "ISSUE_TYPEHASH"): c.ISSUE_TYPEHASH,
        ("credentials", "ISSUE_BATCH_TYPEHASH"): c.ISSUE_BATCH_TYPEHASH,
        ("credentials", "issuerRegistry"): c.issuerRegistry,
        ("credentials", "REVOKE_TYPEHASH"): c.REVOKE_TYPEHASH,
        ("credentials", "REVOKE_LEAF_TYPEHASH"): c.REVOKE_LEAF_TYPEHASH,
        ("credentials", "REVOKE_BATCH_TYPEHASH"): c.REVOKE_BATCH_TYPEHASH,
        ("credentials", "MAX_SIGNATURE_WINDOW"): c.MAX_SIGNATURE_WINDOW,
        ("credentials", "verify"): lambda: c.verify(a.issuer, seed.credential),
        ("credentials", "verifyLeaf"): lambda: c.verifyLeaf(a.issuer, *seed.leaf),
        ("credentials", "batchInfo"): lambda: c.batchInfo(a.issuer, seed.leaf[0]),
        ("credentials", "credentialInfo"): lambda: c.credentialInfo(a.issuer, seed.credential),
        ("credentials", "leafHash"): lambda: c.leafHash(seed.credential),
        ("credentials", "issueDigest"): lambda: c.issueDigest(a.issuer, seed.credential, 0, 0, 1),
        ("credentials", "nonces"): lambda: c.nonces(a.issuer),
        ("credentials", "eip712Domain"): c.eip712Domain,
        ("pilots", "PROGRAMME_OFFICE_ROLE"): p.PROGRAMME_OFFICE_ROLE,
        ("pilots", "pilotCount"): p.pilotCount,
        ("pilots", "pilot"): lambda: p.pilot(seed.pilot),
        ("pilots", "lastCheckpoint"): lambda: p.lastCheckpoint(seed.pilot),
        ("pilots", "checkpointAnchored"): lambda: p.checkpointAnchored(seed.pilot, h32("cp")),
        ("pilots", "checkpointRoot"): lambda: p.checkpointRoot(seed.pilot, 1),
        ("pilots", "milestoneCount"): lambda: p.milestoneCount(seed.pilot),
        ("pilots", "milestone"): lambda: p.milestone(seed.pilot, 0),
        ("pilots", "sponsorInfo"): lambda: p.sponsorInfo(a.sponsor),
    }
    for name in CONTRACTS:
        t = getattr(ctx, name)
        reads |= {
            (name, "PAUSER_ROLE"): t.PAUSER_ROLE,
            (name, "DEFAULT_ADMIN_ROLE"): t.DEFAULT_ADMIN_ROLE,
            (name, "defaultAdmin"): t.defaultAdmin,
            (name, "owner"): t.owner,
            (name, "defaultAdminDelay"): t.defaultAdminDelay,
            (name, "defaultAdminDelayIncreaseWait"): t.defaultAdminDelayIncreaseWait,
            (name, "pendingDefaultAdmin"): t.pendingDefaultAdmin,
            (name, "pendingDefaultAdminDelay"): t.pendingDefaultAdminDelay,
            (name, "getRoleAdmin"): (lambda t=t: t.getRoleAdmin(role("PAUSER_ROLE"))),
            (name, "hasRole"): (lambda t=t: t.hasRole(role("PAUSER_ROLE"), a.pauser)),
            (name, "supportsInterface"): (lambda t=t: t.supportsInterface(b"\x01\xff\xc9\xa7")),
            (name, "paused"): t.paused,
        }
    return reads


def _seed(ctx):
    credential = _issued(ctx)
    root, h, proof = _batch(ctx)
    pid = _pilot(ctx, activate=True)
    a = ctx.actors
    ctx.pilots.reportMilestone(pid, h32("e"), "ipfs://e", sender=a.sponsor)
    ctx.pilots.anchorCheckpoint(pid, 1, h32("cp"), ZERO32, "ipfs://cp", sender=a.sponsor)
    return SimpleNamespace(credential=credential, leaf=(root, h, proof), pilot=pid)


def test_read_cases_cover_every_view(ctx):
    reads = _reads(ctx, SimpleNamespace(credential=ZERO32, leaf=(ZERO32, ZERO32, []), pilot=0))
    for contract in CONTRACTS:
        views = _abi_functions(getattr(ctx, contract), views=True)
        assert views == {fn for c, fn in reads if c == contract}


def test_every_read_works_while_paused(ctx):
    seed = _seed(ctx)
    reads = _reads(ctx, seed)
    before = {key: read() for key, read in reads.items()}
    assert before[("credentials", "verify")].status == 1
    assert before[("credentials", "verifyLeaf")].status == 1
    assert before[("pilots", "milestone")].uri == "ipfs://e"
    for name in CONTRACTS:
        getattr(ctx, name).pause(sender=ctx.actors.pauser)
    during = {key: read() for key, read in reads.items()}
    changed = {key for key in reads if during[key] != before[key]}
    # issuingOrganisation answers "may this key issue now?": a paused issuer registry says no
    assert changed == {(name, "paused") for name in CONTRACTS} | {
        ("issuers", "issuingOrganisation")
    }
    assert during[("issuers", "issuingOrganisation")].issuer == "0x" + "00" * 20
    assert all(during[(name, "paused")] is True for name in CONTRACTS)


# ─────────────────────────────── two-step admin transfer ───────────────────────────────


@pytest.mark.parametrize("contract", CONTRACTS)
def test_two_step_admin_transfer(ctx, contract):
    c, a, chain = getattr(ctx, contract), ctx.actors, ctx.chain
    new = a.outsiders[1]
    assert c.defaultAdminDelay() == ADMIN_DELAY
    before = chain.time()
    c.beginDefaultAdminTransfer(new, sender=a.admin)
    pending = c.pendingDefaultAdmin()
    assert pending.newAdmin == new.address
    assert before + ADMIN_DELAY <= pending.schedule <= chain.time() + ADMIN_DELAY
    # only the pending admin may accept, and only after the delay
    with reverts("AccessControlInvalidDefaultAdmin", defaultAdmin=a.outsiders[0]):
        c.acceptDefaultAdminTransfer(sender=a.outsiders[0])
    with reverts("AccessControlEnforcedDefaultAdminDelay", schedule=pending.schedule):
        c.acceptDefaultAdminTransfer(sender=new)
    chain.sleep(ADMIN_DELAY // 2)
    with reverts("AccessControlEnforcedDefaultAdminDelay", schedule=pending.schedule):
        c.acceptDefaultAdminTransfer(sender=new)
    assert c.defaultAdmin() == a.admin.address

    chain.sleep(ADMIN_DELAY)
    c.acceptDefaultAdminTransfer(sender=new)
    assert c.defaultAdmin() == c.owner() == new.address
    assert c.hasRole(ADMIN_ROLE, new) and not c.hasRole(ADMIN_ROLE, a.admin)
    assert tuple(c.pendingDefaultAdmin()) == ("0x" + "00" * 20, 0)
    with reverts("AccessControlUnauthorizedAccount", account=a.admin, neededRole=ADMIN_ROLE):
        c.grantRole(role("PAUSER_ROLE"), a.relayer, sender=a.admin)
    c.grantRole(role("PAUSER_ROLE"), a.relayer, sender=new)
    assert c.hasRole(role("PAUSER_ROLE"), a.relayer)


@pytest.mark.parametrize("contract", CONTRACTS)
def test_admin_transfer_can_be_cancelled(ctx, contract):
    c, a, chain = getattr(ctx, contract), ctx.actors, ctx.chain
    new = a.outsiders[1]
    c.beginDefaultAdminTransfer(new, sender=a.admin)
    c.cancelDefaultAdminTransfer(sender=a.admin)
    chain.sleep(ADMIN_DELAY * 2)
    assert tuple(c.pendingDefaultAdmin()) == ("0x" + "00" * 20, 0)
    with reverts("AccessControlInvalidDefaultAdmin", defaultAdmin=new):
        c.acceptDefaultAdminTransfer(sender=new)
    assert c.defaultAdmin() == a.admin.address
