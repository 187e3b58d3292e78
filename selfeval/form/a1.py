"""A1 addresses: column letters and numbers, worked out without openpyxl (reading and
the add-in's start-up never import it). Below every stage: the layout, the readers and
the add-in share it."""

from __future__ import annotations


def column_letter(n: int) -> str:
    """1 -> "A", 27 -> "AA" (kept here so reading never imports openpyxl)."""
    if n < 1:
        raise ValueError(f"column number {n} is left of column A")
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """ "A" -> 1, "AA" -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
