#!/usr/bin/env bash
# A virtualenv with tests/interop/requirements.txt in target/, made once and installed again
# only when the requirements change. Prints the venv's python.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/interop-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
if ! cmp -s tests/interop/requirements.txt "$venv/requirements.installed"; then
  "$venv/bin/python" -m pip install -q -r tests/interop/requirements.txt >&2
  cp tests/interop/requirements.txt "$venv/requirements.installed"
fi
echo "$venv/bin/python"
