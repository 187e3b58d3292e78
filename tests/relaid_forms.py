"""The seed forms re-laid in the shapes other provinces file (DOMAIN.md, "Layouts
elsewhere in China"), written to real .xlsx files.

Each :class:`Shape` says how a hand-made form is drawn: its title lines, the funds
block's label, columns and rows, the indicator table's columns in order (a target
split over 指标性质 | 指标值 | 度量单位, on one header row or under a two-row header),
how its labels are worded, the total row and the lines after it. :func:`relay`
draws a :class:`~selfeval.form.model.Form` in a shape as rows of cells, typed as Excel
types pasted text (``tests/seed_workbooks.py``). Read back, a re-laid form must
give the same computed total and the same findings as the form it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from selfeval.form.model import Form, Indicator
from selfeval.layouts.layout import split_target
from tests.seed_workbooks import typed_value

Cell = str | float | int | None


@dataclass(frozen=True)
class Shape:
    name: str
    title: tuple[str, ...]  # lines above 项目名称; {year} is replaced
    funds_label: str
    funds_columns: tuple[tuple[str, str], ...]  # (field, heading) after the row label
    funds_rows: tuple[tuple[str, str], ...]  # (funds row, label)
    table: tuple[tuple[str, str], ...]  # (field, heading); fields of Indicator or split parts
    outer: str = ""  # a first column like 绩效指标 (empty: the 一级 column comes first)
    two_row: bool = False  # 年度指标值 over 指标性质 | 指标值 | 度量单位
    total_label: str = "总分"
    grade_after: bool = False
    closing: tuple[tuple[str, str], ...] = ()
    short_level2: bool = False  # 社会效益, 服务对象满意度指标等
    weight_brackets: str = "（{w}分）"  # how a 一级 label carries its weight
    placeholders: bool = False  # ……, an empty 生态效益指标 row, 其他需要说明事项 | 无
    stray_zero: bool = False  # 0 typed in the reason cell of a full-score row
    every_row_labelled: bool = False  # 一级 / 二级 written on every row (no merged cells)
    header_extra: tuple[tuple[str, str], ...] = ()  # more lines under the header
    funds_caption: str = ""  # over the row labels: 年度预算数(万元)


_STANDARD_FUNDS = (
    ("initial_budget", "年初预算数"),
    ("annual_budget", "全年预算数"),
    ("executed", "全年执行数"),
    ("points", "分值"),
    ("stated_rate", "执行率"),
    ("score", "得分"),
)
_STANDARD_ROWS = (
    ("total", "年度资金总额"),
    ("current", "其中：当年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)
_SPLIT = (("target_nature", "指标性质"), ("target_value", "指标值"), ("target_unit", "度量单位"))

SHAPES: tuple[Shape, ...] = (
    Shape(
        "national_reordered",
        ("{year}年度项目支出绩效自评表",),
        "项目资金（元）",
        _STANDARD_FUNDS,
        (("total", "年度资金总额"), ("current", "其中：本年财政拨款"), *_STANDARD_ROWS[2:]),
        (
            ("level1", "一级指标"),
            ("level2", "二级指标"),
            ("name", "三级指标"),
            ("points", "分值"),
            ("target", "年度指标值"),
            ("actual", "全年实际值"),
            ("score", "得分"),
            ("reason", "偏差原因分析及改进措施"),
        ),
        grade_after=True,
        placeholders=True,
        header_extra=(("项目负责人及电话", "王工 021-00000000"),),
    ),
    Shape(
        "weights_and_synonyms",
        ("项目支出绩效自评表", "（{year}年度）"),
        "项目资金 (元)",
        (
            ("initial_budget", "年初预算数"),
            ("annual_budget", "调整后预算数"),
            ("executed", "预算执行数"),
            ("points", "权重"),
            ("stated_rate", "预算执行率"),
            ("score", "得分"),
        ),
        _STANDARD_ROWS,
        (
            ("level1", "一级指标"),
            ("level2", "二级指标"),
            ("name", "三级指标"),
            ("target", "指标值"),
            ("actual", "完成值"),
            ("points", "权重"),
            ("score", "得分"),
            ("reason", "未完成原因分析"),
        ),
        outer="绩效指标",
        total_label="合计",
        stray_zero=True,
    ),
    Shape(
        "sichuan_split",
        ("报表编号:510000_0013zp", "部门预算项目支出绩效自评表({year}年度)"),
        "预算执行情况(10分)",
        (
            ("initial_budget", "年初预算"),
            ("annual_budget", "调整后预算数"),
            ("executed", "预算执行数"),
            ("stated_rate", "预算执行率"),
            ("points", "权重"),
            ("score", "得分"),
            ("", "原因"),
        ),
        (
            ("total", "总额"),
            ("current", "其中:财政资金"),
            ("special_account", "财政专户管理资金"),
            ("unit_funds", "单位资金"),
            ("carryover", "上年结转资金"),
            ("other", "其他资金"),
        ),
        (
            ("level1", "一级指标"),
            ("level2", "二级指标"),
            ("name", "三级指标"),
            *_SPLIT,
            ("actual", "完成值"),
            ("points", "权重"),
            ("score", "得分"),
            ("reason", "未完成原因分析"),
        ),
        outer="绩效指标(90分)",
        total_label="合计",
        closing=(
            ("评价结论", "项目按计划实施，资金支付合规。"),
            ("存在问题", "无"),
            ("改进措施", "无"),
            ("项目负责人:张某", "财务负责人:李某"),
        ),
        header_extra=(("实施单位 (盖章)", ""),),
        funds_caption="年度预算数(万元)",
    ),
    Shape(
        "two_row_split",
        ("绩效目标自评表", "({year}年度)"),
        "项目资金（万元）",
        _STANDARD_FUNDS,
        _STANDARD_ROWS,
        (
            ("level1", "一级指标"),
            ("level2", "二级指标"),
            ("name", "三级指标"),
            *_SPLIT,
            ("actual", "实际完成值"),
            ("points", "分值"),
            ("score", "得分"),
            ("reason", "未完成原因及拟采取的改进措施"),
        ),
        two_row=True,
        grade_after=True,
        weight_brackets="({w}分)",
        closing=(("项目负责人:", "赵某"),),
    ),
    Shape(
        "short_labels",
        ("部门:某局", "{year}年度项目支出绩效自评表"),
        "资金情况(万元)",
        _STANDARD_FUNDS,
        _STANDARD_ROWS,
        (
            ("level1", "一级指标"),
            ("level2", "二级指标"),
            ("name", "三级指标"),
            ("target", "年度指标值"),
            ("actual", "实际值"),
            ("points", "分值"),
            ("score", "得分"),
            ("reason", "原因"),
        ),
        short_level2=True,
        placeholders=True,
        stray_zero=True,
        total_label="总计",
    ),
    Shape(
        "labelled_rows",
        ("财政项目支出绩效自评表", "({year} 年度)"),
        "项目资金 (元)",
        _STANDARD_FUNDS,
        _STANDARD_ROWS,
        (
            ("level1", "一级指标"),
            ("level2", "二级指标"),
            ("name", "三级指标"),
            ("target", "年度指标值"),
            ("actual", "实际完成值"),
            ("points", "分值"),
            ("score", "得分"),
            ("reason", "偏差原因分析及改进措施"),
        ),
        outer="绩效指标",
        every_row_labelled=True,
        stray_zero=True,
    ),
)


def relay(form: Form, shape: Shape) -> list[list[Cell]]:
    """The form drawn in ``shape`` as rows of cells (text as staff would type it)."""
    year = form.header.year or 2021
    rows: list[list[Cell]] = [[line.format(year=year)] for line in shape.title]
    h = form.header
    rows.append(["项目名称", h.project])
    rows.append(["主管部门", h.department, "", "", "实施单位", h.implementer])
    rows += [[label, value] for label, value in shape.header_extra]
    rows += _funds(form, shape)
    rows.append(["年度总体目标", "预算目标", "", "", "实际完成情况"])
    rows.append(["", form.goals.planned, "", "", form.goals.achieved])
    rows += _table(form, shape)
    rows += [[label, text] for label, text in shape.closing]
    return rows


def _funds(form: Form, shape: Shape) -> list[list[Cell]]:
    funds = form.funds
    heading = [shape.funds_label, shape.funds_caption, *(h for _, h in shape.funds_columns)]
    rows: list[list[Cell]] = [heading]
    for name, label in shape.funds_rows:
        source = getattr(funds, name)
        line: list[Cell] = ["", label]
        for field, _ in shape.funds_columns:
            if field in ("points", "score"):
                value = funds.points if field == "points" else funds.stated_score
                line.append(value if name == "total" else ("/" if "/" in label else "—"))
            elif field == "stated_rate":
                rate = source.stated_rate
                line.append(f"{rate * 100:.2f}%" if isinstance(rate, float) else rate)
            elif field:
                line.append(getattr(source, field))
            else:
                line.append("")
        rows.append(line)
    return rows


def _table(form: Form, shape: Shape) -> list[list[Cell]]:
    lead = [shape.outer] if shape.outer else []
    headings = [h for _, h in shape.table]
    if shape.two_row:
        upper = [h if f not in ("target_value", "target_unit") else "" for f, h in shape.table]
        upper = ["年度指标值" if h == "指标性质" else h for h in upper]
        lower = [h if f.startswith("target_") else "" for f, h in shape.table]
        rows: list[list[Cell]] = [lead + upper, ([""] if lead else []) + lower]
    else:
        rows = [lead + headings]
    previous = ("", "")
    for i, row in enumerate(form.indicators):
        levels = (row.level1, row.level2)
        label_here = shape.every_row_labelled or levels != previous
        cells = _row(form, row, shape, label_here)
        rows.append(([""] if lead else []) + cells)
        last_of_block = i + 1 == len(form.indicators) or form.indicators[i + 1].level1 != row.level1
        if shape.placeholders and row.level1 == "产出指标" and last_of_block:
            rows.append(([""] if lead else []) + ["", "", "……"] + [""] * (len(headings) - 3))
        ecology = any(r.level2.startswith("生态效益") for r in form.indicators)
        if shape.placeholders and row.level1 == "效益指标" and last_of_block and not ecology:
            rows.append(([""] if lead else []) + ["", "生态效益指标"])
        previous = levels
    if shape.placeholders:
        rows.append(["其他需要说明事项", "无"])
    total: list[Cell] = [shape.total_label] + [""] * (len(lead) + len(headings) - 1)
    fields = [f for f, _ in shape.table]
    total[len(lead) + fields.index("points")] = form.stated_points_total
    total[len(lead) + fields.index("score")] = form.stated_total
    if shape.grade_after and isinstance(form.stated_total, float):
        total.append(_grade(form.stated_total))
    rows.append(total)
    return rows


def _row(form: Form, row: Indicator, shape: Shape, label_here: bool) -> list[Cell]:
    level1, level2 = (row.level1, row.level2) if label_here else ("", "")
    weight = form.category_weights.get(row.level1)
    if level1 and weight is not None:
        level1 += shape.weight_brackets.format(w=f"{weight:g}")
    if level2 and shape.short_level2:
        level2 = level2 + "等" if level2.startswith("服务对象") else level2.removesuffix("指标")
    nature, value, unit = split_target(row.target)
    reason: Cell = row.reason
    if shape.stray_zero and not reason and row.points == row.score:
        reason = 0
    by_field: dict[str, Cell] = {
        "level1": level1,
        "level2": level2,
        "name": row.name,
        "target": row.target,
        "target_nature": nature,
        "target_value": value,
        "target_unit": unit,
        "actual": row.actual,
        "points": row.points,
        "score": row.score,
        "reason": reason,
    }
    return [by_field[f] for f, _ in shape.table]


def _grade(total: float) -> str:
    return "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"


def write_rows(rows: list[list[Cell]], path: Path, sheet: str = "自评表") -> Path:
    """Rows into a workbook's one sheet, each text cell typed as Excel types it."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r, line in enumerate(rows, start=1):
        for c, value in enumerate(line, start=1):
            if value is None or value == "":
                continue
            number_format = None
            if isinstance(value, str):
                value, number_format = typed_value(value)
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=100%" is a target, not a formula
            if number_format:
                cell.number_format = number_format
    wb.save(path)
    return path
