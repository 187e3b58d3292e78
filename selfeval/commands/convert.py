"""selfeval convert: a form moved into this year's formula-driven template."""

from __future__ import annotations

import argparse
from pathlib import Path

from selfeval.commands.common import (
    add_profile_option,
    profile_from,
    read_forms,
    refuse_overwrite,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "convert",
        help="把旧表格中的自评表转入本年度带公式的模板",
        description="读取旧表格（任意版式）中的自评表，按本年度模板重新生成工作簿；原文件不会被修改。"
        "一个文件中有多份自评表时，依次写入 输出名-01.xlsx、输出名-02.xlsx ……",
    )
    p.add_argument("path", type=Path, metavar="文件", help="自评表文件")
    p.add_argument("-o", "--output", type=Path, required=True, help="新工作簿（.xlsx）的路径")
    p.add_argument("--year", type=int, help="模板年度（默认：今年）")
    add_profile_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from selfeval.files import write_atomically
    from selfeval.results import project_title
    from selfeval.writer import current_year, form_workbook

    if why := refuse_overwrite(args.output, [args.path]):
        raise ValueError(why)
    if args.output.suffix.lower() != ".xlsx":
        raise ValueError(f"输出文件应为 .xlsx（{args.output.name}）")
    profile = profile_from(args)
    items = read_forms(args.path)
    year = args.year or current_year()
    outputs = _outputs(args.output, len(items))
    if any(why := refuse_overwrite(out, [args.path]) for out in outputs):
        raise ValueError(why)
    for form, out in zip(items, outputs, strict=True):
        form.header.year = year
        write_atomically(out, form_workbook(form, profile, year))
        print(f"{project_title(form)} → {out}")
    return 0


def _outputs(out: Path, count: int) -> list[Path]:
    if count == 1:
        return [out]
    return [out.with_name(f"{out.stem}-{n:02d}{out.suffix}") for n in range(1, count + 1)]
