"""Rescoring: the form with the scores the rules give, and the list of changes.

Only figures the rules disagree with change: a form the rules already agree
with comes back unchanged with no changes listed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from selfeval.analysis import (
    Analysis,
    analyse,
    execution_rate,
    funds_basis,
    number,
    rate_convention,
    round_rate,
    within,
)
from selfeval.model import FUNDS_ROWS, Form
from selfeval.profiles import Profile, load_profile


@dataclass(frozen=True)
class Change:
    """One figure rescoring changed: field path, cell if known, old and new value."""

    field: str
    old: Any
    new: Any
    cell: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "cell": self.cell, "old": self.old, "new": self.new}


@dataclass
class Rescored:
    form: Form
    changes: list[Change]
    analysis: Analysis  # of the rescored form

    @property
    def grade(self) -> str | None:
        return self.analysis.grade


def rescore(form: Form, profile: Profile | str | None = None) -> Rescored:
    """A copy of ``form`` with the rules' scores written in, and what changed."""
    prof = profile if isinstance(profile, Profile) else load_profile(profile or "national")
    before = analyse(form, prof)
    new = copy.deepcopy(form)
    changes: list[Change] = []

    def put(obj: Any, attr: str, path: str, value: float | None, cell: str | None) -> None:
        old = number(getattr(obj, attr))
        if value is not None and (old is None or abs(old - value) > 1e-9):
            changes.append(Change(path, getattr(obj, attr), value, cell))
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
        put(row, "score", f"indicators[{i}].score", info.suggested, row.cells.get("score"))

    after = analyse(new, prof)
    if new.stated_points_total is not None:
        path = "stated_points_total"
        put(new, path, path, after.points_total, new.cells.get(path))
    if after.total is not None and not within(new.stated_total, after.total, prof.total_tolerance):
        put(new, "stated_total", "stated_total", after.total, new.cells.get("stated_total"))
    return Rescored(new, changes, after)
