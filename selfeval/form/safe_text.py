"""Text that must never run as a formula: one definition for every writer.

A project name such as ``=HYPERLINK("http://…")`` typed by a unit must stay text
in every workbook, CSV and sheet we write (formula injection). Excel, WPS and
LibreOffice also start formulas with ``+``, ``-`` and ``@``, full-width forms
included, and a leading tab or carriage return can hide the sign.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet program read this text as a formula?"""
    return text.startswith(FORMULA_STARTS)


def csv_text(text: str) -> str:
    """Text safe in a CSV cell: a leading ``'`` when it would run as a formula."""
    return "'" + text if is_formula_like(text) else text


def store(cell: Any, value: Any) -> None:
    """Put ``value`` in an openpyxl cell: numbers as numbers, text always as text.

    openpyxl turns any string starting with ``=`` into a formula, so text is forced
    to a string cell, quoted as Excel quotes text typed with a leading ``'``.
    """
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, bool):
        cell.value, cell.data_type = str(value), "s"
    elif isinstance(value, int | float):
        cell.value = int(value) if float(value).is_integer() else float(value)
    else:
        cell.value, cell.data_type = str(value), "s"
        if is_formula_like(cell.value):
            cell.quotePrefix = True
