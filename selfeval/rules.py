"""The rules: one small function per check, each yielding findings.

Form rules take a :class:`Check`; indicator rules also take the row's index,
the row and its analysis. Adding a rule is adding one decorated function.
Messages live in :data:`selfeval.findings.MESSAGES`, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from selfeval.analysis import (
    Analysis,
    IndicatorAnalysis,
    analyse,
    execution_rate,
    has_reason,
    number,
    rate_convention,
    round_rate,
    within,
)
from selfeval.findings import Finding, Severity
from selfeval.model import FUNDS_SUBROWS, LEVEL1_NAMES, LEVEL2_BY_LEVEL1, Form, Indicator
from selfeval.profiles import Profile, load_profile

FormRule = Callable[["Check"], Iterator[Finding]]
RowRule = Callable[["Check", int, Indicator, IndicatorAnalysis], Finding | None]

FORM_RULES: list[FormRule] = []
ROW_RULES: list[RowRule] = []

EPS = 1e-9


def form_rule(fn: FormRule) -> FormRule:
    FORM_RULES.append(fn)
    return fn


def row_rule(fn: RowRule) -> RowRule:
    ROW_RULES.append(fn)
    return fn


@dataclass
class Check:
    """A form under check: the form, its analysis and the profile."""

    form: Form
    analysis: Analysis
    profile: Profile

    def finding(self, code: str, path: str, **kw: Any) -> Finding:
        """A finding located at the form-level field ``path`` (sheet and cell if known)."""
        return Finding(
            code, path, sheet=self.form.source.sheet, cell=self.form.cells.get(path), **kw
        )

    def row_finding(self, code: str, i: int, row: Indicator, attr: str, **kw: Any) -> Finding:
        """A finding located at field ``attr`` of indicator row ``i``."""
        params = {"name": row.name or f"第{i + 1}行", **kw.pop("params", {})}
        return Finding(
            code,
            f"indicators[{i}].{attr}",
            sheet=self.form.source.sheet,
            cell=row.cells.get(attr),
            params=params,
            **kw,
        )


def validate(form: Form, profile: Profile | str | None = None) -> list[Finding]:
    """Every finding the rules make about ``form`` (DOMAIN.md codes), in form order."""
    return check_form(form, _profile(profile))[0]


def check_form(form: Form, profile: Profile) -> tuple[list[Finding], Analysis]:
    """The findings and the analysis they were made from (computed once)."""
    check = Check(form, analyse(form, profile), profile)
    found = [f for rule in FORM_RULES for f in rule(check)]
    rows = zip(form.indicators, check.analysis.indicators, strict=True)
    for i, (row, info) in enumerate(rows):
        # Row rules return one finding or None: far cheaper than generators per row.
        for rule in ROW_RULES:
            finding = rule(check, i, row, info)
            if finding is not None:
                found.append(finding)
    return found, check.analysis


def _profile(profile: Profile | str | None) -> Profile:
    return profile if isinstance(profile, Profile) else load_profile(profile or "national")


# -- header -------------------------------------------------------------------------

_HEADER_LABELS = {"project": "项目名称", "department": "主管部门", "implementer": "实施单位"}


@form_rule
def input_missing(c: Check) -> Iterator[Finding]:
    for attr, label in _HEADER_LABELS.items():
        if not getattr(c.form.header, attr).strip():
            yield c.finding("INPUT_MISSING", f"header.{attr}", params={"label": label})


@form_rule
def formula_overwritten(c: Check) -> Iterator[Finding]:
    for path in c.form.formulas_overwritten:
        yield c.finding(
            "FORMULA_OVERWRITTEN",
            path,
            found=_value_at(c.form, path),
            params={"label": FIELD_LABELS.get(path, path)},
        )


FIELD_LABELS = {
    "funds.total.stated_rate": "执行率",
    "funds.stated_score": "预算执行得分",
    "stated_points_total": "分值合计",
    "stated_total": "总分",
}


def _value_at(form: Form, path: str) -> Any:
    value: Any = form
    for part in path.split("."):
        value = getattr(value, part, None)
    return value


# -- funds block --------------------------------------------------------------------

_AMOUNTS = {"annual_budget": "全年预算数", "executed": "全年执行数"}


@form_rule
def funds_missing(c: Check) -> Iterator[Finding]:
    total = c.form.funds.total
    for attr, label in _AMOUNTS.items():
        if number(getattr(total, attr)) is None:
            yield c.finding(
                "FUNDS_MISSING",
                f"funds.total.{attr}",
                found=getattr(total, attr),
                params={"label": f"年度资金总额的{label}"},
            )
    if number(c.form.funds.points) is None:
        yield c.finding(
            "FUNDS_MISSING",
            "funds.points",
            found=c.form.funds.points,
            params={"label": "预算执行率分值"},
        )


@form_rule
def funds_rate(c: Check) -> Iterator[Finding]:
    a = c.analysis
    if a.execution_rate is not None and a.rate_convention is None:
        stated = c.form.funds.total.stated_rate
        yield c.finding("FUNDS_RATE", "funds.total.stated_rate", expected=a.rate, found=stated)
    for name in FUNDS_SUBROWS:  # a sub-row's rate is checked where the form states one
        row = getattr(c.form.funds, name)
        rate = execution_rate(row)
        if row.stated_rate is None or rate is None:
            continue
        if rate_convention(number(row.stated_rate), rate, c.profile) is None:
            yield c.finding(
                "FUNDS_RATE",
                f"funds.{name}.stated_rate",
                expected=round_rate(rate, c.profile),
                found=row.stated_rate,
            )


@form_rule
def funds_score(c: Check) -> Iterator[Finding]:
    stated, expected = c.form.funds.stated_score, c.analysis.funds_score
    if expected is not None and not within(stated, expected, c.profile.funds_score_tolerance):
        yield c.finding("FUNDS_SCORE", "funds.stated_score", expected=expected, found=stated)


_COLUMNS = {"initial_budget": "年初预算数", "annual_budget": "全年预算数", "executed": "全年执行数"}


@form_rule
def funds_sum(c: Check) -> Iterator[Finding]:
    funds = c.form.funds
    for attr, label in _COLUMNS.items():
        total = number(getattr(funds.total, attr))
        parts = [number(getattr(getattr(funds, r), attr)) for r in FUNDS_SUBROWS]
        filled = [p for p in parts if p is not None]
        if total is None or not filled:
            continue
        if abs(sum(filled) - total) > 0.005:
            yield c.finding(
                "FUNDS_SUM",
                f"funds.total.{attr}",
                expected=round(sum(filled), 2),
                found=total,
                params={"column": label},
            )


@form_rule
def funds_over(c: Check) -> Iterator[Finding]:
    total = c.form.funds.total
    budget, executed = number(total.annual_budget), number(total.executed)
    if budget is not None and executed is not None and executed > budget + EPS:
        yield c.finding("FUNDS_OVER", "funds.total.executed", expected=budget, found=executed)


# -- points -------------------------------------------------------------------------


@form_rule
def points_total(c: Check) -> Iterator[Finding]:
    expected, found = c.profile.points_total, c.analysis.points_total
    if abs(found - expected) > EPS:
        yield c.finding("POINTS_TOTAL", "stated_points_total", expected=expected, found=found)


@form_rule
def points_category(c: Check) -> Iterator[Finding]:
    funds_points = number(c.form.funds.points)
    if funds_points is not None and abs(funds_points - c.profile.funds_weight) > EPS:
        yield c.finding(
            "POINTS_CATEGORY",
            "funds.points",
            expected=c.profile.funds_weight,
            found=funds_points,
            params={"category": "预算执行率", "basis": "默认分值"},
        )
    for name in LEVEL1_NAMES:
        found = c.analysis.category_points.get(name, 0.0)
        printed = c.form.category_weights.get(name)
        expected = printed if printed is not None else c.profile.category_weights.get(name)
        if expected is None or abs(found - expected) <= EPS:
            continue
        yield c.finding(
            "POINTS_CATEGORY",
            f"category_weights.{name}",
            expected=expected,
            found=found,
            severity=Severity.ERROR if printed is not None else Severity.WARNING,
            params={
                "category": name,
                "basis": "表头标明的分值" if printed is not None else "默认分值",
            },
        )


@row_rule
def points_missing(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.points is None:
        return c.row_finding("POINTS_MISSING", i, row, "points", found=row.points)


# -- scores -------------------------------------------------------------------------


@row_rule
def score_missing(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.points is not None and info.score is None:
        return c.row_finding("SCORE_MISSING", i, row, "score", found=row.score)


@row_rule
def score_range(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.points is None or info.score is None:
        return None
    if info.score < -EPS or info.score > info.points + EPS:
        return c.row_finding("SCORE_RANGE", i, row, "score", expected=info.points, found=info.score)


def _full(info: IndicatorAnalysis) -> bool:
    return info.points is not None and info.score is not None and info.score >= info.points - EPS


def _targets(row: Indicator) -> dict[str, str]:
    return {"target": row.target, "actual": row.actual}


@row_rule
def unmet_full(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.evaluation.status in ("unmet", "partial") and _full(info):
        return c.row_finding(
            "UNMET_FULL",
            i,
            row,
            "score",
            expected=info.suggested,
            found=info.score,
            params=_targets(row),
        )


@row_rule
def met_partial(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    # Qualitative scores are judged by their bands (SCORE_POLICY), not here.
    if info.target.kind != "numeric" or info.evaluation.status != "met":
        return None
    if info.score is not None and info.points is not None and not _full(info):
        return c.row_finding(
            "MET_PARTIAL",
            i,
            row,
            "score",
            expected=info.points,
            found=info.score,
            params=_targets(row),
        )


@row_rule
def score_policy(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.score is None or info.suggested is None or info.evaluation.status == "met":
        return None
    if _full(info) and info.evaluation.status != "unknown":
        return None  # UNMET_FULL says it, with the suggested score
    if abs(info.score - info.suggested) > c.profile.policy_tolerance + EPS:
        return c.row_finding(
            "SCORE_POLICY",
            i,
            row,
            "score",
            expected=info.suggested,
            found=info.score,
            params={"rule": info.rule},
        )


# -- reasons ------------------------------------------------------------------------


@row_rule
def reason_missing(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    below = info.score is not None and info.points is not None and not _full(info)
    unmet = info.evaluation.status in ("unmet", "partial")
    if (below or unmet) and not has_reason(row.reason):
        return c.row_finding("REASON_MISSING", i, row, "reason", found=row.reason)


@row_rule
def reason_unexpected(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if _full(info) and info.evaluation.status == "met" and has_reason(row.reason):
        return c.row_finding("REASON_UNEXPECTED", i, row, "reason", found=row.reason)


@row_rule
def over_achieved(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    ratio = info.evaluation.over_ratio
    if (
        ratio is not None
        and ratio >= c.profile.over_achievement - EPS
        and not has_reason(row.reason)
    ):
        return c.row_finding(
            "OVER_ACHIEVED",
            i,
            row,
            "actual",
            expected=row.target,
            found=row.actual,
            params={"ratio": f"{ratio:.0%}"},
        )


# -- grammar ------------------------------------------------------------------------


@row_rule
def target_unparsed(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.target.kind == "unparsed":
        return c.row_finding(
            "TARGET_UNPARSED", i, row, "target", found=row.target, params={"why": info.target.why}
        )


@row_rule
def actual_unparsed(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.target.kind != "unparsed" and info.evaluation.status == "unknown":
        why = info.actual.why or info.evaluation.why
        return c.row_finding(
            "ACTUAL_UNPARSED", i, row, "actual", found=row.actual, params={"why": why}
        )


@row_rule
def target_no_operator(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.target.kind == "numeric" and info.target.implied_op:
        return c.row_finding(
            "TARGET_NO_OPERATOR", i, row, "target", expected=info.target.format(), found=row.target
        )


@row_rule
def unit_mismatch(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.evaluation.unit_mismatch:
        return c.row_finding(
            "UNIT_MISMATCH", i, row, "actual", expected=info.target.unit, found=info.actual.unit
        )


# -- total --------------------------------------------------------------------------


@form_rule
def total_mismatch(c: Check) -> Iterator[Finding]:
    stated, expected = c.form.stated_total, c.analysis.total
    if expected is not None and not within(stated, expected, c.profile.total_tolerance):
        yield c.finding("TOTAL_MISMATCH", "stated_total", expected=expected, found=stated)


# -- categories ---------------------------------------------------------------------


@row_rule
def category_misplaced(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    why = misplacement(row)
    if why:
        return c.row_finding(
            "CATEGORY_MISPLACED", i, row, "level2", found=row.level2, params={"why": why}
        )


def misplacement(row: Indicator) -> str | None:
    """Why a row sits under the wrong level, or None."""
    return _misplacement(row.level1, row.level2, "满意" in row.name)


@lru_cache(maxsize=1024)
def _misplacement(level1: str, level2: str, satisfaction: bool) -> str | None:
    if level1 not in LEVEL1_NAMES:
        return f"一级指标“{level1 or '（空）'}”不是产出、效益或满意度指标"
    allowed = LEVEL2_BY_LEVEL1[level1]
    if not any(level2_matches(level2, name) for name in allowed):
        return f"二级指标“{level2 or '（空）'}”不属于{level1}（应为{'、'.join(allowed)}）"
    if satisfaction and level1 != "满意度指标":
        return f"满意度类指标放在了{level1}下"
    if not satisfaction and level1 == "满意度指标":
        return "满意度指标下的指标不是满意度类指标"
    return None


def level2_matches(written: str, name: str) -> bool:
    """`可持续影响` is the printed short form of `可持续影响指标` in some forms."""
    return written == name or (written != "" and written + "指标" == name)
