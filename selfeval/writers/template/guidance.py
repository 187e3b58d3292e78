"""Guidance in the sheet: red rows, dropdowns, numeric validation, defined names,
sheet protection and the print setup. Every address comes from the layout."""

from __future__ import annotations

from openpyxl.formatting.rule import Rule
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from selfeval.form import vocabulary as vocab
from selfeval.form.model import LEVEL1_NAMES, LEVEL2_BY_LEVEL1
from selfeval.layouts.layout import AMOUNTS, Layout, absolute
from selfeval.profiles.policy import Profile
from selfeval.writers.template import styles
from selfeval.writers.template.sheet import text_height

ONE_PAGE_ROWS = 25
"""Forms with up to this many indicator rows are scaled to one A4 page."""


def _rule(formula: str, style=styles.ALERT, stop: bool = False) -> Rule:
    return Rule(type="expression", dxf=style, formula=[formula], stopIfTrue=stop)


def add_conditional_formats(ws: Worksheet, layout: Layout, profile: Profile) -> None:
    first, last = layout.first_row, layout.last_row
    c = {name: f"${col}{first}" for name, col in layout.columns.items()}
    # Repeated level labels first: LibreOffice applies only the first matching rule,
    # Excel merges them (white text on the red fill of the rules below).
    _hide_repeated_levels(ws, layout)
    table = layout.rows_range(first, last)
    both = f"ISNUMBER({c['score']}),ISNUMBER({c['points']})"
    ws.conditional_formatting.add(table, _rule(f"AND({both},{c['score']}>{c['points']})"))
    ws.conditional_formatting.add(
        table, _rule(f"AND({both},{c['score']}<{c['points']},LEN(TRIM({c['reason']}))=0)")
    )
    # Sums are judged once 分值 are entered: a blank template is not red.
    started = f"COUNT({absolute(layout.column_range('points'))})>0"
    total = absolute(layout.cell("stated_points_total"))
    ws.conditional_formatting.add(
        layout.rows_range(layout.total_row, layout.total_row),
        _rule(f"AND({started},ISNUMBER({total}),ROUND({total},2)<>{profile.points_total:g})"),
    )
    level_col = layout.columns["level1"]
    first_col, last_col = layout.check_columns.split(":")
    for level, (block_first, block_last) in layout.blocks.items():
        weight = absolute(layout.cell(f"category_weights.{level}"))
        subtotal = absolute(layout.cell(f"category_points.{level}"))
        differs = f"AND({started},ISNUMBER({weight}),ROUND({subtotal}-{weight},2)<>0)"
        check_row = layout.cell(f"category_points.{level}")[1:]
        ws.conditional_formatting.add(
            f"{first_col}{check_row}:{last_col}{check_row}", _rule(differs)
        )
        ws.conditional_formatting.add(
            f"{level_col}{block_first}:{level_col}{block_last}", _rule(differs)
        )


def _hide_repeated_levels(ws: Worksheet, layout: Layout) -> None:
    """Later rows of a block show their 一级 / 二级 as one merged cell would."""
    level_col = layout.columns["level1"]
    for level, (block_first, block_last) in layout.blocks.items():
        if block_last > block_first:
            below = f"{level_col}{block_first + 1}"
            ws.conditional_formatting.add(
                f"{below}:{level_col}{block_last}",
                _rule(f'TRIM({below})="{level}"', styles.HIDDEN_REPEAT),
            )
    first, last = layout.first_row, layout.last_row
    level2 = layout.columns["level2"]
    ws.conditional_formatting.add(
        f"{level2}{first + 1}:{level2}{last}",
        _rule(
            f'AND({level2}{first + 1}<>"",{level2}{first + 1}={level2}{first})',
            styles.HIDDEN_REPEAT,
        ),
    )


def add_validations(ws: Worksheet, layout: Layout) -> None:
    levels = DataValidation(
        type="list",
        formula1='"' + ",".join(LEVEL1_NAMES) + '"',
        allow_blank=True,
        errorStyle="warning",
        errorTitle="一级指标",
        error="一级指标一般为 产出指标、效益指标 或 满意度指标，确定要填写其他内容吗？",
    )
    levels.add(layout.column_range("level1"))
    ws.add_data_validation(levels)
    for level, (block_first, block_last) in layout.blocks.items():
        names = LEVEL2_BY_LEVEL1[level]
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(names) + '"',
            allow_blank=True,
            errorStyle="warning",
            errorTitle="二级指标",
            error=f"{level}下的二级指标一般为：{'、'.join(names)}。确定要填写其他内容吗？",
        )
        level2 = layout.columns["level2"]
        dv.add(f"{level2}{block_first}:{level2}{block_last}")
        ws.add_data_validation(dv)
    amounts = _decimal("金额", "金额应为不小于 0 的数字", 0, None)
    for row in layout.funds_rows:
        for attr in AMOUNTS:
            amounts.add(layout.cell(f"funds.{row}.{attr}"))
    ws.add_data_validation(amounts)
    points = _decimal(vocab.POINTS, f"{vocab.POINTS}应为 0 到 100 之间的数字", 0, 100)
    points.add(layout.cell("funds.points"))
    points.add(layout.column_range("points"))
    for level in LEVEL1_NAMES:
        points.add(layout.cell(f"category_weights.{level}"))
    ws.add_data_validation(points)
    scores = _decimal(
        "得分", f"{vocab.SCORE}应为 0 到 100 之间的数字，且不应超过{vocab.POINTS}", 0, 100
    )
    scores.add(layout.column_range("score"))
    ws.add_data_validation(scores)


def _decimal(title: str, error: str, low: float, high: float | None) -> DataValidation:
    kwargs = (
        {"operator": "between", "formula1": f"{low:g}", "formula2": f"{high:g}"}
        if high is not None
        else {"operator": "greaterThanOrEqual", "formula1": f"{low:g}"}
    )
    return DataValidation(
        type="decimal", allow_blank=True, errorStyle="stop", errorTitle=title, error=error, **kwargs
    )


def add_names(wb: Workbook, ws: Worksheet, layout: Layout) -> None:
    sheet = f"'{ws.title}'"
    for name, ref in layout.names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=f"{sheet}!{ref}")


def protect(ws: Worksheet) -> None:
    """Protected without a password; rows may be inserted, deleted and resized."""
    p = ws.protection
    p.sheet = True
    p.insertRows = p.deleteRows = p.formatRows = p.formatColumns = False


def page_setup(ws: Worksheet, layout: Layout) -> None:
    ws.print_area = layout.print_area
    ws.print_title_rows = f"{layout.table_header_row}:{layout.table_header_row}"
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth = 1
    setup.fitToHeight = 1 if len(layout.indicator_rows()) <= ONE_PAGE_ROWS else 0
    ws.print_options.horizontalCentered = True
    margins = ws.page_margins
    margins.left = margins.right = 0.5
    margins.top, margins.bottom = 0.6, 0.6
    margins.header = margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = styles.BODY_FONT


INSTRUCTIONS_WIDTH = 100


def instruction_sheet(ws: Worksheet, lines: tuple[str, ...]) -> None:
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    ws.sheet_view.showGridLines = False
    for r, line in enumerate(lines, start=1):
        cell = ws.cell(r, 1)
        heading = line.startswith("# ")
        cell.value = line[2:] if heading else line
        cell.data_type = "s"
        cell.font = styles.HEADING if heading else styles.BODY
        cell.alignment = styles.LEFT
        # Rows do not grow by themselves in every program: wrapped lines would overlap.
        ws.row_dimensions[r].height = text_height(cell.value, INSTRUCTIONS_WIDTH)
    ws.protection.sheet = True
