"""``python -m selfeval``: the same command as ``selfeval`` (for a Python whose Scripts
folder is not on PATH, as after a per-user install)."""

import sys

from selfeval.cli.main import main

sys.exit(main())
