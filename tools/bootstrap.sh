#!/usr/bin/env bash
# Create or reuse .venv and node_modules, idempotently. Sourced by ./run-demo and ./run-tests.
#
# .venv is rebuilt only when requirements.lock or pyproject.toml change, node_modules only
# when package-lock.json changes (each recorded as a hash stamp), so a second run is instant.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found: install Python 3.11+"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || die "Python 3.11+ is needed ($PYTHON is $("$PYTHON" -V 2>&1))"
command -v node >/dev/null || die "node not found: install Node.js 20+ (it runs the solc-js compiler)"
command -v npm >/dev/null || die "npm not found: install npm (it installs solc-js, OpenZeppelin, anvil)"

stamp_of() { cat "$@" | sha256sum | cut -c1-16; }

py_stamp="$(stamp_of requirements.lock pyproject.toml)"
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.daftar-stamp 2>/dev/null)" != "$py_stamp" ]; then
  say "Python environment: creating .venv from requirements.lock"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
  echo "$py_stamp" > .venv/.daftar-stamp
else
  say "Python environment: .venv is up to date"
fi

node_stamp="$(stamp_of package-lock.json)"
if [ ! -d node_modules ] || [ "$(cat node_modules/.daftar-stamp 2>/dev/null)" != "$node_stamp" ]; then
  say "Node tools: npm ci (solc-js, OpenZeppelin, anvil) from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$node_stamp" > node_modules/.daftar-stamp
else
  say "Node tools: node_modules is up to date"
fi
# The verifier page's ethers bundle comes from node_modules (only its sha256 pin is committed).
.venv/bin/python -W ignore::RuntimeWarning -m daftar_registry.verifier.vendor install >/dev/null \
  || die "could not install the verifier page's ethers bundle (see above)"
