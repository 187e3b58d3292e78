"""OpenDocument ``.ods`` spreadsheets as grids: content.xml walked with defusedxml.

ODS cells carry both the value and the displayed text, so percentages read as
shown (``100%``); a formula that is the cell's content (a typed ``=100%``) reads as
its text, as in every reader (:func:`~selfeval.readers.grid.typed_formula`). Repeated empty rows and columns (LibreOffice writes a million
of them) are never materialised; DTDs and entities are refused (XML bombs).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from defusedxml.ElementTree import iterparse

from selfeval.readers.grid import Grid, typed_formula
from selfeval.readers.limits import MAX_COLUMNS, MAX_ROWS, WorkbookError, check_zip, too_many_rows
from selfeval.readers.xlsx import reads_otherwise

_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_NUMERIC = frozenset({"float", "percentage", "currency"})


def load(path: Path) -> list[Grid]:
    with zipfile.ZipFile(path) as zf:
        check_zip(zf, required="content.xml")
        with zf.open("content.xml") as content:
            try:
                return _walk(content)
            except WorkbookError:
                raise
            except Exception as exc:  # noqa: BLE001 - defusedxml and expat errors alike
                raise WorkbookError("ODS 文件内容无法解析（已损坏或含有不安全的 XML）") from exc


def _walk(content) -> list[Grid]:  # type: ignore[no-untyped-def]
    grids: list[Grid] = []
    grid: Grid | None = None
    row: list = []
    pending_rows = pending_cells = rows_seen = 0
    for event, el in iterparse(content, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == _T + "table":
                grid, pending_rows, rows_seen = Grid(el.get(_T + "name", ""), []), 0, 0
            elif tag == _T + "table-row":
                row, pending_cells = [], 0
            continue
        if grid is None:
            el.clear()
            continue
        if tag in (_T + "table-cell", _T + "covered-table-cell"):
            repeat = int(el.get(_T + "number-columns-repeated", "1"))
            value, shown = _cell(el) if tag == _T + "table-cell" else (None, None)
            if value is None:
                pending_cells += repeat
            elif len(row) + pending_cells < MAX_COLUMNS:
                row.extend([None] * pending_cells)
                pending_cells = 0
                for _ in range(min(repeat, MAX_COLUMNS - len(row))):
                    if shown is not None:
                        grid.shown[(len(grid.values) + pending_rows, len(row))] = shown
                    row.append(value)
            el.clear()
        elif tag == _T + "table-row":
            repeat = int(el.get(_T + "number-rows-repeated", "1"))
            rows_seen += repeat if row else 0
            if not row:
                pending_rows += repeat
            else:
                if len(grid.values) + pending_rows + repeat > MAX_ROWS:
                    grid = Grid(grid.sheet, [], skipped=too_many_rows(grid.sheet, rows_seen))
                    grids.append(grid)
                    grid = None
                    continue
                grid.values.extend([] for _ in range(pending_rows))
                pending_rows = 0
                grid.values.extend(list(row) for _ in range(repeat))
            el.clear()
        elif tag == _T + "table":
            grids.append(grid)
            grid = None
    return grids


def _cell(el) -> tuple[object, str | None]:  # type: ignore[no-untyped-def]
    value, shown = _content(el)
    formula = el.get(_T + "formula")
    if formula is None:
        return value, shown
    # of:=100% (OpenFormula, LibreOffice's prefix): the one rule of every reader
    if not formula.startswith("=") and ":" in formula:
        formula = formula.split(":", 1)[1]
    typed = typed_formula(formula, value)
    if typed is None:
        return value, shown
    blank = value is None or value == ""
    return (typed[1] if typed[1] is not None else "") if blank else value, typed[0]


def _content(el) -> tuple[object, str | None]:  # type: ignore[no-untyped-def]
    kind = el.get(_O + "value-type")
    text = "\n".join("".join(p.itertext()) for p in el if p.tag.endswith("}p"))
    if kind in _NUMERIC:
        value = float(el.get(_O + "value", "nan"))
        return value, (text if reads_otherwise(text) else None)
    if kind == "boolean":
        return el.get(_O + "boolean-value") == "true", None
    if kind in ("date", "time"):
        return el.get(_O + "date-value") or el.get(_O + "time-value") or text, None
    return (text if text else None), None
