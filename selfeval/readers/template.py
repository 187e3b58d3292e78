"""Our generated templates, read through the layout description (selfeval.layouts.layout).

Every field is read at the address its defined name holds, so rows a user
inserted are followed. A computed cell must still hold its canonical formula;
one that holds a typed number is listed in ``Form.formulas_overwritten``. A
formula cell with no cached value (files written by openpyxl) is listed in
``Form.formulas_uncached``: the reader computes nothing, the pipeline gives it what
the formula computes (:func:`selfeval.rules.analysis.recalculate`).
"""

from __future__ import annotations

import re

from selfeval.form.a1 import column_number
from selfeval.form.model import LEVEL1_NAMES, Form, FundsRow, Indicator, Source
from selfeval.grammar.targets import join_target
from selfeval.layouts.layout import (
    AMOUNTS,
    LAYOUT_PROPERTY,
    SPLIT_TARGET,
    Layout,
    layout_for,
    profile_of,
    same_formula,
)
from selfeval.profiles.policy import DEFAULT_PROFILE, Profile, available_profiles, load_profile
from selfeval.readers import cells as cv
from selfeval.readers.grid import Grid

_YEAR = re.compile(r"((?:19|20)\d\d)")
_TEXT_FIELDS = ("header.project", "header.department", "header.implementer")
_GOALS = ("goals.planned", "goals.achieved")
_STATED = ("funds.stated_score", "stated_points_total", "stated_total")


def template_form(grid: Grid, file: str | None = None) -> Form | None:
    """The form held by a generated template, or None when the names are not ours.

    The template's layout and profile are those it records in its document
    properties (``Grid.properties``, :func:`selfeval.layouts.layout.template_properties`)."""
    properties = grid.properties
    layout = layout_for(grid.names, properties.get(LAYOUT_PROPERTY))
    if layout is None:
        return None
    reader = _TemplateReader(grid, layout, profile_of(properties))
    form = reader.read()
    form.source = Source(file, grid.sheet, 1, origin="template")
    return form


class _TemplateReader:
    def __init__(self, grid: Grid, layout: Layout, profile: Profile | None) -> None:
        self.grid, self.layout = grid, layout
        # The profile the template recorded; older templates name it in 评分口径.
        self.profile = profile or _profile_named(cv.text(self._at("profile")))
        self.form = Form(layout=layout.name, profile=self.profile.name)
        self.form.profile_settings = self.profile.settings

    def _at(self, path: str) -> object:
        address = self.layout.fields.get(path)
        return self.grid.at(address) if address else None

    def _cell(self, path: str) -> object:
        self.form.cells[path] = self.layout.fields[path]
        return self._at(path)

    def read(self) -> Form:
        form = self.form
        year = _YEAR.search(cv.text(self._at("header.year")))
        form.header.year = int(year[1]) if year else None
        for path in _TEXT_FIELDS + _GOALS:
            section, attr = path.split(".")
            setattr(getattr(form, section), attr, cv.text(self._cell(path)))
        form.funds.unit = "万元" if "万元" in cv.text(self._at("funds.unit")) else "元"
        for row in self.layout.funds_rows:
            setattr(form.funds, row, self._funds_row(row))
        form.funds.points = cv.amount(self._cell("funds.points"))
        for path in _STATED:
            value = self._computed(path)
            setattr(form if "." not in path else form.funds, path.split(".")[-1], value)
        for level in LEVEL1_NAMES:
            path = f"category_weights.{level}"
            weight = cv.amount(self._at(path))
            if isinstance(weight, float):
                form.category_weights[level] = weight
            if path in self.layout.fields:  # the check area shows weight beside subtotal
                form.cells[path] = self.layout.fields[path]
        self._indicators()
        return form

    def _funds_row(self, row: str) -> FundsRow:
        values = FundsRow()
        for attr in AMOUNTS:
            setattr(values, attr, cv.amount(self._cell(f"funds.{row}.{attr}")))
        path = f"funds.{row}.stated_rate"
        if path in self.layout.fields:
            values.stated_rate = self._computed(path)
        return values

    def _computed(self, path: str) -> object:
        """A computed field: its cached value, and whether it still holds its formula."""
        value = self._cell(path)
        read = cv.rate if path.endswith("stated_rate") else cv.amount
        if self.layout.kind(path) != "computed":
            return read(value)
        formula = self.grid.formula_at(self.layout.fields[path])
        if formula is None:
            self.form.formulas_overwritten.append(path)
            return read(value)
        if not same_formula(formula, self.layout.formula(path, self.profile)):
            self.form.formulas_overwritten.append(path)
        if cv.is_blank(value):
            self.form.formulas_uncached.append(path)
        return read(value)

    def _indicators(self) -> None:
        grid, columns = self.grid, self.layout.columns
        top, left = grid.origin
        # Grid indices of the table's columns, worked out once rather than per cell.
        index = {name: column_number(col) - left for name, col in columns.items()}
        slots = tuple(index.items())
        checked = [name for name in columns if name not in ("level1", "level2")]
        for r in self.layout.indicator_rows():
            ri = r - top
            values = grid.values[ri] if 0 <= ri < len(grid.values) else []
            width = len(values)
            raw = {n: values[c] if 0 <= c < width else None for n, c in slots}
            if cv.is_blank(raw["name"]) and all(cv.is_blank(raw[n]) for n in checked):
                continue  # a row is read when it has a name, or anything but its levels
            line = str(r)
            cells = {name: col + line for name, col in columns.items()}
            level1, _ = cv.split_weight(cv.text(raw["level1"]))
            if "target" not in cells:  # split over 指标性质 | 指标值 | 度量单位
                cells["target"] = cells["target_value"]
                target = join_target(*(self._shown(ri, index[k], raw[k]) for k in SPLIT_TARGET))
            else:
                target = self._shown(ri, index["target"], raw["target"])
            row = Indicator(
                level1=level1 or (self.layout.block_of(r) or ""),
                level2=cv.text(raw["level2"]),
                name=cv.text(raw["name"]),
                target=target,
                actual=self._shown(ri, index["actual"], raw["actual"]),
                points=cv.amount(raw["points"]),
                score=cv.amount(raw["score"]),
                reason=cv.text(raw["reason"]),
                cells=cells,
            )
            self.form.indicators.append(row)

    def _shown(self, r: int, c: int, value: object) -> str:
        """A text field as the cell displays it (``100%`` for 1 formatted as a percentage)."""
        return self.grid.shown.get((r, c)) or cv.text(value)


def _profile_named(title: str) -> Profile:
    """The profile whose title the template shows (评分口径), else the default."""
    for name in available_profiles():
        profile = load_profile(name)
        if title and (title == profile.title or title == profile.name):
            return profile
    return load_profile(DEFAULT_PROFILE)
