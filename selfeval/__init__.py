"""selfeval: tooling for budget-performance self-evaluation forms (绩效自评表).

The library API (:mod:`selfeval.api`)::

    import selfeval

    results = selfeval.check("自评表.xlsx")          # or bytes, or a binary file object
    selfeval.rescore("自评表.xlsx", "自评表_重新评分.xlsx")
    forms = selfeval.read("自评表.xlsx")

The stages, lowest first (a stage imports only those below it, tests/test_stages.py):
``form`` (model, vocabulary, finding codes), ``grammar``, ``profiles``, ``layouts``,
``readers``, ``rules``, ``pipeline``, ``writers``, ``reports``, ``api``; then the front
ends ``cli``, ``excel`` and the service.
"""

import os
from typing import Any

# openpyxl serialises XML differently when lxml is installed; our templates must be
# the same bytes on every machine, so it always uses its own writer (set before any
# openpyxl import; a value the user set wins).
os.environ.setdefault("OPENPYXL_LXML", "False")

__version__ = "0.1.0"
__all__ = ["SelfevalError", "check", "read", "rescore"]


def __getattr__(name: str) -> Any:
    # The API is imported on first use, so that `import selfeval.form.model` (and the
    # CLI's --help) does not load every stage.
    if name == "SelfevalError":
        from selfeval.errors import SelfevalError

        return SelfevalError
    if name in ("check", "read", "rescore"):
        from selfeval import api

        return getattr(api, name)
    raise AttributeError(f"module 'selfeval' has no attribute {name!r}")
