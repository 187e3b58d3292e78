"""Rescored figures written into a copy of the workbook they came from.

The input is never opened for writing: the copy is built in memory and saved
under a temporary name next to the output, then renamed, so a failure leaves
nothing behind. Cells of our templates that hold formulas stay formulas; a
computed cell a user had typed over gets its canonical formula back. Text that
starts with ``=``, ``+``, ``-`` or ``@`` is always stored as text.

Every cell written carries the add-in's marks (:mod:`selfeval.writers.marks`): the
rescore fill and a note with the value it had, and the sheet
:data:`~selfeval.writers.marks.CHANGES_SHEET` lists every change, old → new, and why.
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path
from typing import Any

from selfeval.files import write_atomically
from selfeval.form.findings import value_kind
from selfeval.form.model import Form
from selfeval.form.safe_text import store
from selfeval.layouts.layout import layout_for
from selfeval.pipeline.results import project_title
from selfeval.profiles.policy import Profile
from selfeval.readers.workbook import load_grids
from selfeval.rules.rescore import Change, Rescored
from selfeval.writers.marks import (
    CHANGES_HEADINGS,
    CHANGES_SHEET,
    NOTE_AUTHOR,
    RESCORE_FILL,
    rescore_note,
)

WHY_FORMULA = "计算单元格被改为固定值，已恢复模板公式"
RECALCULATED = "；公式单元格，打开工作簿时自动重算"


def write_rescored(
    src: Path, out: Path, results: list[Rescored], profile: Profile
) -> list[list[Change]]:
    """Save a copy of workbook ``src`` as ``out`` with each result's changes written in.

    Returns, per result, every change made: formulas restored first (their ``new`` is
    the formula), then the rescored figures (a figure in a formula cell is left to
    the formula, and its ``why`` says so).
    """
    book = _copy_of(src)
    logs: list[list[Change]] = []
    for result in results:
        sheet = result.form.source.sheet
        ws = (
            book[sheet if sheet in book.sheetnames else excel_title(sheet)]
            if sheet
            else book.active
        )
        log = _restored(ws, result.form, profile)
        for change in result.changes:
            cell = ws[change.cell] if change.cell else None
            if cell is not None and cell.data_type == "f":
                # a template's computed cell recalculates by itself
                log.append(dataclasses.replace(change, why=change.why + RECALCULATED))
                continue
            if cell is not None:
                store(cell, change.new)
                mark(cell, change.label, change.old)
            log.append(change)
        logs.append(log)
    _changes_sheet(book, results, logs)
    save_atomically(book, out)
    return logs


def _restored(ws: Any, form: Form, profile: Profile) -> list[Change]:
    """Put back the formulas typed over (:func:`_restore_formulas`); the changes, marked."""
    typed = {p: form.cells[p] for p in form.formulas_overwritten if p in form.cells}
    before = {path: ws[address].value for path, address in typed.items()}
    _restore_formulas(ws, form, profile)
    restored = []
    for path, address in typed.items():
        if ws[address].data_type == "f":
            change = Change(path, before[path], ws[address].value, address, WHY_FORMULA)
            mark(ws[address], change.label, change.old)
            restored.append(change)
    return restored


def mark(cell: Any, label: str, old: Any) -> None:
    """The add-in's rescore marks: the fill, and a note with the old value (a note of
    the user's own is left alone)."""
    # openpyxl is heavy; selfeval.api imports this module for every check, not only rescoring.
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    cell.fill = PatternFill("solid", fgColor="FF" + RESCORE_FILL[1:].upper())
    if cell.comment is None:
        cell.comment = Comment(rescore_note(label, old), NOTE_AUTHOR)


def _changes_sheet(book: Any, results: list[Rescored], logs: list[list[Change]]) -> None:
    """The sheet listing every change of every form (replaced when rescoring again)."""
    from openpyxl.styles import Font  # heavy: loaded when rescoring, see mark()

    if CHANGES_SHEET in book.sheetnames:
        book.remove(book[CHANGES_SHEET])
    ws = book.create_sheet(CHANGES_SHEET)
    ws.append(CHANGES_HEADINGS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for result, log in zip(results, logs, strict=True):
        for change in log:
            ws.append([None] * len(CHANGES_HEADINGS))
            row = ws[ws.max_row]
            place = change.cell or change.field
            values = [project_title(result.form), result.form.source.sheet or "", place]
            values += [change.label, change.old, change.new, change.why]
            for cell, value in zip(row, values, strict=True):
                store(cell, value)
            for cell in row[4:6]:
                cell.number_format = _FORMATS.get(value_kind(change.field), "0.00")
    if ws.max_row == 1:
        ws.append(["", "", "", "", "", "", "规则与表中得分一致，未改动任何单元格"])
    _lay_out(ws)


def _lay_out(ws: Any) -> None:
    """Column widths, wrapped rows tall enough to show their text, one page wide."""
    from openpyxl.styles import Alignment  # heavy: loaded when rescoring, see mark()

    widths = (28, 12, 10, 14, 14, 14, 60)
    for letter, width in zip("ABCDEFG", widths, strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        lines = 1
        for cell, width in zip(row, widths, strict=True):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            lines = max(lines, -(-_text_width(cell.value) // (width - 2)))
        ws.row_dimensions[row[0].row].height = 15 * lines  # LibreOffice does not grow rows
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"  # printed on A4 across, as wide as the page
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _copy_of(src: Path) -> Any:
    """The workbook as an openpyxl Workbook: .xlsx/.xlsm as is, .xls/.ods from their values."""
    import openpyxl  # heavy: loaded when rescoring, see mark()

    if src.suffix.lower() in (".xlsx", ".xlsm"):
        return openpyxl.load_workbook(src, keep_vba=src.suffix.lower() == ".xlsm")

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


_FORMATS = {"rate": "0.00%", "amount": "#,##0.00"}


def _text_width(value: Any) -> int:
    """Columns a value takes in a cell: a Chinese character two, others one."""
    text = "" if value is None or isinstance(value, int | float) else str(value)
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _restore_formulas(ws: Any, form: Form, profile: Profile) -> None:
    if form.source.origin != "template" or not form.formulas_overwritten:
        return

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
