"""The 复核 workpaper (复核底稿.xlsx): one formula-driven workbook for the reviewers.

Sheet 复核底稿: per form a 预算执行 row, a row per indicator (自评完成值 / 自评得分, the
engine's 建议得分 and 校验发现, empty 复核完成值 / 复核得分 / 扣分原因) and a 小计 row whose
formulas sum the form and give its 偏离度 = (自评 − 复核) ÷ 自评. 复核得分 above 分值,
a deduction without a reason and a blank 复核得分 turn red. Only the three review
columns are open; the sheet is protected without a password, as the templates are.
Sheet 汇总: one line per form, every figure a formula on 复核底稿. Sheet 说明: how to
fill it in and where the forms came from. Styles and reproducible bytes are the
template writer's (:mod:`selfeval.writers.template.styles`, :mod:`selfeval.writers.template.package`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import Rule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from selfeval.form import vocabulary as vocab
from selfeval.form.findings import Finding
from selfeval.form.safe_text import store
from selfeval.form.workpaper import (
    COLUMNS,
    DEVIATION_DECIMALS,
    FUNDS_LABEL,
    LETTERS,
    NOTES_SHEET,
    SHEET,
    SUBTOTAL_LABEL,
    SUMMARY_SHEET,
)
from selfeval.pipeline.results import FormResult
from selfeval.writers.template import styles
from selfeval.writers.template.guidance import protect
from selfeval.writers.template.package import workbook_bytes
from selfeval.writers.template.sheet import LINE_HEIGHT, MIN_HEIGHT

L = LETTERS
_LEFT = frozenset({"unit", "project", "name", "target", "actual", "findings", "review_reason"})
_FORMATS = {"points": styles.SCORE, "score": styles.SCORE, "suggested": styles.SCORE}
_FORMATS |= {"review_score": styles.SCORE, "deduction": styles.SCORE, "deviation": styles.RATE}

SUMMARY_HEADINGS = (
    "序号",
    vocab.IMPLEMENTER,
    vocab.PROJECT,
    "文件",
    "自评总分",
    "建议总分",
    "复核总分",
)
SUMMARY_HEADINGS += ("偏离度", "未填复核得分", f"复核得分超{vocab.POINTS}", "扣分缺原因")
SUMMARY_WIDTHS = (6, 20, 26, 36, 9, 9, 9, 9, 11, 13, 11)


@dataclass
class Reviewed:
    """One form to review: its 序号 in the folder's report and its checked result."""

    index: int
    result: FormResult


def workpaper_workbook(forms: Sequence[Reviewed], year: int, notes: list[str]) -> bytes:
    """The .xlsx bytes of the workpaper for ``forms`` (each must hold a form)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _heading(ws, [c.heading for c in COLUMNS], [c.width for c in COLUMNS])
    spans = [(item, *_form_rows(ws, item)) for item in forms]
    _alerts(ws)
    ws.freeze_panes = "D2"
    ws.auto_filter.ref = f"A1:{L['deviation']}{ws.max_row}"
    _print_setup(ws)
    protect(ws)
    _summary(wb.create_sheet(SUMMARY_SHEET), spans)
    _notes(wb.create_sheet(NOTES_SHEET), notes)
    props = wb.properties
    props.creator = props.lastModifiedBy = "selfeval"
    props.title = "绩效自评复核底稿"
    return workbook_bytes(wb, year)


def _heading(ws: Worksheet, headings: Sequence[str], widths: Sequence[float]) -> None:
    for i, (text, width) in enumerate(zip(headings, widths, strict=True), 1):
        cell = ws.cell(1, i, text)
        cell.font, cell.alignment, cell.border = styles.HEADING, styles.CENTER, styles.GRID
        cell.fill, cell.protection = styles.LOCKED_FILL, styles.LOCKED
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[1].height = 30


def _form_rows(ws: Worksheet, item: Reviewed) -> tuple[int, int, int]:
    """Write one form; returns its first row, last row and 小计 row."""
    form, a, findings = item.result.form, item.result.analysis, item.result.findings
    assert form is not None and a is not None, "only readable forms are reviewed"
    head = {"form": item.index, "unit": form.header.implementer, "project": form.header.project}
    funds = {
        "level1": FUNDS_LABEL,
        "name": "预算执行率",
        "target": "执行数 ÷ 预算数",
        "actual": form.funds.total.stated_rate,
        "points": form.funds.points,
        "score": form.funds.stated_score,
        "suggested": a.funds_score,
        "findings": _messages(findings, lambda f: f.field.startswith("funds")),
    }
    rows: list[dict[str, Any]] = [funds]
    for i, (row, info) in enumerate(zip(form.indicators, a.indicators, strict=True)):
        prefix = f"indicators[{i}]."
        rows.append(
            {
                "level1": row.level1,
                "level2": row.level2,
                "name": row.name,
                "target": row.target,
                "actual": row.actual,
                "points": row.points,
                "score": row.score,
                "suggested": info.suggested,
                "findings": _messages(findings, lambda f, p=prefix: f.field.startswith(p)),
            }
        )
    first = ws.max_row + 1
    for n, values in enumerate(rows):
        r = first + n
        _line(ws, r, head | values, review=True)
        if values is funds and isinstance(values["actual"], float):
            ws[f"{L['actual']}{r}"].number_format = styles.RATE
        ws[f"{L['deduction']}{r}"] = (
            f'=IF(ISNUMBER({L["review_score"]}{r}),{L["points"]}{r}-{L["review_score"]}{r},"")'
        )
    last = first + len(rows) - 1
    total = last + 1
    own = lambda key: f"{L[key]}{first}:{L[key]}{last}"  # noqa: E731
    rest = _messages(findings, lambda f: not f.field.startswith(("funds", "indicators[")))
    _line(ws, total, head | {"level1": SUBTOTAL_LABEL, "findings": rest}, review=False)
    for key in ("points", "score", "suggested"):
        ws[f"{L[key]}{total}"] = f"=SUM({own(key)})"
    n, s, j = own("review_score"), f"{L['review_score']}{total}", f"{L['score']}{total}"
    ws[s] = f'=IF(COUNT({n})<ROWS({n}),"",SUM({n}))'
    ws[f"{L['deduction']}{total}"] = f'=IF(ISNUMBER({s}),{L["points"]}{total}-{s},"")'
    ws[f"{L['deviation']}{total}"] = (
        f'=IF(AND(ISNUMBER({s}),{j}<>0),ROUND(({j}-{s})/{j},{DEVIATION_DECIMALS}),"")'
    )
    for c in COLUMNS:
        ws[f"{L[c.key]}{total}"].font = styles.HEADING
    return first, last, total


def _line(ws: Worksheet, r: int, values: dict[str, Any], review: bool) -> None:
    lines = 1
    for c in COLUMNS:
        text = values.get(c.key)
        if isinstance(text, str) and text:  # a CJK character is about two width units
            wrapped = sum(max(math.ceil(2.2 * len(t) / c.width), 1) for t in text.split("\n"))
            lines = max(lines, wrapped)
    ws.row_dimensions[r].height = max(LINE_HEIGHT * lines, MIN_HEIGHT)
    for c in COLUMNS:
        cell = ws[f"{L[c.key]}{r}"]
        store(cell, values.get(c.key))
        cell.font, cell.border = styles.BODY, styles.GRID
        cell.alignment = styles.LEFT if c.key in _LEFT else styles.CENTER
        cell.number_format = _FORMATS.get(c.key, styles.TEXT if c.review else styles.GENERAL)
        if c.review and review:
            cell.protection, cell.fill = styles.UNLOCKED, styles.NO_FILL
        else:
            cell.protection, cell.fill = styles.LOCKED, styles.LOCKED_FILL
    ws[f"{L['review_score']}{r}"].number_format = styles.SCORE


def _print_setup(ws: Worksheet) -> None:
    """A4 landscape, every column on the page width, the heading row on every page."""
    ws.print_title_rows = "1:1"
    setup = ws.page_setup
    setup.paperSize, setup.orientation = ws.PAPERSIZE_A4, ws.ORIENTATION_LANDSCAPE
    setup.fitToWidth, setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def _messages(findings: list[Finding], pick: Any) -> str:
    return "\n".join(f"{f.severity.label} {f.code}：{f.message}" for f in findings if pick(f))


def _alerts(ws: Worksheet) -> None:
    """Red: 复核得分 blank, out of range or not a number; a deduction without a reason."""
    last = max(ws.max_row, 2)
    n, p, o, d = (f"${L[k]}2" for k in ("review_score", "points", "review_reason", "level1"))
    row = f'{d}<>"{SUBTOTAL_LABEL}"'

    def rule(formula: str) -> Rule:
        return Rule(type="expression", dxf=styles.ALERT, formula=[formula])

    score = f"{L['review_score']}2:{L['review_score']}{last}"
    ws.conditional_formatting.add(score, rule(f"AND({row},LEN(TRIM({n}))=0)"))
    wrong = (
        f"OR(AND(ISNUMBER({n}),ISNUMBER({p}),OR({n}<0,{n}>{p})),AND(ISTEXT({n}),LEN(TRIM({n}))>0))"
    )
    ws.conditional_formatting.add(score, rule(f"AND({row},{wrong})"))
    reason = f"{L['review_reason']}2:{L['review_reason']}{last}"
    missing = f"AND({row},ISNUMBER({n}),ISNUMBER({p}),{n}<{p},LEN(TRIM({o}))=0)"
    ws.conditional_formatting.add(reason, rule(missing))


def _summary(ws: Worksheet, spans: list[tuple[Reviewed, int, int, int]]) -> None:
    _heading(ws, SUMMARY_HEADINGS, SUMMARY_WIDTHS)
    ref = f"'{SHEET}'!"
    for r, (item, first, last, total) in enumerate(spans, 2):
        form = item.result.form
        n, p = (f"{ref}{L[k]}{first}:{L[k]}{last}" for k in ("review_score", "points"))
        o = f"{ref}{L['review_reason']}{first}:{L['review_reason']}{last}"
        values = [
            item.index,
            form.header.implementer if form else "",
            form.header.project if form else "",
            item.result.file,
            f"={ref}{L['score']}{total}",
            f"={ref}{L['suggested']}{total}",
            f"={ref}{L['review_score']}{total}",
            f"={ref}{L['deviation']}{total}",
            f"=SUMPRODUCT(--(LEN(TRIM({n}))=0))",
            f"=SUMPRODUCT(ISNUMBER({n})*({n}>{p}))",
            f"=SUMPRODUCT(ISNUMBER({n})*({n}<{p})*(LEN(TRIM({o}))=0))",
        ]
        for c, value in enumerate(values, 1):
            cell = ws.cell(r, c)
            if isinstance(value, str) and value.startswith("="):
                cell.value = value
            else:
                store(cell, value)
            cell.font, cell.border, cell.protection = styles.BODY, styles.GRID, styles.LOCKED
            cell.number_format = (
                styles.RATE if c == 8 else styles.SCORE if 5 <= c <= 7 else styles.GENERAL
            )
    ws.freeze_panes = "A2"
    protect(ws)


def _notes(ws: Worksheet, notes: list[str]) -> None:
    ws.column_dimensions["A"].width = 110
    for r, text in enumerate(notes, 1):
        cell = ws.cell(r, 1)
        store(cell, text)
        cell.font = styles.HEADING if r == 1 else styles.BODY
        cell.alignment = styles.LEFT


NOTES = [
    "绩效自评复核底稿 填写说明",
    "1. 在“复核底稿”表中，每份自评表的每个指标（含预算执行）一行。只需填写三列：复核完成值、复核得分、扣分原因（白底单元格）。",
    "2. 建议得分和校验发现由 selfeval 按评分口径计算，供参考；复核得分以复核人的判断为准。",
    f"3. 复核得分为空、超出{vocab.POINTS}或不是数字，以及扣了分却没有填扣分原因，单元格显示为红色。",
    "4. 每份表最后的“小计”行自动汇总：复核总分在该表全部指标填完后显示；偏离度 = (自评得分 − 复核得分) ÷ 自评得分。",
    "5. 填好后运行 selfeval validate 复核底稿.xlsx（或在 Excel 中点“校验”）检查：未填、超分、缺扣分原因、偏离度与计算不符，每项都给出单元格。",
]
"""The 说明 sheet's lines; the command adds where the forms came from."""
