"""selfeval sample: draw a reproducible, weighted review sample (抽查清单)."""

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
from selfeval.errors import InputError, OutputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sample",
        help="按金额、问题数和自评分加权抽取复核样本（可重现）",
        description="校验文件夹中的全部自评表，按评分口径 [sample] 中的权重（金额越大、问题越多、"
        "自评分越高，机会越大）抽取 n 份供复核。同一种子、同一批文件在任何电脑上抽出同一份清单；"
        "清单记录种子、抽样框和每份表的权重，任何人都可以重抽核对。",
    )
    add_sample_options(p, required=True)
    p.add_argument("paths", nargs="+", type=Path, metavar="路径", help="自评表文件或文件夹")
    p.add_argument("-o", "--output", type=Path, help="抽查清单（.xlsx）；不给出则只打印")
    add_profile_option(p)
    p.set_defaults(func=run)


def add_sample_options(p: argparse.ArgumentParser, required: bool) -> None:
    p.add_argument("-n", type=int, required=required, metavar="份数", help="抽取的份数")
    p.add_argument(
        "--seed", type=int, required=required, metavar="种子", help="随机数种子（整数，须记录）"
    )


def run(args: argparse.Namespace) -> int:
    from selfeval.cli.sampling import draw_sample
    from selfeval.files import write_atomically
    from selfeval.pipeline.results import check_paths, input_files
    from selfeval.reports.portfolio.sample import base_folder, sample_workbook, weight_rule

    require_inputs(args.paths)
    files = input_files(args.paths)
    if args.output is not None:
        if args.output.suffix.lower() != ".xlsx":
            raise OutputError(f"抽查清单须为 .xlsx 文件：{args.output}")
        if why := refuse_overwrite(args.output, files):
            raise OutputError(why)
    results = list(check_paths(files, profile_from(args), Progress(), override=profile_named(args)))
    portfolio, units, drawn = draw_sample(args, results)
    if not units:
        raise InputError("没有可抽取的自评表（文件均无法读取）")
    rule = weight_rule(portfolio.profile.sample)
    base = base_folder(args.paths)
    print(f"随机数种子：{args.seed}　抽样框：{len(units)} 份（{base}）　抽取：{len(drawn)} 份")
    print(f"评分口径：{portfolio.profile.title}；{rule}")
    for order, u in enumerate(drawn, 1):
        r = u.row
        print(
            f"{order:>3}. 权重 {u.weight:.4f}　{r.implementer or '—'}　{r.project or '—'}　{u.id}"
        )
    if portfolio.duplicates or portfolio.unreadable:
        print(
            f"未进入抽样框：重复提交 {len(portfolio.duplicates)} 份，"
            f"无法读取 {len(portfolio.unreadable)} 个文件",
        )
    if args.output is not None:
        about = [
            ("抽样框", f"{len(units)} 份自评表（{base}，重复提交的只计一次，无法读取的不计）"),
            ("评分口径", portfolio.profile.title),
            ("权重", rule),
            (
                "重抽命令",
                f"selfeval sample 文件夹 -n {args.n} --seed {args.seed} "
                f"--profile {portfolio.profile.name}",
            ),
        ]
        write_atomically(args.output, sample_workbook(units, drawn, args.seed, args.n, about))
        print(f"已写入 {args.output}", file=sys.stderr)
    return 0
