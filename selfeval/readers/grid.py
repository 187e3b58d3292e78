"""A sheet as a plain grid of values: the one input every form locator reads.

python-calamine (.xlsx), xlrd (.xls), the content.xml walk (.ods) and xlwings (one
bulk ``Range.value`` read, in the add-in) all produce a :class:`Grid`, so locating
forms in a sheet is written once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from selfeval.form.a1 import column_letter, column_number

CellValue = str | float | int | bool | None


@dataclass
class Grid:
    """Values of one sheet's used range; ``origin`` is the 1-based (row, column) of values[0][0].

    ``formulas`` (same shape, or None) holds formula text (``=ROUND(...)``) where a
    reader knows it, else None. ``merged`` lists merged ranges as 1-based
    (min_row, min_col, max_row, max_col) when known.
    """

    sheet: str
    values: list[list[CellValue]]
    origin: tuple[int, int] = (1, 1)
    formulas: list[list[str | None]] | None = None
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    """Defined names that point into this sheet: name -> cell address (e.g. "H7")."""
    shown: dict[tuple[int, int], str] = field(default_factory=dict)
    """Displayed text of numeric cells whose number format changes how they read
    (1.0 shown as ``100%``, 0.983 as ``98.30%``), by grid index (row, column).
    Readers that know number formats fill it; text fields (年度指标值, 实际完成值)
    are read as shown. The add-in can fill it from ``Range.formula`` of constants.
    A formula that is the cell's content (``=100%`` typed by hand) is shown as its
    text: :func:`read_typed_formulas`, the one rule every reader applies."""
    properties: dict[str, str] = field(default_factory=dict)
    """The workbook's custom document properties where a reader knows them (our
    templates record their layout and profile there: selfeval.layouts.layout)."""
    skipped: str | None = None
    """Why the sheet's values were not read (e.g. too many rows); None when read."""

    def address(self, r: int, c: int) -> str:
        """A1 address of the value at grid index (r, c)."""
        return f"{column_letter(self.origin[1] + c)}{self.origin[0] + r}"

    def index(self, address: str) -> tuple[int, int]:
        """Grid index (r, c) of an A1 address (may lie outside the grid)."""
        row, column = _position(address)
        return row - self.origin[0], column - self.origin[1]

    def at(self, address: str) -> Any:
        """The value at an A1 address, None outside the grid."""
        return _get(self.values, *self.index(address))

    def formula_at(self, address: str) -> str | None:
        """The formula at an A1 address, None when unknown or not a formula."""
        return _get(self.formulas, *self.index(address)) if self.formulas is not None else None


_ADDRESS = re.compile(r"([A-Z]{1,3})([1-9][0-9]*)")


# Kept for speed: bench_validate_folder, 1,000 template-built forms, one process: 5 % of the time.
@lru_cache(maxsize=4096)
def _position(address: str) -> tuple[int, int]:
    """1-based (row, column) of an A1 address."""
    match = _ADDRESS.fullmatch(address.replace("$", ""))
    if match is None:
        raise ValueError(f"not an A1 address: {address!r}")
    return int(match[2]), column_number(match[1])


def has_template_names(grid: Grid) -> bool:
    """Whether the sheet carries our templates' defined names (``SE_project`` …)."""
    return any(name.startswith("SE_") for name in grid.names)


def _get(rows: list[list[Any]], r: int, c: int) -> Any:
    return rows[r][c] if 0 <= r < len(rows) and 0 <= c < len(rows[r]) else None


_CONSTANT = re.compile(r"=\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*")
_CONSTANT_START = frozenset("0123456789+-. \t")


def typed_formula(formula: str, cached: Any) -> tuple[str, float | None] | None:
    """How a cell holding ``formula`` (``=…``) reads when the formula is its content.

    Staff type ``=100%``, ``=0`` or ``=95%`` into a target cell: Excel keeps a formula
    whose value is 1, 0 or 0.95, shown as ``1`` by a General cell. What was typed is
    the content, so the cell reads as the formula's text. So does any formula with no
    cached value (a workbook a program wrote and nobody opened): its text, never a
    blank. Returns (text, value), value the constant's number where the formula is a
    constant (None otherwise), or None where the cached value with its shown format
    stands (a computed 执行率 or 得分)."""
    blank = cached is None or cached == ""
    # a constant starts with a digit, a sign or a point: most formulas are told at once
    constant = _CONSTANT.fullmatch(formula) if formula[1:2] in _CONSTANT_START else None
    if constant is None and not blank:
        return None
    if constant is None:
        return formula, None
    figure = float(formula[1:].strip().rstrip("%").strip())
    return formula.strip(), figure / 100 if constant[1] else figure


def read_typed_formulas(grid: Grid, formulas: Iterable[tuple[int, int, str]]) -> None:
    """Apply :func:`typed_formula` to the cells at grid index (r, c) holding a formula
    (text with its ``=``): the text is what the cell shows, and a constant with no
    cached value gets the constant's number as its value."""
    values, shown = grid.values, grid.shown
    for r, c, formula in formulas:
        inside = 0 <= r < len(values) and 0 <= c < len(values[r])
        cached = values[r][c] if inside else None
        typed = typed_formula(formula, cached)
        if typed is None:
            continue
        shown[(r, c)] = typed[0]
        if inside and typed[1] is not None and (cached is None or cached == ""):
            values[r][c] = typed[1]
