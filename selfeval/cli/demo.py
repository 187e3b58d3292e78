"""selfeval demo: the main job on an embedded default.

Builds this year's blank templates, writes a bundled real form (with its real
mistakes) into a template, validates it and prints the findings.
"""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

from selfeval.cli.common import add_profile_option, profile_from
from selfeval.files import make_folder, write_atomically

SAMPLE = "sample.yaml"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="演示：生成今年的模板，并校验一份示例自评表",
        description="生成今年的两种空白模板，把一份真实的示例自评表（含原表中的错误）写入模板，"
        "校验后在终端列出问题，并写出 HTML 校验报告。",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("selfeval-demo"),
        metavar="文件夹",
        help="输出文件夹（默认 selfeval-demo）",
    )
    p.add_argument("--year", type=int, help="模板年度（默认今年）")
    add_profile_option(p, default="shanghai")  # the sample is a Shanghai form
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from selfeval.pipeline.results import check_paths
    from selfeval.readers.formfile import read_form_file
    from selfeval.reports.html import render_html
    from selfeval.reports.text import render_text
    from selfeval.writers.template import current_year, write_blank, write_form

    profile = profile_from(args)
    year = args.year or current_year()
    out: Path = args.out
    make_folder(out / "templates")
    for layout, title in (
        ("standard", "财政项目支出绩效自评表"),
        ("appraisal", "项目自评价情况表"),
    ):
        write_blank(layout, year, profile, out / "templates" / f"{title}_{year}.xlsx")
    with resources.as_file(resources.files("selfeval") / "data" / SAMPLE) as sample:
        (form,) = read_form_file(sample)
    workbook = write_form(form, out / "示例自评表.xlsx", profile)
    results = list(check_paths([workbook], profile))
    write_atomically(out / "示例自评表_校验报告.html", render_html(results, out).encode("utf-8"))
    print(render_text(results))
    print(
        f"\n已生成：{out}/templates/（{year} 年度空白模板）、{workbook}、{out}/示例自评表_校验报告.html"
    )
    return 0
