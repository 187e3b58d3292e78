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
from selfeval.errors import InputError, OutputError
from selfeval.layouts.layout import LAYOUTS_VARIABLE, shipped_layouts
from selfeval.profiles.policy import DEFAULT_PROFILE, available_profiles, load_profile


def register(sub: argparse._SubParsersAction) -> None:
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
        metavar="表样",
        help=f"改为此表样：{'、'.join(shipped_layouts())}、环境变量 {LAYOUTS_VARIABLE} 所指文件夹中的"
        "表样名，或一个 .toml 表样文件的路径（默认：原表的表样，模板按它自带的表样）",
    )
    p.add_argument(
        "--profile",
        help=f"评分口径：{'、'.join(available_profiles())}，或 .toml 文件路径"
        f"（默认 {DEFAULT_PROFILE}，执行率取舍沿用原表）",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from selfeval import api
    from selfeval.cli.build import checked
    from selfeval.cli.converting import converted, unconvertible
    from selfeval.files import write_atomically
    from selfeval.pipeline.results import project_title
    from selfeval.writers.template import form_workbook

    if why := refuse_overwrite(args.output, [args.path]):
        raise OutputError(why)
    if args.output.suffix.lower() != ".xlsx":
        raise OutputError(f"输出文件应为 .xlsx（{args.output.name}）")
    chosen = load_profile(args.profile) if args.profile else None
    checked(args.layout)
    items = api.read(args.path)
    for form in items:  # before anything is written
        if why := unconvertible(form):
            raise InputError(f"无法转换“{project_title(form)}”：{why}")
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


def _outputs(out: Path, count: int) -> list[Path]:
    if count == 1:
        return [out]
    return [out.with_name(f"{out.stem}-{n:02d}{out.suffix}") for n in range(1, count + 1)]
