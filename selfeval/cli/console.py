"""Printing that survives any console encoding.

A Chinese Windows console that redirects output (``selfeval validate x.xlsx >
结果.txt``) encodes it in GBK (cp936), which lacks symbols such as ✗, ✓ or the
minus sign −, and a form may carry any character at all. Output streams are set to
the ``selfeval`` error handler: a character the encoding lacks is written as a
look-alike it has (✗ → ×, ✓ → √, − → -), else its compatibility form (² → 2), else
``?``. Nothing printed ever stops the command.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata

ERRORS = "selfeval"

LOOK_ALIKES = {
    "✗": "×",
    "✘": "×",
    "✓": "√",
    "✔": "√",
    "−": "-",
    "⩾": "≥",
    "⩽": "≤",
    "⇅": "↑↓",
    "•": "·",
}
"""Symbols we or the forms use, and the nearest character GBK has."""


def _substitute(char: str, encoding: str) -> str:
    for candidate in (LOOK_ALIKES.get(char), unicodedata.normalize("NFKC", char)):
        if candidate and candidate != char:
            try:
                candidate.encode(encoding)
            except UnicodeEncodeError:
                continue
            return candidate
    return "?"


def _handler(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_substitute(c, error.encoding) for c in text), error.end


codecs.register_error(ERRORS, _handler)


def tolerant_output() -> None:
    """Make stdout and stderr write look-alikes instead of failing on a character."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors=ERRORS)
