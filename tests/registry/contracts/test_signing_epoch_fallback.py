"""CredentialRegistry.nonces reads the signature epoch from its issuer registry, or 0.

Kills the mutation-testing survivors in `_signingEpoch` (the `!ok || ret.length < 32`
fallback to epoch 0). The real IssuerRegistry always answers `signingEpoch`, so stand-in
registries do: one whose every call reverts (with 68 bytes of custom-error data, longer than
a word), one answering 31 bytes, and one answering a word holding 5 (a registry with no code
is refused by the constructor). The documented rule: `nonces(signer)` is the epoch in bits 64
and up and the signer's own counter below; an issuer registry that fails or answers short
counts as epoch 0, so `nonces` and `cancelSignatures` keep working.
"""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_utils import keccak
from tests.registry.contracts.test_forwarded_issuer_revert import stand_in_code


def _registry_with(project, chain, actors, init_code: bytes):
    stand_in = chain.deploy(init_code, actors.admin).contract_address
    return project.CredentialRegistry.deploy(
        stand_in, 0, actors.admin, sender=actors.admin, chain=chain
    )


FAILING = {
    "reverts": stand_in_code(
        keccak(text="HistoryIndexOutOfRange(address,uint256,uint256)")[:4]
        + encode(["address", "uint256", "uint256"], ["0x" + "11" * 20, 7, 3])
    ),
    "short-answer": stand_in_code(b"\x00" * 30 + b"\x05", revert=False),  # under a word
}


@pytest.mark.parametrize("kind", sorted(FAILING))
def test_a_failing_issuer_registry_counts_as_epoch_zero(kind, project, chain, actors):
    """nonces is the signer's own counter alone, before and after a cancellation."""
    credentials = _registry_with(project, chain, actors, FAILING[kind])
    signer = actors.issuer
    assert credentials.nonces(signer.address) == 0
    credentials.cancelSignatures(3, sender=signer)
    assert credentials.nonces(signer.address) == 3


def test_an_answering_issuer_registry_sets_the_epoch_bits(project, chain, actors):
    """A registry answering 5 puts 5 above bit 64; the counter stays below it."""
    credentials = _registry_with(
        project, chain, actors, stand_in_code(encode(["uint16"], [5]), revert=False)
    )
    signer = actors.issuer
    assert credentials.nonces(signer.address) == 5 << 64
    credentials.cancelSignatures(2, sender=signer)
    assert credentials.nonces(signer.address) == (5 << 64) | 2
