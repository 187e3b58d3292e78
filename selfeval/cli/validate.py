"""selfeval validate: check forms and print the findings, one file at a time."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
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
from selfeval.files import atomically

FORMATS = ("text", "json", "html")
SEVERITIES = {"error": "错误", "warning": "警告", "info": "提示"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="校验自评表（文件或文件夹）",
        description="校验一份或多份自评表，列出每一处错误、警告和提示及其所在单元格。"
        "selfeval 自己生成的报告和校验结果会被跳过。"
        "退出状态：0 无错误，1 有错误，2 有文件无法读取或没有找到自评表。",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="路径", help="自评表文件或文件夹")
    add_profile_option(p)
    p.add_argument("--format", choices=FORMATS, default="text", help="输出格式（默认 text）")
    p.add_argument("-o", "--output", type=Path, help="把结果写入该文件，而不是打印")
    p.add_argument(
        "--min-severity",
        choices=tuple(SEVERITIES),
        default="info",
        help="只列出该级别及以上的问题：error（错误）、warning（警告）或 info（提示，默认全部列出）；"
        "汇总行仍计入全部问题",
    )
    p.add_argument(
        "-q",
        "--quiet",
        dest="min_severity",
        action="store_const",
        const="warning",
        help="不列出提示，只列出错误和警告（同 --min-severity warning）",
    )
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="同时使用的进程数（默认：64 个文件以上时每个 CPU 核一个，否则 1）",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from selfeval.cli.printing import printed
    from selfeval.form.findings import Severity
    from selfeval.pipeline.results import Tally, input_files, map_files
    from selfeval.reports.html import html_page
    from selfeval.reports.text import write_json_array

    if args.output and (why := refuse_overwrite(args.output, args.paths)):
        raise OutputError(why)
    if args.jobs is not None and args.jobs < 1:
        raise InputError(f"--jobs 应为正整数（{args.jobs}）")
    profile = profile_from(args)
    require_inputs(args.paths)
    files = input_files(args.paths)
    if args.output and (why := refuse_overwrite(args.output, files)):
        raise OutputError(why)
    work = partial(
        printed,
        profile=profile,
        fmt=args.format,
        min_severity=Severity(args.min_severity),
        link_base=args.output.parent if args.output else None,  # links relative to the page
        override=profile_named(args),
    )
    tally = Tally()
    # Findings printed to the terminal as they come need no progress bar between them.
    progress = Progress(False if args.output is None and sys.stdout.isatty() else None)

    def pieces():  # type: ignore[no-untyped-def]
        for out in map_files(files, work, progress, args.jobs):
            tally.merge(out.tally)
            for note in out.notes:
                print(note, file=sys.stderr)
            yield from out.pieces

    with _output(args.output) as stream:
        if args.format == "json":
            write_json_array(stream, pieces())
            stream.write("\n")
        elif args.format == "text":
            stream.writelines(pieces())
            stream.write(tally.line() + "\n")
        else:
            stream.write(html_page(list(pieces()), tally.line()) + "\n")
        if not tally.forms:  # raised inside: an output file is not written
            raise InputError(f"在 {'、'.join(map(str, args.paths))} 中没有找到自评表")
    if args.output:
        print(f"已写入 {args.output}：{tally.line()}", file=sys.stderr)
    return tally.status()


def _output(out: Path | None):  # type: ignore[no-untyped-def]
    """Standard output, or ``out`` written in one step when everything is in."""
    if out is None:
        return nullcontext(sys.stdout)
    return atomically(out, text=True)
