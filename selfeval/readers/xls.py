"""Old binary ``.xls`` workbooks (BIFF) as grids, through xlrd.

xlrd gives values and number formats in one pass (``100%`` is shown, not 1.0);
an encrypted workbook is refused with a clear reason.
"""

from __future__ import annotations

import io
from pathlib import Path

from selfeval.readers.grid import Grid
from selfeval.readers.limits import (
    ENCRYPTED,
    MAX_COLUMNS,
    MAX_ROWS,
    WorkbookError,
    too_many_rows,
)
from selfeval.readers.xlsx import reads_otherwise, shown

_NUMBER, _TEXT, _BOOLEAN, _DATE = 2, 1, 4, 3
DAMAGED = "文件不是有效的 .xls 工作簿，或已损坏"


def load(path: Path) -> list[Grid]:
    import xlrd  # only for .xls files: not loaded on every start

    try:
        book = xlrd.open_workbook(
            str(path), formatting_info=True, on_demand=True, logfile=io.StringIO()
        )
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise WorkbookError(ENCRYPTED) from exc
        raise WorkbookError(DAMAGED) from exc
    except Exception as exc:  # noqa: BLE001 - on a damaged file xlrd raises anything
        raise WorkbookError(DAMAGED) from exc
    try:
        return [_grid(book, sheet) for sheet in _sheets(book)]
    finally:
        book.release_resources()


def _sheets(book):  # type: ignore[no-untyped-def]
    """The book's sheets, each parsed now (``on_demand``): a damaged one is WorkbookError."""
    try:
        return [book.sheet_by_index(i) for i in range(book.nsheets)]
    except Exception as exc:  # noqa: BLE001 - on a damaged file xlrd raises anything
        raise WorkbookError(DAMAGED) from exc


def _grid(book, sheet) -> Grid:  # type: ignore[no-untyped-def]
    if sheet.nrows > MAX_ROWS:
        return Grid(sheet.name, [], skipped=too_many_rows(sheet.name, sheet.nrows))
    grid = Grid(sheet.name, [])
    for r in range(sheet.nrows):
        row: list = []
        for c in range(min(sheet.row_len(r), MAX_COLUMNS)):
            kind, value = sheet.cell_type(r, c), sheet.cell_value(r, c)
            if kind == _NUMBER:
                code = book.format_map[
                    book.xf_list[sheet.cell_xf_index(r, c)].format_key
                ].format_str
                if reads_otherwise(code):
                    grid.shown[(r, c)] = shown(float(value), code)
                row.append(float(value))
            elif kind == _BOOLEAN:
                row.append(bool(value))
            elif kind in (_TEXT, _DATE):
                row.append(value if kind == _TEXT else str(value))
            else:
                row.append(None)
        grid.values.append(row)
    return grid
