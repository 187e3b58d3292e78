"""The open workbook as the buttons see it: forms read from bulk grids, and the ledger.

:func:`read_book` reads each sheet once (values and formulas of the cells holding
data), hands the grid to the readers, loads the ledger of marks from the hidden
state sheet and moves each mark to where its form field sits now. A button then
fills a :class:`Plan` with every write and runs it all or nothing
(:mod:`selfeval.excel.transaction`).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval.excel import book_io
from selfeval.excel.marks import STATE_SHEET, Anchors, Diff, Key, Ledger, Mark
from selfeval.excel.transaction import Step, run
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

    book: Any
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

    def anchor_of(self) -> dict[Key, str]:
        """(sheet, cell) -> the anchor of the form field it holds."""
        return {(s, c): a for s, found in self.anchors.items() for a, c in found.items()}

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
    profile = profile_from_environment()
    forms = [calculated(i) for i in items if isinstance(i, Form)]
    unreadable = [i for i in items if isinstance(i, Unreadable)]
    view = BookView(book, grids, forms, unreadable, ledger, profile)
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


@dataclass
class Plan:
    """Every write a button will make, each with its undo; :meth:`run` applies them all
    or none, the ledger first."""

    view: BookView
    steps: list[Step] = field(default_factory=list)
    sheets: set[str] = field(default_factory=set)
    structure: bool = False  # sheets are added or deleted

    def values(self, sheet: str, new: dict[str, Any], old: dict[str, Any]) -> None:
        if not new:
            return
        target, grid = self.view.sheet(sheet), self.view.grids.get(sheet)
        self.sheets.add(sheet)
        self.steps.append(
            Step(
                lambda: book_io.write_values(target, new, grid),
                lambda: book_io.write_values(target, old, grid),
            )
        )

    def marks(self, diff: Diff) -> None:
        """The fills (one write per sheet) and notes (one per cell) of ``diff``."""
        for sheet, fills in diff.fills.items():
            target = self.view.sheet(sheet)
            self.sheets.add(sheet)
            new = {c: f for c, (f, _) in fills.items()}
            old = {c: f for c, (_, f) in fills.items()}
            self.steps.append(
                Step(
                    lambda t=target, n=new: book_io.set_fills(t, n),
                    lambda t=target, o=old: book_io.set_fills(t, o),
                )
            )
        for sheet, notes in diff.notes.items():
            target = self.view.sheet(sheet)
            self.sheets.add(sheet)
            for cell, (new_text, old_text) in notes.items():
                self.steps.append(_note_step(target, cell, new_text, old_text))

    def replace_sheet(self, name: str, rows: list[list[Any]]) -> None:
        """Sheet ``name`` to hold ``rows`` (added after the last sheet if missing)."""
        before = _sheet_rows(self.view.book, name)
        book = self.view.book
        self.structure |= before is None
        self.steps.append(
            Step(
                lambda: book_io.replace_sheet(book, name, rows),
                lambda: _put_back(book, name, before),
            )
        )

    def delete_sheet(self, name: str) -> None:
        before = _sheet_rows(self.view.book, name)
        if before is None:
            return
        book = self.view.book
        self.structure = True
        self.steps.append(
            Step(lambda: book_io.delete_sheet(book, name), lambda: _put_back(book, name, before))
        )

    def run(self) -> None:
        """Save the ledger, then apply every step; all or nothing (see transaction.run)."""
        view = self.view
        steps = list(self.steps)
        if view.ledger.rows() != view.stored.rows():
            self.structure |= bool(view.ledger.marks) != bool(view.stored.marks)
            steps.insert(
                0,
                Step(
                    lambda: save_ledger(view.book, view.ledger),
                    lambda: save_ledger(view.book, view.stored),
                ),
            )
        if not steps:
            return
        sheets = [view.sheet(name) for name in sorted(self.sheets)]
        with book_io.fast_writes(view.book.app):
            run(view.book, sheets, steps, structure=self.structure)


def _note_step(sheet: Any, cell: str, new: str | None, old: str | None) -> Step:
    seen: dict[str, bool] = {}

    def apply() -> None:
        book_io.set_note(sheet, cell, new, old, seen)

    def undo() -> None:
        if "had" in seen:  # else nothing was written
            book_io.set_note(sheet, cell, old if seen["had"] else None, new)

    return Step(apply, undo)


def _sheet_rows(book: Any, name: str) -> list[list[Any]] | None:
    """What sheet ``name`` holds (formulas where the engine reads them); None: no sheet."""
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


def _put_back(book: Any, name: str, rows: list[list[Any]] | None) -> None:
    if rows is None:
        book_io.delete_sheet(book, name)
    else:
        book_io.replace_sheet(book, name, rows, hidden=name == STATE_SHEET)


def save_ledger(book: Any, ledger: Ledger) -> None:
    """Write the ledger to the hidden state sheet; remove the sheet once it is empty."""
    if not ledger.marks:
        book_io.delete_sheet(book, STATE_SHEET)
        return
    rows = [[book_io.excel_value(v) for v in row] for row in ledger.rows()]
    book_io.replace_sheet(book, STATE_SHEET, rows, hidden=True)


def book_folder(book: Any) -> Path | None:
    """The folder of a saved workbook, None when it has none (new, or on a server)."""
    path = Path(book.fullname)
    return path.parent if path.is_absolute() and path.parent.is_dir() else None
