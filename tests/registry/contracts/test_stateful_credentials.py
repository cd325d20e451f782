"""Stateful test of CredentialRegistry (v2): single and batch credentials against a model.

The machine issues (directly, with an organisation's own address or an added key, and by
EIP-712 signature through a relayer), revokes single credentials, batch leaves and whole
batches (as a key of the issuer, or as the programme office), changes issuers' standing in
the issuer registry (with or without a compromised-since time), adds and retires keys
(plainly or as compromised), cancels signatures, pauses and unpauses both registries, and
moves the clock (random sleeps, and jumps that land exactly on an expiry). After every step
it checks what `verify` and `verifyLeaf` report for every credential it ever touched.

Time: views see the latest block's timestamp. The model knows it exactly after a time jump
(`chain.mine(timestamp=t)`) or after a write whose timestamp the contract records
(issuedAt, revokedAt); otherwise it knows an interval `[lo, hi]` with `hi = chain.time()`.
An outcome that depends on the time is accepted if it holds at some time in that interval,
and once the contract tells the write's time the outcome must hold at exactly that time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from eth_account import Account as EthAccount
from eth_utils import keccak
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from daftar.chain.base import Reverted
from daftar.testing import ChainStateMachine
from daftar.testing.clock import ModelClock
from daftar_registry.plan import role

try:
    from daftar_registry.formats.merkle import MerkleTree
except ImportError:  # pragma: no cover - the module is being written concurrently

    class MerkleTree:  # type: ignore[no-redef]
        """Sorted-pair tree over keccak(keccak(h)) leaves; an odd node moves up unchanged."""

        def __init__(self, hashes):
            self._leaf = {keccak(keccak(h)): h for h in hashes}
            self.levels = [sorted(self._leaf)]
            while len(self.levels[-1]) > 1:
                low = self.levels[-1]
                up = [
                    keccak(min(a, b) + max(a, b)) for a, b in zip(low[::2], low[1::2], strict=False)
                ]
                self.levels.append(up + ([low[-1]] if len(low) % 2 else []))
            self.root = self.levels[-1][0]

        def proof(self, h):
            index, out = self.levels[0].index(keccak(keccak(h))), []
            for nodes in self.levels[:-1]:
                if index ^ 1 < len(nodes):
                    out.append(nodes[index ^ 1])
                index //= 2
            return out


ZERO32 = b"\0" * 32
ZERO = "0x" + "0" * 40
PAUSER = role("PAUSER_ROLE")
MAX_EXPIRY = 2**40 - 1
DAY = 24 * 3600
WINDOW = 30 * DAY  # CredentialRegistry.MAX_SIGNATURE_WINDOW
MAX_SINGLES = 12  # credential hashes touched by single issuance (issued or refused)
MAX_BATCHES = 3  # of at most 4 leaves each
# CredentialRegistry.Status
(NOT_ISSUED, VALID, REVOKED, EXPIRED, ISSUER_SUSPENDED, INVALID_PROOF, ISSUER_REVOKED,
 ISSUER_COMPROMISED) = range(8)  # fmt: skip
BY_ISSUER, BY_AUTHORITY = 1, 2
# IssuerRegistry stored status
I_NONE, I_ACTIVE, I_SUSPENDED, I_REVOKED = range(4)

HASHES = st.integers(1, 2**256 - 1).map(lambda n: n.to_bytes(32, "big"))  # never zero
ISSUE_SENDERS = ["issuer", "issuer", "issuer", "newkey", "issuer2", "outsider", "office"]
ANY_SENDER = ["issuer", "issuer", "newkey", "issuer2", "outsider", "relayer"]
ORGS = ["issuer", "issuer", "issuer2", "outsider"]
COMPROMISE = st.tuples(st.sampled_from(["none", "none", "none", "past"]), st.integers(0, 2 * DAY))


def times_between(lo: int, hi: int, edges) -> set[int]:
    """Enough times in [lo, hi] to see every piece of a function that only changes at `edges`."""
    out = {lo, hi}
    for b in edges:
        out |= {t for t in (b - 1, b) if lo <= t <= hi}
    return out


def _norm(value):
    if isinstance(value, str) and value.startswith("0x"):
        return value.lower()
    return value


def matches(exc: Reverted, expect) -> bool:
    name, args = expect
    return exc.error == name and all(
        _norm(exc.args_by_name.get(k)) == _norm(v) for k, v in args.items()
    )


@dataclass
class Record:
    """A single credential or a batch of one organisation: signer, times, revocation."""

    issuer: str  # the organisation
    signer: str  # the key that anchored it
    issued_at: int
    expires_at: int
    changes: int  # the organisation's history entries in force at issue time
    revoked_at: int = 0
    reason: int = 0
    by: int = 0
    hashes: tuple[bytes, ...] = ()  # batch only
    tree: object = None  # batch only
    leaf_revoked: dict[bytes, tuple[int, int, int]] = field(default_factory=dict)  # batch only


@dataclass
class Org:
    status: int = I_NONE
    valid_from: int = 0
    valid_until: int = 0
    changes: int = 0
    epoch: int = 0
    compromised_since: int = 0
    compromised_through: int = 0


expiries = st.tuples(
    st.sampled_from(["future", "never", "future", "never", "future", "past", "max", "over"]),
    st.integers(0, 5 * DAY),
)


class CredentialsModel(ChainStateMachine):
    """Mirror of CredentialRegistry (plus the issuer registry state it consults).

    Invariants, checked after every step:

    - `verify` and `verifyLeaf` never revert, whatever they are asked: every credential and
      leaf the machine touched, hashes it never issued, roots that do not exist, bad proofs,
      any issuer address.
    - Records are scoped by issuer: a record is keyed by (organisation, hash); another
      organisation anchoring the same hash gets its own record and changes nobody else's.
    - For every single credential ever touched, `verify(issuer, h)` returns the model's
      record (signer, issuedAt, expiresAt, revokedAt, reason, revokedBy) and the status of
      the documented precedence `NotIssued > Revoked > IssuerCompromised > Expired >
      IssuerRevoked > IssuerSuspended > Valid`. Compromised: the signing key was marked
      compromised at or before its issue time, or the organisation declared a compromise at
      or before its issue time through a change made AFTER the issue (exact order by the
      history position recorded with the credential, whatever the timestamps). Expired:
      now >= expiresAt. Issuer flags: the organisation's stored status now.
    - For every leaf of every batch, `verifyLeaf` with its proof does the same with the batch
      record, the leaf's own revocation taking precedence over the batch's; a wrong proof
      for a known root gives `InvalidProof` carrying the batch's signer and times; an
      unknown root gives `NotIssued`. `batchInfo` equals the model.
    - Revoked is terminal, and revoking again reverts `AlreadyRevoked`.
    - Nobody outside good standing issues: a key that is not an Active key of an
      organisation in good standing, or any key while the issuer registry is paused, gets
      `IssuerNotInGoodStanding`. Only an Active key of the organisation revokes (`NotIssuer`),
      even after the organisation lost its standing, but never after a compromise was
      declared on it; the office revokes anything (`NotAuthority` for anyone else).
    - Pause scopes: while CredentialRegistry is paused every issue reverts `EnforcedPause`;
      revocations (direct, delegated, by the authority) and cancellations go through.
    - `nonces(key)` equals the model: the organisation's epoch (suspensions and revocations)
      above bit 64, the key's counter below, which a successful signed issue advances and
      `cancelSignatures(n)` burns by n: a used, cancelled or pre-suspension signature never
      works.
    """

    reg = None
    who = None
    issued = Bundle("issued")
    batches = Bundle("batches")

    def __init__(self) -> None:
        super().__init__()
        self.creds = self.reg.credentials
        self.issuers = self.reg.issuers
        who = self.who
        self.accounts = {
            "issuer": who.issuer,
            "issuer2": who.issuer2,
            "outsider": who.outsiders[0],
            "newkey": who.outsiders[1],
            "office": who.office,
            "relayer": who.relayer,
            "pauser": who.pauser,
            "admin": who.admin,
        }
        self.orgs: dict[str, Org] = {}
        self.keys: dict[str, list] = {}  # key -> [organisation, active, compromisedSince]
        for name in ("issuer", "issuer2", "outsider", "office", "newkey"):
            address = self.accounts[name].address
            n = self.issuers.historyLength(address)
            org = Org(changes=n)
            if n:
                entry = self.issuers.historyEntry(address, n - 1)
                org.status, org.valid_from, org.valid_until = (
                    entry.status,
                    entry.validFrom,
                    entry.validUntil,
                )
            c = self.issuers.compromiseInfo(address)
            org.epoch, org.compromised_since = c.epoch, c.compromisedSince
            org.compromised_through = c.throughChange
            self.orgs[address] = org
            k = self.issuers.keyInfo(address)
            if k.status:
                self.keys[address] = [k.issuer, k.status == 1, k.compromisedSince]
        self.singles: dict[tuple[str, bytes], Record] = {}
        self.refused: set[tuple[str, bytes]] = set()
        self.batch: dict[tuple[str, bytes], Record] = {}
        self.ever_revoked: set[tuple[str, bytes, bytes]] = set()  # (issuer, root or b"", hash)
        self.counters = {a: self.creds.nonces(a) & (2**64 - 1) for a in self.orgs}
        self.paused = bool(self.creds.paused())
        self.issuers_paused = bool(self.issuers.paused())
        self.last_sig = None
        self.probe = 0
        self.clock = ModelClock(self.chain)

    # -- model ------------------------------------------------------------------------------
    def addr(self, name: str) -> str:
        return self.accounts[name].address

    def good_standing(self, issuer: str, t: int) -> bool:
        o = self.orgs.get(issuer, Org())
        return (
            o.status == I_ACTIVE and t >= o.valid_from and (o.valid_until == 0 or t < o.valid_until)
        )

    def organisation_of(self, key: str) -> str | None:
        record = self.keys.get(key)
        return record[0] if record else None

    def issuing_org(self, key: str, t: int) -> str | None:
        record = self.keys.get(key)
        if not record or not record[1] or self.issuers_paused:
            return None
        return record[0] if self.good_standing(record[0], t) else None

    def can_revoke(self, key: str, issuer: str) -> bool:
        record = self.keys.get(key)
        return bool(
            record and record[0] == issuer and record[1] and not self.orgs[issuer].compromised_since
        )

    def nonce(self, key: str) -> int:
        org = self.organisation_of(key)
        epoch = self.orgs[org].epoch if org else 0
        return (epoch << 64) | self.counters.get(key, 0)

    def compromised(self, rec: Record) -> bool:
        o = self.orgs[rec.issuer]
        since = o.compromised_since
        if since and rec.issued_at >= since and rec.changes <= o.compromised_through:
            return True
        key = self.keys.get(rec.signer)
        return bool(key and key[0] == rec.issuer and key[2] and rec.issued_at >= key[2])

    def judge(self, rec: Record, revoked_at: int, t: int) -> int:
        if revoked_at:
            return REVOKED
        if self.compromised(rec):
            return ISSUER_COMPROMISED
        if rec.expires_at and t >= rec.expires_at:
            return EXPIRED
        status = self.orgs[rec.issuer].status
        if status == I_REVOKED:
            return ISSUER_REVOKED
        if status == I_SUSPENDED:
            return ISSUER_SUSPENDED
        return VALID

    def issue_refusal(self, key, h, expires_at, t, store, count=1):
        """Why `issue`/`issueBatch` at time `t` reverts (None: it succeeds), in contract order."""
        if self.paused:
            return ("EnforcedPause", {})
        return self.issue_body_refusal(key, h, expires_at, t, store, count)

    def issue_body_refusal(self, key, h, expires_at, t, store, count=1):
        if h == ZERO32:
            return ("ZeroHash", {})
        if count == 0:
            return ("EmptyBatch", {})
        if expires_at and (expires_at <= t or expires_at > MAX_EXPIRY):
            return ("InvalidExpiry", {"expiresAt": expires_at})
        org = self.issuing_org(key, t)
        if org is None:
            return ("IssuerNotInGoodStanding", {"issuer": key})
        if (org, h) in store:
            return ("AlreadyIssued", {"hash": h, "issuer": org})
        return None

    def edges(self, key: str, *extra: int) -> list[int]:
        o = self.orgs.get(self.organisation_of(key) or "", Org())
        return [o.valid_from, o.valid_until, *(e for e in extra if e)]

    def expiry(self, spec) -> int:
        kind, d = spec
        lo = self.clock.lo
        return {
            "never": 0,
            "future": lo + 1 + d,
            "past": max(lo - d, 1),
            "max": MAX_EXPIRY,
            "over": MAX_EXPIRY + 1,
        }[kind]

    def new_record(self, key: str, expires_at: int, **kw) -> Record:
        org = self.organisation_of(key)
        return Record(org, key, self.clock.lo, expires_at, self.orgs[org].changes, **kw)

    # -- sending ------------------------------------------------------------------------------
    def attempt(self, fn, args, sender, refusal_at, edges=(), learn=None):
        """Send; check the outcome is possible at some time the block can have; True if mined.

        `refusal_at(t)` gives the expected revert at block time `t` (None: success); `learn()`
        reads the timestamp the contract recorded for a successful write.
        """
        lo = self.clock.lo
        try:
            fn(*args, sender=sender)
            error = None
        except Reverted as exc:
            error = exc
        finally:
            self.clock.sent()
        # A refused transaction is not mined; it ran in the pending block, which eth-tester
        # may date one second after `chain.time()`.
        hi = self.chain.time() + 1
        possible = [refusal_at(t) for t in times_between(lo, hi, edges)]
        if error is None:
            assert None in possible, f"{fn}{args} succeeded; expected one of {possible}"
            if learn is not None:
                t = learn()
                self.clock.learn(t)
                assert refusal_at(t) is None, (t, refusal_at(t))
            return True
        assert any(p is not None and matches(error, p) for p in possible), (
            f"{fn}{args} reverted {error.error} {error.args_by_name}; expected one of {possible}"
        )
        return False

    # -- seeds: every run starts with a few credentials and a batch from the good issuer -------
    @initialize(
        target=issued,
        hashes=st.lists(HASHES, min_size=1, max_size=3, unique=True),
        spans=st.lists(st.sampled_from([DAY, 0, 2 * DAY, 0, 4 * DAY]), min_size=3, max_size=3),
    )
    def seed_credentials(self, hashes, spans):
        issuer = self.accounts["issuer"]
        keys = []
        for h, span in zip(hashes, spans, strict=False):
            expires_at = self.clock.lo + span if span else 0
            self.creds.issue(h, expires_at, sender=issuer)
            self.clock.learn(self.creds.verify(issuer, h).issuedAt)
            self.singles[(issuer.address, h)] = self.new_record(issuer.address, expires_at)
            keys.append((issuer.address, h))
        return multiple(*keys)

    @initialize(
        target=batches,
        hashes=st.lists(HASHES, min_size=1, max_size=4, unique=True),
        span=st.sampled_from([DAY, 0, 3 * DAY]),
    )
    def seed_batch(self, hashes, span):
        issuer = self.accounts["issuer"]
        tree = MerkleTree(hashes)
        root = bytes(tree.root)
        expires_at = self.clock.lo + span if span else 0
        self.creds.issueBatch(root, len(hashes), expires_at, "ipfs://seed", sender=issuer)
        self.clock.learn(self.creds.batchInfo(issuer, root).issuedAt)
        self.batch[(issuer.address, root)] = self.new_record(
            issuer.address, expires_at, hashes=tuple(hashes), tree=tree
        )
        return (issuer.address, root)

    # -- rules: issuance ------------------------------------------------------------------------
    def _issue(self, key, h, expires_at):
        def refusal(t):
            return self.issue_refusal(key, h, expires_at, t, self.singles)

        def learn():
            return self.creds.verify(self.organisation_of(key), h).issuedAt

        edges = self.edges(key, expires_at)
        if self.attempt(self.creds.issue, (h, expires_at), key, refusal, edges, learn):
            org = self.organisation_of(key)
            assert (org, h) not in self.singles
            self.singles[(org, h)] = self.new_record(key, expires_at)
            self.refused.discard((org, h))
            return (org, h)
        org = self.organisation_of(key) or key
        if (org, h) not in self.singles and h != ZERO32:
            self.refused.add((org, h))
        return None

    @precondition(lambda self: len(self.singles) + len(self.refused) < MAX_SINGLES)
    @rule(
        target=issued,
        caller=st.sampled_from(ISSUE_SENDERS),
        h=HASHES,
        zero=st.sampled_from([False] * 7 + [True]),
        spec=expiries,
    )
    def issue(self, caller, h, zero, spec):
        got = self._issue(self.addr(caller), ZERO32 if zero else h, self.expiry(spec))
        return got if got else multiple()

    @precondition(lambda self: len(self.singles) + len(self.refused) < MAX_SINGLES)
    @rule(target=issued, key=issued, caller=st.sampled_from(ISSUE_SENDERS), spec=expiries)
    def issue_same_hash(self, key, caller, spec):
        """Anyone may anchor a hash another issuer anchored: records are scoped by issuer
        (no squatting); the same issuer again gets AlreadyIssued."""
        got = self._issue(self.addr(caller), key[1], self.expiry(spec))
        return got if got else multiple()

    @precondition(lambda self: len(self.singles) + len(self.refused) < MAX_SINGLES)
    @rule(
        target=issued,
        signer=st.sampled_from(["issuer", "issuer", "newkey", "issuer2", "outsider"]),
        claimed=st.sampled_from(["issuer", "issuer", "newkey", "issuer2", "outsider"]),
        h=HASHES,
        spec=expiries,
        deadline_in=st.sampled_from([-2 * DAY, -1, 0, 3600, DAY, 5 * DAY, WINDOW + DAY]),
    )
    def issue_with_sig(self, signer, claimed, h, spec, deadline_in):
        """A relayer submits a key's EIP-712 signature (wrong signer: InvalidSignature)."""
        key = self.addr(claimed)
        expires_at = self.expiry(spec)
        deadline = max(self.clock.lo + deadline_in, 0)
        nonce = self.nonce(key)
        digest = self.creds.issueDigest(key, h, expires_at, nonce, deadline)
        sig = EthAccount.unsafe_sign_hash(digest, self.accounts[signer].key).signature

        def refusal(t):
            if self.paused:
                return ("EnforcedPause", {})
            if t > deadline:
                return ("SignatureExpired", {"deadline": deadline})
            if deadline > t + WINDOW:
                return ("DeadlineTooFar", {"deadline": deadline})
            if signer != claimed:
                return ("InvalidSignature", {"issuer": key})
            return self.issue_body_refusal(key, h, expires_at, t, self.singles)

        def learn():
            return self.creds.verify(self.organisation_of(key), h).issuedAt

        args = (key, h, expires_at, deadline, bytes(sig))
        edges = self.edges(key, expires_at, deadline + 1, deadline - WINDOW)
        relayer = self.accounts["relayer"]
        ok = self.attempt(self.creds.issueWithSig, args, relayer, refusal, edges, learn)
        if ok:
            self.counters[key] = self.counters.get(key, 0) + 1
        assert self.creds.nonces(key) == self.nonce(key)
        if ok:
            org = self.organisation_of(key)
            self.singles[(org, h)] = self.new_record(key, expires_at)
            self.refused.discard((org, h))
            self.last_sig = args
            return (org, h)
        return multiple()

    @precondition(lambda self: self.last_sig is not None)
    @rule()
    def replay_signature(self):
        """A used signature cannot be replayed: the nonce it signed is gone."""
        key, deadline = self.last_sig[0], self.last_sig[3]

        def refusal(t):
            if self.paused:
                return ("EnforcedPause", {})
            if t > deadline:
                return ("SignatureExpired", {"deadline": deadline})
            return ("InvalidSignature", {"issuer": key})

        relayer = self.accounts["relayer"]
        self.attempt(self.creds.issueWithSig, self.last_sig, relayer, refusal, [deadline + 1])

    @rule(caller=st.sampled_from(["issuer", "issuer2", "relayer"]), count=st.integers(0, 3))
    def cancel_signatures(self, caller, count):
        """A signer burns its next nonces; never stopped by a pause."""
        sender = self.addr(caller)

        def refusal(_t):
            return ("InvalidCancellation", {"count": count}) if count == 0 else None

        if self.attempt(self.creds.cancelSignatures, (count,), sender, refusal):
            self.counters[sender] = self.counters.get(sender, 0) + count
        assert self.creds.nonces(sender) == self.nonce(sender)

    @precondition(lambda self: len(self.batch) < MAX_BATCHES)
    @rule(
        target=batches,
        caller=st.sampled_from(ISSUE_SENDERS),
        hashes=st.lists(HASHES, min_size=1, max_size=4, unique=True),
        spec=expiries,
        empty=st.sampled_from([False, False, False, True]),
    )
    def issue_batch(self, caller, hashes, spec, empty):
        key = self.addr(caller)
        expires_at = self.expiry(spec)
        tree = MerkleTree(hashes)
        root = bytes(tree.root)
        count = 0 if empty else len(hashes)

        def refusal(t):
            return self.issue_refusal(key, root, expires_at, t, self.batch, count)

        def learn():
            return self.creds.batchInfo(self.organisation_of(key), root).issuedAt

        args = (root, count, expires_at, "ipfs://batch")
        edges = self.edges(key, expires_at)
        if self.attempt(self.creds.issueBatch, args, key, refusal, edges, learn):
            org = self.organisation_of(key)
            self.batch[(org, root)] = self.new_record(
                key, expires_at, hashes=tuple(hashes), tree=tree
            )
            return (org, root)
        return multiple()

    # -- rules: revocation ----------------------------------------------------------------------
    def _finish_revoke(self, rec, reason, by):
        rec.revoked_at, rec.reason, rec.by = self.clock.lo, reason, by

    @rule(
        key=st.one_of(issued, st.tuples(st.sampled_from(ORGS), HASHES)),
        caller=st.sampled_from(ANY_SENDER),
        reason=st.integers(0, 2**16 - 1),
    )
    def revoke(self, key, caller, reason):
        issuer, h = key
        issuer = self.accounts[issuer].address if issuer in self.accounts else issuer
        sender = self.addr(caller)
        rec = self.singles.get((issuer, h))

        def refusal(_t):
            if rec is None:
                return ("NotIssued", {"hash": h})
            if not self.can_revoke(sender, issuer):
                return ("NotIssuer", {"hash": h, "caller": sender, "issuer": issuer})
            if rec.revoked_at:
                return ("AlreadyRevoked", {"hash": h, "revokedAt": rec.revoked_at})
            return None

        def learn():
            return self.creds.verify(issuer, h).revokedAt

        if self.attempt(self.creds.revoke, (issuer, h, reason), sender, refusal, learn=learn):
            self._finish_revoke(rec, reason, BY_ISSUER)
            self.ever_revoked.add((issuer, b"", h))

    @rule(
        key=st.one_of(issued, st.tuples(st.sampled_from(ORGS), HASHES)),
        caller=st.sampled_from(["office", "office", "issuer", "relayer"]),
        reason=st.integers(0, 2**16 - 1),
    )
    def authority_revoke(self, key, caller, reason):
        """The programme office revokes any issuer's credential; nobody else can."""
        issuer, h = key
        issuer = self.accounts[issuer].address if issuer in self.accounts else issuer
        sender = self.addr(caller)
        rec = self.singles.get((issuer, h))

        def refusal(_t):
            if caller != "office":
                return ("NotAuthority", {"caller": sender})
            if rec is None:
                return ("NotIssued", {"hash": h})
            if rec.revoked_at:
                return ("AlreadyRevoked", {"hash": h, "revokedAt": rec.revoked_at})
            return None

        def learn():
            return self.creds.verify(issuer, h).revokedAt

        fn = self.creds.authorityRevoke
        if self.attempt(fn, (issuer, h, reason), sender, refusal, learn=learn):
            self._finish_revoke(rec, reason, BY_AUTHORITY)
            self.ever_revoked.add((issuer, b"", h))

    @rule(
        key=batches,
        pick=st.integers(0, 3),
        proof_kind=st.sampled_from(["good", "good", "good", "stranger", "tampered"]),
        caller=st.sampled_from([*ANY_SENDER, "office"]),
        authority=st.booleans(),
        reason=st.integers(0, 2**16 - 1),
    )
    def revoke_leaf(self, key, pick, proof_kind, caller, authority, reason):
        issuer, root = key
        sender = self.addr(caller)
        rec = self.batch[key]
        h = rec.hashes[pick % len(rec.hashes)]
        proof = [bytes(p) for p in rec.tree.proof(h)]
        if proof_kind == "stranger":  # a hash outside the batch with a member's proof
            h = keccak(b"not in the batch" + root)
        elif proof_kind == "tampered":
            proof = [*proof, keccak(b"extra sibling")]
        previous = rec.leaf_revoked.get(h)

        def refusal(_t):
            if authority and caller != "office":
                return ("NotAuthority", {"caller": sender})
            if not authority and not self.can_revoke(sender, issuer):
                return ("NotIssuer", {"hash": root, "caller": sender, "issuer": issuer})
            if proof_kind != "good":
                return ("InvalidMerkleProof", {"merkleRoot": root, "credentialHash": h})
            if previous:
                return ("AlreadyRevoked", {"hash": h, "revokedAt": previous[0]})
            return None

        def learn():
            return self.creds.verifyLeaf(issuer, root, h, proof).revokedAt

        fn = self.creds.authorityRevokeLeaf if authority else self.creds.revokeLeaf
        if self.attempt(fn, (issuer, root, h, proof, reason), sender, refusal, learn=learn):
            rec.leaf_revoked[h] = (self.clock.lo, reason, BY_AUTHORITY if authority else BY_ISSUER)
            self.ever_revoked.add((issuer, root, h))

    @rule(
        key=st.one_of(batches, st.tuples(st.sampled_from(ORGS), HASHES)),
        caller=st.sampled_from([*ANY_SENDER, "office"]),
        authority=st.booleans(),
        reason=st.integers(0, 2**16 - 1),
    )
    def revoke_batch(self, key, caller, authority, reason):
        issuer, root = key
        issuer = self.accounts[issuer].address if issuer in self.accounts else issuer
        sender = self.addr(caller)
        rec = self.batch.get((issuer, root))

        def refusal(_t):
            if authority and caller != "office":
                return ("NotAuthority", {"caller": sender})
            if rec is None:
                return ("NotIssued", {"hash": root})
            if not authority and not self.can_revoke(sender, issuer):
                return ("NotIssuer", {"hash": root, "caller": sender, "issuer": issuer})
            if rec.revoked_at:
                return ("AlreadyRevoked", {"hash": root, "revokedAt": rec.revoked_at})
            return None

        def learn():
            return self.creds.batchInfo(issuer, root).revokedAt

        fn = self.creds.authorityRevokeBatch if authority else self.creds.revokeBatch
        if self.attempt(fn, (issuer, root, reason), sender, refusal, learn=learn):
            self._finish_revoke(rec, reason, BY_AUTHORITY if authority else BY_ISSUER)
            self.ever_revoked.update((issuer, root, h) for h in rec.hashes)

    # -- rules: issuer standing, keys, pause, roles ----------------------------------------------
    def _since(self, spec) -> int:
        kind, d = spec
        return 0 if kind == "none" else max(self.clock.lo - d, 1)

    @rule(
        who=st.sampled_from(["issuer", "issuer", "issuer2", "outsider"]),
        action=st.sampled_from(["suspend", "suspend", "reinstate", "revoke", "accredit"]),
        window=st.tuples(st.integers(-3 * DAY, 2 * DAY), st.integers(1, 4 * DAY)),
        compromise=COMPROMISE,
    )
    def change_issuer_standing(self, who, action, window, compromise):
        """The programme office moves an issuer (only along the issuer registry's edges);
        suspensions and revocations go through a paused issuer registry."""
        address = self.addr(who)
        o = self.orgs[address]
        office = self.accounts["office"]
        since = self._since(compromise)
        if action == "suspend" and o.status == I_ACTIVE:
            self.issuers.suspend(address, 7, since, sender=office)
            o.status = I_SUSPENDED
        elif action == "reinstate" and o.status == I_SUSPENDED and not self.issuers_paused:
            self.issuers.reinstate(address, sender=office)
            o.status = I_ACTIVE
        elif action == "revoke" and o.status in (I_ACTIVE, I_SUSPENDED):
            self.issuers.revokeAccreditation(address, 9, since, sender=office)
            o.status = I_REVOKED
        elif (
            action == "accredit"
            and o.status == I_NONE
            and not self.issuers_paused
            and address not in self.keys
        ):
            valid_from = max(self.clock.lo + window[0], 0)
            valid_until = valid_from + window[1]
            self.issuers.accredit(address, "Kolej", "", valid_from, valid_until, sender=office)
            o.status, o.valid_from, o.valid_until = I_ACTIVE, valid_from, valid_until
            self.keys[address] = [address, True, 0]
        else:
            return
        if action in ("suspend", "revoke"):
            o.epoch += 1
            if since:
                o.compromised_since = min(since, o.compromised_since or since)
                o.compromised_through = o.changes
        o.changes += 1
        self.clock.sent()

    @rule()
    def add_new_key(self):
        """The office adds a fresh key to the good issuer (key rotation)."""
        key, org = self.addr("newkey"), self.addr("issuer")
        if (
            key in self.keys
            or self.issuers_paused
            or self.orgs[org].status not in (I_ACTIVE, I_SUSPENDED)
        ):
            return
        self.issuers.addKey(org, key, sender=self.accounts["office"])
        self.keys[key] = [org, True, 0]
        self.clock.sent()

    @rule(which=st.sampled_from(["issuer", "newkey"]), compromise=COMPROMISE)
    def retire_key(self, which, compromise):
        """The office retires a key, maybe as compromised since a past time."""
        key = self.addr(which)
        record = self.keys.get(key)
        since = self._since(compromise)
        if not record or not (record[1] or (since and not record[2])):
            return
        self.issuers.retireKey(record[0], key, since, sender=self.accounts["office"])
        record[1] = False
        if since:
            record[2] = since
        self.clock.sent()

    @rule(pause=st.booleans(), caller=st.sampled_from(["pauser", "pauser", "admin", "issuer"]))
    def pause_or_unpause(self, pause, caller):
        sender = self.addr(caller)

        def refusal(_t):
            if caller != "pauser":
                return (
                    "AccessControlUnauthorizedAccount",
                    {"account": sender, "neededRole": PAUSER},
                )
            if pause and self.paused:
                return ("EnforcedPause", {})
            if not pause and not self.paused:
                return ("ExpectedPause", {})
            return None

        fn = self.creds.pause if pause else self.creds.unpause
        if self.attempt(fn, (), sender, refusal):
            self.paused = pause

    @rule(pause=st.booleans())
    def pause_issuer_registry(self, pause):
        """Pausing the issuer registry stops new issuance too (never revocation)."""
        if pause != self.issuers_paused:
            fn = self.issuers.pause if pause else self.issuers.unpause
            fn(sender=self.accounts["pauser"])
            self.issuers_paused = pause
            self.clock.sent()

    @rule(caller=st.sampled_from(["pauser", "issuer", "relayer", "office"]))
    def grant_role_without_admin(self, caller):
        sender = self.addr(caller)
        target = self.addr("outsider")

        def refusal(_t):
            return ("AccessControlUnauthorizedAccount", {"account": sender, "neededRole": ZERO32})

        self.attempt(self.creds.grantRole, (PAUSER, target), sender, refusal)
        assert not self.creds.hasRole(PAUSER, target)

    # -- rules: time -------------------------------------------------------------------------------
    @rule(seconds=st.integers(1, 3 * DAY))
    def sleep(self, seconds):
        self.chain.sleep(seconds)
        self.clock.pin(1)

    @rule(pick=st.integers(0, 2**16), before=st.booleans())
    def jump_to_edge(self, pick, before):
        """Land exactly on (or one second before) an expiry or a window edge."""
        now = self.chain.time()
        edges = {r.expires_at for r in (*self.singles.values(), *self.batch.values())}
        edges |= {b for o in self.orgs.values() for b in (o.valid_from, o.valid_until)}
        # not MAX_EXPIRY: at 2**40 the clock would leave the uint40 the contract packs it into
        targets = sorted({b - before for b in edges if now < b - before < 2**39})
        if targets:
            self.clock.pin_at(targets[pick % len(targets)])

    @rule(who=st.sampled_from([*ORGS, "newkey"]), h=HASHES, root=HASHES)
    def verify_anything(self, who, h, root):
        """Arbitrary questions get answers, not reverts."""
        issuer = self.addr(who)
        if (issuer, h) not in self.singles:
            assert tuple(self.creds.verify(issuer, h)) == (NOT_ISSUED, ZERO, 0, 0, 0, 0, 0)
        result = self.creds.verifyLeaf(issuer, root, h, [h])
        assert result.status == (INVALID_PROOF if (issuer, root) in self.batch else NOT_ISSUED)

    # -- invariants ---------------------------------------------------------------------------------
    def expected(self, rec: Record, revoked_at: int, reason: int, by: int):
        lo, hi = self.clock.view()
        statuses = {self.judge(rec, revoked_at, t) for t in times_between(lo, hi, [rec.expires_at])}
        return statuses, (rec.signer, rec.issued_at, rec.expires_at, revoked_at, reason, by)

    @invariant()
    def singles_match(self):
        for (issuer, h), rec in self.singles.items():
            got = self.creds.verify(issuer, h)
            statuses, rest = self.expected(rec, rec.revoked_at, rec.reason, rec.by)
            assert got.status in statuses, (h.hex(), got, statuses, self.clock.view())
            assert (_norm(got.signer), *tuple(got)[2:]) == (_norm(rest[0]), *rest[1:]), (got, rest)
        for issuer, h in self.refused:
            if (issuer, h) not in self.singles:
                assert self.creds.verify(issuer, h).status == NOT_ISSUED

    @invariant()
    def leaves_match(self):
        for (issuer, root), rec in self.batch.items():
            info = self.creds.batchInfo(issuer, root)
            assert (_norm(info.signer), *tuple(info)[1:]) == (
                _norm(rec.signer),
                rec.issued_at,
                rec.expires_at,
                rec.revoked_at,
                rec.reason,
                rec.by,
                rec.changes,
            )
            for h in rec.hashes:
                got = self.creds.verifyLeaf(issuer, root, h, rec.tree.proof(h))
                revoked_at, reason, by = rec.leaf_revoked.get(
                    h, (rec.revoked_at, rec.reason, rec.by)
                )
                statuses, rest = self.expected(rec, revoked_at, reason, by)
                assert got.status in statuses, (h.hex(), got, statuses, self.clock.view())
                assert (_norm(got.signer), *tuple(got)[2:]) == (_norm(rest[0]), *rest[1:])
            stranger = keccak(b"stranger" + root)
            bad = self.creds.verifyLeaf(issuer, root, stranger, rec.tree.proof(rec.hashes[0]))
            assert tuple(bad)[2:] == (rec.issued_at, rec.expires_at, 0, 0, 0)
            assert bad.status == INVALID_PROOF and _norm(bad.signer) == _norm(rec.signer)

    @invariant()
    def unknown_hashes_are_not_issued(self):
        self.probe += 1
        h = keccak(b"probe" + self.probe.to_bytes(8, "big"))
        for issuer in (self.addr("issuer"), ZERO):
            assert self.creds.verify(issuer, h).status == NOT_ISSUED
            assert self.creds.verifyLeaf(issuer, h, h, []).status == NOT_ISSUED

    @invariant()
    def revoked_is_terminal(self):
        for issuer, root, h in self.ever_revoked:
            rec = self.batch[(issuer, root)] if root else self.singles[(issuer, h)]
            assert rec.revoked_at or h in rec.leaf_revoked
        # the status itself is checked against the model by singles_match / leaves_match

    @invariant()
    def flags_match(self):
        assert self.creds.paused() == self.paused
        for key in (self.addr("issuer"), self.addr("newkey"), self.addr("issuer2")):
            assert self.creds.nonces(key) == self.nonce(key)


@pytest.mark.backends
def test_credentials_stateful(registry, actors, chain):
    class Machine(CredentialsModel):
        reg = registry
        who = actors

    run_state_machine_as_test(Machine, settings=settings())  # the profile, its example database
