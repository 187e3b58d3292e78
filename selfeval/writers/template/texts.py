"""The text parts of a template, rendered by jinja2 from ``selfeval/writers/template/texts``.

Cells are laid out by :mod:`selfeval.layouts.layout`; the words of a layout's text cells
(year line, unit labels, headings with shares) are jinja2 strings in its layout file,
and the 填表说明 sheet with the profile's rules is ``instructions.j2``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from selfeval.layouts.layout import layout_spec
from selfeval.profiles.policy import Profile
from selfeval.writers.jinja import environment

if TYPE_CHECKING:
    import jinja2


def _env() -> jinja2.Environment:
    return environment("selfeval.writers.template", "texts", html=False, filters={"num": _num})


def _num(value: float) -> str:
    return f"{value:g}"


def _share(part: float, whole: float) -> str:
    return _num(round(100 * part / whole, 2)) if whole else "0"


_P = ParamSpec("_P")
_T = TypeVar("_T")


# Kept for speed: bench_templates.py 38 -> 53 workbooks per CPU-second.
def _by_value(render: Callable[_P, _T]) -> Callable[_P, _T]:
    """Render once per distinct arguments: every pre-filled form of a year shares its
    texts. Keyed by repr, because a Profile holds dicts and is not hashable."""
    done: dict[str, _T] = {}

    @wraps(render)
    def cached(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        key = repr((args, sorted(kwargs.items())))
        if key not in done:
            done[key] = render(*args, **kwargs)
        return done[key]

    return cached


@_by_value
def heading_texts(layout: str, year: int, unit: str, profile: Profile) -> dict[str, str]:
    """Text key (``title``, ``year_line`` ...) -> its text for one form."""
    spec = layout_spec(layout)
    indicators = sum(profile.category_weights.values())
    context = {
        "year": year,
        "unit": unit,
        "profile": profile,
        "funds_share": _share(profile.funds_weight, profile.points_total),
        "table_share": _share(indicators, profile.points_total),
        "funds_points": _num(profile.funds_weight),
        "table_points": _num(indicators),
    }
    env = _env()
    texts = {key: env.from_string(text).render(context) for key, text in spec.texts.items()}
    return texts | {"title": spec.title, "profile": profile.title}


@_by_value
def instruction_lines(layout: str, year: int, profile: Profile) -> tuple[str, ...]:
    """The 填表说明 sheet, one line per row; lines starting with ``# `` are headings."""

    def band(name: str) -> str:
        low, high = profile.bands[name]
        return f"{low:.0%}–{high:.0%}"

    text = (
        _env()
        .get_template("instructions.j2")
        .render(title=layout_spec(layout).title, year=year, profile=profile, band=band)
    )
    return tuple(line.rstrip() for line in text.strip().splitlines())
