"""selfeval: Excel-native tooling for budget-performance self-evaluation forms (绩效自评表).

Public API::

    from selfeval import Form, load_profile, validate, rescore
"""

import os

# openpyxl serialises XML differently when lxml is installed; our templates must be
# the same bytes on every machine, so it always uses its own writer (set before any
# openpyxl import; a value the user set wins).
os.environ.setdefault("OPENPYXL_LXML", "False")

from selfeval.form.findings import Finding, Severity  # noqa: E402
from selfeval.form.model import Form  # noqa: E402
from selfeval.profiles.policy import load_profile  # noqa: E402
from selfeval.rules.analysis import analyse  # noqa: E402
from selfeval.rules.check import validate  # noqa: E402
from selfeval.rules.rescore import rescore  # noqa: E402

__version__ = "0.1.0"
__all__ = ["Finding", "Form", "Severity", "analyse", "load_profile", "rescore", "validate"]
