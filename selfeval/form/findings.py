"""Findings: what the rules say about a form, as data.

A finding has a stable ``code`` (the public contract in DOMAIN.md), a severity,
where it is (sheet and cell when a reader knows them, and always a field path),
the expected and found values, and a Chinese message rendered from the code's template
in the one code table (:mod:`selfeval.form.codes`), so the wording lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from selfeval.form.codes import Code, Severity
from selfeval.form.vocabulary import (
    FUNDS_COLUMNS,
    FUNDS_ROWS,
    HEADER_FIELDS,
    INDICATOR_COLUMNS,
    TOTAL_LABELS,
)


@dataclass
class Finding:
    """One thing the rules found wrong (or worth a note) in a form."""

    code: Code  # a code's name as a string is accepted and looked up
    field: str  # field path, e.g. "indicators[3].score" or "funds.stated_score"
    expected: Any = None
    found: Any = None
    severity: Severity | None = None  # None: the code's default
    sheet: str | None = None
    cell: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if type(self.code) is not Code:
            self.code = Code(self.code)  # ValueError for a name the table does not know
        if self.severity is None:
            self.severity = self.code.severity

    @property
    def message(self) -> str:
        """The Chinese message for staff."""
        values = _Blank(criterion=self.code.spec.criterion)
        if self.code in _SHOWS_PAIR:
            kind = value_kind(self.field)
            values["expected"], values["found"] = show_pair(self.expected, self.found, kind)
        for key, value in self.params.items():
            values[key] = show_value(value)
        if values.get("label") == self.field:  # a rule had no words for it: the vocabulary's
            values["label"] = field_label(self.field)
        return _one_bracket(self.code.message.format_map(values))

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: code, severity, sheet, cell, field, message, expected, found."""
        return {
            "code": self.code.value,
            "severity": self.severity.value if self.severity else None,
            "sheet": self.sheet,
            "cell": self.cell,
            "field": self.field,
            "message": self.message,
            "expected": self.expected,
            "found": self.found,
        }


_SHOWS_PAIR = frozenset(
    code for code in Code if "{expected}" in code.message or "{found}" in code.message
)
"""The codes whose message shows the expected or found value."""


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "—"


BLANK = "（空）"

ValueKind = str
"""How a figure reads: ``rate`` (a fraction shown as 99.07%), ``amount`` (money,
812,000.00) or ``""`` (scores, points and other figures)."""

_AMOUNT_FIELDS = ("initial_budget", "annual_budget", "executed")


def value_kind(field: str) -> ValueKind:
    """The kind of the figures at a field path (``funds.total.stated_rate`` is a rate)."""
    last = field.rsplit(".", 1)[-1]
    if last.endswith("rate"):
        return "rate"
    return "amount" if last in _AMOUNT_FIELDS else ""


def show_value(value: Any, kind: ValueKind = "", decimals: int | None = None) -> str:
    """Render a value the way staff write it: 9.91, 99.07%, 812,000.00, blank as （空）.

    ``decimals`` fixes the digits after the point (a pair shown side by side shares
    them, see :func:`show_pair`); by default a figure shows the digits it has.
    """
    if type(value) is str:  # most values: names, targets, reasons
        return value or BLANK
    if value is None or value == "":
        return BLANK
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if kind == "rate":
        return f"{value:.{2 if decimals is None else decimals}%}"
    if kind == "amount":
        return f"{value:,.2f}"
    if decimals is None:
        decimals = _decimals(value)
    grouping = "," if abs(value) >= 10000 else ""
    return f"{value:{grouping}.{decimals}f}"


def show_pair(first: Any, second: Any, kind: ValueKind = "") -> tuple[str, str]:
    """Two figures read side by side (stated and expected, old and new) with the same
    digits after the point: 2.00 and 2.40, 98.23 and 98.90, 100 and 95."""
    decimals = None  # rates and amounts always show two digits
    if not kind and _is_number(first) and _is_number(second):
        needed = max(_decimals(first), _decimals(second))
        decimals = max(needed, 2) if needed else 0
    return show_value(first, kind, decimals), show_value(second, kind, decimals)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _decimals(value: float) -> int:
    """Digits after the point a figure needs (float noise such as 0.1 + 0.2 ignored)."""
    text = f"{value:.10f}".rstrip("0")
    return len(text.partition(".")[2])


def _one_bracket(text: str) -> str:
    """A blank shown inside the message's own brackets reads （空）, not （（空））."""
    return text.replace(f"（{BLANK}）", BLANK)


__all__ = ["Code", "Finding", "Severity", "show_pair", "show_value", "value_kind"]


def field_label(path: str) -> str:
    """A field path in the form's own words (``funds.current.stated_rate`` ->
    当年财政拨款执行率), so that no message shows a raw path."""
    section, _, rest = path.partition(".")
    if section == "funds" and (row := FUNDS_ROWS.get(rest.partition(".")[0])):
        column = FUNDS_COLUMNS.get(rest.partition(".")[2])
        return row.label + (column.label if column else "")
    if section == "funds" and (column := FUNDS_COLUMNS.get(rest.removeprefix("stated_"))):
        return "预算执行" + column.label
    if section == "header" and (term := HEADER_FIELDS.get(rest)):
        return term.label
    if section.startswith("indicators[") and (term := INDICATOR_COLUMNS.get(rest)):
        number = section.removeprefix("indicators[").rstrip("]")
        return f"第 {int(number) + 1} 个指标的{term.label}" if number.isdigit() else term.label
    if path == "stated_total":
        return TOTAL_LABELS[0]
    if path == "stated_points_total":
        return INDICATOR_COLUMNS["points"].label + "合计"
    return "该栏"
