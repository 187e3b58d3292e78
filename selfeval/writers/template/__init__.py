"""The template writer: formula-driven 自评表 workbooks from the layout description.

Public API::

    write_blank(layout_name, year, profile, path) -> Path   # 空白模板
    blank_workbook(layout_name, year, profile) -> bytes
    write_form(form, path, profile, year=None) -> Path      # 填好或预填的表
    form_workbook(form, profile, year=None, layout_name=None, locked=True) -> bytes

Blank templates have :data:`selfeval.layouts.layout.BLANK_SIZES` indicator rows per block;
a filled form gets one row per indicator (its blocks sized to the form). Plan
figures that are filled (budget, targets, 分值) are locked; actuals, scores and
reasons stay open. Computed cells always hold the layout's formulas, so the
stated 执行率, 得分 and 总分 of a form are recomputed, never copied.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty

from selfeval.files import write_atomically
from selfeval.form.model import Form
from selfeval.layouts.layout import (
    DEFAULT_LAYOUT,
    INSTRUCTIONS_SHEET,
    SHEET,
    LayoutSpec,
    build_layout,
    layout_spec,
    spec_from_data,
    template_properties,
)
from selfeval.profiles.policy import Profile
from selfeval.writers.template import guidance
from selfeval.writers.template.package import workbook_bytes
from selfeval.writers.template.sheet import Fill, form_values, group_rows
from selfeval.writers.template.sheet import render_sheet as _render_sheet
from selfeval.writers.template.texts import heading_texts, instruction_lines

__all__ = ["blank_workbook", "current_year", "form_workbook", "write_blank", "write_form"]


def current_year() -> int:
    return datetime.date.today().year


LayoutRef = str | LayoutSpec
"""A layout by name, by ``.toml`` path, or parsed (:func:`selfeval.layouts.layout.layout_spec`)."""


def write_blank(layout_name: LayoutRef, year: int, profile: Profile, path: Path) -> Path:
    """Write the blank template of ``layout_name`` for ``year`` to ``path``."""
    return write_atomically(path, blank_workbook(layout_name, year, profile))


def blank_workbook(layout_name: LayoutRef, year: int, profile: Profile) -> bytes:
    """The .xlsx bytes of a blank template (every input cell open); a layout named by
    name is the version in force in ``year``."""
    return _workbook(None, layout_spec(layout_name, year), profile, year, locked=False)


def write_form(form: Form, path: Path, profile: Profile, year: int | None = None) -> Path:
    """Write ``form`` into a template of its own layout (plan fields locked)."""
    return write_atomically(path, form_workbook(form, profile, year))


def form_workbook(
    form: Form,
    profile: Profile,
    year: int | None = None,
    layout_name: LayoutRef | None = None,
    locked: bool = True,
) -> bytes:
    """The .xlsx bytes of ``form`` in ``layout_name`` (default: the form's layout, the
    description its template carried first, and
    :data:`~selfeval.layouts.layout.DEFAULT_LAYOUT` for a form that names none)."""
    year = year or form.header.year or current_year()
    return _workbook(form, _layout_of(form, layout_name, year), profile, year, locked)


def _layout_of(form: Form, ref: LayoutRef | None, year: int) -> LayoutSpec:
    if ref is None and form.layout_description:
        carried = form.layout_description
        return spec_from_data(carried, form.layout, "表中自带的表样")
    return layout_spec(ref or form.layout or DEFAULT_LAYOUT, year)


def _workbook(
    form: Form | None, spec: LayoutSpec, profile: Profile, year: int, locked: bool
) -> bytes:
    rows = group_rows(form.indicators) if form else {}
    sizes = {level: len(r) for level, r in rows.items()} if form else None
    layout = build_layout(spec, sizes)
    unit = form.funds.unit if form else layout.spec.unit
    values = form_values(form, profile, layout) if form else _blank_values(profile)
    fill = Fill(values, rows, heading_texts(spec, year, unit, profile))
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _render_sheet(ws, layout, fill, profile, locked)
    guidance.add_conditional_formats(ws, layout, profile)
    guidance.add_validations(ws, layout)
    guidance.add_names(wb, ws, layout)
    guidance.protect(ws)
    guidance.page_setup(ws, layout)
    guidance.instruction_sheet(
        wb.create_sheet(INSTRUCTIONS_SHEET), instruction_lines(spec, year, profile)
    )
    props = wb.properties
    props.creator = props.lastModifiedBy = "selfeval"
    props.title = f"{layout.title}（{year} 年度）"
    for name, value in template_properties(spec, profile).items():
        wb.custom_doc_props.append(StringProperty(name=name, value=value))
    return workbook_bytes(wb, year)


def _blank_values(profile: Profile) -> dict:
    values = {"funds.points": profile.funds_weight}
    values |= {f"category_weights.{k}": v for k, v in profile.category_weights.items()}
    return values
