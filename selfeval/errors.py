"""The one exception base of selfeval, and its kinds.

A :class:`SelfevalError` carries a Chinese message for staff: bad input, a file that
cannot be had, a setting that is wrong. Front ends (the CLI, the add-ins, the service)
catch this base only; any other exception is a bug and shows its traceback. Each kind
also derives from the fitting built-in (as tablib's do), so callers may catch either.
"""

from __future__ import annotations


class SelfevalError(Exception):
    """Base of every error selfeval raises on purpose; ``str(error)`` is Chinese."""


class InputError(SelfevalError, ValueError):
    """The input cannot be used: no form found, a file of the wrong kind, a bad option."""


class ProfileError(SelfevalError, ValueError):
    """A profile (评分口径) that cannot be loaded or is not valid."""


class LayoutError(SelfevalError, ValueError):
    """A layout (表样) that cannot be loaded or is not valid."""


class OutputError(SelfevalError, OSError):
    """An output that cannot be written (it would overwrite an input, a folder is missing)."""
