"""A1 addresses without openpyxl: the address helpers the readers, the layout and the
add-in use, so that reading a form or clicking a button never imports openpyxl.

The names and results are those of ``openpyxl.utils.cell``'s functions, for the
addresses a form holds (``B12``, ``$F$13:$F$35``); ``tests/test_a1.py`` holds them
to openpyxl's.
"""

from __future__ import annotations

import re

_CELL = re.compile(r"\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})")


def get_column_letter(n: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    if not 1 <= n <= 18278:
        raise ValueError(f"column number {n} is outside A:ZZZ")
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index_from_string(letters: str) -> int:
    """ "A" -> 1, "AA" -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def coordinate_from_string(address: str) -> tuple[str, int]:
    """``"$B$12"`` -> ``("B", 12)``."""
    match = _CELL.fullmatch(address.upper())
    if match is None:
        raise ValueError(f"not a cell address: {address!r}")
    return match[1], int(match[2])


def range_boundaries(ref: str) -> tuple[int, int, int, int]:
    """``"A1:C3"`` (or one cell) -> (min_col, min_row, max_col, max_row)."""
    first, _, last = ref.partition(":")
    (c1, r1), (c2, r2) = coordinate_from_string(first), coordinate_from_string(last or first)
    return column_index_from_string(c1), r1, column_index_from_string(c2), r2
