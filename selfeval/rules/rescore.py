"""Rescoring: the form with the scores the rules give, and the list of changes.

Only figures the rules disagree with change: a form the rules already agree
with comes back unchanged with no changes listed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from selfeval.form import vocabulary as vocab
from selfeval.form.model import FUNDS_ROWS, Form
from selfeval.profiles.policy import Profile, load_profile
from selfeval.rules.analysis import (
    Analysis,
    analyse,
    execution_rate,
    funds_basis,
    number,
    rate_convention,
    round_rate,
    within,
)
from selfeval.rules.check import FIELD_LABELS


@dataclass(frozen=True)
class Change:
    """One figure rescoring changed: field path, cell if known, old and new value, and
    why (the rule that gives the new value, in Chinese)."""

    field: str
    old: Any
    new: Any
    cell: str | None = None
    why: str = ""

    @property
    def label(self) -> str:
        """What changed, in the form's words: 得分, 预算执行得分, 总分 …"""
        return "得分" if self.field.endswith(".score") else FIELD_LABELS.get(self.field, "值")

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "cell": self.cell,
            "old": self.old,
            "new": self.new,
            "why": self.why,
        }


WHY = {
    "stated_rate": f"执行率 = {vocab.EXECUTED} ÷ {vocab.BUDGET}",
    "stated_score": f"预算执行得分 = min(执行率, 1) × {vocab.POINTS}",
    "stated_points_total": f"{vocab.POINTS}合计 = 预算执行率{vocab.POINTS} + 各指标{vocab.POINTS}",
    "stated_total": "总分 = 预算执行得分 + 各指标得分",
}
"""Why a computed figure changed, by attribute (an indicator's score names its rule)."""


@dataclass
class Rescored:
    form: Form
    changes: list[Change]
    analysis: Analysis  # of the rescored form
    total: float | None = None  # 总分 as the rescored form states it (the rules' if blank)
    grade: str | None = None  # of ``total``


def rescore(form: Form, profile: Profile | str | None = None) -> Rescored:
    """A copy of ``form`` with the rules' scores written in, and what changed."""
    prof = profile if isinstance(profile, Profile) else load_profile(profile or "national")
    before = analyse(form, prof)
    new = copy.deepcopy(form)
    changes: list[Change] = []

    def put(
        obj: Any, attr: str, path: str, value: float | None, cell: str | None, why: str = ""
    ) -> None:
        old = number(getattr(obj, attr))
        if value is not None and (old is None or abs(old - value) > 1e-9):
            changes.append(Change(path, getattr(obj, attr), value, cell, why or WHY[attr]))
            setattr(obj, attr, value)

    funds = new.funds
    for name in FUNDS_ROWS:  # the total's rate always, a sub-row's where the form states one
        row, path = getattr(funds, name), f"funds.{name}.stated_rate"
        rate = execution_rate(funds_basis(funds) if name == "total" else row)
        if rate is None or (name != "total" and row.stated_rate is None):
            continue
        if rate_convention(row.stated_rate, rate, prof) is None:
            put(row, "stated_rate", path, round_rate(rate, prof), new.cells.get(path))
    if before.funds_score is not None and not within(
        funds.stated_score, before.funds_score, prof.funds_score_tolerance
    ):
        path = "funds.stated_score"
        put(funds, "stated_score", path, before.funds_score, new.cells.get(path))
    for i, (row, info) in enumerate(zip(new.indicators, before.indicators, strict=True)):
        cell = row.cells.get("score")
        why = f"指标“{row.name}”：{info.rule}"
        put(row, "score", f"indicators[{i}].score", info.suggested, cell, why)
    scored = any(c.field.endswith("score") for c in changes)

    after = analyse(new, prof)
    if new.stated_points_total is not None:
        path = "stated_points_total"
        put(new, path, path, after.points_total, new.cells.get(path))
    if _total_needs_writing(new.stated_total, after, scored, prof):
        put(new, "stated_total", "stated_total", after.rules_total, new.cells.get("stated_total"))
    total = number(new.stated_total)
    if total is None:
        total = after.rules_total
    return Rescored(new, changes, after, total, prof.grade(total) if total is not None else None)


def _total_needs_writing(stated: Any, after: Analysis, scored: bool, profile: Profile) -> bool:
    """The total written adds up the scores written (a funds score kept within tolerance
    included), so it is rewritten whenever a score changed; a total the rules accept
    stays when none did."""
    total = after.rules_total
    if total is None:
        return False
    if not within(stated, total, 0.0 if scored else profile.total_tolerance):
        return True
    return after.total is not None and not within(stated, after.total, profile.total_tolerance)
