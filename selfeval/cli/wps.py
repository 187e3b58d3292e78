"""selfeval wps build / install: the WPS add-in (WPS 加载项) on the command line."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``wps`` command with its ``build`` and ``install`` subcommands."""
    parser = sub.add_parser(
        "wps",
        help="生成或注册 WPS 加载项（WPS 表格中的“绩效自评”功能区）",
        description="生成或注册 WPS 加载项：WPS 表格功能区“绩效自评”上的按钮把工作簿发给校验服务"
        "（selfeval serve），并按服务返回的写入计划标记、改写单元格。说明见 docs/wps.md。",
    )
    actions = parser.add_subparsers(title="操作", metavar="操作", dest="wps_action")
    actions.required = True
    build = actions.add_parser(
        "build",
        help="把加载项文件写入文件夹",
        description="写出加载项（ribbon.xml、index.html、脚本、图标）和注册它的 jsplugins.xml："
        "加载项在“文件夹/selfeval_版本号/”下，jsplugins.xml 在文件夹中。",
    )
    build.add_argument(
        "-o", "--output-dir", type=Path, required=True, metavar="文件夹", help="写入该文件夹"
    )
    build.add_argument(
        "--service",
        default="",
        metavar="地址",
        help="校验服务的地址（如 http://10.0.0.5:8765）；默认是加载项所在的服务器",
    )
    build.add_argument(
        "--url",
        default="",
        metavar="地址",
        help="jsplugins.xml 以在线方式指向这个地址（如 http://10.0.0.5:8765/wps/）；"
        "默认指向旁边的加载项文件夹",
    )
    build.add_argument("--profile", default="", metavar="口径", help="评分口径名称（默认全国口径）")
    build.set_defaults(func=run)
    install = actions.add_parser(
        "install",
        help="为当前用户注册在线加载项",
        description="在当前用户的 jsplugins.xml 中注册从地址加载的加载项（Linux："
        "~/.local/share/Kingsoft/wps/jsaddons/，Windows：%%APPDATA%%\\kingsoft\\wps\\jsaddons\\），"
        "已有的其他加载项保留不动。重新启动 WPS 后生效。",
    )
    install.add_argument(
        "--url",
        required=True,
        metavar="地址",
        help="校验服务上的加载项地址，如 http://10.0.0.5:8765/wps/",
    )
    install.add_argument(
        "--dir",
        type=Path,
        default=None,
        metavar="文件夹",
        help="写入这个 jsaddons 文件夹（默认按系统确定）",
    )
    install.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from selfeval.excel.wps import build, folder_name, install

    if args.wps_action == "build":
        written = build(args.output_dir, args.service, args.url, args.profile)
        folder = args.output_dir / folder_name()
        print(f"已生成 WPS 加载项：{folder}（{len(written) - 1} 个文件），注册文件：{written[-1]}")
        return 0
    target = install(args.url, args.dir)
    print(f"已注册 WPS 加载项：{target}（地址 {args.url}）。请重新启动 WPS 表格。")
    return 0
