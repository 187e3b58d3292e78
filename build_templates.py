"""Regenerate the year's templates: ``python build_templates.py --year 2026``.

Thin wrapper: the logic is ``selfeval.cli.build`` (also ``selfeval build``).
``--check`` exits 1 when the committed templates under templates/ are stale.
"""

import sys

from selfeval.cli.build import main

if __name__ == "__main__":
    sys.exit(main())
