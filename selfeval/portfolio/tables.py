"""The summary table as CSV and as an xlsx workbook (with filters), formula injection escaped.

A text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would
run as a formula when a validator opens the file in a spreadsheet program: CSV
gets a leading ``'``; xlsx stores it as a plain string cell with Excel's own
quote prefix, never as a formula.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from selfeval.portfolio.columns import CODE_LABELS, COLUMNS, Kind, where
from selfeval.portfolio.summary import Portfolio

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""Starts that make a spreadsheet program read text as a formula (full-width forms too)."""


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def escape_formula(text: str) -> str:
    """Text safe to put in a CSV cell: a leading ``'`` when it would run as a formula."""
    return "'" + text if is_formula_like(text) else text


# -- CSV ------------------------------------------------------------------------------

_CSV_FORMAT = {"money": "{:.2f}", "rate": "{:.6f}", "score": "{:.2f}"}


def render_csv(portfolio: Portfolio) -> bytes:
    """The summary table as UTF-8 CSV with a BOM (so that Excel reads the Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.heading for c in COLUMNS])
    for row in portfolio.rows:
        writer.writerow([_csv_value(c.value(row), c.kind) for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def _csv_value(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_formula(value)
    return _CSV_FORMAT.get(kind, "{}").format(value)


# -- xlsx -----------------------------------------------------------------------------

_XLSX_FORMAT = {"money": "#,##0.00", "rate": "0.00%", "score": "0.00"}
_WIDTH = {"int": 7, "money": 16, "rate": 10, "score": 10, "text": 18}
_WIDE = {"department": 26, "implementer": 26, "project": 32, "flags": 24, "codes": 30, "file": 40}
_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(vertical="top", wrap_text=True)

SUMMARY_SHEET, CODES_SHEET, FINDINGS_SHEET = "汇总", "问题统计", "问题明细"

FINDING_HEADINGS = ("序号", "项目名称", "文件", "位置", "代码", "级别", "说明")
FINDING_WIDTHS = (7, 32, 40, 22, 22, 7, 80)


def render_xlsx(portfolio: Portfolio) -> bytes:
    """A workbook: 汇总 (the summary table, filtered), 问题统计 (counts by code) and
    问题明细 (every finding, filtered)."""
    wb = Workbook(write_only=True)
    _summary_sheet(wb, portfolio)
    _codes_sheet(wb, portfolio)
    _findings_sheet(wb, portfolio)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _summary_sheet(wb: Workbook, portfolio: Portfolio) -> None:
    ws = _sheet(
        wb,
        SUMMARY_SHEET,
        [c.heading for c in COLUMNS],
        [_WIDE.get(c.key, _WIDTH[c.kind]) for c in COLUMNS],
        len(portfolio.rows),
    )
    for row in portfolio.rows:
        ws.append([_cell(ws, c.value(row), _XLSX_FORMAT.get(c.kind)) for c in COLUMNS])


def _codes_sheet(wb: Workbook, portfolio: Portfolio) -> None:
    counts, forms = portfolio.code_counts, portfolio.code_forms
    headings = ["代码", "问题", "级别", "项数", "涉及表格数"]
    ws = _sheet(wb, CODES_SHEET, headings, [22, 22, 7, 8, 12], len(counts))
    for code, n in counts.items():
        severity = portfolio.code_severity[code]
        ws.append([code, CODE_LABELS[code], severity, n, forms[code]])
    ws.append([])
    ws.append([_cell(ws, f"评分口径：{portfolio.profile.title}")])


def _findings_sheet(wb: Workbook, portfolio: Portfolio) -> None:
    total = sum(len(r.findings) for r in portfolio.rows)
    ws = _sheet(wb, FINDINGS_SHEET, list(FINDING_HEADINGS), list(FINDING_WIDTHS), total)
    for row in portfolio.rows:
        for f in row.findings:
            values = (row.index, row.project, row.file, where(f), f.code)
            ws.append([_cell(ws, v) for v in values] + [f.severity.label, _cell(ws, f.message)])


def _sheet(wb: Workbook, title: str, headings: list[str], widths: list[int], rows: int) -> Any:
    """A sheet with a bold frozen heading row and a filter over ``rows`` data rows."""
    ws = wb.create_sheet(title)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    last = get_column_letter(len(headings))
    ws.auto_filter.ref = f"A1:{last}{rows + 1}"
    head = []
    for text in headings:
        cell = WriteOnlyCell(ws, text)
        cell.font, cell.fill, cell.alignment = _HEAD_FONT, _HEAD_FILL, _WRAP
        head.append(cell)
    ws.append(head)
    return ws


def _cell(ws: Any, value: Any, number_format: str | None = None) -> Any:
    """A value for ``ws.append``: text cleaned and kept as text, numbers formatted."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not is_formula_like(value):
            return value
        cell = WriteOnlyCell(ws, value)
        # openpyxl binds "=..." as a formula; force a string cell, quoted as Excel does.
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    if value is None or number_format is None or isinstance(value, bool):
        return value
    cell = WriteOnlyCell(ws, value)
    cell.number_format = number_format
    return cell
