"""A saved workbook file as the buttons see it (the WPS add-in's copy, sent to the service).

The values come from the readers (:func:`selfeval.readers.workbook.load_grids`, as for
``selfeval validate``); what only an open workbook tells the Excel add-in (every
formula, a cell's fill and note, what a sheet holds) is read from the same file with
openpyxl. The ledger comes from the hidden state sheet the previous plan wrote.
"""

from __future__ import annotations

import colorsys
import tempfile
from pathlib import Path
from typing import Any

from defusedxml import ElementTree

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
    theme = theme_colors(book.loaded_theme)
    view.looks = lambda sheet, cells: {c: _look(book[sheet][c], theme) for c in cells}
    view.rows_of = lambda sheet: _rows(book, sheet)
    view.protections = _protections(book)
    return view


# Worksheet.Protect's Allow* arguments -> openpyxl's SheetProtection attribute (which says
# the opposite: True when the action is protected).
PROTECTION_ALLOWS = {
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
            options = {name: not getattr(p, attr) for name, attr in PROTECTION_ALLOWS.items()}
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


def _look(cell: Any, theme: list[str]) -> tuple[book_io.Color, bool]:
    """(fill as #rrggbb or None, holds a note) of one cell."""
    return fill_color(cell.fill, theme), cell.comment is not None


def fill_color(fill: Any, theme: list[str]) -> book_io.Color:
    """A solid fill as ``#rrggbb`` (what the open workbook reports as Interior.Color):
    an RGB, an indexed colour, or a theme colour with its tint; None for no fill."""
    if fill is None or fill.fill_type != "solid" or fill.fgColor is None:
        return None
    color = fill.fgColor
    if color.type == "rgb" and isinstance(color.rgb, str):
        return "#" + color.rgb[-6:].lower()
    from openpyxl.styles.colors import COLOR_INDEX  # with openpyxl, when a copy is planned

    if color.type == "indexed" and 0 <= color.indexed < len(COLOR_INDEX):
        return "#" + COLOR_INDEX[color.indexed][-6:].lower()
    if color.type == "theme" and 0 <= color.theme < len(theme):
        return _tinted(theme[color.theme], color.tint or 0.0)
    return None


def theme_colors(xml: bytes | None) -> list[str]:
    """The theme's colours in the order fills index them (lt1, dk1, lt2, dk2, accent1…)."""
    if not xml:
        return []
    scheme = next(
        (e for e in ElementTree.fromstring(xml).iter() if e.tag == f"{_A}clrScheme"), None
    )
    if scheme is None:
        return []
    colors = {}
    for slot in scheme:
        value = next(iter(slot), None)
        if value is not None:
            colors[slot.tag.removeprefix(_A)] = value.get("lastClr") or value.get("val") or ""
    order = ("lt1", "dk1", "lt2", "dk2", *(f"accent{i}" for i in range(1, 7)), "hlink", "folHlink")
    return [colors.get(name, "000000").lower() for name in order]


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _tinted(rgb: str, tint: float) -> str:
    """``rgb`` lightened (tint > 0) or darkened (tint < 0) as Excel applies a tint."""
    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    h, light, sat = colorsys.rgb_to_hls(r, g, b)
    light = light * (1 + tint) if tint < 0 else light * (1 - tint) + tint
    return "#" + "".join(f"{round(v * 255):02x}" for v in colorsys.hls_to_rgb(h, light, sat))


def _rows(book: Any, name: str) -> list[list[Any]] | None:
    """What sheet ``name`` holds, formulas as typed and text escaped as Excel takes it."""
    if name not in book.sheetnames:
        return None
    ws = book[name]
    return [
        [v if _formula(v) else book_io.excel_value(v) for v in row]
        for row in ws.iter_rows(values_only=True)
    ]
