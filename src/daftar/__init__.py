"""Daftar: compile, deploy and property-test Solidity from Python.

Imports stay lazy here so `daftar --help` and warm compiles start fast; reach for the
submodules (`daftar.project`, `daftar.chain`, `daftar.contract`, ...) directly.
"""

__version__ = "0.1.0"
