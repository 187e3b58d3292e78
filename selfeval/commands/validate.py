"""selfeval validate: check forms and print the findings."""

from __future__ import annotations

import argparse
from pathlib import Path

from selfeval.commands.common import (
    Progress,
    add_profile_option,
    profile_from,
    refuse_overwrite,
    require_inputs,
    say_profile_override,
    write_output,
)

FORMATS = ("text", "json", "html")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="校验自评表（文件或文件夹）",
        description="校验一份或多份自评表，列出每一处错误、警告和提示及其所在单元格。"
        "退出状态：0 无错误，1 有错误，2 有文件无法读取。",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="路径", help="自评表文件或文件夹")
    add_profile_option(p)
    p.add_argument("--format", choices=FORMATS, default="text", help="输出格式（默认 text）")
    p.add_argument("-o", "--output", type=Path, help="把结果写入该文件，而不是打印")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from selfeval.html_report import render_html
    from selfeval.render import render_json, render_text
    from selfeval.results import check_paths

    if args.output and (why := refuse_overwrite(args.output, args.paths)):
        raise ValueError(why)
    require_inputs(args.paths)
    profile = profile_from(args)
    results = list(check_paths(args.paths, profile, Progress()))
    say_profile_override((r.form for r in results if r.form is not None), profile)
    if args.format == "html":  # links to the workbooks, relative to the page's folder
        text = render_html(results, args.output.parent if args.output else None)
    else:
        text = (render_json if args.format == "json" else render_text)(results)
    write_output(text, args.output)
    if any(r.unreadable for r in results):
        return 2
    return 1 if any(r.errors for r in results) else 0
