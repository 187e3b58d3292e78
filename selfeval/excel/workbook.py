"""The open workbook as the buttons see it: forms read from bulk grids, and the ledger.

:func:`read_book` reads each sheet once (values and formulas of its used range),
hands the grid to the readers, and loads the ledger of marks from the hidden
state sheet. :func:`apply` writes a ledger :class:`~selfeval.excel.marks.Diff`
back in blocks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfeval.excel import book_io
from selfeval.excel.marks import STATE_SHEET, Diff, Ledger
from selfeval.model import Form
from selfeval.profiles import DEFAULT_PROFILE, Profile, load_profile
from selfeval.readers import Unreadable
from selfeval.readers.grid import Grid

RESULTS_SHEET = "校验结果"
PROFILE_VARIABLE = "SELFEVAL_PROFILE"
"""Environment variable naming the scoring profile (评分口径); default national."""

OWN_SHEETS = (STATE_SHEET, RESULTS_SHEET)


@dataclass
class BookView:
    """The forms found in a workbook, the grids they came from, and the ledger."""

    book: Any
    grids: dict[str, Grid]
    forms: list[Form]
    unreadable: list[Unreadable]
    ledger: Ledger
    profile: Profile

    def sheet(self, name: str) -> Any:
        return self.book.sheets[name]

    def cells(self, sheet: str, cells: list[str]) -> dict[str, tuple[book_io.Color, bool]]:
        """Fill and note state of cells about to be marked for the first time."""
        return book_io.read_cells(self.sheet(sheet), cells)

    def formula_cells(self, sheet: str) -> set[str] | None:
        """Cells of ``sheet`` holding a formula; None when the engine cannot tell."""
        grid = self.grids[sheet]
        if grid.formulas is None:
            return None
        return {
            grid.address(r, c)
            for r, row in enumerate(grid.formulas)
            for c, f in enumerate(row)
            if f is not None
        }


def read_book(book: Any) -> BookView:
    """Every form in the workbook (the add-in's own sheets skipped) and the ledger."""
    from selfeval.readers.locate import forms_in_grids

    names = book_io.defined_names(book)
    grids: dict[str, Grid] = {}
    ledger = Ledger()
    for sheet in book.sheets:
        if sheet.name == STATE_SHEET:
            ledger = Ledger.from_rows(book_io.read_grid(sheet).values)
            continue
        if sheet.name == RESULTS_SHEET:
            continue
        grids[sheet.name] = book_io.read_grid(sheet, names.get(sheet.name))
    items = forms_in_grids(list(grids.values()), book.fullname)
    forms = [i for i in items if isinstance(i, Form)]
    unreadable = [i for i in items if isinstance(i, Unreadable)]
    return BookView(book, grids, forms, unreadable, ledger, profile_from_environment())


def profile_from_environment() -> Profile:
    return load_profile(os.environ.get(PROFILE_VARIABLE) or DEFAULT_PROFILE)


def apply(view: BookView, diff: Diff) -> None:
    """Write the fills and notes of ``diff``, then save the ledger."""
    for sheet, fills in diff.fills.items():
        book_io.set_fills(view.sheet(sheet), fills)
    for sheet, notes in diff.notes.items():
        target = view.sheet(sheet)
        for cell, (text, ours) in notes.items():
            book_io.set_note(target, cell, text, exists=ours)
    save_ledger(view)


def save_ledger(view: BookView) -> None:
    """Write the ledger to the hidden state sheet; remove the sheet once it is empty."""
    if not view.ledger.marks:
        book_io.delete_sheet(view.book, STATE_SHEET)
        return
    rows = [[book_io.excel_value(v) for v in row] for row in view.ledger.rows()]
    book_io.replace_sheet(view.book, STATE_SHEET, rows, hidden=True)


def book_folder(book: Any) -> Path | None:
    """The folder of a saved workbook, None when it has none (new, or on a server)."""
    path = Path(book.fullname)
    return path.parent if path.is_absolute() and path.parent.is_dir() else None
