"""Figures and texts as the rules and writers take them from a form: the one home of
``number``, ``text`` and ``blank`` (a cell's display text is :mod:`selfeval.readers.cells`)."""

from __future__ import annotations


def number(value: object) -> float | None:
    """A figure as a float, or None when blank or unreadable text."""
    return value if type(value) in NUMERIC else None  # type: ignore[return-value]


NUMERIC = (float, int)
"""The types of a figure: not bool, though Python counts it an int."""


def text(value: object) -> str:
    """A text cell as text: a YAML ``target: 100`` arrives as the number 100."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def blank(value: object) -> bool:
    """Nothing filled in: no value, or text of spaces only."""
    return value is None or (isinstance(value, str) and not value.strip())
