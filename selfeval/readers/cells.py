"""Reading single cell values as the form means them: text, amounts, rates, labels.

Cells arrive as whatever a reader produced (float, int, str, bool, date, None or
"" for blank). Values keep what the form says (see :mod:`selfeval.form.model`): a
number when it can be read, None when blank or a placeholder (``—``), else the
original text, so the rules can report what was found.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from typing import Any

from selfeval.form.model import Number

_TAG = re.compile(r"<[^<>]{0,200}>")
_SPACE = re.compile(r"\s+")
_PLACEHOLDERS = frozenset({"—", "——", "-", "–", "－", "/", "／", "─"})
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def text(value: Any) -> str:
    """A cell as display text: HTML tags and entities removed, ends stripped."""
    if type(value) is not str:
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, float | int):
            return number_text(float(value)) if math.isfinite(value) else str(value)
        value = str(value)
    if "<" in value or "&" in value:
        value = html.unescape(_TAG.sub("", value))
    return value.strip()


def number_text(value: float) -> str:
    """A number as staff would type it: 365.0 -> "365", 0.5 -> "0.5"."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def label(value: Any) -> str:
    """A cell as a label key: no spaces (``年度 总体 目标``), no trailing colon."""
    if not isinstance(value, str) or not value:
        return ""
    s = text(value) if "<" in value or "&" in value else value
    return "".join(s.split()).rstrip(":：")


def amount(value: Any) -> Number:
    """An amount, 分值 or 得分: ``812,000`` -> 812000.0, ``—`` -> None, else the text."""
    if type(value) is float:  # the common case first
        return value if math.isfinite(value) else text(value)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return text(value)
    if isinstance(value, float | int):
        # NaN or infinity (a hostile file) is no figure: keep it as text for the rules
        return float(value) if math.isfinite(value) else text(value)
    s = text(value)
    if not s or s in _PLACEHOLDERS:
        return None
    plain = unicodedata.normalize("NFKC", s).replace(" ", "")
    if _PLAIN.fullmatch(plain):
        return float(plain)
    if _GROUPED.fullmatch(plain):
        return float(plain.replace(",", ""))
    return s


def rate(value: Any) -> Number:
    """A rate as a fraction: ``99.07%`` -> 0.9907; a bare number is taken as it is, but
    one above :data:`PERCENT_POINTS_ABOVE` is written in percent points (``20`` for 20 %,
    ``100`` for 100 %, typed into a General cell): no rate is typed as a fraction of 2 or more."""
    if isinstance(value, str):
        s = unicodedata.normalize("NFKC", text(value)).replace(" ", "")
        if s.endswith("%"):
            figure = amount(s[:-1])
            if isinstance(figure, float):
                return round(figure / 100, 12)
            return text(value)
    figure = amount(value)
    if isinstance(figure, float) and figure > PERCENT_POINTS_ABOVE:
        return round(figure / 100, 12)
    return figure


PERCENT_POINTS_ABOVE = 2.0
"""A bare stated 执行率 above this is in percent points (20 -> 20 %); up to it, a fraction
(0.95, or 1.05 for a budget overrun)."""


def is_number(value: Any) -> bool:
    """Whether :func:`amount` reads a number (the common cell types answered directly)."""
    kind = type(value)
    if kind is float or kind is int:
        return True
    if value is None or kind is bool or value == "":
        return False
    return isinstance(amount(value), float)


def is_blank(value: Any) -> bool:
    if value is None or value == "":
        return True
    if type(value) is not str:
        return isinstance(value, str) and not text(value)
    if "<" in value or "&" in value:
        return not text(value)
    return not value.strip()  # what text() returns for plain text


_WEIGHT = re.compile(r"(.+?)\s*[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


def split_weight(label: str) -> tuple[str, float | None]:
    """A first-level label and the weight printed in it: ``产出指标 (50分)`` -> (产出指标, 50.0)."""
    match = _WEIGHT.fullmatch(label) if "分" in label else None
    return (match[1], float(match[2])) if match else (label, None)


_WEIGHT_ONLY = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


def weight_only(label: str) -> float | None:
    """The weight of a first-level label that lost its name: ``(50分)`` -> 50.0, else None
    (the name was written vertically in a merged cell and lost in the copy)."""
    match = _WEIGHT_ONLY.fullmatch(label) if "分" in label else None
    return float(match[1]) if match else None


def is_not_applicable(value: Any) -> bool:
    """A blank cell, or one marked not applicable: ``/``, ``／``, ``—``, ``-``."""
    return is_blank(value) or (isinstance(value, str) and text(value) in _PLACEHOLDERS)


_POINTS_SUFFIX = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*分\s*$")


def strip_points(value: Any) -> Any:
    """A total written with its unit (``99.55分``) as the number it states."""
    if isinstance(value, str) and "分" in value and (match := _POINTS_SUFFIX.match(value)):
        return match[1]
    return value
