#!/usr/bin/env bash
# The project's test command: install what the tests need, then run pytest from the repo
# root. Arguments go to pytest. Exit 5 (no test collected) stays a failure on purpose.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-test-deps.sh
exec python -m pytest "$@"
