"""Rescored figures written into a copy of the workbook they came from.

The input is never opened for writing: the copy is built in memory and saved
under a temporary name next to the output, then renamed, so a failure leaves
nothing behind. Cells of our templates that hold formulas stay formulas; a
computed cell a user had typed over gets its canonical formula back. Text that
starts with ``=``, ``+``, ``-`` or ``@`` is always stored as text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from selfeval.files import write_atomically
from selfeval.model import Form
from selfeval.profiles import Profile
from selfeval.rescore import Rescored
from selfeval.safe_text import store


def write_rescored(src: Path, out: Path, results: list[Rescored], profile: Profile) -> None:
    """Save a copy of workbook ``src`` as ``out`` with each result's changes written in."""
    book = _copy_of(src)
    for result in results:
        sheet = result.form.source.sheet
        ws = (
            book[sheet if sheet in book.sheetnames else excel_title(sheet)]
            if sheet
            else book.active
        )
        _restore_formulas(ws, result.form, profile)
        for change in result.changes:
            if change.cell is None:
                continue
            cell = ws[change.cell]
            if cell.data_type == "f":  # a template's computed cell recalculates by itself
                continue
            store(cell, change.new)
    save_atomically(book, out)


def _copy_of(src: Path) -> Any:
    """The workbook as an openpyxl Workbook: .xlsx/.xlsm as is, .xls/.ods from their values."""
    import openpyxl

    if src.suffix.lower() in (".xlsx", ".xlsm"):
        return openpyxl.load_workbook(src, keep_vba=src.suffix.lower() == ".xlsm")
    from selfeval.readers.workbook import load_grids

    book = openpyxl.Workbook()
    book.remove(book.active)
    for grid in load_grids(src):
        ws = book.create_sheet(excel_title(grid.sheet))
        top, left = grid.origin
        for r, row in enumerate(grid.values):
            for c, value in enumerate(row):
                if value not in (None, ""):
                    store(ws.cell(top + r, left + c), grid.shown.get((r, c), value))
    return book


def excel_title(name: str) -> str:
    """A sheet name Excel accepts: ODS allows longer names and characters like ``/``."""
    return re.sub(r"[\\/*?:\[\]]", "_", name)[:31] or "Sheet"


def _restore_formulas(ws: Any, form: Form, profile: Profile) -> None:
    if form.source.origin != "template" or not form.formulas_overwritten:
        return
    from selfeval.layout import layout_for

    layout = layout_for(ws.parent)
    if layout is None:
        return
    for path in form.formulas_overwritten:
        formula = layout.formula(path, profile)
        if formula:
            ws[layout.fields[path]] = formula


def save_atomically(book: Any, out: Path) -> None:
    """Save an openpyxl workbook to ``out`` whole or not at all."""
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomically(out, buffer.getvalue())
