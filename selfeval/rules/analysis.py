"""What the rules compute for a form: execution rate, funds score, each indicator's
evaluation and suggested score, totals and grade.

Computed once per form (:func:`analyse`) and shared by the rules, rescoring and
every output, so a figure is computed in one place only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

from selfeval.form import vocabulary as vocab
from selfeval.form.model import FUNDS_SUBROWS, Form, Funds, FundsRow, Indicator, Number
from selfeval.form.values import NUMERIC, number, text
from selfeval.form.xlmath import excel_round, excel_roundup
from selfeval.grammar.targets import (
    Actual,
    Evaluation,
    Target,
    evaluate,
    is_duration_name,
    name_unit,
    parse_actual,
    parse_target,
    with_unit,
)
from selfeval.profiles.policy import Profile

RateConvention = Literal["round", "roundup", "both"]
NegativeFormula = Literal["ratio", "linear", "both"]

NO_REASON = frozenset({"", "无", "0", "/", "—", "-", "无偏差", "不适用"})
"""Reason texts that mean no reason was given."""

EPS = 1e-9


def within(stated: Number, computed: float, tolerance: float) -> bool:
    """A stated figure agrees with a computed one (blank or text never does)."""
    value = number(stated)
    return value is not None and abs(value - computed) <= tolerance + EPS


def has_reason(reason: object) -> bool:
    """偏差原因 says something (not blank, 无, 0 …)."""
    if type(reason) is not str:
        reason = text(reason)
    return reason.strip() not in NO_REASON


@dataclass(slots=True)
class IndicatorAnalysis:
    """One indicator row as the rules see it."""

    target: Target
    actual: Actual
    evaluation: Evaluation
    points: float | None
    score: float | None
    suggested: float | None  # score the profile's rule gives; None when it cannot say
    rule: str  # Chinese description of the rule applied, for messages
    formula: NegativeFormula | None = None  # negative indicator: the formula the score follows
    reason_given: bool = False  # 偏差原因 says something
    full: bool = False  # 得分 = 分值
    needs_reason: bool = False  # 得分 below 分值, or the target not met: the form must say why


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
    negative_formula: NegativeFormula | None = None  # which formula the form's negative rows follow


def analyse(form: Form, profile: Profile) -> Analysis:
    """Compute every figure the rules need for ``form`` under ``profile``."""
    raw, rate, funds_score = funds_figures(form.funds, profile)
    points = number(form.funds.points)
    rows: list[IndicatorAnalysis] = []
    categories: dict[str, float] = {}
    points_sum = scores = 0.0
    for row in form.indicators:
        info = _indicator(row, profile)
        rows.append(info)
        row_points = info.points or 0.0
        points_sum += row_points
        scores += info.score or 0.0
        categories[row.level1] = categories.get(row.level1, 0.0) + row_points
    if form.points_by_category:  # no 分值 column: the 一级 cells' weights are the points
        categories = dict(form.category_weights)
        points_sum = sum(categories.values())
    points_total = (points or 0.0) + points_sum
    counted = funds_score if form.funds.scored else 0.0  # 执行率 shown, not scored
    total = None
    if counted is not None:
        total = excel_round(counted + scores, 2)
    stated = form.funds.stated_score if form.funds.scored else 0.0
    by_rules = rules_total(stated, counted, rows, profile)
    return Analysis(
        execution_rate=raw,
        rate=rate,
        rate_convention=rate_convention(form.funds.total.stated_rate, raw, profile),
        funds_score=funds_score,
        indicators=rows,
        points_total=excel_round(points_total, 2),
        rules_total=by_rules,
        rules_grade=profile.grade(by_rules) if by_rules is not None else None,
        category_points=categories,
        total=total,
        grade=profile.grade(total) if total is not None else None,
        negative_formula=_form_formula(rows),
    )


def funds_figures(
    funds: Funds, profile: Profile
) -> tuple[float | None, float | None, float | None]:
    """The funds block's execution rate (as computed, and as the profile rounds it) and
    the score it earns: the block alone decides them."""
    raw = execution_rate(funds_basis(funds))
    rate = round_rate(raw, profile) if raw is not None else None
    points = number(funds.points)
    if rate is None or raw is None or points is None:
        return raw, rate, None
    basis = rate if profile.score_basis == "rounded" else raw
    return raw, rate, excel_round(min(basis, 1.0) * points, profile.funds_score_decimals)


def funds_basis(funds: Funds) -> FundsRow:
    """The row the execution rate is computed from.

    年度资金总额, unless it is left at 0 (or blank) while its sub-rows carry the money:
    then the sub-rows' sum, so the rate, funds score and total can still be checked
    (FUNDS_SUM / FUNDS_MISSING say what is wrong with the total row).
    """
    total = funds.total
    if number(total.annual_budget):
        return total
    parts = [getattr(funds, name) for name in FUNDS_SUBROWS]
    budgets = [b for p in parts if (b := number(p.annual_budget)) is not None]
    executed = [e for p in parts if (e := number(p.executed)) is not None]
    if not executed or sum(budgets) <= 0:
        return total
    return FundsRow(total.initial_budget, sum(budgets), sum(executed), total.stated_rate)


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


def rate_convention(stated: Number, raw: float | None, profile: Profile) -> RateConvention | None:
    """Which rounding convention a stated rate follows, or None if neither.

    A rate is right at the precision it is printed with (86% for 86.2 %, 89.7% for
    89.715 %), whole percents at the least; a rate typed as text ("86.19%") counts too.
    """
    printed = stated_rate(stated)
    if printed is None or raw is None:
        return None
    value, decimals = printed
    plain = _same(value, excel_round(raw, decimals))
    up = _same(value, excel_roundup(raw, decimals))
    if plain and up:
        return "both"
    return "round" if plain else "roundup" if up else None


_PERCENT_TEXT = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*[%％]\s*")


def stated_rate(value: Number) -> tuple[float, int] | None:
    """A stated 执行率 as a fraction and the decimals it is printed with (2 at the least)."""
    if type(value) in NUMERIC:
        shown = format(value, ".15g")  # what Excel shows: 15 significant digits
        if "e" not in shown:
            point = shown.find(".")
            return float(value), max(len(shown) - point - 1 if point >= 0 else 0, 2)
        digits = Decimal(shown)
    elif isinstance(value, str) and (m := _PERCENT_TEXT.fullmatch(value)):
        try:
            digits = Decimal(m[1]).scaleb(-2)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return None
    else:
        return None
    exponent = digits.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return float(digits), max(decimals, 2)


def _same(a: float, b: float) -> bool:
    return abs(a - b) < EPS


@lru_cache(maxsize=8192)  # kept for speed: bench_engine.py 2,100 -> 5,800 forms/s
def _judge(
    target_text: str, actual_text: str, lower_better: bool, ceiling: bool = False
) -> tuple[Target, Actual, Evaluation]:
    """Parse and evaluate a target/actual pair; forms repeat the same pairs a lot."""
    target = parse_target(target_text, lower_better, ceiling)
    actual = parse_actual(actual_text, target)
    return target, actual, evaluate(target, actual)


def _indicator(row: Indicator, profile: Profile) -> IndicatorAnalysis:
    target_text, actual_text = row.target, row.actual
    if type(target_text) is not str or type(actual_text) is not str:  # YAML numbers
        target_text, actual_text = text(target_text), text(actual_text)
    if target_text[-1:].isdigit() and (unit := name_unit(row.name)):  # 任务完成时限(月) | 10
        target_text, actual_text = with_unit(target_text, unit), with_unit(actual_text, unit)
    lower = profile.lower_is_better(row.name)
    ceiling = is_duration_name(row.name)
    target, actual, evaluation = _judge(target_text, actual_text, lower, ceiling)
    points, score = number(row.points), number(row.score)
    reason_text = row.reason
    if type(reason_text) is str:  # has_reason, inlined: it runs on every row
        reason = reason_text.strip() not in NO_REASON
    else:
        reason = has_reason(reason_text)
    suggested, rule, formula = suggest_score(
        target, actual, evaluation, points, score, profile, reason
    )
    scored = points is not None and score is not None
    full = points is not None and score is not None and score >= points - EPS
    needs = (scored and not full) or evaluation.status in ("unmet", "partial")
    return IndicatorAnalysis(
        target, actual, evaluation, points, score, suggested, rule, formula, reason, full, needs
    )


Suggestion = tuple[float | None, str, NegativeFormula | None]


def suggest_score(
    target: Target,
    actual: Actual,
    evaluation: Evaluation,
    points: float | None,
    score: float | None,
    profile: Profile,
    reason_given: bool = False,
) -> Suggestion:
    """The score the profile's rule gives, a Chinese description of the rule, and for a
    negative indicator the formula the stated score follows.

    A stated score the rule accepts is returned unchanged, so rescoring never moves it.
    """
    if points is None:
        return None, f"无{vocab.POINTS}", None
    if not points > 0:  # 0, negative or NaN: nothing to score against
        return score, f"{vocab.POINTS}不是正数，无法按规则评分", None
    status, kind = evaluation.status, target.kind
    if status == "met" and kind != "qualitative":
        over = evaluation.over_ratio  # None for a date: a deadline kept is worth full points
        if over is None or over < profile.over_achievement - EPS:
            return points, _MET_RULE, None
        return _met_score(over, points, score, profile, reason_given)
    if status == "unknown":
        return score, "无法判断是否达标，保留原得分", None
    if kind == "numeric":
        return _unmet_score(target, evaluation, points, score, profile)
    return _band_score(_STATUS_LEVEL.get(status, "not_achieved"), points, score, profile)


_STATUS_LEVEL = {"met": "achieved", "partial": "partial"}
_MET_RULE = "达到指标值得满分"


_BAND_NAMES = {"achieved": "达成", "partial": "部分达成", "not_achieved": "未达成"}


def _band_score(level: str, points: float, score: float | None, profile: Profile) -> Suggestion:
    """Bands are half-open as 财预〔2020〕10号 writes them: [80,100], [60,80), [0,60).

    A score inside its band stays; one below goes to the band's floor, one above to its
    highest score (just under the next band's floor for a half-open band)."""
    low, high = profile.bands[level]
    lo, hi, edge, rule = _band(level, low, high, points, profile.score_decimals)
    if score is None:
        return hi, rule, None
    tol = profile.policy_tolerance + EPS
    if score < lo - tol:
        return lo, rule, None
    if (edge is not None and score >= edge - EPS) or score > hi + tol:
        return hi, rule, None
    return score, rule, None


@lru_cache(maxsize=1024)  # kept for speed: bench_engine.py 5,800 -> 7,100 forms/s
def _band(
    level: str, low: float, high: float, points: float, decimals: int
) -> tuple[float, float, float | None, str]:
    lo, hi = excel_round(points * low, decimals), excel_round(points * high, decimals)
    edge = None
    if level != "achieved" and high < 1:  # the upper edge belongs to the band above
        edge = points * high
        hi = excel_round(hi - 10.0**-decimals, decimals)
        bounds = f"{low:.0%}（含）至 {high:.0%}（不含）"
    else:
        bounds = f"{low:.0%}（含）至 {high:.0%}（含）"
    rule = f"定性指标{_BAND_NAMES[level]}，得分应在{vocab.POINTS}的 {bounds}（{lo:g}–{hi:g}）"
    return lo, hi, edge, rule


def _met_score(
    over: float, points: float, score: float | None, profile: Profile, reason: bool
) -> Suggestion:
    """Far over-achieved (``over`` = actual ÷ target): full points, unless the unit explained
    it and reduced the score by at most the deviation (财预〔2020〕10号 lets it do so)."""
    if not reason or score is None:
        return points, _MET_RULE, None
    floor = excel_round(points * max(0.0, 2.0 - over), profile.score_decimals)
    rule = f"超额完成（{over:.0%}）并说明了原因，可按偏差扣减，得分不低于 {floor:g}"
    if floor - profile.policy_tolerance - EPS <= score <= points + EPS:
        return score, rule, None
    return floor, rule, None


_FORMULA_RULES = {
    "ratio": "反向指标按 指标值 ÷ 实际值 计分",
    "linear": "反向指标按 1 − (实际值 − 指标值) ÷ 指标值 计分",
    "positive": "正向指标按 实际值 ÷ 指标值 计分",
}


def _unmet_score(
    target: Target, evaluation: Evaluation, points: float, score: float | None, profile: Profile
) -> Suggestion:
    # evaluation.ratio is unit-converted by the grammar (万元 against 元):
    # actual ÷ target for positive indicators, target ÷ actual for negative ones.
    ratio = evaluation.ratio
    if not target.value or ratio is None:
        zero = score if score is not None and abs(score) <= profile.policy_tolerance else 0.0
        return zero, "指标值为 0，实际不为 0 不得分", None
    if not target.negative:
        shares = {"positive": ratio}
    else:
        shares = {"ratio": ratio, "linear": 2 - 1 / ratio}
        if profile.negative_formula != "either":
            shares = {profile.negative_formula: shares[profile.negative_formula]}
    step = 10.0**-profile.score_decimals
    values = {}
    for name, share in shares.items():
        value = excel_round(points * min(max(share, 0.0), 1.0), profile.score_decimals)
        values[name] = min(value, round(points - step, profile.score_decimals))
    tol = profile.policy_tolerance + EPS
    below_full = score is not None and score < points - EPS  # unmet never earns full points
    matched = [n for n, v in values.items() if below_full and abs(score - v) <= tol]
    formula: NegativeFormula | None = None
    if target.negative and matched:
        formula = "both" if len(matched) == 2 else matched[0]  # type: ignore[assignment]
    if matched and score is not None:
        return score, _FORMULA_RULES[matched[0]], formula
    chosen = "positive" if "positive" in values else "linear" if "linear" in values else "ratio"
    rule = _FORMULA_RULES[chosen]
    if len(values) == 2:  # either formula would do: say both, and which one is suggested
        rule = (
            "反向指标按 指标值 ÷ 实际值 或 1 − (实际值 − 指标值) ÷ 指标值 计分，"
            "两种均可，建议得分按后者"
        )
    if values[chosen] < points * min(max(shares[chosen], 0.0), 1.0) - EPS:
        rule += "；未达到指标值，得分应低于满分"
    return values[chosen], rule, formula


def _form_formula(rows: list[IndicatorAnalysis]) -> NegativeFormula | None:
    """The negative-indicator formula every scored negative row of the form agrees with."""
    common = {"ratio", "linear"}
    seen = False
    for row in rows:
        if row.formula is not None:
            seen = True
            common &= {"ratio", "linear"} if row.formula == "both" else {row.formula}
    if not seen or not common:
        return None
    return "both" if len(common) == 2 else common.pop()  # type: ignore[return-value]


def recalculate(form: Form, profile: Profile) -> None:
    """Give the template cells of ``form.formulas_uncached`` what their formulas compute
    under ``profile`` (the one the template was built with), as a spreadsheet program
    would on opening the workbook."""
    for path in form.formulas_uncached:
        if path.endswith("stated_rate"):
            row = getattr(form.funds, path.split(".")[1])
            budget, executed = number(row.annual_budget), number(row.executed)
            ok = budget and budget > 0 and executed is not None
            row.stated_rate = round_rate(executed / budget, profile) if ok else None
        elif path == "funds.stated_score":
            form.funds.stated_score = funds_figures(form.funds, profile)[2]
        elif path == "stated_points_total":  # =ROUND(SUM(funds points cell, points), 2)
            funds_points = number(form.funds.points) or 0.0
            points = sum(number(row.points) or 0.0 for row in form.indicators)
            form.stated_points_total = excel_round(funds_points + points, 2)
    if "stated_total" in form.formulas_uncached:  # =ROUND(funds score cell + SUM(scores), 2)
        funds_score = number(form.funds.stated_score)
        scores = sum(number(row.score) or 0.0 for row in form.indicators)
        form.stated_total = None if funds_score is None else excel_round(funds_score + scores, 2)
