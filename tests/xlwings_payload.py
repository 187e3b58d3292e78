"""Drive the add-in's buttons on Linux through xlwings' remote engine.

* :func:`payload` builds the JSON an Office.js client sends (``xw.Book(json=...)``)
  from a workbook file read with openpyxl;
* :func:`apply_actions` plays the actions xlwings returns (``book.json()``) onto the
  openpyxl workbook the way Excel would, enforcing what Excel enforces (a protected
  sheet refuses values in locked cells, formatting and notes; a protected workbook
  structure refuses new and deleted sheets), so a button's result can be saved and
  read back, and round trips checked;
* :func:`press` runs a button with each write played as it is made, as on the
  desktop, optionally failing the n-th write step (fault injection);
* :class:`Counted` wraps an ``xw.Book`` and counts every call into xlwings; with
  ``desktop=True`` it also answers the reads only the desktop engines support
  (``Range.formula``, ``Range.color``, and ``.api`` for protection and
  ``Cells.Find``) from the openpyxl workbook.
"""

from __future__ import annotations

import inspect
import re
from collections import Counter
from pathlib import Path
from typing import Any

import xlwings as xw
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.protection import SheetProtection

from selfeval.excel.book_file import PROTECTION_ALLOWS


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


class ExcelRefused(Exception):
    """What Excel raises (a COM error on Windows) when it refuses a write."""


class InjectedFault(Exception):
    """A failure the test injects at one write step."""


class Applied:
    """What applying a batch left behind besides the workbook: alerts, app settings."""

    def __init__(self) -> None:
        self.alerts: list[str] = []
        self.calculation: list[str] = []
        self.screen_updating: list[bool] = []
        self.calls: Counter = Counter()
        self.reads: list[tuple[str, str]] = []  # (sheet, address) of every value/formula read
        self.writes = 0  # write steps that reached the workbook


def apply_actions(
    wb: Workbook, actions: list[dict[str, Any]], out: Applied | None = None
) -> Applied:
    """Play ``actions`` onto ``wb`` as Excel would; unknown actions fail the test, and a
    write Excel refuses (protection) raises :class:`ExcelRefused`."""
    out = out or Applied()
    for action in actions:
        func = action["func"]
        handler = _HANDLERS.get(func)
        if handler is None:
            raise AssertionError(f"the test applier does not know action {func!r}")
        handler(wb, action, out)
    return out


# What Excel enforces. A protected sheet refuses a value in a locked cell, any
# formatting unless "format cells" is allowed, and notes unless objects are unlocked;
# a workbook whose structure is protected refuses to add, delete, hide or name sheets.


def _refuse_values(ws: Any, row: int, col: int, nrows: int, ncols: int) -> None:
    if not ws.protection.sheet:
        return
    for r in range(row, row + nrows):
        for c in range(col, col + ncols):
            if ws.cell(r, c).protection.locked:
                raise ExcelRefused(f"单元格 {ws.cell(r, c).coordinate} 受保护，Excel 拒绝写入")


def _refuse_format(ws: Any) -> None:
    if ws.protection.sheet and ws.protection.formatCells:
        raise ExcelRefused(f"工作表 {ws.title} 受保护，Excel 拒绝设置格式")


def _refuse_note(ws: Any) -> None:
    if ws.protection.sheet and ws.protection.objects:
        raise ExcelRefused(f"工作表 {ws.title} 受保护，Excel 拒绝编辑批注")


def _refuse_structure(wb: Workbook) -> None:
    if wb.security is not None and wb.security.lockStructure:
        raise ExcelRefused("工作簿结构受保护，Excel 拒绝增删工作表")


def _cells(wb: Workbook, a: dict[str, Any]) -> tuple[Any, int, int, int, int]:
    ws = wb.worksheets[a["sheet_position"]]
    return ws, a["start_row"] + 1, a["start_column"] + 1, a["row_count"], a["column_count"]


def _set_values(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    ws, row, col, nrows, ncols = _cells(wb, a)
    _refuse_values(ws, row, col, nrows, ncols)
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
    _refuse_format(ws)
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
    ws = wb.worksheets[a["sheet_position"]]
    _refuse_note(ws)
    return ws[a["args"][0].replace("$", "")]


def _add_note(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    cell = _note_cell(wb, a)
    if cell.comment is not None:
        raise ExcelRefused(f"Excel refuses a second note on {cell.coordinate}")
    cell.comment = Comment(a["args"][1], "selfeval")


def _set_note(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    cell = _note_cell(wb, a)
    if cell.comment is None:
        raise ExcelRefused(f"no note on {cell.coordinate} to change")
    cell.comment = Comment(a["args"][1], "selfeval")


def _delete_note(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    cell = _note_cell(wb, a)
    if cell.comment is None:
        raise ExcelRefused(f"no note on {cell.coordinate} to delete")
    cell.comment = None


def _add_sheet(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    _refuse_structure(wb)
    index, name = a["args"]
    wb.create_sheet(name, index)


def _visibility(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    _refuse_structure(wb)
    wb.worksheets[a["sheet_position"]].sheet_state = a["args"][0].lower()


def _delete_sheet(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    _refuse_structure(wb)
    wb.remove(wb.worksheets[a["sheet_position"]])


def _clear_contents(wb: Workbook, a: dict[str, Any], out: Applied) -> None:
    ws = wb.worksheets[a["sheet_position"]]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    for cell in cells:
        _refuse_values(ws, cell.row, cell.column, 1, 1)
    for cell in cells:
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
WRITES = {
    "setValues",
    "setFormula",
    "setRangeColors",
    "addNote",
    "setNoteText",
    "deleteNote",
    "addSheet",
    "setSheetVisibility",
    "sheetDelete",
    "sheetClearContents",
}
"""Actions that change the workbook: the steps a fault can be injected at."""


def press(
    button: Any,
    path: Path,
    desktop: bool = False,
    name: str | None = None,
    cached: dict[str, Any] | None = None,
    fault_at: int | None = None,
    formatted_columns: str | None = None,
) -> tuple[Applied, list[dict[str, Any]]]:
    """Press ``button`` on the workbook file ``path`` and save the result back to it.

    Each write reaches the workbook as the button makes it (as with Excel on the
    desktop), so a write Excel refuses raises at the call. ``desktop``: answer the reads
    only desktop engines support, and Excel's object model for protection; ``name``:
    the book's name as xlwings reports it (default the file name); ``fault_at``: the
    n-th write step (1-based) fails; ``formatted_columns`` (e.g. ``"A:H"``): those
    columns are formatted to the last row, so Excel's used range reaches row 1,048,576.
    """
    wb = load_workbook(path)
    book = xw.Book(json=payload(wb, name or path.name, cached))
    session = Session(wb, book, desktop, fault_at, formatted_columns)
    button(Counted(book, session))
    session.flush()
    wb.save(path)
    return session.applied, session.actions


class Session:
    """One button press: the openpyxl workbook standing in for Excel, and what reached it."""

    def __init__(
        self,
        wb: Workbook,
        book: xw.Book,
        desktop: bool,
        fault_at: int | None = None,
        formatted_columns: str | None = None,
    ) -> None:
        self.wb, self.book, self.desktop = wb, book, desktop
        self.fault_at = fault_at
        self.formatted_columns = formatted_columns
        self.applied = Applied()
        self.actions: list[dict[str, Any]] = []
        self._sheets = list(book.api["sheets"])

    def write_step(self) -> None:
        """Count one write; fail it if it is the one the test injects a fault at."""
        self.applied.writes += 1
        if self.applied.writes == self.fault_at:
            raise InjectedFault(f"注入的故障（第 {self.fault_at} 步）")

    def flush(self) -> None:
        """Play the actions xlwings queued since the last call onto the workbook."""
        queued = self.book.json()["actions"]
        batch = list(queued)
        queued.clear()
        self.actions.extend(batch)
        sheets, self._sheets = self._sheets, list(self.book.api["sheets"])
        for action in batch:
            try:
                if action["func"] in WRITES:
                    self.write_step()
                apply_actions(self.wb, [action], self.applied)
            except Exception:
                self._forget(action, sheets)
                raise

    def _forget(self, action: dict[str, Any], sheets: list[dict[str, Any]]) -> None:
        """xlwings updated its own picture of the book when it queued ``action``; the write
        did not happen, so as Excel would, xlwings must not see it either."""
        func = action["func"]
        if func == "addNote":
            sheet = self.book.api["sheets"][action["sheet_position"]]
            address = action["args"][0].replace("$", "")
            sheet["notes"] = [n for n in sheet["notes"] if n["address"].replace("$", "") != address]
        elif func == "deleteNote":
            sheet = self.book.api["sheets"][action["sheet_position"]]
            sheet["notes"].append({"address": action["args"][0]})
        elif func in ("addSheet", "sheetDelete"):
            self.book.api["sheets"][:] = sheets  # the sheets before the call


# -- counting (and desktop-like) proxy ----------------------------------------------------


class Counted:
    """An xlwings object that counts each call into xlwings made through it, and plays
    the writes onto the session's workbook at once.

    ``calls`` counts (type, attribute) pairs; every object handed out is wrapped
    too. On the desktop, ``Range.formula`` and ``Range.color`` read the openpyxl
    workbook and ``Sheet.api`` / ``Book.api`` answer for Excel's object model.
    """

    def __init__(self, obj: Any, session: Session):
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_session", session)

    @property
    def calls(self) -> Counter:
        return self._session.applied.calls

    def _wrap(self, value: Any) -> Any:
        if type(value).__module__.startswith("xlwings"):
            return Counted(value, self._session)
        return value

    def _count(self, name: str) -> None:
        self._session.applied.calls[(type(self._obj).__name__, name)] += 1

    def __getattr__(self, name: str) -> Any:
        self._count(name)
        session = self._session
        if isinstance(self._obj, xw.Range) and name in ("value", "formula"):
            session.applied.reads.append((self._obj.sheet.name, self._obj.address))
        if session.desktop:
            if isinstance(self._obj, xw.Range) and name in ("formula", "color"):
                return _desktop_read(session.wb, self._obj, name)
            if isinstance(self._obj, xw.Sheet) and name == "api":
                return SheetApi(session, self._obj.name)
            if isinstance(self._obj, xw.Book) and name == "api":
                return BookApi(session)
            if isinstance(self._obj, xw.Sheet) and name == "used_range":
                return self._wrap(_desktop_used_range(session, self._obj))
        value = getattr(self._obj, name)
        if inspect.ismethod(value) or inspect.isfunction(value):

            def call(*args: Any, **kwargs: Any) -> Any:
                args = tuple(_unwrap(a) for a in args)
                kwargs = {k: _unwrap(v) for k, v in kwargs.items()}
                result = self._wrap(value(*args, **kwargs))
                session.flush()
                return result

            return call
        return self._wrap(value)

    def __setattr__(self, name: str, value: Any) -> None:
        self._count(name)
        setattr(self._obj, name, _unwrap(value))
        self._session.flush()

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


def _desktop_used_range(session: Session, sheet: xw.Sheet) -> Any:
    """Excel's used range: formatting down whole columns stretches it to the last row."""
    used = sheet.used_range
    if not session.formatted_columns:
        return used
    first, last = session.formatted_columns.split(":")
    return sheet.range(f"{first}1:{last}1048576")


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


# -- Excel's object model for protection (what ``.api`` reaches on the desktop) ----------

_SELECTION = {0: (False, False), 1: (True, False), -4142: (True, True)}  # xlNoRestrictions …


class _Protection:
    def __init__(self, protection: SheetProtection) -> None:
        for name, attr in PROTECTION_ALLOWS.items():
            setattr(self, name, not getattr(protection, attr))


class _Found:
    def __init__(self, row: int, column: int) -> None:
        self.Row, self.Column = row, column


class _Cells:
    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def Find(self, What: str, SearchOrder: int, SearchDirection: int, **_: Any) -> _Found | None:  # noqa: N802, N803
        """Cells.Find("*", …, xlPrevious): the last cell with content by rows or columns."""
        assert What == "*" and SearchDirection == 2
        cells = [c for row in self.ws.iter_rows() for c in row if c.value is not None]
        if not cells:
            return None
        if SearchOrder == 1:
            last = max(cells, key=lambda c: (c.row, c.column))
        else:
            last = max(cells, key=lambda c: (c.column, c.row))
        return _Found(last.row, last.column)


class SheetApi:
    """``Sheet.api`` on Windows: the Worksheet's protection as Excel reports and sets it."""

    def __init__(self, session: Session, name: str) -> None:
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_ws", session.wb[name])

    @property
    def Cells(self) -> _Cells:  # noqa: N802
        return _Cells(self._ws)

    @property
    def ProtectContents(self) -> bool:  # noqa: N802
        return bool(self._ws.protection.sheet)

    @property
    def ProtectDrawingObjects(self) -> bool:  # noqa: N802
        return bool(self._ws.protection.sheet and self._ws.protection.objects)

    @property
    def ProtectScenarios(self) -> bool:  # noqa: N802
        return bool(self._ws.protection.sheet and self._ws.protection.scenarios)

    @property
    def ProtectionMode(self) -> bool:  # noqa: N802
        return False

    @property
    def Protection(self) -> _Protection:  # noqa: N802
        return _Protection(self._ws.protection)

    @property
    def EnableSelection(self) -> int:  # noqa: N802
        p = self._ws.protection
        key = (bool(p.selectLockedCells), bool(p.selectUnlockedCells))
        return {v: k for k, v in _SELECTION.items()}.get(key, 0)

    def __setattr__(self, name: str, value: Any) -> None:
        assert name == "EnableSelection", name
        p = self._ws.protection
        p.selectLockedCells, p.selectUnlockedCells = _SELECTION[value]

    def Unprotect(self, Password: str = "") -> None:  # noqa: N802, N803
        self._session.write_step()
        p = self._ws.protection
        if p.password and Password != "secret":  # the tests' user password
            raise ExcelRefused("您提供的密码不正确")
        # Unprotecting forgets the options: Protect must be given them again.
        self._ws.protection = SheetProtection(
            selectLockedCells=p.selectLockedCells, selectUnlockedCells=p.selectUnlockedCells
        )

    def Protect(  # noqa: N802
        self,
        Password: str = "",  # noqa: N803
        DrawingObjects: bool = True,  # noqa: N803
        Contents: bool = True,  # noqa: N803
        Scenarios: bool = True,  # noqa: N803
        UserInterfaceOnly: bool = False,  # noqa: N803
        **allows: bool,
    ) -> None:
        self._session.write_step()
        assert not Password and not UserInterfaceOnly
        p = self._ws.protection
        p.sheet, p.objects, p.scenarios = Contents, DrawingObjects, Scenarios
        for name, attr in PROTECTION_ALLOWS.items():
            setattr(p, attr, not allows.pop(name, False))
        assert not allows, allows


class BookApi:
    """``Book.api`` on Windows: the workbook's structure protection."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._wb = session.wb

    @property
    def ProtectStructure(self) -> bool:  # noqa: N802
        return bool(self._wb.security and self._wb.security.lockStructure)

    @property
    def ProtectWindows(self) -> bool:  # noqa: N802
        return bool(self._wb.security and self._wb.security.lockWindows)

    def Unprotect(self, Password: str = "") -> None:  # noqa: N802, N803
        self._session.write_step()
        if self._wb.security is not None and self._wb.security.workbookPassword:
            raise ExcelRefused("您提供的密码不正确")
        self._wb.security = WorkbookProtection()

    def Protect(self, Password: str = "", Structure: bool = False, Windows: bool = False) -> None:  # noqa: N802, N803
        self._session.write_step()
        assert not Password
        self._wb.security = WorkbookProtection(lockStructure=Structure, lockWindows=Windows)


_PROTECTION = (
    "sheet",
    "objects",
    "scenarios",
    *PROTECTION_ALLOWS.values(),
    "selectLockedCells",
    "selectUnlockedCells",
    "password",
)


def snapshot(path: Path) -> dict[str, Any]:
    """Everything a button may touch: sheets, visibility, values, fills, notes, protection."""
    wb = load_workbook(path)
    found: dict[str, Any] = {
        ws.title: {
            "state": ws.sheet_state,
            "protection": {a: getattr(ws.protection, a) for a in _PROTECTION},
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
    security = wb.security
    found["(工作簿保护)"] = (
        None
        if security is None
        else (
            bool(security.lockStructure),
            bool(security.lockWindows),
            security.workbookPassword,
        )
    )
    return found


# -- what a user does to a workbook between two clicks ------------------------------------

_REF = re.compile(r"(\$?)([A-Z]{1,3})(\$?)([0-9]+)(?![0-9(])")


def insert_rows(path: Path, sheet: str, row: int, amount: int = 1) -> None:
    """Insert rows before ``row`` as Excel does: cells, notes and fills move down, and so do
    merged ranges, defined names and the references of formulas."""
    _shift_rows(path, sheet, row, amount)


def delete_rows(path: Path, sheet: str, row: int, amount: int = 1) -> None:
    """Delete rows ``row`` … as Excel does (see :func:`insert_rows`)."""
    _shift_rows(path, sheet, row, -amount)


def _shift_rows(path: Path, sheet: str, at: int, amount: int) -> None:
    wb = load_workbook(path)
    ws = wb[sheet]

    first_moved = at if amount > 0 else at - amount  # rows from here on shift by amount

    def moved(match: re.Match[str]) -> str:
        n = int(match[4])
        if n >= first_moved:
            n += amount
        return f"{match[1]}{match[2]}{match[3]}{n}"

    merged = [str(m) for m in ws.merged_cells.ranges]
    for ref in merged:
        ws.unmerge_cells(ref)
    if amount > 0:
        ws.insert_rows(at, amount)
    else:
        ws.delete_rows(at, -amount)
    for ref in merged:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if amount < 0 and at <= min_row and max_row < at - amount:
            continue  # deleted with its rows
        ws.merge_cells(_REF.sub(moved, ref))
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.value = _REF.sub(moved, cell.value)
    for defined in wb.defined_names.values():
        defined.attr_text = _REF.sub(moved, defined.attr_text)
    wb.save(path)


def delete_note(path: Path, sheet: str, address: str) -> None:
    """The user deletes a note by hand."""
    wb = load_workbook(path)
    wb[sheet][address].comment = None
    wb.save(path)
