"""selfeval build: the year's formula-driven templates (also ``build_templates.py``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfeval.cli.common import add_profile_option, profile_from
from selfeval.cli.console import tolerant_output
from selfeval.errors import InputError, SelfevalError
from selfeval.form import vocabulary as vocab
from selfeval.layouts.layout import available_layouts, layout_spec

DEFAULT_OUT = Path("templates")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="生成本年度带公式的模板（空白或按项目预填）",
        description="按表样（selfeval/layouts 中的文件）生成自评表 Excel 模板。"
        f"执行率、得分、{vocab.POINTS}小计、总分和等级均为表内公式。"
        "退出状态：0 成功；1 --check 发现模板已过期；2 参数或项目清单有误。",
    )
    add_arguments(p)
    p.set_defaults(func=run)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, help="年度（默认今年；--check 时默认检查所有年度）")

    shapes = "、".join(f"{n}（{layout_spec(n).description}）" for n in available_layouts())
    p.add_argument(
        "--layout",
        choices=(*available_layouts(), "all"),
        default="all",
        help=f"表样：{shapes}，或 all（默认，全部）",
    )
    add_profile_option(p, reads_forms=False)
    p.add_argument(
        "--projects",
        type=Path,
        metavar="清单",
        help="项目清单（YAML 或 CSV），每个项目生成一份预填表",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="文件夹",
        help="输出文件夹（默认 templates；预填表默认 预填自评表）",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="只检查 templates/ 中已提交的空白模板是否过期，不写文件",
    )


def run(args: argparse.Namespace) -> int:
    from selfeval.writers.template import current_year
    from selfeval.writers.template.build import (
        blank_files,
        layouts_of,
        project_files,
        stale_templates,
        write_files,
    )

    if args.check:
        return _check(stale_templates(args.out or DEFAULT_OUT, [args.year] if args.year else None))
    year = args.year or current_year()
    if not 1990 <= year <= 2100:
        raise InputError(f"年度 {year} 不合理")
    profile = profile_from(args)
    layouts = layouts_of(args.layout)
    if args.projects:
        files = project_files(args.projects, year, layouts, profile)
        folder = args.out or Path(f"预填自评表_{year}")
    else:
        files = blank_files(year, layouts, profile)
        folder = (args.out or DEFAULT_OUT) / str(year)
    paths = write_files(files, folder)
    print(f"已生成 {len(paths)} 个文件，位于 {folder}：")
    for path in paths:
        print(f"  {path.name}")
    return 0


def _check(stale: list[str]) -> int:
    if not stale:
        print("模板均为最新。")
        return 0
    print(
        "以下模板已过期或缺失，请运行 python build_templates.py --year <年度> 重新生成并提交：",
        file=sys.stderr,
    )
    for name in stale:
        print(f"  {name}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``build_templates.py``: the same options as ``selfeval build``."""
    tolerant_output()
    parser = argparse.ArgumentParser(
        prog="build_templates.py", description="生成本年度带公式的自评表模板"
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except SelfevalError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
