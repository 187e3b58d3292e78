"""Bulk reads and writes on an ``xw.Book``: the only module that talks to xlwings.

Every button reads a sheet with a constant number of range reads (the cells that
hold data once for ``.value`` and once for ``.formula``) and writes in blocks,
whatever the size of the form. Engines differ in what they can read synchronously:

* the desktop engines (Windows COM, Mac AppleScript, used by the .xlam add-in)
  read values, formulas, fills and notes;
* the remote engine (``xw.Book(json=...)``: xlwings Server, the tests) reads
  values, defined names and which cells hold a note, but neither formulas nor
  fills: those reads raise ``NotImplementedError`` and are reported as unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from selfeval.errors import SelfevalError
from selfeval.form.safe_text import is_formula_like
from selfeval.layouts.layout import letter, range_bounds
from selfeval.readers.grid import CellValue, Grid, read_typed_formulas

Color = str | None
"""A fill as ``#RRGGBB`` (lower case), None for no fill."""

_MAX_COLOR_CELLS = 10_000  # xlwings' limit for one Range.set_colors call


# -- reading ----------------------------------------------------------------------------


def read_grid(sheet: Any, names: Mapping[str, str] | None = None) -> Grid:
    """The cells of the sheet that hold data as a :class:`Grid`: one value read, one
    formula read."""
    used = data_range(sheet)
    values = _matrix(used.options(ndim=2).value)
    typed = _typed(used, len(values), len(values[0]) if values else 0)
    formulas = None if typed is None else [[_formula(t) for t in row] for row in typed]
    grid = Grid(
        sheet=sheet.name,
        values=[[_cell(v) for v in row] for row in values],
        origin=(used.row, used.column),
        formulas=formulas,
        names=dict(names or {}),
        shown={} if typed is None else _shown(values, typed),
    )
    if formulas is not None:  # a typed =100% reads as its text, as in every reader
        read_typed_formulas(
            grid, ((r, c, f) for r, row in enumerate(formulas) for c, f in enumerate(row) if f)
        )
    return grid


def data_range(sheet: Any) -> Any:
    """The used range cut at the last row and column that hold data.

    A sheet formatted down whole columns has a used range to row 1,048,576; the
    desktop engines ask Excel for the last cell with content (``Cells.Find``) so
    that only the cells holding data are read. Other engines keep the used range.
    """
    used = sheet.used_range
    last = _last_data_cell(sheet)
    if last is None:
        return used
    last_row = min(last[0], used.row + used.rows.count - 1)
    last_col = min(last[1], used.column + used.columns.count - 1)
    if last_row < used.row or last_col < used.column:
        return sheet.range((used.row, used.column))
    return sheet.range((used.row, used.column), (last_row, last_col))


_XL_FORMULAS, _XL_PART, _XL_BY_ROWS, _XL_BY_COLUMNS, _XL_PREVIOUS = -4123, 2, 1, 2, 2


def _last_data_cell(sheet: Any) -> tuple[int, int] | None:
    """(row, column) of the last cell holding a value or formula; None when unknown."""
    try:
        cells = sheet.api.Cells
        found = [
            cells.Find(
                What="*",
                LookIn=_XL_FORMULAS,
                LookAt=_XL_PART,
                SearchOrder=order,
                SearchDirection=_XL_PREVIOUS,
            )
            for order in (_XL_BY_ROWS, _XL_BY_COLUMNS)
        ]
    except Exception:  # noqa: BLE001 - an engine without Excel's object model
        return None
    if found[0] is None or found[1] is None:
        return (0, 0)  # no data at all
    return int(found[0].Row), int(found[1].Column)


def _typed(used: Any, rows: int, cols: int) -> list[list[Any]] | None:
    """``Range.formula`` of the used range: what was typed in each cell (a formula, or a
    constant as the formula bar shows it, ``99.07%``); None if the engine can't read it."""
    try:
        raw = used.formula
    except NotImplementedError:
        return None
    if not isinstance(raw, list | tuple):
        raw = [[raw]]
    grid = [list(row) if isinstance(row, list | tuple) else [row] for row in raw]
    if cols == 1 and rows > 1 and len(grid) == 1:  # a single column comes back flat
        grid = [[v] for v in grid[0]]
    return grid


def _formula(typed: Any) -> str | None:
    return typed if isinstance(typed, str) and typed.startswith("=") else None


def _shown(values: list[list[Any]], typed: list[list[Any]]) -> dict[tuple[int, int], str]:
    """Numbers typed as percentages (``100%`` holds 1.0): the text as typed."""
    return {
        (r, c): t
        for r, (row, trow) in enumerate(zip(values, typed, strict=False))
        for c, (v, t) in enumerate(zip(row, trow, strict=False))
        if isinstance(v, int | float) and isinstance(t, str) and t.strip().endswith("%")
    }


def _matrix(value: Any) -> list[list[Any]]:
    if not isinstance(value, list):
        return [[value]]
    return [list(row) for row in value]


def _cell(value: Any) -> CellValue:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10] if not getattr(value, "hour", 0) else value.isoformat()
    return value


def defined_names(book: Any) -> dict[str, dict[str, str]]:
    """Defined names per sheet: sheet name -> {name: address without ``$``}."""
    found: dict[str, dict[str, str]] = {}
    for name in book.names:
        target = _split_reference(name.refers_to)
        if target:
            sheet, address = target
            found.setdefault(sheet, {})[name.name.split("!")[-1]] = address
    return found


def _split_reference(refers_to: str | None) -> tuple[str, str] | None:
    if not refers_to or "!" not in refers_to:
        return None
    sheet, address = refers_to.lstrip("=").rsplit("!", 1)
    if not re.fullmatch(r"\$?[A-Z]+\$?\d+(:\$?[A-Z]+\$?\d+)?", address):
        return None
    return sheet.strip("'").replace("''", "'"), address.replace("$", "")


def read_cells(sheet: Any, addresses: Iterable[str]) -> dict[str, tuple[Color, bool]]:
    """Each cell's fill and whether it holds a note.

    Desktop engines report one cell's fill and note at a time, so this costs two
    reads per cell; the buttons call it only for cells they mark for the first
    time. The remote engine cannot report fills: they read as no fill.
    """
    found: dict[str, tuple[Color, bool]] = {}
    for address in addresses:
        cell = sheet.range(address)
        try:
            color = cell.color
        except NotImplementedError:
            color = None
        found[address] = (_hex(color), cell.note is not None)
    return found


def _hex(color: Any) -> Color:
    if color is None:
        return None
    if isinstance(color, str):
        return ("#" + color.lstrip("#")).lower()
    if isinstance(color, int):
        # Excel's colour integers are BGR.
        color = (color & 0xFF, (color >> 8) & 0xFF, (color >> 16) & 0xFF)
    return "#{:02x}{:02x}{:02x}".format(*color)


# -- writing ----------------------------------------------------------------------------


@contextmanager
def fast_writes(app: Any) -> Iterator[None]:
    """Manual calculation and no screen updating while writing; both restored on exit."""
    previous = _calculation(app)
    if previous is not None:
        app.calculation = "manual"
    app.screen_updating = False
    try:
        yield
    finally:
        app.screen_updating = True
        if previous is not None:
            app.calculation = previous


def _calculation(app: Any) -> str | None:
    try:
        return app.calculation
    except NotImplementedError:  # a remote client that does not send the mode
        return None


def write_values(sheet: Any, values: Mapping[str, Any], current: Grid | None = None) -> None:
    """Write cell values in blocks: one write per column run.

    Cells between two written cells of a column are rewritten with their current
    value from ``current`` (so a column costs one write, however many rows change);
    the caller leaves formula cells out, and a run stops at a cell it cannot rewrite.
    """
    for column, rows in _by_column(values).items():
        for first, last in _runs(rows, column, current):
            block = [
                [excel_value(values.get(f"{column}{r}", _current(current, column, r)))]
                for r in range(first, last + 1)
            ]
            sheet.range(f"{column}{first}:{column}{last}").value = block


def _by_column(addresses: Iterable[str]) -> dict[str, list[int]]:
    columns: dict[str, list[int]] = {}
    for address in addresses:
        col, row, _, _ = range_bounds(address)
        columns.setdefault(letter(col), []).append(row)
    return {c: sorted(rows) for c, rows in columns.items()}


def _runs(rows: list[int], column: str, current: Grid | None) -> list[tuple[int, int]]:
    """Consecutive blocks of ``rows``; a gap is bridged only where it can be rewritten."""
    runs = [[rows[0], rows[0]]]
    for row in rows[1:]:
        gap = range(runs[-1][1] + 1, row)
        if current is not None and all(_rewritable(current, column, r) for r in gap):
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return [(a, b) for a, b in runs]


def _rewritable(grid: Grid, column: str, row: int) -> bool:
    """A cell whose value and kind survive being written back as read."""
    if grid.formulas is None:
        return False  # it might hold a formula
    address = f"{column}{row}"  # outside the used range: empty, so rewritable
    return grid.formula_at(address) is None and not isinstance(grid.at(address), str)


def _current(grid: Grid | None, column: str, row: int) -> Any:
    return None if grid is None else grid.at(f"{column}{row}")


def excel_value(value: Any) -> Any:
    """A value Excel stores as given: text that Excel would turn into a formula,
    a number or a date when written gets the ``'`` text prefix."""
    if isinstance(value, str) and value and _reinterpreted(value):
        return "'" + value
    return value


_DATE_LIKE = re.compile(r"\d{1,4}[-/]\d{1,2}([-/]\d{1,4})?")


def _reinterpreted(text: str) -> bool:
    if is_formula_like(text) or text[0] == "'" or _DATE_LIKE.fullmatch(text.strip()):
        return True
    try:
        float(text.replace(",", "").rstrip("%"))
    except ValueError:
        return False
    return True


def set_fills(sheet: Any, fills: Mapping[str, Color]) -> None:
    """Set the fill of each cell with one ``set_colors`` call per block of rows."""
    if not fills:
        return
    cells = [(*_coords(a), color) for a, color in fills.items()]
    min_col = min(c for _, c, _ in cells)
    max_col = max(c for _, c, _ in cells)
    rows = sorted({r for r, _, _ in cells})
    step = max(1, _MAX_COLOR_CELLS // (max_col - min_col + 1))
    by_cell = {(r, c): color for r, c, color in cells}
    start = 0
    while start < len(rows):
        first = rows[start]
        last = max(r for r in rows if r < first + step)
        matrix = [
            [by_cell.get((r, c), ...) for c in range(min_col, max_col + 1)]
            for r in range(first, last + 1)
        ]
        address = f"{letter(min_col)}{first}:{letter(max_col)}{last}"
        sheet.range(address).set_colors(matrix)
        start = rows.index(last) + 1


def _coords(address: str) -> tuple[int, int]:
    col, row, _, _ = range_bounds(address)
    return row, col


def set_note(
    sheet: Any, address: str, text: str | None, ours: str | None, seen: dict | None = None
) -> None:
    """Give the cell the note ``text`` (None: no note); ``ours``: the note of ours it should
    hold now (None: none). Before anything is written, ``seen["had"]`` is set to whether
    the cell holds a note of ours (left unset when the cell is left alone).

    The cell is asked first: a note of ours the user deleted by hand is not missed, and
    a note that is not ours (the user's, added since) is left alone.
    """
    cell = sheet.range(address)
    note = cell.note
    if note is not None and ours is None:
        return  # the user's
    if seen is not None:
        seen["had"] = note is not None
    if note is None and text is not None:
        cell.add_note(text)
    elif note is not None and text is None:
        note.delete()
    elif note is not None:
        note.text = text


# -- protection ----------------------------------------------------------------------------
# Excel refuses to write or format a locked cell of a protected sheet, and to add or
# delete a sheet of a workbook whose structure is protected. The desktop engines reach
# Excel's object model through ``.api``: a protection without a password is lifted for
# the write and put back with exactly the same options.

SHEET_FLAGS = {  # Protect argument -> the Worksheet property that reports it
    "DrawingObjects": "ProtectDrawingObjects",
    "Contents": "ProtectContents",
    "Scenarios": "ProtectScenarios",
    "UserInterfaceOnly": "ProtectionMode",
}
SHEET_ALLOWS = (
    "AllowFormattingCells",
    "AllowFormattingColumns",
    "AllowFormattingRows",
    "AllowInsertingColumns",
    "AllowInsertingRows",
    "AllowInsertingHyperlinks",
    "AllowDeletingColumns",
    "AllowDeletingRows",
    "AllowSorting",
    "AllowFiltering",
    "AllowUsingPivotTables",
)
BOOK_FLAGS = {"Structure": "ProtectStructure", "Windows": "ProtectWindows"}

Protection = dict[str, Any]
"""The options a sheet or workbook is protected with, as ``Protect`` takes them."""


class PasswordProtected(SelfevalError):
    """A sheet or workbook protected with a password: the buttons leave it alone."""


def protection(target: Any) -> Protection | None:
    """The protection of a sheet or book (None: not protected, or the engine can't tell)."""
    try:
        api = target.api
        flags = BOOK_FLAGS if _is_book(target) else SHEET_FLAGS
        options = {arg: bool(getattr(api, prop)) for arg, prop in flags.items()}
        if not any(v for k, v in options.items() if k != "UserInterfaceOnly"):
            return None
        if not _is_book(target):
            allowed = api.Protection
            options |= {name: bool(getattr(allowed, name)) for name in SHEET_ALLOWS}
            options["EnableSelection"] = api.EnableSelection
        return options
    except (AttributeError, NotImplementedError, TypeError):
        return None  # an engine without Excel's object model


def unprotect(target: Any) -> None:
    """Lift a protection that has no password; :class:`PasswordProtected` if it has one."""
    try:
        target.api.Unprotect(Password="")
    except Exception as exc:  # noqa: BLE001 - Excel reports a wrong password as a COM error
        raise PasswordProtected(target.name) from exc


def protect(target: Any, options: Protection) -> None:
    """Protect again, without a password, with exactly ``options``."""
    options = dict(options)
    selection = options.pop("EnableSelection", None)
    target.api.Protect(Password="", **options)
    if selection is not None:
        target.api.EnableSelection = selection


def _is_book(target: Any) -> bool:
    return hasattr(target, "sheets")


def replace_sheet(book: Any, name: str, rows: list[list[Any]], *, hidden: bool = False) -> Any:
    """Sheet ``name`` holding exactly ``rows`` (written at A1 in one write)."""
    sheet = find_sheet(book, name)
    if sheet is None:
        active = book.sheets.active
        sheet = book.sheets.add(name=name, after=book.sheets[len(book.sheets) - 1])
        if hidden:
            sheet.visible = False
        active.activate()  # adding a sheet activates it; leave the user where they were
    else:
        sheet.clear_contents()
    write_rows(sheet, rows)
    return sheet


def write_rows(sheet: Any, rows: list[list[Any]]) -> None:
    """``rows`` written at A1 in one write."""
    if rows:
        width = max(len(r) for r in rows)
        padded = [list(r) + [None] * (width - len(r)) for r in rows]
        sheet.range((1, 1), (len(padded), width)).value = padded


def delete_sheet(book: Any, name: str) -> None:
    sheet = find_sheet(book, name)
    if sheet is not None:
        sheet.delete()


def find_sheet(book: Any, name: str) -> Any | None:
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    return None
