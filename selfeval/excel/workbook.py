"""The workbook as the buttons see it: forms read from bulk grids, and the ledger.

:func:`read_book` reads each sheet of an open ``xw.Book`` once (values and formulas of
the cells holding data); :func:`~selfeval.excel.book_file.view_of_file` reads a saved
workbook file the same way (the WPS add-in's copy, sent to the checking service). Both
hand the grids to :func:`view_of_grids`, which finds the forms, loads the ledger of
marks from the hidden state sheet and moves each mark to where its form field sits
now. A planner (:mod:`selfeval.excel.plan`) then turns the view into every write.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval.excel import book_io
from selfeval.excel.marks import STATE_SHEET, Anchors, CellReader, Key, Ledger, Mark
from selfeval.form.model import Form
from selfeval.pipeline.results import calculated
from selfeval.profiles.policy import DEFAULT_PROFILE, Profile, load_profile
from selfeval.readers import Unreadable
from selfeval.readers.grid import Grid
from selfeval.readers.locate import forms_in_grids

RESULTS_SHEET = "校验结果"
PROFILE_VARIABLE = "SELFEVAL_PROFILE"
"""Environment variable naming the scoring profile (评分口径); default national."""

OWN_SHEETS = (STATE_SHEET, RESULTS_SHEET)


@dataclass
class BookView:
    """The forms found in a workbook, the grids they came from, and the ledger."""

    name: str
    """The workbook's name as findings report it."""
    grids: dict[str, Grid]
    forms: list[Form]
    unreadable: list[Unreadable]
    ledger: Ledger
    profile: Profile
    stored: Ledger = field(default_factory=Ledger)
    """The ledger as the state sheet holds it (to put back if a button fails)."""
    anchors: Anchors = field(default_factory=dict)
    lost: list[Mark] = field(default_factory=list)
    """Marks whose cell could not be found again (its row deleted, or its field renamed)."""
    looks: CellReader = lambda sheet, cells: {c: (None, False) for c in cells}
    """(sheet, cells) -> {cell: (fill, holds a note)}: cells about to be marked the first time."""
    rows_of: Callable[[str], list[list[Any]] | None] = lambda name: None
    """What sheet ``name`` holds (formulas as typed); None when there is no such sheet."""
    protections: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Sheet name ("" for the workbook's structure) -> how it is protected, where the file
    tells (a saved copy); the Excel add-in asks the open workbook instead."""

    def anchor_of(self) -> dict[Key, str]:
        """(sheet, cell) -> the anchor of the form field it holds."""
        return {(s, c): a for s, found in self.anchors.items() for a, c in found.items()}

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
    """Every form in the open workbook (the add-in's own sheets skipped) and the ledger."""
    names = book_io.defined_names(book)
    grids: dict[str, Grid] = {}
    ledger_rows: list[list[Any]] = []
    for sheet in book.sheets:
        if sheet.name == STATE_SHEET:
            ledger_rows = book_io.read_grid(sheet).values
        elif sheet.name != RESULTS_SHEET:
            grids[sheet.name] = book_io.read_grid(sheet, names.get(sheet.name))
    view = view_of_grids(book.fullname, grids, ledger_rows)
    view.looks = lambda sheet, cells: book_io.read_cells(book.sheets[sheet], cells)
    view.rows_of = lambda name: sheet_rows(book, name)
    return view


def view_of_grids(
    name: str, grids: dict[str, Grid], ledger_rows: list[list[Any]], profile: Profile | None = None
) -> BookView:
    """The forms of ``grids`` (the add-in's own sheets left out), the ledger read from the
    state sheet's rows and moved to where each mark's field sits now. ``profile``: the
    scoring profile, by default the one :data:`PROFILE_VARIABLE` names."""
    items = forms_in_grids(list(grids.values()), name)
    forms = [calculated(i) for i in items if isinstance(i, Form)]
    unreadable = [i for i in items if isinstance(i, Unreadable)]
    ledger = Ledger.from_rows(ledger_rows)
    view = BookView(name, grids, forms, unreadable, ledger, profile or profile_from_environment())
    view.stored = ledger.copy()
    view.anchors = form_anchors(forms)
    view.lost = ledger.relocate(view.anchors)
    return view


def form_anchors(forms: list[Form]) -> Anchors:
    """sheet -> anchor -> cell of every field the readers located.

    An anchor names a field by what it is, not where it is: the form's place among the
    forms of its sheet, then the field path (``2|funds.stated_score``), or for an
    indicator its 一级指标, 三级指标 and which of that name it is
    (``0|ind:产出指标/完成率#0.score``). Our templates' fields are found through their
    defined names, which Excel moves with inserted rows; hand-made forms are located
    again by the readers.
    """
    anchors: Anchors = {}
    per_sheet: Counter[str] = Counter()
    for form in forms:
        sheet = form.source.sheet or ""
        place = per_sheet[sheet]
        per_sheet[sheet] += 1
        found = anchors.setdefault(sheet, {})
        for path, cell in form.cells.items():
            found[f"{place}|{path}"] = cell
        seen: Counter[str] = Counter()
        for indicator in form.indicators:
            key = f"{indicator.level1}/{indicator.name}"
            for attr, cell in indicator.cells.items():
                found[f"{place}|ind:{key}#{seen[key]}.{attr}"] = cell
            seen[key] += 1
    return anchors


def profile_from_environment() -> Profile:
    return load_profile(os.environ.get(PROFILE_VARIABLE) or DEFAULT_PROFILE)


def book_folder(book: Any) -> Path | None:
    """The folder of a saved workbook, None when it has none (new, or on a server)."""
    path = Path(book.fullname)
    return path.parent if path.is_absolute() and path.parent.is_dir() else None


def sheet_rows(book: Any, name: str) -> list[list[Any]] | None:
    """What sheet ``name`` of an open book holds (formulas where the engine reads them);
    None: no such sheet."""
    sheet = book_io.find_sheet(book, name)
    if sheet is None:
        return None
    used = sheet.used_range
    try:  # formulas as typed: the links of 校验结果 come back as links
        rows, shown = used.formula, lambda v: v
    except NotImplementedError:
        rows, shown = used.options(ndim=2).value, book_io.excel_value
    if not isinstance(rows, list | tuple):
        rows = [[rows]]
    return [[shown(v) for v in row] for row in rows]
