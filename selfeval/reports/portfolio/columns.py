"""The summary table's columns, described once for the HTML, CSV and xlsx outputs (the
codes' short names are ``Code.label``; where a finding is: :mod:`selfeval.reports.places`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from selfeval.form import vocabulary as vocab
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
