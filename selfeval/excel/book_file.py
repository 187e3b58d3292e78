"""A saved workbook file as the buttons see it (the WPS add-in's copy, sent to the service).

The values come from the readers (:func:`selfeval.readers.workbook.load_grids`, as for
``selfeval validate``); what only an open workbook tells the Excel add-in (every
formula, a cell's fill and note, what a sheet holds) is read from the same file with
openpyxl. The ledger comes from the hidden state sheet the previous plan wrote.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from selfeval.errors import InputError
from selfeval.excel import book_io
from selfeval.excel.marks import STATE_SHEET
from selfeval.excel.workbook import RESULTS_SHEET, BookView, view_of_grids
from selfeval.profiles.policy import Profile, load_profile
from selfeval.readers.grid import Grid
from selfeval.readers.limits import OwnOutputFile, WorkbookError
from selfeval.readers.workbook import load_grids

NOT_XLSX = (
    "工作簿不是 .xlsx 格式（可能是 WPS 的 .et、旧版 .xls，或设了打开密码），"
    "请另存为 .xlsx（不设打开密码）后再试"
)


class NotWorkbook(InputError):
    """The file sent is no .xlsx workbook the add-in can plan for (a 400, not a 422)."""


def view_of_file(data: bytes, name: str, profile: Profile | str | None = None) -> BookView:
    """The view of the workbook whose ``.xlsx`` file is ``data``; InputError (Chinese) when
    it is none. ``profile``: a Profile, or a shipped profile's name."""
    from openpyxl import load_workbook  # openpyxl loads only when a copy is planned (start-up)

    if not data.startswith(b"PK"):
        raise NotWorkbook(NOT_XLSX)
    with tempfile.TemporaryDirectory(prefix="selfeval-") as folder:
        path = Path(folder) / (Path(name).name or "工作簿.xlsx")
        path.write_bytes(data)
        try:
            loaded = load_grids(path)
            book = load_workbook(path, rich_text=False)
        except (WorkbookError, OwnOutputFile) as exc:
            raise NotWorkbook(str(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - a broken file is the sender's problem
            raise NotWorkbook("文件已损坏或不是有效的 .xlsx 工作簿，无法读取") from exc
    grids: dict[str, Grid] = {}
    ledger_rows: list[list[Any]] = []
    for grid in loaded:
        if grid.sheet == STATE_SHEET:
            ledger_rows = grid.values
        elif grid.sheet != RESULTS_SHEET and grid.sheet in book.sheetnames:
            if not grid.skipped:
                grid.formulas = _formulas(book[grid.sheet], grid)
            grids[grid.sheet] = grid
    view = view_of_grids(Path(name).name, grids, ledger_rows, _profile(profile))
    view.looks = lambda sheet, cells: {c: _look(book[sheet][c]) for c in cells}
    view.rows_of = lambda sheet: _rows(book, sheet)
    view.protections = _protections(book)
    return view


# Worksheet.Protect's Allow* arguments -> openpyxl's SheetProtection attribute (which says
# the opposite: True when the action is protected).
_ALLOWS = {
    "AllowFormattingCells": "formatCells",
    "AllowFormattingColumns": "formatColumns",
    "AllowFormattingRows": "formatRows",
    "AllowInsertingColumns": "insertColumns",
    "AllowInsertingRows": "insertRows",
    "AllowInsertingHyperlinks": "insertHyperlinks",
    "AllowDeletingColumns": "deleteColumns",
    "AllowDeletingRows": "deleteRows",
    "AllowSorting": "sort",
    "AllowFiltering": "autoFilter",
    "AllowUsingPivotTables": "pivotTables",
}


def _protections(book: Any) -> dict[str, dict[str, Any]]:
    """Each protected sheet's options as ``Protect`` takes them, and whether a password
    guards it; ``""``: the workbook's structure."""
    found: dict[str, dict[str, Any]] = {}
    for ws in book.worksheets:
        p = ws.protection
        if p.sheet:
            options = {name: not getattr(p, attr) for name, attr in _ALLOWS.items()}
            found[ws.title] = options | {
                "DrawingObjects": bool(p.objects),
                "Contents": True,
                "Scenarios": bool(p.scenarios),
                "password": bool(p.password),
            }
    security = book.security
    if security is not None and (security.lockStructure or security.lockWindows):
        found[""] = {
            "Structure": bool(security.lockStructure),
            "Windows": bool(security.lockWindows),
            "password": bool(security.workbookPassword),
        }
    return found


def _profile(name: Profile | str | None) -> Profile | None:
    """The scoring profile named by the request; ProfileError (Chinese) if there is none."""
    if not name or isinstance(name, Profile):
        return name or None
    if not name.isidentifier():  # a shipped profile by name; never a path on the server
        raise InputError(f"评分口径“{name}”不存在，请填写口径名称（如 national、shanghai）")
    return load_profile(name)


def _formulas(ws: Any, grid: Grid) -> list[list[str | None]]:
    """The formula of every cell of the grid (None for a constant), same shape as values."""
    top, left = grid.origin
    width = max((len(r) for r in grid.values), default=0)
    return [
        [_formula(ws.cell(top + r, left + c).value) for c in range(width)]
        for r in range(len(grid.values))
    ]


def _formula(value: Any) -> str | None:
    text = getattr(value, "text", value)  # an array formula keeps its text in .text
    return text if isinstance(text, str) and text.startswith("=") else None


def _look(cell: Any) -> tuple[book_io.Color, bool]:
    """(fill as #rrggbb or None, holds a note) of one cell."""
    fill = cell.fill
    color = None
    if fill is not None and fill.fill_type == "solid" and fill.fgColor is not None:
        if fill.fgColor.type == "rgb" and isinstance(fill.fgColor.rgb, str):
            color = "#" + fill.fgColor.rgb[-6:].lower()
        elif fill.fgColor.type == "indexed":
            from openpyxl.styles.colors import COLOR_INDEX  # with openpyxl (start-up)

            index = fill.fgColor.indexed
            if 0 <= index < len(COLOR_INDEX):
                color = "#" + COLOR_INDEX[index][-6:].lower()
    return color, cell.comment is not None


def _rows(book: Any, name: str) -> list[list[Any]] | None:
    """What sheet ``name`` holds, formulas as typed and text escaped as Excel takes it."""
    if name not in book.sheetnames:
        return None
    ws = book[name]
    return [
        [v if _formula(v) else book_io.excel_value(v) for v in row]
        for row in ws.iter_rows(values_only=True)
    ]
