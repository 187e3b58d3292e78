"""selfeval review: the 复核 workpaper (复核底稿.xlsx) for every form of a folder, or a sample."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfeval.cli.common import (
    Progress,
    add_profile_option,
    profile_from,
    profile_named,
    refuse_overwrite,
    require_inputs,
)
from selfeval.cli.sample import add_sample_options
from selfeval.errors import InputError, OutputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review",
        help="生成复核底稿（每个指标一行，带公式和红色提示）",
        description="校验文件夹中的自评表，生成一份复核底稿（.xlsx）：每份表的每个指标一行，列出自评完成值、"
        "自评得分、按规则的建议得分和校验发现，留空复核完成值、复核得分、扣分原因供复核人填写；"
        "每份表的小计行用公式计算复核总分和偏离度，另有汇总表。给出 -n 和 --seed 时只收入抽中的表"
        "（与 selfeval sample 抽出的相同）。填好后用 selfeval validate 复核底稿.xlsx 检查。",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="路径", help="自评表文件或文件夹")
    p.add_argument("-o", "--output", type=Path, required=True, help="复核底稿（.xlsx）")
    add_sample_options(p, required=False)
    add_profile_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from selfeval.cli.sampling import draw_sample
    from selfeval.files import write_atomically
    from selfeval.pipeline.results import check_paths, input_files
    from selfeval.writers.template import current_year
    from selfeval.writers.workpaper import NOTES, Reviewed, workpaper_workbook

    if args.output.suffix.lower() != ".xlsx":
        raise OutputError(f"复核底稿须为 .xlsx 文件：{args.output}")
    require_inputs(args.paths)
    files = input_files(args.paths)
    if why := refuse_overwrite(args.output, files):
        raise OutputError(why)
    results = list(check_paths(files, profile_from(args), Progress(), override=profile_named(args)))
    portfolio, units, drawn = draw_sample(args, results)
    chosen = sorted(u.row.index for u in drawn)
    forms = [Reviewed(i, results[i - 1]) for i in chosen]
    if not forms:
        raise InputError("没有可复核的自评表（文件均无法读取）")
    source = "、".join(map(str, args.paths))
    notes = [*NOTES, f"来源：{source}，共 {len(units)} 份自评表（重复提交的只计一次）。"]
    if args.n is not None:
        notes.append(
            f"本底稿只含抽中的 {len(forms)} 份：selfeval sample -n {args.n} --seed {args.seed}。"
        )
    notes.append(f"评分口径：{portfolio.profile.title}。")
    year = max((r.year for r in portfolio.forms if r.year), default=current_year())
    write_atomically(args.output, workpaper_workbook(forms, year, notes))
    rows = sum(len(f.result.form.indicators) + 1 for f in forms)  # type: ignore[union-attr]
    print(f"已写入 {args.output}：{len(forms)} 份自评表，{rows} 行待复核", file=sys.stderr)
    return 0
