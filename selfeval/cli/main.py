"""The ``selfeval`` command: one entry point, one module per subcommand.

Each module in :data:`COMMANDS` exposes ``register(subparsers)``, which adds its
parser and sets ``func`` to a ``run(args) -> int``. Heavy imports stay inside
``run`` so that ``selfeval --help`` is instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from selfeval import __version__
from selfeval.cli.console import tolerant_output
from selfeval.errors import SelfevalError

COMMANDS = {
    "validate": "selfeval.cli.validate",
    "rescore": "selfeval.cli.rescore",
    "convert": "selfeval.cli.convert",
    "report": "selfeval.cli.report",
    "build": "selfeval.cli.build",
    "demo": "selfeval.cli.demo",
    "sample": "selfeval.cli.sample",
    "review": "selfeval.cli.review",
    "serve": "selfeval.cli.serve",
    "addin": "selfeval.excel.addin_cli",
    "bundle": "selfeval.excel.bundle",
}
"""Command name -> the module that registers it."""

DESCRIPTION = """\
selfeval —— 财政项目支出绩效自评表工具

  校验自评表中的每个数字和评分规则，按规则重新计算得分，生成带公式的年度模板。

常用命令：
  selfeval validate 表格.xlsx 文件夹/    校验一份或一批自评表
  selfeval rescore 表格.xlsx -o 新表.xlsx  按规则重新评分，写入新文件（原文件不变）
  selfeval build --year 2026             生成本年度空白模板
  selfeval report 文件夹/ -o 汇总.html   汇总一个部门的全部自评表

退出状态：0 无错误；1 发现错误；2 有文件无法读取或参数有误。
"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


_ERRORS = (
    ("the following arguments are required", "缺少参数"),
    ("unrecognized arguments", "不认识的参数"),
    ("invalid choice", "无效的选项"),
    ("argument ", "参数 "),
    ("choose from", "可选"),
    ("expected one argument", "需要一个值"),
    ("invalid int value", "不是整数"),
)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese headings, help and error messages (staff read Chinese)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本说明后退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        for english, chinese in _ERRORS:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n（用 {self.prog} --help 查看说明）\n")


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``argv`` naming a command first, that command's
    parser only (a folder run starts without importing the other nine)."""
    parser = ChineseArgumentParser(prog="selfeval", description=DESCRIPTION)

    parser.add_argument(
        "--version", action="version", version=f"selfeval {__version__}", help="显示版本号"
    )
    sub = parser.add_subparsers(title="命令", metavar="命令")
    named = argv[0] if argv and argv[0] in COMMANDS else None
    for name, module in COMMANDS.items():
        if named in (None, name):
            importlib.import_module(module).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    tolerant_output()  # a GBK console must not stop the command (README: 终端编码)
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except SelfevalError as exc:
        # Bad input, a bad option, an unwritable output: a Chinese message for staff. Any
        # other exception is a bug and shows its traceback.
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
