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
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from selfeval.form import vocabulary as vocab
from selfeval.form.codes import Code, Severity
from selfeval.form.findings import Finding
from selfeval.form.safe_text import csv_text, is_formula_like
from selfeval.readers import OUTPUT_MARK
from selfeval.reports.places import where
from selfeval.reports.portfolio.columns import COLUMNS, Kind
from selfeval.reports.portfolio.summary import Portfolio, Row

# -- CSV ------------------------------------------------------------------------------

_CSV_FORMAT = {"money": "{:.2f}", "rate": "{:.6f}", "score": "{:.2f}"}


_FLAGS = next(i for i, c in enumerate(COLUMNS) if c.key == "flags")
_CODES = next(i for i, c in enumerate(COLUMNS) if c.key == "codes")


class CsvReport:
    """The summary table as UTF-8 CSV with a BOM (so that Excel reads the Chinese).

    Rows are formatted as the forms are checked; the 重点关注 and 问题代码 columns are
    completed at the end, when the cross-form checks have run."""

    def __init__(self) -> None:
        self._rows: list[list[str]] = []

    def add(self, row: Row) -> None:
        self._rows.append([_csv_value(c.value(row), c.kind) for c in COLUMNS])

    def finish(self, portfolio: Portfolio) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([c.heading for c in COLUMNS])
        for index in portfolio.cross.findings:
            row, line = portfolio.rows[index - 1], self._rows[index - 1]
            line[_FLAGS], line[_CODES] = csv_text("；".join(row.flags)), csv_text(row.codes_text)
        writer.writerows(self._rows)
        return out.getvalue().encode("utf-8-sig")


def _csv_value(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    return _CSV_FORMAT.get(kind, "{}").format(value)


# -- xlsx -----------------------------------------------------------------------------

_XLSX_FORMAT = {"money": "#,##0.00", "rate": "0.00%", "score": "0.00"}
_WIDTH = {"int": 7, "money": 16, "rate": 10, "score": 10, "text": 18}
_WIDE = {"department": 26, "implementer": 26, "project": 32, "flags": 24, "codes": 30, "file": 40}
_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(vertical="top", wrap_text=True)

SUMMARY_SHEET, CODES_SHEET, FINDINGS_SHEET = "汇总", "问题统计", "问题明细"
ATTENTION_SHEET = "需重点关注"
ATTENTION_HEADINGS = (
    "类别",
    "序号",
    vocab.PROJECT,
    vocab.IMPLEMENTER,
    "说明",
    "对照序号",
    f"对照{vocab.PROJECT}",
    "对照说明",
)
ATTENTION_WIDTHS = [18, 7, 30, 24, 60, 9, 30, 60]
"""需重点关注: one row per cross-form finding and per duplicate submission; a pair of
near-duplicate texts is one row, the two texts side by side."""
CODE_HEADINGS = ("代码", "问题", "级别", "项数", "涉及表格数")

FINDING_HEADINGS = ("序号", vocab.PROJECT, "位置", "代码", "级别", "说明")
FINDING_WIDTHS = [7, 32, 22, 22, 7, 80]
"""问题明细 names the form by 序号 and 项目名称; its file is on the 汇总 sheet (one cell
less per finding: this sheet is the bulk of the workbook's writing time)."""

PROBLEMS = (Severity.ERROR, Severity.WARNING)
"""问题明细 lists errors and warnings; notes (提示) are counted on 汇总 and 问题统计 and
listed in the HTML report."""


class XlsxReport:
    """A workbook: 汇总 (the summary table, filtered), 问题统计 (counts by code) and
    问题明细 (every error and warning, filtered). Rows are streamed to 问题明细 as the forms
    are checked; 汇总 (one short row per form, its 重点关注 and 问题代码 completed by the
    cross-form checks), 问题统计 and the filters' extent follow at the end."""

    def __init__(self) -> None:
        self._wb = Workbook(write_only=True)
        # recognised and skipped when the report is saved among the forms it summarises
        self._wb.custom_doc_props.append(StringProperty(name=OUTPUT_MARK, value="汇总报告"))
        widths = [_WIDE.get(c.key, _WIDTH[c.kind]) for c in COLUMNS]
        self._summary = _sheet(self._wb, SUMMARY_SHEET, [c.heading for c in COLUMNS], widths)
        self._codes = _sheet(self._wb, CODES_SHEET, list(CODE_HEADINGS), [22, 22, 7, 8, 12])
        self._details = _sheet(self._wb, FINDINGS_SHEET, list(FINDING_HEADINGS), FINDING_WIDTHS)
        self._attention = _sheet(
            self._wb, ATTENTION_SHEET, list(ATTENTION_HEADINGS), ATTENTION_WIDTHS
        )
        self._rows: list[list[Any]] = []
        self._problems = 0

    def add(self, row: Row) -> None:
        self._rows.append([c.value(row) for c in COLUMNS])
        self._details_of(row, row.findings)

    def _details_of(self, row: Row, findings: list[Finding]) -> None:
        ws = self._details
        for f in findings:
            if f.severity in PROBLEMS:
                values = (row.index, row.project, where(f), f.code)
                ws.append([_cell(ws, v) for v in values] + [f.severity.label, _cell(ws, f.message)])
                self._problems += 1

    def finish(self, portfolio: Portfolio) -> bytes:
        for index, found in portfolio.cross.findings.items():  # known only at the end
            row, line = portfolio.rows[index - 1], self._rows[index - 1]
            line[_FLAGS], line[_CODES] = "；".join(row.flags), row.codes_text
            self._details_of(row, found)
        ws = self._summary
        for line in self._rows:
            ws.append(
                [_cell(ws, v, _XLSX_FORMAT.get(c.kind)) for v, c in zip(line, COLUMNS, strict=True)]
            )
        ws = self._codes
        for code, n in portfolio.code_counts.items():
            severity = portfolio.code_severity[code]
            ws.append([code, Code(code).label, severity, n, portfolio.code_forms[code]])
        _filter(ws, len(CODE_HEADINGS), len(portfolio.code_counts))
        ws.append([])
        ws.append([_cell(ws, f"评分口径：{portfolio.profile.title}")])
        _filter(self._summary, len(COLUMNS), len(self._rows))
        _filter(self._details, len(FINDING_HEADINGS), self._problems)
        ws = self._attention
        lines = attention_lines(portfolio)
        for line in lines:
            ws.append([_cell(ws, v) for v in line])
        _filter(ws, len(ATTENTION_HEADINGS), len(lines))
        out = io.BytesIO()
        self._wb.save(out)
        return out.getvalue()


def _filter(ws: Any, columns: int, rows: int) -> None:
    """A filter over the heading row and ``rows`` data rows (written when the sheet closes)."""
    ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"


def _sheet(wb: Workbook, title: str, headings: list[str], widths: list[int]) -> Any:
    """A write-only sheet with column widths and a bold, frozen heading row."""
    ws = wb.create_sheet(title)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
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
            return value or None  # a blank cell is not written at all
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


def attention_lines(portfolio: Portfolio) -> list[tuple[Any, ...]]:
    """The 需重点关注 sheet's rows: duplicates, then each cross-form check."""
    rows, cross = portfolio.rows, portfolio.cross

    def form(index: int) -> tuple[int, str, str]:
        r = rows[index - 1]
        return index, r.project, r.implementer

    lines: list[tuple[Any, ...]] = []
    for r in portfolio.duplicates:
        first = rows[r.duplicate_of - 1]
        lines.append(("重复提交", *form(r.index), r.file, first.index, first.project, first.file))
    for u in cross.full_units:
        forms = "、".join(map(str, u.forms))
        lines.append(("单位全部满分", None, None, u.unit, f"{u.what}（第 {forms} 份）"))
    for p in cross.similar:
        left = (
            f"{p.left_text.text}（{p.left_text.place}）" if p.left_text.place else p.left_text.text
        )
        right = (
            f"{p.right_text.text}（{p.right_text.place}）"
            if p.right_text.place
            else p.right_text.text
        )
        label = f"{p.label}近似（相似度 {p.similarity:.2f}）"
        lines.append((label, *form(p.left), left, p.right, rows[p.right - 1].project, right))
    for x in cross.repeated_reasons:
        text = f"{x.rows} 行填写同一原因：{x.reason}（{'、'.join(x.places)}）"
        lines.append(("同一原因重复", *form(x.form), text))
    for x in cross.low_spend:
        lines.append(
            ("执行率低而产出满分", *form(x.form), f"执行率 {x.rate:.2%}，产出指标全部满分")
        )
    return lines
