"""The rules: one small function per check, each yielding findings.

Form rules take a :class:`Check`; indicator rules also take the row's index,
the row and its analysis; review (复核) rules the profile's review settings.
Adding a rule is adding one decorated function.
Codes, severities and messages live in the code table (:mod:`selfeval.form.codes`), not here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from selfeval.form import vocabulary as vocab
from selfeval.form.codes import Code
from selfeval.form.findings import Finding
from selfeval.form.model import FUNDS_SUBROWS, LEVEL1_NAMES, LEVEL2_BY_LEVEL1, Form, Indicator
from selfeval.form.xlmath import excel_round
from selfeval.profiles.policy import Profile, Review, load_profile
from selfeval.rules.analysis import (
    Analysis,
    IndicatorAnalysis,
    analyse,
    execution_rate,
    number,
    rate_convention,
    round_rate,
    text,
    within,
)

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


ReviewRule = Callable[["Check", Review], Iterator[Finding]]

REVIEW_RULES: list[tuple[Code, ReviewRule]] = []


def review_rule(code: Code) -> Callable[[ReviewRule], ReviewRule]:
    """A 复核 check: it runs only where the profile turns ``code`` on, and its findings
    take the severity the profile gives that code (:func:`run_rules`)."""

    def register(fn: ReviewRule) -> ReviewRule:
        REVIEW_RULES.append((code, fn))
        return fn

    return register


@dataclass
class Check:
    """A form under check: the form, its analysis and the profile."""

    form: Form
    analysis: Analysis
    profile: Profile

    def __post_init__(self) -> None:
        # The rows the review checks look at, gathered once (none without review checks).
        review = self.profile.review is not None
        self.scan = scan_rows(self.form, self.analysis) if review else RowScan()

    def finding(self, code: Code, path: str, **kw: Any) -> Finding:
        """A finding located at the form-level field ``path`` (sheet and cell if known)."""
        return Finding(
            code, path, sheet=self.form.source.sheet, cell=self.form.cells.get(path), **kw
        )

    def row_finding(self, code: Code, i: int, row: Indicator, attr: str, **kw: Any) -> Finding:
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
    return run_rules(form, _profile(profile))[0]


def run_rules(form: Form, profile: Profile) -> tuple[list[Finding], Analysis]:
    """The findings and the analysis they were made from (computed once)."""
    check = Check(form, analyse(form, profile), profile)
    found = [f for rule in FORM_RULES for f in rule(check)]
    review = profile.review
    if review is not None:
        for code, review_check in REVIEW_RULES:
            severity = review.severity.get(code)
            if severity is None:
                continue  # the profile turns this check off
            for finding in review_check(check, review):
                finding.severity = severity
                found.append(finding)
    rows = zip(form.indicators, check.analysis.indicators, strict=True)
    over = profile.over_achievement - EPS
    for i, (row, info) in enumerate(rows):
        if quiet(row, info, over):
            continue  # most rows: no row rule has anything to say
        # Row rules return one finding or None: far cheaper than generators per row.
        for rule in ROW_RULES:
            finding = rule(check, i, row, info)
            if finding is not None:
                found.append(finding)
    return found, check.analysis


def quiet(row: Indicator, info: IndicatorAnalysis, over: float) -> bool:
    """A row no row rule speaks about: target read and met, scored in full and no more,
    no reason, an operator written, units alike, not far over-achieved, in its place.

    A fast path for the usual row (bench_engine.py 8,000 -> 8,750 forms/s); tests/test_review.py
    runs every row rule on rows this calls quiet and checks that none of them finds anything.
    """
    if not info.full or info.reason_given or info.evaluation.status != "met":
        return False
    target, evaluation = info.target, info.evaluation
    if target.implied_op or evaluation.unit_mismatch or target.kind == "unparsed":
        return False
    if evaluation.over_ratio is not None and evaluation.over_ratio >= over:
        return False
    if info.score is None or info.points is None or info.score > info.points + EPS:
        return False
    return misplacement(row) is None


def _profile(profile: Profile | str | None) -> Profile:
    return profile if isinstance(profile, Profile) else load_profile(profile or "national")


# -- header -------------------------------------------------------------------------

_HEADER_LABELS = {key: term.label for key, term in vocab.HEADER_FIELDS.items()}


@form_rule
def input_missing(c: Check) -> Iterator[Finding]:
    for attr, label in _HEADER_LABELS.items():
        if not getattr(c.form.header, attr).strip():
            yield c.finding(Code.INPUT_MISSING, f"header.{attr}", params={"label": label})


@form_rule
def formula_overwritten(c: Check) -> Iterator[Finding]:
    for path in c.form.formulas_overwritten:
        yield c.finding(
            Code.FORMULA_OVERWRITTEN,
            path,
            found=_value_at(c.form, path),
            params={"label": FIELD_LABELS.get(path, path)},
        )


@form_rule
def layout_carried(c: Check) -> Iterator[Finding]:
    if c.form.layout_differs is not None:
        yield c.finding(
            Code.LAYOUT_CARRIED,
            "layout",
            found=c.form.layout_differs,
            params={"label": c.form.layout},
        )


FIELD_LABELS = {
    "funds.total.stated_rate": "执行率",
    "funds.stated_score": "预算执行得分",
    "stated_points_total": f"{vocab.POINTS}合计",
    "stated_total": "总分",
}


def _value_at(form: Form, path: str) -> Any:
    value: Any = form
    for part in path.split("."):
        value = getattr(value, part, None)
    return value


# -- funds block --------------------------------------------------------------------

_AMOUNTS = {attr: vocab.FUNDS_COLUMNS[attr].label for attr in ("annual_budget", "executed")}


@form_rule
def funds_missing(c: Check) -> Iterator[Finding]:
    total = c.form.funds.total
    for attr, label in _AMOUNTS.items():
        if number(getattr(total, attr)) is None:
            yield c.finding(
                Code.FUNDS_MISSING,
                f"funds.total.{attr}",
                found=getattr(total, attr),
                params={"label": f"{vocab.FUNDS_TOTAL}的{label}"},
            )
    if c.form.funds.scored and number(c.form.funds.points) is None:
        yield c.finding(
            Code.FUNDS_MISSING,
            "funds.points",
            found=c.form.funds.points,
            params={"label": f"预算执行率{vocab.POINTS}"},
        )


@form_rule
def funds_rate(c: Check) -> Iterator[Finding]:
    a = c.analysis
    if a.execution_rate is not None and a.rate_convention is None:
        stated = c.form.funds.total.stated_rate
        if stated is None:  # nothing stated is no different rate; say the cell is blank
            if "funds.total.stated_rate" in c.form.cells:
                yield c.finding(Code.FUNDS_RATE_BLANK, "funds.total.stated_rate", expected=a.rate)
        else:
            yield c.finding(
                Code.FUNDS_RATE, "funds.total.stated_rate", expected=a.rate, found=stated
            )
    for name in FUNDS_SUBROWS:  # a sub-row's rate is checked where the form states one
        row = getattr(c.form.funds, name)
        rate = execution_rate(row)
        if row.stated_rate is None or rate is None:
            continue
        if rate_convention(row.stated_rate, rate, c.profile) is None:
            yield c.finding(
                Code.FUNDS_RATE,
                f"funds.{name}.stated_rate",
                expected=round_rate(rate, c.profile),
                found=row.stated_rate,
            )


@form_rule
def funds_score(c: Check) -> Iterator[Finding]:
    stated, expected = c.form.funds.stated_score, c.analysis.funds_score
    if expected is not None and not within(stated, expected, c.profile.funds_score_tolerance):
        yield c.finding(Code.FUNDS_SCORE, "funds.stated_score", expected=expected, found=stated)


_COLUMNS = {
    attr: vocab.FUNDS_COLUMNS[attr].label
    for attr in ("initial_budget", "annual_budget", "executed")
}


@form_rule
def funds_sum(c: Check) -> Iterator[Finding]:
    funds = c.form.funds
    subrows = [getattr(funds, name) for name in FUNDS_SUBROWS]
    for attr, label in _COLUMNS.items():
        total = number(getattr(funds.total, attr))
        if total is None:
            continue
        filled = [p for row in subrows if (p := number(getattr(row, attr))) is not None]
        if filled and abs(sum(filled) - total) > 0.005:
            yield c.finding(
                Code.FUNDS_SUM,
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
        yield c.finding(Code.FUNDS_OVER, "funds.total.executed", expected=budget, found=executed)


# -- points -------------------------------------------------------------------------


@form_rule
def points_total(c: Check) -> Iterator[Finding]:
    expected, found = c.profile.points_total, c.analysis.points_total
    if abs(found - expected) > EPS:
        yield c.finding(Code.POINTS_TOTAL, "stated_points_total", expected=expected, found=found)


_DEFAULT_POINTS = f"默认{vocab.POINTS}"
_PRINTED_POINTS = f"表头标明的{vocab.POINTS}"


@form_rule
def points_category(c: Check) -> Iterator[Finding]:
    funds_points = number(c.form.funds.points)
    if funds_points is not None and abs(funds_points - c.profile.funds_weight) > EPS:
        yield c.finding(
            Code.POINTS_CATEGORY,
            "funds.points",
            expected=c.profile.funds_weight,
            found=funds_points,
            params={"category": "预算执行率", "basis": _DEFAULT_POINTS},
        )
    for name in LEVEL1_NAMES:
        found = c.analysis.category_points.get(name, 0.0)
        printed = c.form.category_weights.get(name)
        expected = printed if printed is not None else c.profile.category_weights.get(name)
        if printed is None and not c.form.funds.scored:
            continue  # the default split includes the funds points this form does not give
        if expected is None or abs(found - expected) <= EPS:
            continue
        yield c.finding(
            Code.POINTS_CATEGORY,
            f"category_weights.{name}",
            expected=expected,
            found=found,
            severity=Code.POINTS_CATEGORY.spec.printed_severity if printed is not None else None,
            params={
                "category": name,
                "basis": _PRINTED_POINTS if printed is not None else _DEFAULT_POINTS,
            },
        )


_UNCHECKED_BY_CATEGORY = (
    Code.SCORE_RANGE,
    Code.UNMET_FULL,
    Code.MET_PARTIAL,
    Code.SCORE_POLICY,
    Code.WEIGHT_CONCENTRATION,
)
"""The row checks that need an indicator's own 分值."""


@form_rule
def points_by_category(c: Check) -> Iterator[Finding]:
    """Weights only in the 一级 cells: each category's scores against its weight, and a
    note of the row checks that cannot run."""
    if not c.form.points_by_category:
        return
    checks = "、".join(f"{code.label}（{code.value}）" for code in _UNCHECKED_BY_CATEGORY)
    first = next(iter(c.form.category_weights), "")
    yield c.finding(Code.POINTS_BY_CATEGORY, f"category_weights.{first}", params={"checks": checks})
    scores: dict[str, float] = {}
    for row, info in zip(c.form.indicators, c.analysis.indicators, strict=True):
        scores[row.level1] = scores.get(row.level1, 0.0) + (info.score or 0.0)
    for name, weight in c.form.category_weights.items():
        found = excel_round(scores.get(name, 0.0), 2)
        if found > weight + EPS:
            yield c.finding(
                Code.CATEGORY_SCORE_OVER,
                f"category_weights.{name}",
                expected=weight,
                found=found,
                params={"category": name},
            )


@row_rule
def points_missing(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.points is None and not c.form.points_by_category:
        return c.row_finding(Code.POINTS_MISSING, i, row, "points", found=row.points)


# -- scores -------------------------------------------------------------------------


@row_rule
def score_missing(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.points is not None and info.score is None:
        return c.row_finding(Code.SCORE_MISSING, i, row, "score", found=row.score)


@row_rule
def score_range(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.points is None or info.score is None:
        return None
    if info.score < -EPS or info.score > info.points + EPS:
        return c.row_finding(
            Code.SCORE_RANGE, i, row, "score", expected=info.points, found=info.score
        )


def _score_finding(
    c: Check, code: Code, i: int, row: Indicator, info: IndicatorAnalysis, expected: object
) -> Finding:
    """A finding at the row's 得分: the score it should be against the one given, with
    the row's target and actual."""
    params = {"target": row.target, "actual": row.actual}
    return c.row_finding(code, i, row, "score", expected=expected, found=info.score, params=params)


@row_rule
def unmet_full(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.evaluation.status in ("unmet", "partial") and info.full:
        return _score_finding(c, Code.UNMET_FULL, i, row, info, info.suggested)


@row_rule
def met_partial(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    # Qualitative scores are judged by their bands (SCORE_POLICY), not here; a reduced
    # score the rules accept (far over-achievement explained) is not a finding.
    if info.target.kind not in ("numeric", "date") or info.evaluation.status != "met":
        return None
    if info.score is None or info.points is None or info.full:
        return None
    if info.suggested is None or abs(info.score - info.suggested) > EPS:
        return _score_finding(c, Code.MET_PARTIAL, i, row, info, info.points)


@row_rule
def score_policy(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.score is None or info.suggested is None or info.evaluation.status == "met":
        return None
    if info.full and info.evaluation.status != "unknown":
        return None  # UNMET_FULL says it, with the suggested score
    # A score the rules accept comes back unchanged as the suggestion (analysis).
    if abs(info.score - info.suggested) > EPS:
        return c.row_finding(
            Code.SCORE_POLICY,
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
    if not info.reason_given and info.needs_reason:
        return c.row_finding(Code.REASON_MISSING, i, row, "reason", found=row.reason)


@row_rule
def reason_unexpected(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.reason_given and info.full and info.evaluation.status == "met":
        return c.row_finding(Code.REASON_UNEXPECTED, i, row, "reason", found=row.reason)


@row_rule
def over_achieved(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    ratio = info.evaluation.over_ratio
    if ratio is not None and ratio >= c.profile.over_achievement - EPS and not info.reason_given:
        return c.row_finding(
            Code.OVER_ACHIEVED,
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
            Code.TARGET_UNPARSED,
            i,
            row,
            "target",
            found=row.target,
            params={"why": info.target.why},
        )


@row_rule
def actual_unparsed(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.target.kind != "unparsed" and info.evaluation.status == "unknown":
        why = info.actual.why or info.evaluation.why
        return c.row_finding(
            Code.ACTUAL_UNPARSED, i, row, "actual", found=row.actual, params={"why": why}
        )


@row_rule
def target_no_operator(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.target.kind == "numeric" and info.target.implied_op:
        return c.row_finding(
            Code.TARGET_NO_OPERATOR,
            i,
            row,
            "target",
            expected=info.target.format(),
            found=row.target,
            params={"assumed": info.target.assumed},
        )


@row_rule
def unit_mismatch(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    if info.evaluation.unit_mismatch:
        return c.row_finding(
            Code.UNIT_MISMATCH, i, row, "actual", expected=info.target.unit, found=info.actual.unit
        )


# -- total --------------------------------------------------------------------------


@form_rule
def total_mismatch(c: Check) -> Iterator[Finding]:
    stated, expected = c.form.stated_total, c.analysis.total
    if expected is not None and not within(stated, expected, c.profile.total_tolerance):
        yield c.finding(Code.TOTAL_MISMATCH, "stated_total", expected=expected, found=stated)


# -- categories ---------------------------------------------------------------------


@row_rule
def category_misplaced(c: Check, i: int, row: Indicator, info: IndicatorAnalysis) -> Finding | None:
    why = misplacement(row)
    if why:
        return c.row_finding(
            Code.CATEGORY_MISPLACED, i, row, "level2", found=row.level2, params={"why": why}
        )


def misplacement(row: Indicator) -> str | None:
    """Why a row sits under the wrong level, or None."""
    return _misplacement(row.level1, row.level2, "满意" in row.name)


@lru_cache(maxsize=1024)  # kept for speed: bench_engine.py 7,100 -> 7,500 forms/s
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


# -- review (复核): what reviewers deduct for beyond arithmetic ------------------------
# Each check is on, off or at another severity as the profile's [review.checks] says. The
# row checks start from Check.scan: the rows worth a look, gathered in one pass.

_COST = frozenset(("成本指标", "成本"))
_QUANTITY = frozenset(("数量指标", "数量"))


@dataclass
class RowScan:
    """The rows each review check needs to look at (indexes), from one pass over the form."""

    cost_floor: list[int] = field(default_factory=list)  # 成本指标 written with ≥ or >
    quantity: list[int] = field(default_factory=list)  # 数量指标
    percent_over_100: list[int] = field(default_factory=list)  # a % target above 100
    satisfaction: list[int] = field(default_factory=list)  # 满意度 rows
    worded: list[int] = field(default_factory=list)  # a numeric target answered in words
    zero_points: list[int] = field(default_factory=list)  # 分值 0
    explained: list[int] = field(default_factory=list)  # a reason needed and given


def scan_rows(form: Form, analysis: Analysis) -> RowScan:
    found = RowScan()
    for i, (row, info) in enumerate(zip(form.indicators, analysis.indicators, strict=True)):
        target = info.target
        if target.kind == "numeric":
            if target.op in (">=", ">") and not target.implied_op and row.level2 in _COST:
                found.cost_floor.append(i)
            if target.unit == "%" and ((target.value or 0.0) > 100 or (target.upper or 0.0) > 100):
                found.percent_over_100.append(i)
            if info.actual.kind == "qualitative" and not target.zero:
                found.worded.append(i)
        if row.level2 in _QUANTITY:
            found.quantity.append(i)
        if row.level1 == "满意度指标" or "满意" in row.name:
            found.satisfaction.append(i)
        if info.points == 0:
            found.zero_points.append(i)
        if info.reason_given and info.needs_reason:
            found.explained.append(i)
    return found


@review_rule(Code.EXEC_CAP)
def exec_cap(c: Check, review: Review) -> Iterator[Finding]:
    rate = c.analysis.execution_rate
    if rate is None:
        return
    caps = [cap for below, cap in review.exec_caps if rate < below - EPS]
    stated = number(c.form.stated_total)
    total = stated if stated is not None else c.analysis.total
    if not caps or total is None or total <= min(caps) + EPS:
        return
    cap = min(caps)
    yield c.finding(
        Code.EXEC_CAP,
        "stated_total",
        expected=cap,
        found=total,
        params={
            "rate": f"{rate:.2%}",
            "basis": review.exec_cap_basis,
            "risk": round(total - cap, 2),
        },
    )


@review_rule(Code.EXEC_REASON)
def exec_reason(c: Check, review: Review) -> Iterator[Finding]:
    rate = c.analysis.execution_rate
    if rate is None or rate >= review.exec_reason_below:
        return
    texts = [text(c.form.goals.achieved), *(text(row.reason) for row in c.form.indicators)]
    if review.mentions("exec_reason_words", "\n".join(texts)):
        return
    yield c.finding(
        Code.EXEC_REASON,
        "funds.total.stated_rate",
        expected=review.exec_reason_below,
        found=rate,
        params={"rate": f"{rate:.2%}", "threshold": f"{review.exec_reason_below:.0%}"},
    )


@review_rule(Code.COST_DIRECTION)
def cost_direction(c: Check, review: Review) -> Iterator[Finding]:
    for i in c.scan.cost_floor:
        row = c.form.indicators[i]
        if c.profile.higher_despite_pattern.search(row.name):
            continue  # 成本节约率 ≥ 5 % is a saving, not a cost
        op = c.analysis.indicators[i].target.op
        yield c.row_finding(
            Code.COST_DIRECTION,
            i,
            row,
            "target",
            found=row.target,
            params={"op": "≥" if op == ">=" else ">"},
        )


@review_rule(Code.CATEGORY_MISSING)
def category_missing(c: Check, review: Review) -> Iterator[Finding]:
    present = c.analysis.category_points  # keyed by each row's 一级指标
    for name in LEVEL1_NAMES:
        if name not in present:
            yield c.finding(
                Code.CATEGORY_MISSING,
                f"category_weights.{name}",
                params={"category": name},
            )


@review_rule(Code.QTY_IS_MONEY)
def qty_is_money(c: Check, review: Review) -> Iterator[Finding]:
    for i in c.scan.quantity:
        row = c.form.indicators[i]
        if review.mentions("money_words", row.name) or c.analysis.indicators[
            i
        ].target.unit.endswith("元"):
            yield c.row_finding(Code.QTY_IS_MONEY, i, row, "name", found=row.name)


@review_rule(Code.DUP_INDICATOR)
def dup_indicator(c: Check, review: Review) -> Iterator[Finding]:
    rows = c.form.indicators
    if len({row.name for row in rows}) == len(rows):
        return  # no name twice
    first: dict[str, str] = {}
    for i, row in enumerate(rows):
        name = row.name.strip()
        seen = first.setdefault(name, row.level1) if name else row.level1
        if seen != row.level1:
            yield c.row_finding(
                Code.DUP_INDICATOR,
                i,
                row,
                "name",
                found=row.name,
                params={"categories": f"{seen}和{row.level1}"},
            )


@review_rule(Code.PERCENT_OVER_100)
def percent_over_100(c: Check, review: Review) -> Iterator[Finding]:
    for i in c.scan.percent_over_100:
        row = c.form.indicators[i]
        capped = review.mentions("capped_rate_words", row.name)
        if capped and not review.mentions("growth_words", row.name):
            yield c.row_finding(Code.PERCENT_OVER_100, i, row, "target", found=row.target)


_PLACEHOLDER_LABELS = {"target": vocab.TARGET, "actual": vocab.ACTUAL}


@review_rule(Code.PLACEHOLDER)
def placeholder(c: Check, review: Review) -> Iterator[Finding]:
    rows = c.form.indicators
    texts = [row.target for row in rows] + [row.actual for row in rows]
    try:
        joined = "\n".join(texts)
    except TypeError:  # a number in a text field (a Form built in code)
        joined = "\n".join(map(text, texts))
    if not review.mentions("placeholders", joined):
        return  # one look at the whole form in the usual case
    for i, row in enumerate(rows):
        for attr, label in _PLACEHOLDER_LABELS.items():
            value = text(getattr(row, attr))
            if review.mentions("placeholders", value):
                yield c.row_finding(
                    Code.PLACEHOLDER,
                    i,
                    row,
                    attr,
                    found=value,
                    params={"label": label},
                )
                break


@review_rule(Code.WEIGHT_CONCENTRATION)
def weight_concentration(c: Check, review: Review) -> Iterator[Finding]:
    if not c.form.indicators or c.form.points_by_category:
        return  # without an indicator's own 分值 there is no weight to judge
    points = [info.points or 0.0 for info in c.analysis.indicators]
    total, count = sum(points), len(points) - points.count(0.0)
    if count >= review.weight_min_indicators and max(points) < review.weight_share * total - EPS:
        return  # the usual case: weights spread over enough rows
    scored = [(i, p) for i, p in enumerate(points) if p]
    if len(scored) < review.weight_min_indicators:
        why = f"有{vocab.POINTS}的指标只有 {len(scored)} 个，少于 {review.weight_min_indicators} 个"
        yield c.finding(
            Code.WEIGHT_CONCENTRATION,
            "indicators",
            expected=review.weight_min_indicators,
            found=len(scored),
            params={"why": why},
        )
        return
    if total <= 0:
        return  # POINTS_TOTAL says what is wrong with such points
    for i, points in scored:
        if points >= review.weight_share * total - EPS:
            row = c.form.indicators[i]
            why = (
                f"指标“{row.name}”{vocab.POINTS} {points:g} 占指标{vocab.POINTS}合计 {total:g} 的"
                f" {points / total:.0%}，达到 {review.weight_share:.0%}"
            )
            yield c.row_finding(
                Code.WEIGHT_CONCENTRATION,
                i,
                row,
                "points",
                expected=excel_round(review.weight_share * total, 2),
                found=points,
                params={"why": why},
            )


@review_rule(Code.WEIGHT_ZERO)
def weight_zero(c: Check, review: Review) -> Iterator[Finding]:
    for i in c.scan.zero_points:
        row = c.form.indicators[i]
        yield c.row_finding(Code.WEIGHT_ZERO, i, row, "points", found=0.0)


@review_rule(Code.SATISFACTION_NO_SURVEY)
def satisfaction_no_survey(c: Check, review: Review) -> Iterator[Finding]:
    for i in c.scan.satisfaction:
        row = c.form.indicators[i]
        # A reason may mention complaints beside a survey result; only without one is it
        # a substitute for the survey.
        surveyed = c.analysis.indicators[i].actual.kind == "numeric"
        for attr in ("actual",) if surveyed else ("actual", "reason"):
            value = text(getattr(row, attr))
            if review.mentions("no_survey_words", value):
                yield c.row_finding(Code.SATISFACTION_NO_SURVEY, i, row, attr, found=value)
                break


@review_rule(Code.REASON_QUALITY)
def reason_quality(c: Check, review: Review) -> Iterator[Finding]:
    indicators = c.form.indicators
    rows = [(i, indicators[i], text(indicators[i].reason).strip()) for i in c.scan.explained]
    copies = Counter(reason for _, _, reason in rows) if len(rows) >= review.reason_copies else {}
    for i, row, reason in rows:
        if reason in review.empty_reasons:
            why = "没有说明任何原因"
        elif len(reason) < review.reason_min_chars:
            why = f"只有 {len(reason)} 个字，过于简短"
        elif copies.get(reason, 0) >= review.reason_copies:
            why = f"在 {copies[reason]} 个指标中原样重复"
        else:
            continue
        yield c.row_finding(
            Code.REASON_QUALITY, i, row, "reason", found=reason, params={"why": why}
        )


@review_rule(Code.NUMERIC_ACTUAL_TEXT)
def numeric_actual_text(c: Check, review: Review) -> Iterator[Finding]:
    for i in c.scan.worded:
        row = c.form.indicators[i]
        yield c.row_finding(
            Code.NUMERIC_ACTUAL_TEXT,
            i,
            row,
            "actual",
            expected=c.analysis.indicators[i].target.format(),
            found=row.actual,
        )
