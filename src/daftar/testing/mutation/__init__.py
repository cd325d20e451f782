"""Mutation testing for Solidity: would the tests notice a wrong contract?

`daftar mutate` (daftar.cli.mutate_commands) and `python -m bench mutate` drive
`run_mutation`; `operators` makes the mutants, `build` compiles them, `worker` runs the
tests on each in its own process.
"""

from daftar.testing.mutation.operators import OPERATORS, Mutant, generate
from daftar.testing.mutation.runner import MutationReport, Outcome, run_mutation

__all__ = ["OPERATORS", "Mutant", "MutationReport", "Outcome", "generate", "run_mutation"]
