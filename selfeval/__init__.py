"""selfeval: Excel-native tooling for budget-performance self-evaluation forms (绩效自评表).

Public API::

    from selfeval import Form, load_profile, validate, rescore
"""

from selfeval.analysis import analyse
from selfeval.findings import Finding, Severity
from selfeval.model import Form
from selfeval.profiles import load_profile
from selfeval.rescore import rescore
from selfeval.rules import validate

__version__ = "0.1.0"
__all__ = ["Finding", "Form", "Severity", "analyse", "load_profile", "rescore", "validate"]
