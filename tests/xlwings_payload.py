"""Drive the add-in's buttons on Linux through xlwings' remote engine.

* :func:`payload` builds the JSON an Office.js client sends (``xw.Book(json=...)``)
  from a workbook file read with openpyxl;
* :func:`apply_actions` plays the actions xlwings returns (``book.json()``) onto the
  openpyxl workbook the way Excel would, so a button's result can be saved and read
  back, and round trips checked;
* :class:`Counted` wraps an ``xw.Book`` and counts every call into xlwings; with
  ``desktop=True`` it also answers the reads only the desktop engines support
  (``Range.formula``, ``Range.color``) from the openpyxl workbook.
"""

from __future__ import annotations

import inspect
from collections import Counter
from pathlib import Path
from typing import Any

import xlwings as xw
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries


def enable_remote_engine(monkeypatch: Any) -> None:
    """Register xlwings' remote engine for one test: it wants a licence key in the
    environment when xlwings is imported, and the key is set for the test run only."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" in xw.engines.engines_by_name:
        return
    from xlwings.main import Engine
    from xlwings.pro import _xlremote

    engine = Engine(impl=_xlremote.engine)
    monkeypatch.setattr(xw.engines, "engines", [*xw.engines.engines, engine])
    monkeypatch.setitem(xw.engines.engines_by_name, "remote", engine)


# -- payload ------------------------------------------------------------------------------


def payload(
    wb: Workbook, name: str = "form.xlsx", cached: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the xlwings Office.js client would send for ``wb``.

    Formula cells read blank unless ``cached`` gives their value (``{"自评表!G5": 9.91}``):
    openpyxl keeps a formula or a value, and Excel would send the value.
    """
    data = {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {
            "name": name,
            "active_sheet_index": wb.worksheets.index(wb.active),
            "selection": "A1",
            "calculation": "Automatic",
        },
        "names": _names(wb),
        "sheets": [_sheet(ws) for ws in wb.worksheets],
    }
    for key, value in (cached or {}).items():
        sheet, address = key.split("!")
        row, col = wb[sheet][address].row, wb[sheet][address].column
        data["sheets"][wb.sheetnames.index(sheet)]["values"][row - 1][col - 1] = value
    return data


def _sheet(ws: Any) -> dict[str, Any]:
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    rows = max((c.row for c in cells), default=0)
    cols = max((c.column for c in cells), default=0)
    values = [[""] * cols for _ in range(rows)]
    for c in cells:
        values[c.row - 1][c.column - 1] = "" if c.data_type == "f" else c.value
    used = None
    if cells:
        top = min(c.row for c in cells)
        left = min(c.column for c in cells)
        used = f"{get_column_letter(left)}{top}:{get_column_letter(cols)}{rows}"
    return {
        "name": ws.title,
        "values": values or [[]],
        "used_range_address": used,
        "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden",
        "pictures": [],
        "shapes": [],
        "charts": [],
        "tables": [],
        "notes": [{"address": c.coordinate} for row in ws.iter_rows() for c in row if c.comment],
        "print_area": None,
        "show_gridlines": True,
        "pivot_tables": [],
    }


def _names(wb: Workbook) -> list[dict[str, Any]]:
    titles = [ws.title for ws in wb.worksheets]
    found = []
    for name, defined in wb.defined_names.items():
        for sheet, ref in defined.destinations:
            found.append(
                {
                    "name": name,
                    "refers_to": f"='{sheet}'!{ref}",
                    "book_scope": True,
                    "scope_sheet_index": None,
                    "scope_sheet_name": None,
                    "sheet_index": titles.index(sheet),
                    "address": ref.replace("$", ""),
                }
            )
    return found


def open_book(path: Path) -> xw.Book:
    return xw.Book(json=payload(load_workbook(path), path.name))


# -- applying actions ---------------------------------------------------------------------


class Applied:
    """What applying a batch left behind besides the workbook: alerts, app settings."""

    def __init__(self) -> None:
        self.alerts: list[str] = []
        self.calculation: list[str] = []
        self.screen_updating: list[bool] = []


def apply_actions(wb: Workbook, actions: list[dict[str, Any]]) -> Applied:
    """Play ``actions`` onto ``wb`` as Excel would; unknown actions fail the test."""
    out = Applied()
    for action in actions:
        func = action["func"]
        handler = _HANDLERS.get(func)
        if handler is None:
            raise AssertionError(f"the test applier does not know action {func!r}")
        handler(wb, action, out)
    return out


def _cells(wb: Workbook, a: dict[str, Any]) -> tuple[Any, int, int, int, int]:
    ws = wb.worksheets[a["sheet_position"]]
    return ws, a["start_row"] + 1, a["start_column"] + 1, a["row_count"], a["column_count"]


def _set_values(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    ws, row, col, nrows, ncols = _cells(wb, a)
    values = a["values"]
    for r in range(nrows):
        for c in range(ncols):
            value = values[r][c] if isinstance(values, list) else values
            _typed(ws.cell(row + r, col + c), value)


def _typed(cell: Any, value: Any) -> None:
    """Excel's reading of a written value: ``'`` keeps text, numbers-as-text become numbers."""
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, str) and value.startswith("'"):
        cell.value = value[1:]
        cell.data_type = "s"
    elif isinstance(value, str) and not value.startswith("="):
        cell.value = _number(value)
        if isinstance(cell.value, str):
            cell.data_type = "s"
    else:
        cell.value = value


def _number(text: str) -> Any:
    body = text.replace(",", "")
    try:
        return float(body[:-1]) / 100 if body.endswith("%") else float(body)
    except ValueError:
        return text


def _set_colors(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    ws, row, col, _, _ = _cells(wb, a)
    for r, line in enumerate(a["args"][0]):
        for c, color in enumerate(line):
            if color != "keep":
                ws.cell(row + r, col + c).fill = _fill(color)


def _fill(color: str | None) -> PatternFill:
    if color is None:
        return PatternFill(fill_type=None)
    return PatternFill("solid", fgColor="FF" + color.lstrip("#").upper())


def _note_cell(wb: Workbook, a: dict[str, Any]) -> Any:
    """The cell a note action names (its address is the first argument)."""
    return wb.worksheets[a["sheet_position"]][a["args"][0].replace("$", "")]


def _add_note(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    cell = _note_cell(wb, a)
    assert cell.comment is None, f"Excel refuses a second note on {cell.coordinate}"
    cell.comment = Comment(a["args"][1], "selfeval")


def _set_note(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    _note_cell(wb, a).comment = Comment(a["args"][1], "selfeval")


def _delete_note(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    _note_cell(wb, a).comment = None


def _add_sheet(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    index, name = a["args"]
    wb.create_sheet(name, index)


def _visibility(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    wb.worksheets[a["sheet_position"]].sheet_state = a["args"][0].lower()


def _delete_sheet(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    wb.remove(wb.worksheets[a["sheet_position"]])


def _clear_contents(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    ws = wb.worksheets[a["sheet_position"]]
    for row in ws.iter_rows():
        for cell in row:
            cell.value = None


def _activate(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    wb.active = a["args"][0]


_HANDLERS = {
    "setValues": _set_values,
    "setFormula": _set_values,
    "setRangeColors": _set_colors,
    "addNote": _add_note,
    "setNoteText": _set_note,
    "deleteNote": _delete_note,
    "addSheet": _add_sheet,
    "setSheetVisibility": _visibility,
    "sheetDelete": _delete_sheet,
    "sheetClearContents": _clear_contents,
    "activateSheet": _activate,
    "alert": lambda wb, a, out: out.alerts.append(a["args"][0]),
    "setCalculation": lambda wb, a, out: out.calculation.append(a["args"][0]),
    "setScreenUpdating": lambda wb, a, out: out.screen_updating.append(a["args"][0]),
}


def press(
    button: Any,
    path: Path,
    desktop: bool = False,
    name: str | None = None,
    cached: dict[str, Any] | None = None,
) -> tuple[Applied, list[dict[str, Any]]]:
    """Press ``button`` on the workbook file ``path`` and save the result back to it.

    ``desktop``: answer the reads only desktop engines support; ``name``: the book's
    name as xlwings reports it (default the file name).
    """
    wb = load_workbook(path)
    book = xw.Book(json=payload(wb, name or path.name, cached))
    counted = Counted(book, wb, desktop)
    button(counted)
    actions = book.json()["actions"]
    applied = apply_actions(wb, actions)
    wb.save(path)
    applied.calls = counted.calls  # type: ignore[attr-defined]
    return applied, actions


# -- counting (and desktop-like) proxy ----------------------------------------------------


class Counted:
    """An xlwings object that counts each call into xlwings made through it.

    ``calls`` counts (type, attribute) pairs; every object handed out is wrapped
    too. With ``desktop=True``, ``Range.formula`` and ``Range.color`` read the
    openpyxl workbook, as the desktop engines read Excel.
    """

    def __init__(self, obj: Any, wb: Workbook, desktop: bool = False, calls: Any = None):
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_wb", wb)
        object.__setattr__(self, "_desktop", desktop)
        object.__setattr__(self, "calls", Counter() if calls is None else calls)

    def _wrap(self, value: Any) -> Any:
        if type(value).__module__.startswith("xlwings"):
            return Counted(value, self._wb, self._desktop, self.calls)
        return value

    def _count(self, name: str) -> None:
        self.calls[(type(self._obj).__name__, name)] += 1

    def __getattr__(self, name: str) -> Any:
        self._count(name)
        if self._desktop and isinstance(self._obj, xw.Range) and name in ("formula", "color"):
            return _desktop_read(self._wb, self._obj, name)
        value = getattr(self._obj, name)
        if inspect.ismethod(value) or inspect.isfunction(value):

            def call(*args: Any, **kwargs: Any) -> Any:
                args = tuple(_unwrap(a) for a in args)
                kwargs = {k: _unwrap(v) for k, v in kwargs.items()}
                return self._wrap(value(*args, **kwargs))

            return call
        return self._wrap(value)

    def __setattr__(self, name: str, value: Any) -> None:
        self._count(name)
        setattr(self._obj, name, _unwrap(value))

    def __getitem__(self, key: Any) -> Any:
        self._count("__getitem__")
        return self._wrap(self._obj[key])

    def __iter__(self) -> Any:
        self._count("__iter__")
        return (self._wrap(v) for v in self._obj)

    def __len__(self) -> int:
        self._count("__len__")
        return len(self._obj)


def _unwrap(value: Any) -> Any:
    return object.__getattribute__(value, "_obj") if isinstance(value, Counted) else value


def _desktop_read(wb: Workbook, rng: xw.Range, name: str) -> Any:
    ws = wb[rng.sheet.name]
    min_col, min_row, max_col, max_row = range_boundaries(rng.address.replace("$", ""))
    if name == "color":
        fill = ws.cell(min_row, min_col).fill
        if fill.fill_type != "solid":
            return None
        rgb = fill.fgColor.rgb[-6:]
        return tuple(int(rgb[i : i + 2], 16) for i in (0, 2, 4))
    rows = [
        tuple(_formula_text(ws.cell(r, c)) for c in range(min_col, max_col + 1))
        for r in range(min_row, max_row + 1)
    ]
    return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else tuple(rows)


def _formula_text(cell: Any) -> str:
    """Range.Formula of one cell: the formula, or the constant as typed (``99.07%``)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float | int) and "%" in cell.number_format:
        decimals = cell.number_format.split(".")[1].count("0") if "." in cell.number_format else 0
        return f"{value * 100:.{decimals}f}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def snapshot(path: Path) -> dict[str, Any]:
    """Everything a button may touch: sheets, visibility, values, fills, notes."""
    wb = load_workbook(path)
    return {
        ws.title: {
            "state": ws.sheet_state,
            "cells": {
                c.coordinate: (
                    c.value,
                    c.fill.fgColor.rgb[-6:] if c.fill.fill_type == "solid" else None,
                    c.comment.text if c.comment else None,
                )
                for row in ws.iter_rows()
                for c in row
                if c.value is not None or c.fill.fill_type == "solid" or c.comment
            },
        }
        for ws in wb.worksheets
    }
