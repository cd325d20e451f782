"""The compiler: solc-js via py-solc-x, standard-JSON input, build cache, artifacts."""

from daftar.compiler.build import BuildResult, compile_project

__all__ = ["BuildResult", "compile_project"]
