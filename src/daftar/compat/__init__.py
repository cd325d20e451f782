"""Compatibility layers: other frameworks' APIs on daftar (`daftar.compat.brownie`)."""
