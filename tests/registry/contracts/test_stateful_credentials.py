"""Stateful test of CredentialRegistry: single and batch credentials against a Python model.

The machine issues (directly and by EIP-712 signature through a relayer), revokes single
credentials, batch leaves and whole batches, changes issuers' standing in the issuer
registry, pauses and unpauses, and moves the clock (random sleeps, and jumps that land
exactly on an expiry). After every step it checks what `verify` and `verifyLeaf` report for
every credential it ever touched.

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
PAUSER = role("PAUSER_ROLE")
MAX_EXPIRY = 2**40 - 1
DAY = 24 * 3600
MAX_SINGLES = 12  # credential hashes touched by single issuance (issued or refused)
MAX_BATCHES = 3  # of at most 4 leaves each
# CredentialRegistry.Status
NOT_ISSUED, VALID, REVOKED, EXPIRED, ISSUER_SUSPENDED, INVALID_PROOF, ISSUER_REVOKED = range(7)
# IssuerRegistry stored status
I_NONE, I_ACTIVE, I_SUSPENDED, I_REVOKED = range(4)

HASHES = st.integers(1, 2**256 - 1).map(lambda n: n.to_bytes(32, "big"))  # never zero
ISSUE_SENDERS = ["issuer", "issuer", "issuer", "issuer2", "outsider", "office"]
ANY_SENDER = ["issuer", "issuer", "issuer2", "outsider", "relayer"]


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
    """A single credential or a batch: who issued it, when, until when, and its revocation."""

    issuer: str
    issued_at: int
    expires_at: int
    revoked_at: int = 0
    reason: int = 0
    hashes: tuple[bytes, ...] = ()  # batch only
    tree: object = None  # batch only
    leaf_revoked: dict[bytes, tuple[int, int]] = field(default_factory=dict)  # batch only


expiries = st.tuples(
    st.sampled_from(["future", "never", "future", "never", "future", "past", "max", "over"]),
    st.integers(0, 5 * DAY),
)


class CredentialsModel(ChainStateMachine):
    """Mirror of CredentialRegistry (plus the stored standing of the issuers it consults).

    Invariants, checked after every step:

    - `verify` and `verifyLeaf` never revert, whatever they are asked: every credential and
      leaf the machine touched, hashes it never issued, roots that do not exist, bad proofs.
    - For every single credential ever touched, `verify` returns the model's record
      (issuer, issuedAt, expiresAt, revokedAt, reason) and the status given by the documented
      precedence `NotIssued > Revoked > Expired > IssuerRevoked > IssuerSuspended > Valid`,
      where Expired means now >= expiresAt (exclusive end) and the issuer flags come from the
      issuer's stored status now (an accreditation window that ran out is not flagged).
    - For every leaf of every batch, `verifyLeaf` with its proof does the same with the batch
      record, the leaf's own revocation taking precedence over the batch's; a wrong proof
      for a known root gives `InvalidProof` carrying the batch's issuer and times; an
      unknown root gives `NotIssued`. `batchInfo` equals the model.
    - Revoked is terminal: a credential or leaf once revoked reports Revoked forever; no rule
      makes it valid again, and revoking again reverts `AlreadyRevoked`.
    - Nobody outside good standing issues: issuance by an account that is suspended, revoked,
      outside its window or never accredited reverts `IssuerNotInGoodStanding` and the hash
      stays `NotIssued`. Only the original issuer can revoke (`NotIssuer`), even after it lost
      its standing; `pause`/`unpause` need `PAUSER_ROLE` and `grantRole` the default admin
      (`AccessControlUnauthorizedAccount`). A refused write changes nothing: the model is
      left as it was and the invariants compare every mirrored view against it.
    - `paused()` equals the model; while paused every write reverts `EnforcedPause` and every
      view above keeps answering. Pausing the issuer registry does not stop issuance.
    - `nonces(issuer)` equals the model after every signed issue: a nonce is consumed only by
      a successful one, so a used signature cannot be replayed.
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
            "office": who.office,
            "relayer": who.relayer,
            "pauser": who.pauser,
            "admin": who.admin,
        }
        # stored standing [status, validFrom, validUntil] of every account that may issue
        self.standing = {}
        for name in ("issuer", "issuer2", "outsider", "office"):
            address = self.accounts[name].address
            n = self.issuers.historyLength(address)
            self.standing[address] = [I_NONE, 0, 0]
            if n:
                entry = self.issuers.historyEntry(address, n - 1)
                self.standing[address] = [entry.status, entry.validFrom, entry.validUntil]
        self.singles: dict[bytes, Record] = {}
        self.refused: set[bytes] = set()  # hashes whose issuance was refused (never issued)
        self.batch: dict[bytes, Record] = {}
        self.ever_revoked: set[tuple[bytes, bytes]] = set()  # (root or b"", hash)
        self.nonces = {a: self.creds.nonces(a) for a in self.standing}
        self.paused = bool(self.creds.paused())
        self.issuers_paused = bool(self.issuers.paused())
        self.last_sig = None
        self.probe = 0
        self.clock = ModelClock(self.chain)

    # -- model ------------------------------------------------------------------------------
    def good_standing(self, issuer: str, t: int) -> bool:
        status, valid_from, valid_until = self.standing.get(issuer, (I_NONE, 0, 0))
        return status == I_ACTIVE and t >= valid_from and (valid_until == 0 or t < valid_until)

    def judge(self, rec: Record, revoked_at: int, t: int) -> int:
        if revoked_at:
            return REVOKED
        if rec.expires_at and t >= rec.expires_at:
            return EXPIRED
        status = self.standing.get(rec.issuer, (I_NONE,))[0]
        if status == I_REVOKED:
            return ISSUER_REVOKED
        if status == I_SUSPENDED:
            return ISSUER_SUSPENDED
        return VALID

    def issue_refusal(self, issuer, key, expires_at, t, existing, count=1):
        """Why `issue`/`issueBatch` at time `t` reverts (None: it succeeds), in contract order."""
        if self.paused:
            return ("EnforcedPause", {})
        if key == ZERO32:
            return ("ZeroHash", {})
        if count == 0:
            return ("EmptyBatch", {})
        if expires_at and (expires_at <= t or expires_at > MAX_EXPIRY):
            return ("InvalidExpiry", {"expiresAt": expires_at})
        if not self.good_standing(issuer, t):
            return ("IssuerNotInGoodStanding", {"issuer": issuer})
        if existing is not None:
            return ("AlreadyIssued", {"hash": key, "issuer": existing.issuer})
        return None

    def edges(self, issuer: str, *extra: int) -> list[int]:
        _, valid_from, valid_until = self.standing.get(issuer, (I_NONE, 0, 0))
        return [valid_from, valid_until, *(e for e in extra if e)]

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
        for h, span in zip(hashes, spans, strict=False):
            expires_at = self.clock.lo + span if span else 0
            self.creds.issue(h, expires_at, sender=issuer)
            self.clock.learn(self.creds.verify(h).issuedAt)
            self.singles[h] = Record(issuer.address, self.clock.lo, expires_at)
        return multiple(*hashes)

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
        self.clock.learn(self.creds.batchInfo(root).issuedAt)
        self.batch[root] = Record(
            issuer.address, self.clock.lo, expires_at, hashes=tuple(hashes), tree=tree
        )
        return root

    # -- rules: issuance ------------------------------------------------------------------------
    @precondition(lambda self: len(self.singles) + len(self.refused) < MAX_SINGLES)
    @rule(
        target=issued,
        caller=st.sampled_from(ISSUE_SENDERS),
        h=HASHES,
        zero=st.sampled_from([False] * 7 + [True]),
        spec=expiries,
    )
    def issue(self, caller, h, zero, spec):
        issuer = self.accounts[caller].address
        h = ZERO32 if zero else h
        expires_at = self.expiry(spec)
        existing = self.singles.get(h)

        def refusal(t):
            return self.issue_refusal(issuer, h, expires_at, t, existing)

        def learn():
            return self.creds.verify(h).issuedAt

        edges = self.edges(issuer, expires_at)
        if self.attempt(self.creds.issue, (h, expires_at), issuer, refusal, edges, learn):
            self.singles[h] = Record(issuer, self.clock.lo, expires_at)
            self.refused.discard(h)
            return h
        if h not in self.singles and h != ZERO32:
            self.refused.add(h)
        return multiple()

    @rule(h=issued, caller=st.sampled_from(ISSUE_SENDERS), spec=expiries)
    def issue_again(self, h, caller, spec):
        """Re-issuing a known hash never overwrites it (AlreadyIssued or an earlier check)."""
        issuer = self.accounts[caller].address
        expires_at = self.expiry(spec)
        existing = self.singles[h]

        def refusal(t):
            return self.issue_refusal(issuer, h, expires_at, t, existing)

        ok = self.attempt(
            self.creds.issue, (h, expires_at), issuer, refusal, self.edges(issuer, expires_at)
        )
        assert not ok

    @precondition(lambda self: len(self.singles) + len(self.refused) < MAX_SINGLES)
    @rule(
        target=issued,
        signer=st.sampled_from(["issuer", "issuer", "issuer2", "outsider"]),
        claimed=st.sampled_from(["issuer", "issuer", "issuer2", "outsider"]),
        h=HASHES,
        spec=expiries,
        deadline_in=st.integers(-2 * DAY, 5 * DAY),
    )
    def issue_with_sig(self, signer, claimed, h, spec, deadline_in):
        """A relayer submits an issuer's EIP-712 signature (wrong signer: InvalidSignature)."""
        issuer = self.accounts[claimed].address
        expires_at = self.expiry(spec)
        deadline = max(self.clock.lo + deadline_in, 0)
        nonce = self.nonces[issuer]
        digest = self.creds.issueDigest(issuer, h, expires_at, nonce, deadline)
        sig = EthAccount.unsafe_sign_hash(digest, self.accounts[signer].key).signature
        existing = self.singles.get(h)

        def refusal(t):
            if self.paused:
                return ("EnforcedPause", {})
            if t > deadline:
                return ("SignatureExpired", {"deadline": deadline})
            if signer != claimed:
                return ("InvalidSignature", {"issuer": issuer})
            return self.issue_refusal(issuer, h, expires_at, t, existing)

        def learn():
            return self.creds.verify(h).issuedAt

        args = (issuer, h, expires_at, deadline, bytes(sig))
        edges = self.edges(issuer, expires_at, deadline + 1)
        relayer = self.accounts["relayer"]
        ok = self.attempt(self.creds.issueWithSig, args, relayer, refusal, edges, learn)
        self.nonces[issuer] += ok
        assert self.creds.nonces(issuer) == self.nonces[issuer]
        if ok:
            self.singles[h] = Record(issuer, self.clock.lo, expires_at)
            self.refused.discard(h)
            self.last_sig = args
            return h
        if h not in self.singles:
            self.refused.add(h)
        return multiple()

    @precondition(lambda self: self.last_sig is not None)
    @rule()
    def replay_signature(self):
        """A used signature cannot be replayed: the nonce it signed is gone."""
        issuer, deadline = self.last_sig[0], self.last_sig[3]

        def refusal(t):
            if self.paused:
                return ("EnforcedPause", {})
            if t > deadline:
                return ("SignatureExpired", {"deadline": deadline})
            return ("InvalidSignature", {"issuer": issuer})

        relayer = self.accounts["relayer"]
        self.attempt(self.creds.issueWithSig, self.last_sig, relayer, refusal, [deadline + 1])

    @precondition(lambda self: len(self.batch) < MAX_BATCHES)
    @rule(
        target=batches,
        caller=st.sampled_from(ISSUE_SENDERS),
        hashes=st.lists(HASHES, min_size=1, max_size=4, unique=True),
        spec=expiries,
        empty=st.sampled_from([False, False, False, True]),
    )
    def issue_batch(self, caller, hashes, spec, empty):
        issuer = self.accounts[caller].address
        expires_at = self.expiry(spec)
        tree = MerkleTree(hashes)
        root = bytes(tree.root)
        count = 0 if empty else len(hashes)
        existing = self.batch.get(root)  # Hypothesis may draw the same leaves again

        def refusal(t):
            return self.issue_refusal(issuer, root, expires_at, t, existing, count)

        def learn():
            return self.creds.batchInfo(root).issuedAt

        args = (root, count, expires_at, "ipfs://batch")
        edges = self.edges(issuer, expires_at)
        if self.attempt(self.creds.issueBatch, args, issuer, refusal, edges, learn):
            assert existing is None
            self.batch[root] = Record(
                issuer, self.clock.lo, expires_at, hashes=tuple(hashes), tree=tree
            )
            return root
        return multiple()

    @rule(root=batches, caller=st.sampled_from(ISSUE_SENDERS), spec=expiries)
    def issue_batch_again(self, root, caller, spec):
        issuer = self.accounts[caller].address
        expires_at = self.expiry(spec)
        existing = self.batch[root]

        def refusal(t):
            return self.issue_refusal(issuer, root, expires_at, t, existing)

        args = (root, 1, expires_at, "")
        assert not self.attempt(
            self.creds.issueBatch, args, issuer, refusal, self.edges(issuer, expires_at)
        )

    # -- rules: revocation ----------------------------------------------------------------------
    @rule(
        h=st.one_of(issued, HASHES),
        caller=st.sampled_from(ANY_SENDER),
        reason=st.integers(0, 2**16 - 1),
    )
    def revoke(self, h, caller, reason):
        sender = self.accounts[caller].address
        rec = self.singles.get(h)

        def refusal(_t):
            if self.paused:
                return ("EnforcedPause", {})
            if rec is None:
                return ("NotIssued", {"hash": h})
            if sender != rec.issuer:
                return ("NotIssuer", {"hash": h, "caller": sender, "issuer": rec.issuer})
            if rec.revoked_at:
                return ("AlreadyRevoked", {"hash": h, "revokedAt": rec.revoked_at})
            return None

        def learn():
            return self.creds.verify(h).revokedAt

        if self.attempt(self.creds.revoke, (h, reason), sender, refusal, learn=learn):
            rec.revoked_at, rec.reason = self.clock.lo, reason
            self.ever_revoked.add((b"", h))

    @rule(
        root=batches,
        pick=st.integers(0, 3),
        proof_kind=st.sampled_from(["good", "good", "good", "stranger", "tampered"]),
        caller=st.sampled_from(ANY_SENDER),
        reason=st.integers(0, 2**16 - 1),
    )
    def revoke_leaf(self, root, pick, proof_kind, caller, reason):
        sender = self.accounts[caller].address
        rec = self.batch[root]
        h = rec.hashes[pick % len(rec.hashes)]
        proof = [bytes(p) for p in rec.tree.proof(h)]
        if proof_kind == "stranger":  # a hash outside the batch with a member's proof
            h = keccak(b"not in the batch" + root)
        elif proof_kind == "tampered":
            proof = [*proof, keccak(b"extra sibling")]
        previous = rec.leaf_revoked.get(h)

        def refusal(_t):
            if self.paused:
                return ("EnforcedPause", {})
            if sender != rec.issuer:
                return ("NotIssuer", {"hash": root, "caller": sender, "issuer": rec.issuer})
            if proof_kind != "good":
                return ("InvalidMerkleProof", {"merkleRoot": root, "credentialHash": h})
            if previous:
                return ("AlreadyRevoked", {"hash": h, "revokedAt": previous[0]})
            return None

        def learn():
            return self.creds.verifyLeaf(root, h, proof).revokedAt

        args = (root, h, proof, reason)
        if self.attempt(self.creds.revokeLeaf, args, sender, refusal, learn=learn):
            rec.leaf_revoked[h] = (self.clock.lo, reason)
            self.ever_revoked.add((root, h))

    @rule(
        root=st.one_of(batches, HASHES),
        caller=st.sampled_from(ANY_SENDER),
        reason=st.integers(0, 2**16 - 1),
    )
    def revoke_batch(self, root, caller, reason):
        sender = self.accounts[caller].address
        rec = self.batch.get(root)

        def refusal(_t):
            if self.paused:
                return ("EnforcedPause", {})
            if rec is None:
                return ("NotIssued", {"hash": root})
            if sender != rec.issuer:
                return ("NotIssuer", {"hash": root, "caller": sender, "issuer": rec.issuer})
            if rec.revoked_at:
                return ("AlreadyRevoked", {"hash": root, "revokedAt": rec.revoked_at})
            return None

        def learn():
            return self.creds.batchInfo(root).revokedAt

        if self.attempt(self.creds.revokeBatch, (root, reason), sender, refusal, learn=learn):
            rec.revoked_at, rec.reason = self.clock.lo, reason
            self.ever_revoked.update((root, h) for h in rec.hashes)

    # -- rules: issuer standing, pause, roles ----------------------------------------------------
    @rule(
        who=st.sampled_from(["issuer", "issuer", "issuer2", "outsider"]),
        action=st.sampled_from(["suspend", "suspend", "reinstate", "revoke", "accredit"]),
        window=st.tuples(st.integers(-3 * DAY, 2 * DAY), st.integers(1, 4 * DAY)),
    )
    def change_issuer_standing(self, who, action, window):
        """The programme office moves an issuer (only along the issuer registry's edges)."""
        if self.issuers_paused:
            return
        address = self.accounts[who].address
        state = self.standing[address]
        office = self.accounts["office"]
        if action == "suspend" and state[0] == I_ACTIVE:
            self.issuers.suspend(address, 7, sender=office)
            state[0] = I_SUSPENDED
        elif action == "reinstate" and state[0] == I_SUSPENDED:
            self.issuers.reinstate(address, sender=office)
            state[0] = I_ACTIVE
        elif action == "revoke" and state[0] in (I_ACTIVE, I_SUSPENDED):
            self.issuers.revokeAccreditation(address, 9, sender=office)
            state[0] = I_REVOKED
        elif action == "accredit" and state[0] == I_NONE:
            valid_from = max(self.clock.lo + window[0], 0)
            valid_until = valid_from + window[1]
            self.issuers.accredit(address, "Kolej", "", valid_from, valid_until, sender=office)
            self.standing[address] = [I_ACTIVE, valid_from, valid_until]
        else:
            return
        self.clock.sent()

    @rule(pause=st.booleans(), caller=st.sampled_from(["pauser", "pauser", "admin", "issuer"]))
    def pause_or_unpause(self, pause, caller):
        sender = self.accounts[caller].address

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
        """Pausing the issuer registry stops its writes only; issuance just reads it."""
        if pause != self.issuers_paused:
            fn = self.issuers.pause if pause else self.issuers.unpause
            fn(sender=self.accounts["pauser"])
            self.issuers_paused = pause
            self.clock.sent()

    @rule(caller=st.sampled_from(["pauser", "issuer", "relayer", "office"]))
    def grant_role_without_admin(self, caller):
        sender = self.accounts[caller].address
        target = self.accounts["outsider"].address

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
        edges |= {b for _, vf, vu in self.standing.values() for b in (vf, vu)}
        # not MAX_EXPIRY: at 2**40 the clock would leave the uint40 the contract packs it into
        targets = sorted({b - before for b in edges if now < b - before < 2**39})
        if targets:
            self.clock.pin_at(targets[pick % len(targets)])

    @rule(h=HASHES, root=HASHES)
    def verify_anything(self, h, root):
        """Arbitrary questions get answers, not reverts."""
        if h not in self.singles:
            assert tuple(self.creds.verify(h)) == (NOT_ISSUED, "0x" + "0" * 40, 0, 0, 0, 0)
        result = self.creds.verifyLeaf(root, h, [h])
        assert result.status == (INVALID_PROOF if root in self.batch else NOT_ISSUED)

    # -- invariants ---------------------------------------------------------------------------------
    def expected(self, rec: Record, revoked_at: int, reason: int):
        lo, hi = self.clock.view()
        statuses = {self.judge(rec, revoked_at, t) for t in times_between(lo, hi, [rec.expires_at])}
        return statuses, (rec.issuer, rec.issued_at, rec.expires_at, revoked_at, reason)

    @invariant()
    def singles_match(self):
        for h, rec in self.singles.items():
            got = self.creds.verify(h)
            statuses, rest = self.expected(rec, rec.revoked_at, rec.reason)
            assert got.status in statuses, (h.hex(), got, statuses, self.clock.view())
            assert (_norm(got.issuer), *tuple(got)[2:]) == (_norm(rest[0]), *rest[1:]), (got, rest)
        for h in self.refused:
            assert self.creds.verify(h).status == NOT_ISSUED

    @invariant()
    def leaves_match(self):
        for root, rec in self.batch.items():
            info = self.creds.batchInfo(root)
            assert (_norm(info.issuer), *tuple(info)[1:]) == (
                _norm(rec.issuer),
                rec.issued_at,
                rec.expires_at,
                rec.revoked_at,
                rec.reason,
            )
            for h in rec.hashes:
                got = self.creds.verifyLeaf(root, h, rec.tree.proof(h))
                revoked_at, reason = rec.leaf_revoked.get(h, (rec.revoked_at, rec.reason))
                statuses, rest = self.expected(rec, revoked_at, reason)
                assert got.status in statuses, (h.hex(), got, statuses, self.clock.view())
                assert (_norm(got.issuer), *tuple(got)[2:]) == (_norm(rest[0]), *rest[1:])
            stranger = keccak(b"stranger" + root)
            bad = self.creds.verifyLeaf(root, stranger, rec.tree.proof(rec.hashes[0]))
            assert tuple(bad)[2:] == (rec.issued_at, rec.expires_at, 0, 0)
            assert bad.status == INVALID_PROOF and _norm(bad.issuer) == _norm(rec.issuer)

    @invariant()
    def unknown_hashes_are_not_issued(self):
        self.probe += 1
        h = keccak(b"probe" + self.probe.to_bytes(8, "big"))
        assert self.creds.verify(h).status == NOT_ISSUED
        assert self.creds.verifyLeaf(h, h, []).status == NOT_ISSUED

    @invariant()
    def revoked_is_terminal(self):
        for root, h in self.ever_revoked:
            rec = self.batch[root] if root else self.singles[h]
            assert rec.revoked_at or h in rec.leaf_revoked
        # the status itself is checked against the model by singles_match / leaves_match

    @invariant()
    def flags_match(self):
        assert self.creds.paused() == self.paused


@pytest.mark.backends
def test_credentials_stateful(registry, actors, chain):
    class Machine(CredentialsModel):
        reg = registry
        who = actors

    run_state_machine_as_test(Machine, settings=settings(settings(), database=None))
