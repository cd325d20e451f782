"""Solidity line and branch coverage for pytest runs (`pytest --coverage`).

analysis: what can be covered (source maps + AST); collect: what ran (tester hook, anvil
steps); report: the terminal table, lcov, HTML and JSON; plugin: the pytest side.
"""
