"""What the rules compute for a form: execution rate, funds score, each indicator's
evaluation and suggested score, totals and grade.

Computed once per form (:func:`analyse`) and shared by the rules, rescoring and
every output, so a figure is computed in one place only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from selfeval.grammar import Actual, Evaluation, Target, evaluate, parse_actual, parse_target
from selfeval.model import Form, FundsRow, Indicator, Number
from selfeval.profiles import Profile
from selfeval.xlmath import excel_round, excel_roundup

RateConvention = Literal["round", "roundup", "both"]

NO_REASON = frozenset({"", "无", "0", "/", "—", "-", "无偏差", "不适用"})
"""Reason texts that mean no reason was given."""


def number(value: Number) -> float | None:
    """A figure as a float, or None when blank or unreadable text."""
    return value if type(value) in _NUMERIC else None  # bool is not a figure


_NUMERIC = (float, int)


def within(stated: Number, computed: float, tolerance: float) -> bool:
    """A stated figure agrees with a computed one (blank or text never does)."""
    value = number(stated)
    return value is not None and abs(value - computed) <= tolerance + 1e-9


def has_reason(text: str) -> bool:
    return text.strip() not in NO_REASON


@dataclass
class IndicatorAnalysis:
    """One indicator row as the rules see it."""

    target: Target
    actual: Actual
    evaluation: Evaluation
    points: float | None
    score: float | None
    suggested: float | None  # score the profile's rule gives; None when it cannot say
    rule: str  # Chinese description of the rule applied, for messages


@dataclass
class Analysis:
    """Computed figures for one form (计算结果)."""

    execution_rate: float | None  # raw 执行数 ÷ 预算数
    rate: float | None  # rounded as the profile says (template convention)
    rate_convention: RateConvention | None  # which convention the stated rate follows
    funds_score: float | None
    indicators: list[IndicatorAnalysis] = field(default_factory=list)
    points_total: float = 0.0
    rules_total: float | None = None  # 按规则应得, what rescoring writes: see rules_total()
    rules_grade: str | None = None
    category_points: dict[str, float] = field(default_factory=dict)
    total: float | None = None  # computed funds score + indicator scores as entered
    grade: str | None = None


def analyse(form: Form, profile: Profile) -> Analysis:
    """Compute every figure the rules need for ``form`` under ``profile``."""
    total_row = form.funds.total
    raw = execution_rate(total_row)
    rate = round_rate(raw, profile) if raw is not None else None
    points = number(form.funds.points)
    funds_score = None
    if rate is not None and raw is not None and points is not None:
        basis = rate if profile.score_basis == "rounded" else raw
        funds_score = excel_round(min(basis, 1.0) * points, profile.funds_score_decimals)
    rows = [_indicator(row, profile) for row in form.indicators]
    points_total = (points or 0.0) + sum(r.points or 0.0 for r in rows)
    categories: dict[str, float] = {}
    for row, info in zip(form.indicators, rows, strict=True):
        categories[row.level1] = categories.get(row.level1, 0.0) + (info.points or 0.0)
    total = None
    if funds_score is not None:
        total = excel_round(funds_score + sum(r.score or 0.0 for r in rows), 2)
    by_rules = rules_total(form.funds.stated_score, funds_score, rows, profile)
    return Analysis(
        execution_rate=raw,
        rate=rate,
        rate_convention=rate_convention(number(total_row.stated_rate), raw, profile),
        funds_score=funds_score,
        indicators=rows,
        points_total=excel_round(points_total, 2),
        rules_total=by_rules,
        rules_grade=profile.grade(by_rules) if by_rules is not None else None,
        category_points=categories,
        total=total,
        grade=profile.grade(total) if total is not None else None,
    )


def execution_rate(row: FundsRow) -> float | None:
    """执行率 of a funds row: 全年执行数 ÷ 全年预算数, None when either is missing."""
    budget, executed = number(row.annual_budget), number(row.executed)
    return executed / budget if budget and budget > 0 and executed is not None else None


def kept_funds_score(stated: Number, computed: float | None, profile: Profile) -> float | None:
    """The funds score rescoring leaves: the stated one where it is within tolerance
    (it follows the other rounding convention), else the computed one."""
    if computed is not None and within(stated, computed, profile.funds_score_tolerance):
        return number(stated)
    return computed


def rules_total(
    stated_funds_score: Number,
    funds_score: float | None,
    rows: list[IndicatorAnalysis],
    profile: Profile,
) -> float | None:
    """总分 按规则应得: the funds score rescoring keeps plus each indicator's suggested
    score (its own score where the rules cannot say), exactly what rescoring writes."""
    funds = kept_funds_score(stated_funds_score, funds_score, profile)
    if funds is None:
        return None
    scores = (r.suggested if r.suggested is not None else r.score or 0.0 for r in rows)
    return excel_round(funds + sum(scores), 2)


def round_rate(rate: float, profile: Profile) -> float:
    """执行率 rounded to the profile's decimals by the profile's convention."""
    fn = excel_roundup if profile.rate_rounding == "roundup" else excel_round
    return fn(rate, profile.rate_decimals)


def rate_convention(
    stated: float | None, raw: float | None, profile: Profile
) -> RateConvention | None:
    """Which rounding convention a stated rate follows, or None if neither."""
    if stated is None or raw is None:
        return None
    plain = _same(stated, excel_round(raw, profile.rate_decimals))
    up = _same(stated, excel_roundup(raw, profile.rate_decimals))
    if plain and up:
        return "both"
    return "round" if plain else "roundup" if up else None


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9


@lru_cache(maxsize=8192)
def _judge(target_text: str, actual_text: str) -> tuple[Target, Actual, Evaluation]:
    """Parse and evaluate a target/actual pair; forms repeat the same pairs a lot."""
    target = parse_target(target_text)
    actual = parse_actual(actual_text, target)
    return target, actual, evaluate(target, actual)


def _indicator(row: Indicator, profile: Profile) -> IndicatorAnalysis:
    target, actual, evaluation = _judge(row.target, row.actual)
    points, score = number(row.points), number(row.score)
    suggested, rule = suggest_score(target, actual, evaluation, points, score, profile)
    return IndicatorAnalysis(target, actual, evaluation, points, score, suggested, rule)


def suggest_score(
    target: Target,
    actual: Actual,
    evaluation: Evaluation,
    points: float | None,
    score: float | None,
    profile: Profile,
) -> tuple[float | None, str]:
    """The score the profile's rule gives, with a Chinese description of the rule."""
    if points is None:
        return None, "无分值"
    if evaluation.status == "unknown":
        return score, "无法判断是否达标，保留原得分"
    if target.kind == "qualitative":
        return _band_score(actual.level or "not_achieved", points, score, profile)
    if evaluation.status == "met":
        return points, "达到指标值得满分"
    return _proportional(target, evaluation, points, profile)


_BAND_NAMES = {"achieved": "达成", "partial": "部分达成", "not_achieved": "未达成"}


def _band_score(
    level: str, points: float, score: float | None, profile: Profile
) -> tuple[float, str]:
    low, high = profile.bands[level]
    lo, hi, rule = _band(level, low, high, points)
    if score is None:
        return hi, rule
    return min(max(score, lo), hi), rule


@lru_cache(maxsize=1024)
def _band(level: str, low: float, high: float, points: float) -> tuple[float, float, str]:
    lo, hi = excel_round(points * low, 2), excel_round(points * high, 2)
    rule = f"定性指标{_BAND_NAMES[level]}，得分应在分值的 {low:.0%}–{high:.0%}（{lo:g}–{hi:g}）"
    return lo, hi, rule


def _proportional(
    target: Target, evaluation: Evaluation, points: float, profile: Profile
) -> tuple[float, str]:
    # evaluation.ratio is unit-converted by the grammar (万元 against 元):
    # actual ÷ target for positive indicators, target ÷ actual for negative ones.
    ratio = evaluation.ratio
    if not target.value or ratio is None:
        return 0.0, "指标值为 0，实际不为 0 不得分"
    if not target.negative:
        share, rule = ratio, "正向指标按 实际值 ÷ 指标值 计分"
    elif profile.negative_formula == "linear":
        share, rule = 2 - 1 / ratio, "反向指标按 1 − (实际值 − 指标值) ÷ 指标值 计分"
    else:
        share, rule = ratio, "反向指标按 指标值 ÷ 实际值 计分"
    share = min(max(share, 0.0), 1.0)
    return excel_round(points * share, profile.score_decimals), rule
