"""``selfeval addin build`` and ``selfeval addin install``: the Excel add-in on the command line.

The main CLI imports this module and calls :func:`register`; ``run`` returns the exit status.
"""

import argparse
import contextlib
import locale
import os
import shutil
import sys
import tempfile
from pathlib import Path

from selfeval.excel.xlam import ADDIN_NAME, AddinSourceError, build_xlam

EXCEL_PLATFORMS = ("win32", "darwin")

NO_EXCEL_HERE = (
    "无法安装加载项：Excel 不能在 Linux 上运行，这台电脑上没有可以加载它的 Excel。\n"
    "请在装有 Excel 的 Windows 或 macOS 电脑上运行 selfeval addin install；\n"
    f"或者先用 selfeval addin build -o 文件夹 生成 {ADDIN_NAME}，再把它复制到那台电脑上"
    " Excel 的启动文件夹（XLSTART）。"
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``addin`` command with its ``build`` and ``install`` subcommands."""
    parser = sub.add_parser(
        "addin",
        help="生成或安装 Excel 加载项（“绩效自评”功能区）",
        description="生成或安装 Excel 加载项：功能区“绩效自评”上的按钮通过 xlwings 调用 selfeval。",
    )
    actions = parser.add_subparsers(title="操作", metavar="操作", dest="addin_action")
    actions.required = True
    build = actions.add_parser(
        "build", help=f"生成 {ADDIN_NAME}", description=f"生成 {ADDIN_NAME}。"
    )
    build.add_argument(
        "-o",
        "--output-dir",
        type=Path,
        default=Path("."),
        metavar="文件夹",
        help="写入该文件夹（默认当前文件夹；不存在时新建）",
    )
    build.set_defaults(func=run)
    install = actions.add_parser(
        "install",
        help="安装到 Excel 的启动文件夹（XLSTART）",
        description="把加载项复制到 Excel 的启动文件夹（XLSTART），下次启动 Excel 时自动加载；"
        "并把运行本命令的 Python 记入加载项的配置文件，按钮就用这个 Python。"
        "只能在装有 Excel 的 Windows 或 macOS 上运行。",
    )
    install.add_argument(
        "-f",
        "--file",
        type=Path,
        metavar="文件",
        help=f"安装这个已生成的 {ADDIN_NAME}（默认现场生成）",
    )
    install.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``addin build`` or ``addin install``; 0 on success, 2 with a Chinese message if not."""
    try:
        if args.addin_action == "build":
            path = build_xlam(_output_dir(args.output_dir) / ADDIN_NAME)
            print(f"已生成加载项：{path}")
            return 0
        return _install(args.file)
    except (AddinSourceError, OSError) as exc:
        print(f"错误：{_message(exc)}", file=sys.stderr)
        return 2


CONF_NAME = "selfeval.conf"


def conf_path(platform: str = sys.platform) -> Path:
    """Where the add-in's VBA looks for its user config (xlwings' GetConfigFilePath)."""
    if platform == "darwin":
        return Path.home() / "Library/Containers/com.microsoft.Excel/Data" / CONF_NAME
    return Path(os.environ.get("USERPROFILE") or Path.home()) / ".selfeval" / CONF_NAME


def interpreter(executable: str = sys.executable, platform: str = sys.platform) -> str:
    """The Python that runs the buttons: this one (pythonw.exe on Windows: no console window)."""
    path = Path(executable)
    if platform == "win32" and path.name.lower() == "python.exe":
        windowless = path.with_name("pythonw.exe")
        if windowless.exists():
            return str(windowless)
    return str(path)


def conf_encoding(platform: str = sys.platform) -> str:
    """The encoding VBA's ``Open … For Input`` reads: on Windows the ANSI code page (GBK on a
    Chinese system), which is what ``locale.getencoding()`` names there."""
    return locale.getencoding() if platform == "win32" else "utf-8"


def write_conf(
    path: Path, python: str, platform: str = sys.platform, encoding: str | None = None
) -> Path:
    """Write (or update) the add-in's conf so that its VBA runs ``python``.

    One line per setting, ``"KEY","value"``, as xlwings reads it with ``Input #``; other
    settings already in the file are kept.
    """
    encoding = encoding or conf_encoding(platform)
    key = "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER_WIN"
    try:
        python.encode(encoding)
    except UnicodeEncodeError:
        raise AddinSourceError(
            f"Python 的路径 {python} 含有本机 Excel 读不出的字符（{encoding}）。"
            "请把 Python 安装到只含中英文常用字符的文件夹后重试。"
        ) from None
    kept = [line for line in _conf_lines(path, encoding) if not _is_key(line, key)]
    text = "\r\n".join([*kept, f'"{key}","{python}"']) + "\r\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def _conf_lines(path: Path, encoding: str) -> list[str]:
    if not path.is_file():
        return []
    data = path.read_bytes()
    for codec in (encoding, "utf-8"):
        try:
            return [line for line in data.decode(codec).splitlines() if line.strip()]
        except UnicodeDecodeError:
            continue
    return []


def _is_key(line: str, key: str) -> bool:
    return line.split(",", 1)[0].strip().strip('"').upper() == key


def install(xlam: Path) -> Path:
    """Copy ``xlam`` into Excel's startup folder and return the installed path.

    As ``xlwings addin install -f`` does: Excel itself names its startup folder (on
    Windows usually %APPDATA%\\Microsoft\\Excel\\XLSTART), copies already open in Excel are
    closed first, and on macOS the AppleScript that RunPython needs is installed too.
    """
    from xlwings import cli as xlwings_cli  # optional on a machine without Excel

    target = Path(xlwings_cli.get_addin_dir()) / ADDIN_NAME
    _close_in_excel()
    shutil.copyfile(xlam, target)
    if sys.platform == "darwin":
        xlwings_cli.runpython_install(None)
    return target


def _install(xlam: Path | None) -> int:
    if sys.platform not in EXCEL_PLATFORMS:
        print(NO_EXCEL_HERE, file=sys.stderr)
        return 2
    if xlam is not None:
        if not xlam.is_file():
            raise AddinSourceError(f"找不到加载项文件：{xlam}")
        target = install(xlam)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            target = install(build_xlam(Path(tmp) / ADDIN_NAME))
    conf = write_conf(conf_path(), interpreter())
    print(
        f"已安装加载项：{target}\n按钮将使用这个 Python：{interpreter()}（记在 {conf}）\n"
        "请重新启动 Excel，功能区上会出现“绩效自评”选项卡。"
    )
    return 0


def _close_in_excel() -> None:
    """Close the add-in in every running Excel, so that its file can be replaced."""
    import xlwings  # optional on a machine without Excel

    for app in xlwings.apps:
        with contextlib.suppress(KeyError):
            app.books[ADDIN_NAME].close()


def _output_dir(path: Path) -> Path:
    if path.exists() and not path.is_dir():
        raise AddinSourceError(f"{path} 不是文件夹")
    return path


def _message(exc: Exception) -> str:
    if isinstance(exc, PermissionError):
        return f"没有权限写入 {exc.filename}：如果 Excel 正在运行，请先退出 Excel 再重试。"
    if isinstance(exc, OSError) and exc.filename:
        return f"无法写入 {exc.filename}（{exc.strerror}）"
    return str(exc)
