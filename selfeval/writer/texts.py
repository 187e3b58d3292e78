"""The text parts of a template, rendered by jinja2 from ``selfeval/templates_text``.

Cells are laid out by :mod:`selfeval.layout`; only words (titles with the year,
unit labels, the 填表说明 sheet with the profile's rules) come from templates.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from selfeval.layout import TITLES
from selfeval.profiles import Profile


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("selfeval", "templates_text"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )
    env.filters["num"] = _num
    return env


def _num(value: float) -> str:
    return f"{value:g}"


def _share(part: float, whole: float) -> str:
    return _num(round(100 * part / whole, 2)) if whole else "0"


def heading_texts(layout: str, year: int, unit: str, profile: Profile) -> dict[str, str]:
    """Text key (``title``, ``year_line`` ...) -> its text for one form."""
    key = (layout, year, unit, repr(profile))  # Profile holds dicts: not hashable
    if key not in _HEADINGS:
        _HEADINGS[key] = _headings(layout, year, unit, profile)
    return _HEADINGS[key]


_HEADINGS: dict[tuple, dict[str, str]] = {}


def _headings(layout: str, year: int, unit: str, profile: Profile) -> dict[str, str]:
    indicators = sum(profile.category_weights.values())
    context = {
        "layout": layout,
        "year": year,
        "unit": unit,
        "profile": profile,
        "funds_share": _share(profile.funds_weight, profile.points_total),
        "table_share": _share(indicators, profile.points_total),
    }
    module: Any = _env().get_template("headings.j2").module
    keys = ("title", "year_line", "funds_unit", "budget_heading", "executed_heading")
    keys += ("funds_heading", "table_heading", "profile")
    return {key: str(getattr(module, key)(context)).strip() for key in keys}


def instruction_lines(layout: str, year: int, profile: Profile) -> tuple[str, ...]:
    """The 填表说明 sheet, one line per row; lines starting with ``# `` are headings."""
    key = (layout, year, repr(profile))
    if key not in _INSTRUCTIONS:
        _INSTRUCTIONS[key] = _instructions(layout, year, profile)
    return _INSTRUCTIONS[key]


_INSTRUCTIONS: dict[tuple, tuple[str, ...]] = {}


def _instructions(layout: str, year: int, profile: Profile) -> tuple[str, ...]:

    def band(name: str) -> str:
        low, high = profile.bands[name]
        return f"{low:.0%}–{high:.0%}"

    text = (
        _env()
        .get_template("instructions.j2")
        .render(title=TITLES[layout], year=year, profile=profile, band=band)
    )
    return tuple(line.rstrip() for line in text.strip().splitlines())
