"""Findings: what the rules say about a form, as data.

A finding has a stable ``code`` (the public contract in DOMAIN.md), a severity,
where it is (sheet and cell when a reader knows them, and always a field path),
the expected and found values, and a Chinese message rendered from one table
(:data:`MESSAGES`), so the wording lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from selfeval.form.vocabulary import (
    FUNDS_COLUMNS,
    FUNDS_ROWS,
    HEADER_FIELDS,
    INDICATOR_COLUMNS,
    TOTAL_LABELS,
)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """Chinese label shown to staff."""
        return _LABELS[self]


_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: dict[str, Severity] = {
    "FUNDS_RATE": E,
    "FUNDS_SCORE": E,
    "FUNDS_SUM": E,
    "FUNDS_OVER": W,
    "FUNDS_MISSING": E,
    "POINTS_TOTAL": E,
    "POINTS_CATEGORY": W,  # error when the header prints its own weight
    "POINTS_MISSING": E,
    "SCORE_MISSING": E,
    "SCORE_RANGE": E,
    "UNMET_FULL": E,
    "MET_PARTIAL": W,
    "SCORE_POLICY": W,
    "REASON_MISSING": E,
    "REASON_UNEXPECTED": INFO,
    "OVER_ACHIEVED": INFO,
    "TARGET_UNPARSED": W,
    "ACTUAL_UNPARSED": W,
    "TARGET_NO_OPERATOR": INFO,
    "UNIT_MISMATCH": W,
    "CATEGORY_MISPLACED": W,
    "TOTAL_MISMATCH": E,
    "FORMULA_OVERWRITTEN": E,
    "INPUT_MISSING": E,
    "LAYOUT_UNRECOGNISED": E,
    "READ_ERROR": E,
    # 复核底稿 (selfeval review / validate 复核底稿.xlsx)
    "WORKPAPER_SCORE_RANGE": E,
    "WORKPAPER_REASON_MISSING": E,
    "WORKPAPER_SCORE_MISSING": W,
    "WORKPAPER_DEVIATION": E,
    # What reviewers (复核) check beyond arithmetic; a profile may turn each off or change
    # its severity (profiles.Review).
    "EXEC_CAP": W,
    "EXEC_REASON": W,
    "COST_DIRECTION": W,
    "CATEGORY_MISSING": W,
    "QTY_IS_MONEY": W,
    "DUP_INDICATOR": W,
    "PERCENT_OVER_100": W,
    "PLACEHOLDER": E,
    "WEIGHT_CONCENTRATION": W,
    "WEIGHT_ZERO": W,
    "SATISFACTION_NO_SURVEY": W,
    "REASON_QUALITY": W,
    "NUMERIC_ACTUAL_TEXT": W,
}
"""Every finding code and its default severity (DOMAIN.md; READ_ERROR for unreadable files)."""

MESSAGES: dict[str, str] = {
    "FUNDS_RATE": "执行率填报为 {found}，按全年执行数 ÷ 全年预算数应为 {expected}",
    "FUNDS_SCORE": "预算执行得分填报为 {found}，按 min(执行率,1) × 分值应为 {expected}",
    "FUNDS_SUM": "{column}：年度资金总额 {found} 与三项明细之和 {expected} 不一致",
    "FUNDS_OVER": "全年执行数 {found} 超过全年预算数 {expected}",
    "FUNDS_MISSING": "{label}未填写或无法识别（{found}）",
    "POINTS_TOTAL": "各项分值合计为 {found}，应为 {expected}",
    "POINTS_CATEGORY": "{category}分值小计为 {found}，{basis}为 {expected}",
    "POINTS_MISSING": "指标“{name}”未填写分值",
    "SCORE_MISSING": "指标“{name}”有分值但未填写得分",
    "SCORE_RANGE": "指标“{name}”得分 {found} 不在 0 至分值 {expected} 之间",
    "UNMET_FULL": "指标“{name}”未达到年度指标值（{target}，实际 {actual}），却得满分 {found}；按评分规则建议得分 {expected}",
    "MET_PARTIAL": "指标“{name}”已达到年度指标值（{target}，实际 {actual}），得分 {found} 低于分值 {expected}",
    "SCORE_POLICY": "指标“{name}”得分 {found} 不符合评分规则（{rule}），建议得分 {expected}",
    "REASON_MISSING": "指标“{name}”未得满分或未达标，但未填写偏差原因分析及改进措施",
    "REASON_UNEXPECTED": "指标“{name}”得满分，却填写了偏差原因，请确认",
    "OVER_ACHIEVED": "指标“{name}”实际完成值 {found} 达到年度指标值的 {ratio}，超额较多且未说明原因（指标值可能设定偏低）",
    "TARGET_UNPARSED": "指标“{name}”的年度指标值“{found}”无法识别：{why}",
    "ACTUAL_UNPARSED": "指标“{name}”的实际完成值“{found}”无法与年度指标值比较：{why}",
    "TARGET_NO_OPERATOR": "指标“{name}”的年度指标值“{found}”没有比较符号，按“{expected}”理解（{assumed}）",
    "UNIT_MISMATCH": "指标“{name}”的实际完成值单位“{found}”与年度指标值单位“{expected}”不一致",
    "CATEGORY_MISPLACED": "指标“{name}”位置不当：{why}",
    "TOTAL_MISMATCH": "总分填报为 {found}，按规则计算应为 {expected}",
    "FORMULA_OVERWRITTEN": "{label}应为公式，现被改为固定值 {found}",
    "INPUT_MISSING": "{label}未填写",
    "LAYOUT_UNRECOGNISED": "未能读取自评表：{why}",
    "READ_ERROR": "文件无法读取：{why}",
    "WORKPAPER_SCORE_RANGE": "第 {form} 份“{project}”指标“{name}”的复核得分 {found} 不在 0 至分值 {expected} 之间",
    "WORKPAPER_REASON_MISSING": "第 {form} 份“{project}”指标“{name}”复核得分 {found} 低于分值 {expected}，但未填写扣分原因",
    "WORKPAPER_SCORE_MISSING": "第 {form} 份“{project}”指标“{name}”尚未填写复核得分",
    "WORKPAPER_DEVIATION": "第 {form} 份“{project}”的偏离度填为 {found}，按 (自评得分 − 复核得分) ÷ 自评得分 应为 {expected}",
    "EXEC_CAP": "预算执行率为 {rate}，按{basis}，总分最高 {expected} 分，现为 {found} 分，复核时可能被扣减 {risk} 分",
    "EXEC_REASON": "预算执行率为 {rate}，低于 {threshold}，表上未说明执行率偏低的原因（复核要求说明资金执行偏差）",
    "COST_DIRECTION": "成本指标“{name}”的年度指标值“{found}”为下限（{op}）；复核要求成本指标设为上限（≤）",
    "CATEGORY_MISSING": "{category}下没有任何指标；复核要求产出、效益、满意度指标齐全",
    "QTY_IS_MONEY": "数量指标“{name}”衡量的是资金支付；复核不认可以资金支付作为产出数量（预算执行率已单独计分）",
    "DUP_INDICATOR": "指标“{name}”同时出现在{categories}下；复核只计一次",
    "PERCENT_OVER_100": "指标“{name}”的年度指标值“{found}”超过 100%，该比率不可能超过 100%（复核视为指标值设置不合理）",
    "PLACEHOLDER": "指标“{name}”的{label}“{found}”是模板占位符，未填写实际内容（复核视为未填报）",
    "WEIGHT_CONCENTRATION": "{why}（复核要求指标权重分布合理）",
    "WEIGHT_ZERO": "指标“{name}”分值为 0；复核要求每个指标都有权重，不计分的指标应删除",
    "SATISFACTION_NO_SURVEY": "满意度指标“{name}”以“{found}”代替调查结果；复核要求满意度来自问卷等调查",
    "REASON_QUALITY": "指标“{name}”的偏差原因“{found}”{why}；复核要求逐项分析原因并提出改进措施",
    "NUMERIC_ACTUAL_TEXT": "指标“{name}”的年度指标值为数值（{expected}），实际完成值却写成文字“{found}”；复核要求填写实际数值",
}
"""Chinese message templates, one per code; placeholders come from ``Finding.params``."""


@dataclass
class Finding:
    """One thing the rules found wrong (or worth a note) in a form."""

    code: str
    field: str  # field path, e.g. "indicators[3].score" or "funds.stated_score"
    expected: Any = None
    found: Any = None
    severity: Severity | None = None  # None: the code's default
    sheet: str | None = None
    cell: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise KeyError(f"unknown finding code {self.code!r}")
        if self.severity is None:
            self.severity = CODES[self.code]

    @property
    def message(self) -> str:
        """The Chinese message for staff."""
        values = _Blank()
        if self.code in _SHOWS_PAIR:
            kind = value_kind(self.field)
            values["expected"], values["found"] = show_pair(self.expected, self.found, kind)
        for key, value in self.params.items():
            values[key] = show_value(value)
        if values.get("label") == self.field:  # a rule had no words for it: the vocabulary's
            values["label"] = field_label(self.field)
        return _one_bracket(MESSAGES[self.code].format_map(values))

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: code, severity, sheet, cell, field, message, expected, found."""
        return {
            "code": self.code,
            "severity": self.severity.value if self.severity else None,
            "sheet": self.sheet,
            "cell": self.cell,
            "field": self.field,
            "message": self.message,
            "expected": self.expected,
            "found": self.found,
        }


_SHOWS_PAIR = frozenset(
    code for code, text in MESSAGES.items() if "{expected}" in text or "{found}" in text
)
"""The codes whose message shows the expected or found value."""


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "—"


BLANK = "（空）"

ValueKind = str
"""How a figure reads: ``rate`` (a fraction shown as 99.07%), ``amount`` (money,
812,000.00) or ``""`` (scores, points and other figures)."""

_AMOUNT_FIELDS = ("initial_budget", "annual_budget", "executed")


def value_kind(field: str) -> ValueKind:
    """The kind of the figures at a field path (``funds.total.stated_rate`` is a rate)."""
    last = field.rsplit(".", 1)[-1]
    if last.endswith("rate"):
        return "rate"
    return "amount" if last in _AMOUNT_FIELDS else ""


def show_value(value: Any, kind: ValueKind = "", decimals: int | None = None) -> str:
    """Render a value the way staff write it: 9.91, 99.07%, 812,000.00, blank as （空）.

    ``decimals`` fixes the digits after the point (a pair shown side by side shares
    them, see :func:`show_pair`); by default a figure shows the digits it has.
    """
    if type(value) is str:  # most values: names, targets, reasons
        return value or BLANK
    if value is None or value == "":
        return BLANK
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if kind == "rate":
        return f"{value:.{2 if decimals is None else decimals}%}"
    if kind == "amount":
        return f"{value:,.2f}"
    if decimals is None:
        decimals = _decimals(value)
    grouping = "," if abs(value) >= 10000 else ""
    return f"{value:{grouping}.{decimals}f}"


def show_pair(first: Any, second: Any, kind: ValueKind = "") -> tuple[str, str]:
    """Two figures read side by side (stated and expected, old and new) with the same
    digits after the point: 2.00 and 2.40, 98.23 and 98.90, 100 and 95."""
    decimals = None  # rates and amounts always show two digits
    if not kind and _is_number(first) and _is_number(second):
        needed = max(_decimals(first), _decimals(second))
        decimals = max(needed, 2) if needed else 0
    return show_value(first, kind, decimals), show_value(second, kind, decimals)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _decimals(value: float) -> int:
    """Digits after the point a figure needs (float noise such as 0.1 + 0.2 ignored)."""
    text = f"{value:.10f}".rstrip("0")
    return len(text.partition(".")[2])


def _one_bracket(text: str) -> str:
    """A blank shown inside the message's own brackets reads （空）, not （（空））."""
    return text.replace(f"（{BLANK}）", BLANK)


__all__ = ["CODES", "MESSAGES", "Finding", "Severity", "show_pair", "show_value", "value_kind"]


def field_label(path: str) -> str:
    """A field path in the form's own words (``funds.current.stated_rate`` ->
    当年财政拨款执行率), so that no message shows a raw path."""
    section, _, rest = path.partition(".")
    if section == "funds" and (row := FUNDS_ROWS.get(rest.partition(".")[0])):
        column = FUNDS_COLUMNS.get(rest.partition(".")[2])
        return row.label + (column.label if column else "")
    if section == "funds" and (column := FUNDS_COLUMNS.get(rest.removeprefix("stated_"))):
        return "预算执行" + column.label
    if section == "header" and (term := HEADER_FIELDS.get(rest)):
        return term.label
    if section.startswith("indicators[") and (term := INDICATOR_COLUMNS.get(rest)):
        number = section.removeprefix("indicators[").rstrip("]")
        return f"第 {int(number) + 1} 个指标的{term.label}" if number.isdigit() else term.label
    if path == "stated_total":
        return TOTAL_LABELS[0]
    if path == "stated_points_total":
        return INDICATOR_COLUMNS["points"].label + "合计"
    return "该栏"
