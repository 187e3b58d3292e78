"""The summary table's columns, described once for the HTML, CSV and xlsx outputs;
the short Chinese names of the finding codes, and where a finding is, in Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from selfeval.form import vocabulary as vocab
from selfeval.form.findings import Finding
from selfeval.reports.portfolio.summary import Row

Kind = Literal["int", "text", "money", "rate", "score"]


@dataclass(frozen=True)
class Column:
    """A column: Chinese heading, value getter, and the kind that decides its format."""

    key: str
    heading: str
    value: Callable[[Row], Any]
    kind: Kind = "text"


BUDGET_HEADING = f"{vocab.BUDGET}（元）"

COLUMNS: tuple[Column, ...] = (
    Column("index", "序号", lambda r: r.index, "int"),
    Column("department", vocab.DEPARTMENT, lambda r: r.department),
    Column("implementer", vocab.IMPLEMENTER, lambda r: r.implementer),
    Column("project", vocab.PROJECT, lambda r: r.project),
    Column("year", "年度", lambda r: r.year, "int"),
    Column("budget", BUDGET_HEADING, lambda r: r.budget, "money"),
    Column("rate", vocab.RATE, lambda r: r.rate, "rate"),
    Column("stated_total", "填报总分", lambda r: r.stated_total, "score"),
    Column("total", "按填报得分", lambda r: r.total, "score"),
    Column("rules_total", "按规则应得", lambda r: r.rules_total, "score"),
    Column("difference", "差额", lambda r: r.difference, "score"),
    Column("grade", "等级", lambda r: r.grade),
    Column("errors", "错误", lambda r: r.errors, "int"),
    Column("warnings", "警告", lambda r: r.warnings, "int"),
    Column("infos", "提示", lambda r: r.infos, "int"),
    Column("flags", "重点关注", lambda r: "；".join(r.flags)),
    Column("codes", "问题代码", lambda r: r.codes_text),
    Column("file", "文件", lambda r: r.file),
    Column("sheet", "工作表", lambda r: r.sheet),
)
"""Summary columns in report order (按填报得分 is the unit's own scores with the funds score
recomputed, 按规则应得 what rescoring writes; 差额 = 填报总分 − 按填报得分, 等级 from it)."""


def show(value: Any, kind: Kind) -> str:
    """A value as the HTML table shows it; blank as —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str) or kind in ("int", "text"):
        return str(value)
    if kind == "money":
        return f"{value:,.2f}"
    if kind == "rate":
        return f"{value:.2%}"
    return f"{value:.2f}"


CODE_LABELS: dict[str, str] = {
    "FUNDS_RATE": "执行率计算有误",
    "FUNDS_SCORE": "预算执行得分有误",
    "FUNDS_SUM": "资金总额与明细不符",
    "FUNDS_OVER": "执行数超预算",
    "FUNDS_MISSING": "资金数缺失",
    "POINTS_TOTAL": f"{vocab.POINTS}合计不为100",
    "POINTS_CATEGORY": f"一级指标{vocab.POINTS}不符",
    "POINTS_MISSING": f"缺{vocab.POINTS}",
    "SCORE_MISSING": "缺得分",
    "SCORE_RANGE": "得分超出范围",
    "UNMET_FULL": "未达标却得满分",
    "MET_PARTIAL": "已达标却扣分",
    "SCORE_POLICY": "得分不符评分规则",
    "REASON_MISSING": "扣分未说明原因",
    "REASON_UNEXPECTED": "满分却填了原因",
    "OVER_ACHIEVED": "大幅超额未说明",
    "TARGET_UNPARSED": "指标值无法识别",
    "ACTUAL_UNPARSED": "完成值无法比较",
    "TARGET_NO_OPERATOR": "指标值无比较符号",
    "UNIT_MISMATCH": "单位不一致",
    "CATEGORY_MISPLACED": "指标层级不当",
    "TOTAL_MISMATCH": "总分与计算不符",
    "FORMULA_OVERWRITTEN": "公式被改为固定值",
    "INPUT_MISSING": "表头信息缺失",
    "LAYOUT_UNRECOGNISED": "未识别出自评表",
    "READ_ERROR": "文件无法读取",
    "WORKPAPER_SCORE_RANGE": "复核得分超出范围",
    "WORKPAPER_REASON_MISSING": "复核扣分未说明原因",
    "WORKPAPER_SCORE_MISSING": "未填复核得分",
    "WORKPAPER_DEVIATION": "偏离度与计算不符",
    "EXEC_CAP": "执行率封顶扣分",
    "EXEC_REASON": "执行率偏低未说明",
    "COST_DIRECTION": "成本指标方向不当",
    "CATEGORY_MISSING": "缺一级指标",
    "QTY_IS_MONEY": "数量指标为资金支付",
    "DUP_INDICATOR": "指标重复",
    "PERCENT_OVER_100": "比率超过100%",
    "PLACEHOLDER": "模板占位符未填",
    "WEIGHT_CONCENTRATION": "权重过于集中",
    "WEIGHT_ZERO": f"指标{vocab.POINTS}为0",
    "SATISFACTION_NO_SURVEY": "满意度无调查",
    "REASON_QUALITY": "原因说明不充分",
    "NUMERIC_ACTUAL_TEXT": "数值指标填文字",
}
"""Short Chinese name of each finding code, for charts and tables."""

_FIELD_NAMES = {
    **{key: term.label for key, term in vocab.HEADER_FIELDS.items()},
    **{key: term.label for key, term in vocab.FUNDS_COLUMNS.items() if key != "points"},
    **{key: term.label for key, term in vocab.INDICATOR_COLUMNS.items()},
    **{key: term.label for key, term in vocab.FUNDS_ROWS.items()},
    "stated_score": vocab.SCORE,
    "reason": vocab.REASON_SHORT,
    "stated_total": "总分",
    "stated_points_total": f"{vocab.POINTS}合计",
    "funds": "项目资金",
    "category_weights": f"一级指标{vocab.POINTS}",
    "header": "表头",
    "file": "文件",
}
_ROW = re.compile(r"indicators\[(\d+)\]")


def where(f: Finding) -> str:
    """Where a finding is, for staff: ``工作表!G21``, else the field in Chinese."""
    if f.cell:
        return f"{f.sheet}!{f.cell}" if f.sheet else f.cell
    parts = []
    for part in f.field.split("."):
        row = _ROW.fullmatch(part)
        parts.append(f"指标第{int(row[1]) + 1}行" if row else _FIELD_NAMES.get(part, part))
    return "·".join(parts)
