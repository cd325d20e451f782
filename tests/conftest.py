"""Shared test settings; daftar's own fixtures come from its pytest plugin."""
