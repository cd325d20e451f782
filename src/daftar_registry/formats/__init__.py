"""The registry's data formats: what a stranger needs to rebuild our hashes.

credentials (documents, salts, RFC 8785 canonical JSON, holder and disclosure files),
merkle (OpenZeppelin's StandardMerkleTree), checkpoints (server-integrity manifests and
their chain), signing (EIP-712 typed data for delegated issuance and revocation).
"""
