"""What ``selfeval convert`` changes when it moves a form into a template: the year,
the layout, the rounding its 执行率 follows, and every figure the template's formulas
compute otherwise (imported by the command's ``run``: it loads the template writer)."""

from __future__ import annotations

from selfeval.form import vocabulary as vocab
from selfeval.form.model import FUNDS_SUBROWS, Form
from selfeval.form.values import number
from selfeval.form.vocabulary import FUNDS_ROWS
from selfeval.form.xlmath import excel_round, excel_roundup
from selfeval.layouts.layout import LayoutSpec, build_layout, layout_spec, spec_from_data
from selfeval.profiles.policy import DEFAULT_PROFILE, Profile, load_profile
from selfeval.rules.analysis import Analysis, analyse, execution_rate
from selfeval.writers.template import current_year

_ROUNDING = {"round": "四舍五入", "roundup": "向上舍入"}


def unconvertible(form: Form) -> str | None:
    """Why ``form``'s shape has no place in a template (docs/reading.md, 其他几种表格), or None:
    a template gives every indicator its 分值 and scores 预算执行率."""
    if form.points_by_category:
        return f"分值只写在一级指标中，模板需要每个指标的{vocab.POINTS}，请先在原表中填上各指标{vocab.POINTS}"
    if not form.funds.scored:
        return "预算执行率不计分，模板中预算执行率计分，无法原样转换"
    return None


def converted(
    form: Form, year: int | None, layout: str | None, chosen: Profile | None
) -> tuple[Profile, list[str]]:
    """Set ``form``'s year and layout for the new workbook; the profile to write it
    with, and every change (Chinese lines) the new workbook makes."""
    changes = []
    own_year = form.header.year
    form.header.year = year or own_year or current_year()
    if own_year is None:
        changes.append(f"原表没有年度，按 {form.header.year} 年度")
    elif form.header.year != own_year:
        changes.append(f"年度：{own_year} → {form.header.year}")
    own_spec = _own_layout(form)
    if layout and layout != form.layout:
        new_spec = layout_spec(layout, form.header.year)
        changes.append(f"表样：{own_spec.title} → {new_spec.title}")
        form.layout, form.layout_description = layout, {}
        own_spec = new_spec
    profile = chosen or load_profile(DEFAULT_PROFILE)
    own = _own_rounding(form, profile)
    if chosen is None and own is not None and own != profile.rate_rounding:
        title = f"{profile.title}（执行率{_ROUNDING[own]}，同原表）"
        profile = profile.amended({"title": title, "funds": {"rate_rounding": own}})
    changes += _figures(form, analyse(form, profile), profile)
    printed = build_layout(own_spec).funds_rows
    for row in FUNDS_SUBROWS:
        values = vars(getattr(form.funds, row)).values()
        if row not in printed and any(v is not None for v in values):
            changes.append(f"资金“{FUNDS_ROWS[row].label}”一行未写入：该表样没有这一行")
    return profile, changes


def _own_layout(form: Form) -> LayoutSpec:
    """The form's layout: the description its template carried, else the file of its name."""
    if form.layout_description:
        return spec_from_data(form.layout_description, form.layout, "表中自带的表样")
    return layout_spec(form.layout)


def _own_rounding(form: Form, profile: Profile) -> str | None:
    """The rounding the form's stated 执行率 follows at the template's decimals (66.8% is
    0.6680 rounded up, not 0.6679), the profile's own when both fit; None if neither."""
    stated, raw = number(form.funds.total.stated_rate), execution_rate(form.funds.total)
    if stated is None or raw is None:
        return None
    rounding = {"round": excel_round, "roundup": excel_roundup}
    mine = profile.rate_rounding
    for name in (mine, *(r for r in rounding if r != mine)):
        if abs(rounding[name](raw, profile.rate_decimals) - stated) < 1e-9:
            return name
    return None


def _figures(form: Form, a: Analysis, profile: Profile) -> list[str]:
    """The stated figures the template's formulas compute otherwise."""
    lines = []
    stated_rate = number(form.funds.total.stated_rate)
    if stated_rate is not None and a.rate is not None and abs(stated_rate - a.rate) > 1e-9:
        how = _ROUNDING[profile.rate_rounding]
        lines.append(f"执行率：{stated_rate:.2%} → {a.rate:.2%}（按公式计算，{how}）")
    for label, stated, computed in (
        ("资金得分", form.funds.stated_score, a.funds_score),
        (f"{vocab.POINTS}合计", form.stated_points_total, a.points_total),
        ("总分", form.stated_total, a.total),
    ):
        old = number(stated)
        if old is not None and computed is not None and abs(old - computed) > 1e-9:
            lines.append(f"{label}：{old:g} → {computed:g}（按公式计算）")
    return lines
