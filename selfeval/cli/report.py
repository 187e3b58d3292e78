"""selfeval report: every form of a folder in one HTML page, CSV or xlsx summary."""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

from selfeval.cli.common import (
    Progress,
    add_profile_option,
    profile_from,
    profile_named,
    refuse_overwrite,
    require_inputs,
)
from selfeval.errors import InputError, OutputError

FORMATS = (
    "html",
    "csv",
    "xlsx",
)  # selfeval.reports.portfolio.FORMATS, kept here so --help stays light
SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".csv": "csv", ".xlsx": "xlsx"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="汇总一批自评表，生成报告（HTML、CSV 或 xlsx）",
        description="校验一个或多个文件夹中的全部自评表，生成汇总报告：HTML 报告含汇总表、图表和各表问题明细；"
        "CSV 和 xlsx 为汇总表（xlsx 另含问题统计和问题明细，可筛选）。无法读取的文件会列在报告中。"
        "退出状态：0 无错误，1 有错误，2 有文件无法读取。",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="路径", help="自评表文件或文件夹")
    p.add_argument(
        "-o", "--output", type=Path, required=True, help="报告文件（.html、.csv 或 .xlsx）"
    )
    p.add_argument(
        "--format", choices=FORMATS, help="报告格式（默认按 -o 的扩展名：html、csv 或 xlsx）"
    )
    add_profile_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from selfeval.files import write_atomically
    from selfeval.pipeline.results import input_files, map_files
    from selfeval.reports.portfolio import build_rows
    from selfeval.reports.portfolio.summary import file_rows

    if args.output.is_dir():
        raise OutputError(
            f"{args.output} 是文件夹，请给出报告文件名，例如 {args.output / '汇总.html'}"
        )
    fmt = args.format or _format_from(args.output)
    profile = profile_from(args)
    require_inputs(args.paths)
    files = input_files(args.paths)
    if why := refuse_overwrite(args.output, files):
        raise OutputError(why)

    def rows():  # type: ignore[no-untyped-def]
        for found in map_files(
            files, partial(file_rows, profile=profile, override=profile_named(args)), Progress()
        ):
            for line in found.skipped:
                print(line, file=sys.stderr)
            yield from found.items

    portfolio, written = build_rows(rows(), profile, [fmt], link_base=args.output.parent)
    if not portfolio.rows:
        raise InputError(f"在 {'、'.join(map(str, args.paths))} 中没有找到自评表")
    write_atomically(args.output, written[fmt])
    print(
        f"已写入 {args.output}：{len(portfolio.forms)} 份自评表，错误 {portfolio.errors} 项，"
        f"警告 {portfolio.warnings} 项，无法读取 {len(portfolio.unreadable)} 个",
        file=sys.stderr,
    )
    if portfolio.unreadable:
        return 2
    return 1 if portfolio.errors else 0


def _format_from(output: Path) -> str:
    fmt = SUFFIX_FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise OutputError(
            f"无法从文件名 {output.name} 判断报告格式，请用 .html、.csv 或 .xlsx 结尾，或指定 --format"
        )
    return fmt
