"""The registry's Python client: deployment of the three contracts, credentials, pilots."""

from daftar.registry.deployment import Registry, RegistryRoles, deploy_registry

__all__ = ["Registry", "RegistryRoles", "deploy_registry"]
