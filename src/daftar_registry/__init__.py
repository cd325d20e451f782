"""The registry application on daftar: formats, services, the client, the deploy plan, CLI.

The names below are imported on first use (PEP 562), so loading one part of the
application (the `daftar` command's groups, say) does not load all of it.

- formats: credential documents, holder and disclosure files, Merkle batches,
  checkpoints, EIP-712 typed data (daftar_registry.formats.*);
- services: the registry's rules callable from Python (daftar_registry.services);
- the client over deployment records (daftar_registry.client) and the deploy plan
  (daftar_registry.plan).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
        AnchoredCredential,
        CredentialDocument,
        Disclosure,
        DisclosureFile,
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

_WHERE = {
    "daftar_registry.formats.checkpoints": (
        "Checkpoint",
        "CheckpointStatus",
        "ManifestEntry",
        "anchor_checkpoint",
        "hash_directory",
        "next_checkpoint",
        "was_anchored",
    ),
    "daftar_registry.formats.credentials": (
        "AnchoredCredential",
        "CredentialDocument",
        "Disclosure",
        "DisclosureFile",
        "HolderFile",
        "TamperedCredential",
        "build_credential",
        "canonical_json",
        "field_commitment",
        "read_holder_file",
        "verify_disclosure",
        "verify_document",
        "write_holder_file",
    ),
    "daftar_registry.formats.merkle": ("MerkleTree", "leaf_hash", "verify_proof"),
    "daftar_registry.formats.signing": (
        "domain_of",
        "issue_batch_typed_data",
        "issue_typed_data",
        "registry_domain",
        "typed_data_digest",
    ),
    "daftar_registry.plan": ("Registry", "RegistryRoles", "deploy_registry"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = [
    "AnchoredCredential",
    "Checkpoint",
    "CheckpointStatus",
    "CredentialDocument",
    "Disclosure",
    "DisclosureFile",
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


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'daftar_registry' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
