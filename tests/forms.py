"""Test helpers that speak the domain: build a form in one call, assert a finding in one line."""

from __future__ import annotations

from typing import Any

from selfeval.form.findings import Finding
from selfeval.form.model import Form, FundsRow, Header, Indicator
from selfeval.rules.check import validate

GOOD_ROWS: list[tuple[str, str, str, str, str, float, float]] = [
    # (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分)
    ("产出指标", "数量指标", "设备采购完成率", "=100%", "100%", 20, 20),
    ("产出指标", "质量指标", "设备验收合格率", "≥95%", "98%", 15, 15),
    ("产出指标", "时效指标", "设备采购及时性", "及时", "及时", 15, 15),
    ("效益指标", "社会效益指标", "信息安全事故发生数", "=0起", "0起", 15, 15),
    ("效益指标", "可持续影响指标", "设备管理制度", "完善", "完善", 15, 15),
    ("满意度指标", "服务对象满意度指标", "工作人员满意度", ">=90%", "92%", 10, 10),
]


def indicator(row: tuple[Any, ...], reason: str = "") -> Indicator:
    level1, level2, name, target, actual, points, score = row
    return Indicator(level1, level2, name, target, actual, points, score, reason)


def make_form(
    rows: list[tuple[Any, ...]] | None = None,
    *,
    budget: Any = 100000.0,
    executed: Any = 95000.0,
    points: Any = 10.0,
    rate: Any = 0.95,
    funds_score: Any = 9.5,
    total: Any = "auto",
    reasons: dict[int, str] | None = None,
    **form_fields: Any,
) -> Form:
    """A correct form unless told otherwise; ``total="auto"`` states the right total."""
    rows = GOOD_ROWS if rows is None else rows
    reasons = reasons or {}
    form = Form(
        header=Header(2026, "测试项目", "测试主管部门", "测试实施单位"),
        indicators=[indicator(r, reasons.get(i, "")) for i, r in enumerate(rows)],
        **form_fields,
    )
    form.funds.total = FundsRow(budget, budget, executed, rate)
    form.funds.current = FundsRow(budget, budget, None)
    form.funds.points, form.funds.stated_score = points, funds_score
    form.stated_points_total = 100.0
    if total == "auto":
        scores = [r[6] for r in rows if isinstance(r[6], float | int)]
        total = round((funds_score or 0) + sum(scores), 2)
    form.stated_total = total
    return form


def codes(form: Form, profile: str = "national") -> list[str]:
    return [f.code for f in validate(form, profile)]


def find(form: Form, code: str, profile: str = "national") -> list[Finding]:
    return [f for f in validate(form, profile) if f.code == code]


def assert_finding(form: Form, code: str, field: str | None = None, **expect: Any) -> Finding:
    """The form yields ``code`` (at ``field`` if given) with the expected attributes."""
    hits = [f for f in find(form, code) if field is None or f.field == field]
    assert hits, f"expected {code} at {field or 'any field'}, got {codes(form)}"
    for key, value in expect.items():
        got = getattr(hits[0], key)
        assert got == value, f"{code}.{key}: expected {value!r}, got {got!r}"
    return hits[0]


def assert_no_finding(form: Form, code: str) -> None:
    assert code not in codes(form), [f.message for f in find(form, code)]
