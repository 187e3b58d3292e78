"""selfeval rescore: the rules' scores written into a new file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from selfeval.cli.common import (
    add_profile_option,
    refuse_overwrite,
)
from selfeval.errors import OutputError
from selfeval.form.findings import show_pair, value_kind

if TYPE_CHECKING:
    from selfeval.rules.rescore import Change

WORKBOOK_OUTPUTS = (".xlsx", ".xlsm")
CHANGES_SHEET = (
    "重新评分记录"  # selfeval.writers.marks.CHANGES_SHEET, kept here so --help stays light
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rescore",
        help="按评分规则重新计算得分，写入新文件",
        description="按评分规则重新计算预算执行得分、各指标得分和总分，写入新文件；原文件不会被修改。"
        "改过的单元格填浅蓝色，批注中为原值；新增“重新评分记录”工作表，逐条列出原值、新值和原因。"
        "工作簿输入得到工作簿（.xlsx），YAML/JSON 输入得到 YAML。",
    )
    p.add_argument("path", type=Path, metavar="文件", help="自评表文件")
    p.add_argument("-o", "--output", type=Path, required=True, help="新文件的路径")
    add_profile_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from selfeval import api
    from selfeval.pipeline.results import project_title
    from selfeval.readers import FORM_FILE_SUFFIXES

    if why := refuse_overwrite(args.output, [args.path]):
        raise OutputError(why)
    workbook = args.path.suffix.lower() not in FORM_FILE_SUFFIXES
    if workbook and args.output.suffix.lower() not in WORKBOOK_OUTPUTS:
        raise OutputError(f"输出文件应为 .xlsx（{args.output.name}）")
    done = api.rescore(args.path, args.output, profile=args.profile)
    for note in done.notes:
        print(note, file=sys.stderr)
    for r, log in zip(done.forms, done.changes, strict=True):
        total = f"{r.total:.2f}" if r.total is not None else "—"
        print(f"{project_title(r.form)}：改动 {len(log)} 处，总分 {total}（{r.grade or '—'}）")
        for c in log:
            print(f"  {change_line(c)}")
    if workbook:
        print(
            f"已写入 {args.output}：改动的单元格标为蓝色，批注中为原值；“{CHANGES_SHEET}”工作表列出每一处改动"
        )
    return 0


def change_line(c: Change) -> str:
    """``G28 得分：10.00 → 9.56（指标“办案人员满意度”：…）``, a restored formula shown as such."""
    if isinstance(c.new, str) and c.new.startswith("="):
        old, _ = show_pair(c.old, None)
        new = f"公式 {c.new}"
    else:
        old, new = show_pair(c.old, c.new, value_kind(c.field))
    return f"{c.cell or c.field} {c.label}：{old} → {new}（{c.why}）"
