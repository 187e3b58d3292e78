"""A :class:`~selfeval.excel.plan.Plan` applied to an open ``xw.Book``, all or nothing.

Each write of the plan becomes a :class:`~selfeval.excel.transaction.Step` (the write
through :mod:`selfeval.excel.book_io`, and its undo from what the plan says it
replaces); :func:`~selfeval.excel.transaction.run` lifts protections without a
password, applies the steps in order and undoes them if one fails. Calculation is
manual and screen updating off while writing (both restored even when something fails).
"""

from __future__ import annotations

from typing import Any

from selfeval.excel import book_io
from selfeval.excel.marks import STATE_SHEET
from selfeval.excel.plan import Plan, Write
from selfeval.excel.transaction import Step, run
from selfeval.readers.grid import Grid


def apply(plan: Plan, book: Any, grids: dict[str, Grid]) -> None:
    """Apply ``plan`` to ``book`` (``grids``: the sheets as read, so that value writes can
    bridge the cells between them); raises Refused when the book had to be left as it was."""
    steps = [step for w in plan.writes for step in _steps(w, book, grids)]
    if not steps:
        return
    sheets = [book.sheets[name] for name in sorted(plan.sheets)]
    with book_io.fast_writes(book.app):
        run(book, sheets, steps, structure=plan.structure)


def _steps(w: Write, book: Any, grids: dict[str, Grid]) -> list[Step]:
    if w.op == "values":
        target, grid = book.sheets[w.sheet], grids.get(w.sheet)
        new = {c: n for c, (n, _) in w.cells.items()}
        old = {c: o for c, (_, o) in w.cells.items()}
        return [
            Step(
                lambda: book_io.write_values(target, new, grid),
                lambda: book_io.write_values(target, old, grid),
            )
        ]
    if w.op == "fills":
        target = book.sheets[w.sheet]
        new = {c: n for c, (n, _) in w.cells.items()}
        old = {c: o for c, (_, o) in w.cells.items()}
        return [
            Step(lambda: book_io.set_fills(target, new), lambda: book_io.set_fills(target, old))
        ]
    if w.op == "notes":
        target = book.sheets[w.sheet]
        return [_note_step(target, c, n, o) for c, (n, o) in w.cells.items()]
    name, rows, before, hidden = w.sheet, w.rows, w.before, w.hidden
    if w.op == "sheet":
        assert rows is not None
        return [
            Step(
                lambda: book_io.replace_sheet(book, name, rows, hidden=hidden),
                lambda: _put_back(book, name, before),
            )
        ]
    return [Step(lambda: book_io.delete_sheet(book, name), lambda: _put_back(book, name, before))]


def _note_step(sheet: Any, cell: str, new: str | None, old: str | None) -> Step:
    seen: dict[str, bool] = {}

    def apply() -> None:
        book_io.set_note(sheet, cell, new, old, seen)

    def undo() -> None:
        if "had" in seen:  # else nothing was written
            book_io.set_note(sheet, cell, old if seen["had"] else None, new)

    return Step(apply, undo)


def _put_back(book: Any, name: str, rows: list[list[Any]] | None) -> None:
    if rows is None:
        book_io.delete_sheet(book, name)
    else:
        book_io.replace_sheet(book, name, rows, hidden=name == STATE_SHEET)
