"""The registry's Python client: deployment of the three contracts, credentials, pilots."""

from daftar_registry.formats.checkpoints import (
    Checkpoint,
    CheckpointStatus,
    ManifestEntry,
    anchor_checkpoint,
    hash_directory,
    next_checkpoint,
    was_anchored,
)
from daftar_registry.formats.credentials import (
    CredentialDocument,
    Disclosure,
    HolderFile,
    TamperedCredential,
    build_credential,
    canonical_json,
    field_commitment,
    read_holder_file,
    verify_disclosure,
    verify_document,
    write_holder_file,
)
from daftar_registry.formats.merkle import MerkleTree, leaf_hash, verify_proof
from daftar_registry.formats.signing import (
    domain_of,
    issue_batch_typed_data,
    issue_typed_data,
    registry_domain,
    typed_data_digest,
)
from daftar_registry.plan import Registry, RegistryRoles, deploy_registry

__all__ = [
    "Checkpoint",
    "CheckpointStatus",
    "CredentialDocument",
    "Disclosure",
    "HolderFile",
    "ManifestEntry",
    "MerkleTree",
    "Registry",
    "RegistryRoles",
    "TamperedCredential",
    "anchor_checkpoint",
    "build_credential",
    "canonical_json",
    "deploy_registry",
    "domain_of",
    "field_commitment",
    "hash_directory",
    "issue_batch_typed_data",
    "issue_typed_data",
    "leaf_hash",
    "next_checkpoint",
    "read_holder_file",
    "registry_domain",
    "typed_data_digest",
    "verify_disclosure",
    "verify_document",
    "verify_proof",
    "was_anchored",
    "write_holder_file",
]
