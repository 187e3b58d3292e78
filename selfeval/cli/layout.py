"""selfeval layout: a maintainer's layout files (表样文件): check one, or start one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfeval.errors import OutputError
from selfeval.files import write_atomically
from selfeval.layouts.check import check_file
from selfeval.layouts.layout import LAYOUTS_VARIABLE, shipped_layouts
from selfeval.layouts.starter import starter_text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "layout",
        help="检查或新建表样文件（.toml）",
        description="表样文件描述一种自评表的版式（写法见 docs/layouts.md）。"
        f"放在环境变量 {LAYOUTS_VARIABLE} 所指的文件夹中，各命令和加载项按名称使用；"
        "也可以直接给出文件路径（build --layout 文件.toml）。",
    )
    actions = p.add_subparsers(title="操作", metavar="操作")
    check = actions.add_parser(
        "check",
        help="检查表样文件，逐条列出错误（行号和键）",
        description="逐条列出表样文件中的错误，每条写明行号和键。退出状态：0 无误；2 有误。",
    )
    check.add_argument("path", type=Path, metavar="文件", help="表样文件（.toml）")
    check.set_defaults(func=run, action=_check)
    new = actions.add_parser(
        "new",
        help="从已有表样生成一个带注释的表样文件",
        description="把一种已有表样写成新的表样文件，每个键上方有中文注释，供修改。",
    )
    new.add_argument(
        "--from",
        dest="source",
        default="national",
        metavar="表样",
        help=f"从哪种表样开始：{'、'.join(shipped_layouts())}，或一个 .toml 文件（默认 national）",
    )
    new.add_argument("-o", "--output", type=Path, required=True, help="新表样文件（.toml）的路径")
    new.set_defaults(func=run, action=_new)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def run(args: argparse.Namespace) -> int:
    return int(args.action(args))


def _check(args: argparse.Namespace) -> int:
    if not args.path.is_file():
        print(f"错误：找不到表样文件 {args.path}", file=sys.stderr)
        return 2
    problems = check_file(args.path)
    for problem in problems:
        print(problem.shown(args.path.name), file=sys.stderr)
    if problems:
        print(f"共 {len(problems)} 处错误。", file=sys.stderr)
        return 2
    print(f"{args.path.name}：表样无误。")
    return 0


def _new(args: argparse.Namespace) -> int:
    out: Path = args.output
    if out.suffix != ".toml":
        raise OutputError(f"表样文件应以 .toml 结尾（{out.name}）")
    if out.exists():
        raise OutputError(f"{out} 已存在，为免覆盖，请换一个文件名")
    if not out.parent.exists():
        raise OutputError(f"输出目录 {out.parent} 不存在")
    write_atomically(out, starter_text(args.source, out.stem).encode("utf-8"))
    print(f"已生成 {out}；改好后运行 selfeval layout check {out}")
    return 0
