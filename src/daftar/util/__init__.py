"""Small helpers every layer uses: one of each (atomic files, keccak)."""
