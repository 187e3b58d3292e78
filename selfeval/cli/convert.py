"""selfeval convert: a form moved into a formula-driven template of its own layout.

By default the form keeps its year, its layout (title) and the rounding convention its
执行率 follows; every change the new workbook makes (an option given, a figure the
template's formulas compute differently, a funds row the layout has no place for) is
printed under the output's name.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from selfeval.cli.common import refuse_overwrite
from selfeval.errors import OutputError
from selfeval.form import vocabulary as vocab
from selfeval.form.model import FUNDS_SUBROWS, Form
from selfeval.form.vocabulary import FUNDS_ROWS
from selfeval.profiles.policy import DEFAULT_PROFILE, Profile, available_profiles, load_profile
from selfeval.rules.analysis import Analysis

_ROUNDING = {"round": "四舍五入", "roundup": "向上舍入"}


def register(sub: argparse._SubParsersAction) -> None:
    from selfeval.layouts.layout import available_layouts

    p = sub.add_parser(
        "convert",
        help="把旧表格中的自评表转入带公式的模板",
        description="读取旧表格（任意版式）中的自评表，按原表的表样、年度和执行率取舍方式重新生成"
        "带公式的工作簿，并列出与原表不同之处；原文件不会被修改。"
        "一个文件中有多份自评表时，依次写入 输出名-01.xlsx、输出名-02.xlsx ……",
    )
    p.add_argument("path", type=Path, metavar="文件", help="自评表文件")
    p.add_argument("-o", "--output", type=Path, required=True, help="新工作簿（.xlsx）的路径")
    p.add_argument("--year", type=int, help="改为此年度（默认：原表的年度）")
    p.add_argument(
        "--layout",
        choices=available_layouts(),
        help="改为此表样（默认：原表的表样）",
    )
    p.add_argument(
        "--profile",
        help=f"评分口径：{'、'.join(available_profiles())}，或 .toml 文件路径"
        f"（默认 {DEFAULT_PROFILE}，执行率取舍沿用原表）",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from selfeval import api
    from selfeval.files import write_atomically
    from selfeval.pipeline.results import project_title
    from selfeval.writers.template import form_workbook

    if why := refuse_overwrite(args.output, [args.path]):
        raise OutputError(why)
    if args.output.suffix.lower() != ".xlsx":
        raise OutputError(f"输出文件应为 .xlsx（{args.output.name}）")
    chosen = load_profile(args.profile) if args.profile else None
    items = api.read(args.path)
    outputs = _outputs(args.output, len(items))
    if any(why := refuse_overwrite(out, [args.path]) for out in outputs):
        raise OutputError(why)
    for form, out in zip(items, outputs, strict=True):
        profile, changes = converted(form, args.year, args.layout, chosen)
        write_atomically(out, form_workbook(form, profile, form.header.year))
        print(f"{project_title(form)} → {out}")
        for change in changes or ["年度、表样、数字均与原表一致"]:
            print(f"  {change}")
    return 0


def converted(
    form: Form, year: int | None, layout: str | None, chosen: Profile | None
) -> tuple[Profile, list[str]]:
    """Set ``form``'s year and layout for the new workbook; the profile to write it
    with, and every change (Chinese lines) the new workbook makes."""
    from selfeval.layouts.layout import build_layout, layout_spec
    from selfeval.rules.analysis import analyse
    from selfeval.writers.template import current_year

    changes = []
    own_year = form.header.year
    form.header.year = year or own_year or current_year()
    if own_year is None:
        changes.append(f"原表没有年度，按 {form.header.year} 年度")
    elif form.header.year != own_year:
        changes.append(f"年度：{own_year} → {form.header.year}")
    if layout and layout != form.layout:
        old, new = layout_spec(form.layout).title, layout_spec(layout).title
        changes.append(f"表样：{old} → {new}")
        form.layout = layout
    profile = chosen or load_profile(DEFAULT_PROFILE)
    own = _own_rounding(form, profile)
    if chosen is None and own is not None and own != profile.rate_rounding:
        title = f"{profile.title}（执行率{_ROUNDING[own]}，同原表）"
        profile = profile.amended({"title": title, "funds": {"rate_rounding": own}})
    changes += _figures(form, analyse(form, profile), profile)
    printed = build_layout(form.layout).funds_rows
    for row in FUNDS_SUBROWS:
        values = vars(getattr(form.funds, row)).values()
        if row not in printed and any(v is not None for v in values):
            changes.append(f"资金“{FUNDS_ROWS[row].label}”一行未写入：该表样没有这一行")
    return profile, changes


def _own_rounding(form: Form, profile: Profile) -> str | None:
    """The rounding the form's stated 执行率 follows at the template's decimals (66.8% is
    0.6680 rounded up, not 0.6679), the profile's own when both fit; None if neither."""
    from selfeval.form.xlmath import excel_round, excel_roundup
    from selfeval.rules.analysis import execution_rate, number

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
    from selfeval.rules.analysis import number

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


def _outputs(out: Path, count: int) -> list[Path]:
    if count == 1:
        return [out]
    return [out.with_name(f"{out.stem}-{n:02d}{out.suffix}") for n in range(1, count + 1)]
