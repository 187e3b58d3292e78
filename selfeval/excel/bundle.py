"""``selfeval bundle -o DIR``: a folder a finance office carries onto an intranet.

The folder holds everything needed to install selfeval and its Excel add-in on a PC with
no internet and no administrator rights, into a Python the user installed for
themselves:

- ``wheels/``: selfeval's wheel and a wheel of every dependency, for Windows x64 and
  CPython 3.11 and 3.12 (or, with ``--platform current``, for this machine);
- ``selfeval.xlam``: the add-in;
- ``install.bat`` / ``install.ps1`` (``install.sh`` for the current machine): find the
  user's Python, ``pip install --no-index --find-links wheels "selfeval[serve]"`` (the
  checking service included), then
  ``python -m selfeval addin install`` (which copies the add-in into Excel's startup
  folder and records that Python in the add-in's conf);
- ``使用说明.txt``: the steps in Chinese.

``pip download --platform`` evaluates environment markers for the machine it runs on,
not the target (a Windows-only dependency such as pywin32 would be missed), so each
wheel is downloaded without its dependencies and the dependency closure is resolved
here from the wheels' own metadata, with the target's markers.
"""

from __future__ import annotations

import argparse
import email.parser
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging import tags as wheel_tags
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from selfeval.excel.xlam import ADDIN_NAME, AddinSourceError, build_xlam

WINDOWS_PYTHONS = ("3.11", "3.12")
SOURCE_ROOT = Path(__file__).resolve().parents[2]
"""The source checkout this module runs from (a wheel of selfeval is built from it)."""
WHEELS = "wheels"
EXTRAS = ("serve",)
"""selfeval's extras the bundle carries and installs: ``serve`` (the checking service)."""
GUIDE = "使用说明.txt"


class BundleError(AddinSourceError):
    """The bundle could not be made; the message (Chinese) says why."""


@dataclass(frozen=True)
class Target:
    """Where the wheels will be installed: a platform tag and a Python version, or this
    machine (``platform`` None)."""

    platform: str | None = None
    python: str | None = None

    def download_options(self) -> list[str]:
        if self.platform is None:
            return []
        abi = "cp" + self.python.replace(".", "")
        return [
            "--platform",
            self.platform,
            "--python-version",
            self.python,
            "--implementation",
            "cp",
            "--abi",
            abi,
        ]

    def markers(self) -> dict[str, str]:
        """The environment markers of the target (PEP 508)."""
        if self.platform is None:
            return dict(default_environment())
        return {
            **default_environment(),
            "sys_platform": "win32",
            "platform_system": "Windows",
            "os_name": "nt",
            "platform_machine": "AMD64",
            "platform_release": "10",
            "python_version": self.python,
            "python_full_version": f"{self.python}.0",
            "implementation_name": "cpython",
            "platform_python_implementation": "CPython",
        }

    def tags(self) -> set:
        """The wheel tags a pip on the target accepts."""
        if self.platform is None:
            return set(wheel_tags.sys_tags())
        version = tuple(int(p) for p in self.python.split("."))
        abi = "cp" + self.python.replace(".", "")
        found = set(wheel_tags.cpython_tags(version, [abi, "abi3", "none"], [self.platform]))
        found |= set(wheel_tags.compatible_tags(version, abi, [self.platform]))
        return found

    def label(self) -> str:
        return "本机" if self.platform is None else f"Windows x64 / Python {self.python}"


def windows_targets(pythons: Iterable[str] = WINDOWS_PYTHONS) -> list[Target]:
    return [Target("win_amd64", p) for p in pythons]


# -- command line ---------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``bundle`` command."""
    parser = sub.add_parser(
        "bundle",
        help="生成离线安装包（内网电脑安装 selfeval 和 Excel 加载项用）",
        description="生成一个文件夹：selfeval 及全部依赖的安装文件（wheel）、Excel 加载项、"
        "安装脚本和使用说明。把它复制到不能上网的电脑上，双击 install.bat 即可安装，"
        "不需要管理员权限。生成时需要能访问 PyPI。",
    )
    parser.add_argument(
        "-o",
        "--output-dir",
        type=Path,
        required=True,
        metavar="文件夹",
        help="写入该文件夹（不存在时新建；已存在时须为空）",
    )
    parser.add_argument(
        "--platform",
        choices=("windows", "current"),
        default="windows",
        help="windows：Windows x64 上的 Python 3.11 和 3.12（默认）；current：本机（测试用）",
    )
    parser.add_argument(
        "--wheel",
        type=Path,
        metavar="文件",
        help="使用这个 selfeval 的 wheel（默认从源码目录现场生成）",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    targets = windows_targets() if args.platform == "windows" else [Target()]
    try:
        folder = make_bundle(args.output_dir, targets, args.wheel)
    except (BundleError, OSError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"已生成离线安装包：{folder}\n把整个文件夹复制到目标电脑，按其中的“{GUIDE}”操作。")
    return 0


# -- the bundle -----------------------------------------------------------------------------


def make_bundle(out: Path, targets: list[Target], wheel: Path | None = None) -> Path:
    """Write the bundle into ``out`` (made if missing; must be empty) and return it."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BundleError(f"{out} 已存在且不是空文件夹，请换一个文件夹")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:  # made aside and moved in place at the end: a failure leaves nothing behind
        _fill(work, targets, wheel)
        if out.exists():
            out.rmdir()
        work.rename(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def _fill(out: Path, targets: list[Target], wheel: Path | None) -> None:
    wheelhouse = out / WHEELS
    wheelhouse.mkdir()
    own = _own_wheel(wheelhouse, wheel)
    for target in targets:
        fill_wheelhouse(wheelhouse, own, target)
    build_xlam(out / ADDIN_NAME)
    windows = any(t.platform for t in targets)
    for name, text in (install_scripts_windows() if windows else install_scripts_posix()).items():
        _write_script(out / name, text)
    (out / GUIDE).write_text(guide(windows, targets), encoding="utf-8-sig")


def _own_wheel(wheelhouse: Path, wheel: Path | None) -> Path:
    if wheel is not None:
        if not wheel.is_file():
            raise BundleError(f"找不到 {wheel}")
        target = wheelhouse / wheel.name
        target.write_bytes(wheel.read_bytes())
        return target
    if not (SOURCE_ROOT / "pyproject.toml").is_file():
        raise BundleError(
            "找不到 selfeval 的源码目录：请用 --wheel 指定 selfeval 的 wheel 文件"
            "（在源码目录中运行 python -m pip wheel --no-deps . 生成）"
        )
    with tempfile.TemporaryDirectory() as tmp:
        built = build_wheel(SOURCE_ROOT, Path(tmp))
        target = wheelhouse / built.name
        target.write_bytes(built.read_bytes())
    return target


def build_wheel(source: Path, dest: Path) -> Path:
    """selfeval's wheel built from a copy of the source tree (the build leaves its
    ``build/`` and ``*.egg-info`` in the copy, not in the checkout)."""
    copy = dest / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for folder in ("selfeval", "addin"):  # addin/ ships as selfeval.excel.addin
        shutil.copytree(source / folder, copy / folder, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(source / name, copy / name)
    _pip("wheel", "--no-deps", "--wheel-dir", str(dest), str(copy))
    (built,) = dest.glob("selfeval-*.whl")
    return built


def fill_wheelhouse(wheelhouse: Path, root: Path, target: Target) -> None:
    """Download a wheel of every dependency of the wheel ``root`` for ``target``."""
    done: set[str] = set()
    for _ in range(20):  # the closure is a few levels deep
        needed = [r for r in missing(wheelhouse, root, target) if str(r) not in done]
        if not needed:
            return
        done |= {str(r) for r in needed}
        _pip(
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(wheelhouse),
            *target.download_options(),
            *(str(r) for r in needed),
        )
    raise BundleError(f"无法为 {target.label()} 收齐依赖：{', '.join(sorted(done))}")


def missing(wheelhouse: Path, root: Path, target: Target) -> list:
    """Requirements (``packaging`` Requirement objects, markers dropped) that no wheel in
    ``wheelhouse`` satisfies for ``target``, following dependencies from ``root``."""
    accepted = target.tags()
    wheels: dict[str, list[tuple[Any, Path]]] = {}
    for path in wheelhouse.glob("*.whl"):
        name, version, _, tags = parse_wheel_filename(path.name)
        if tags & accepted:
            wheels.setdefault(name, []).append((version, path))
    env = target.markers()
    todo, seen, lacking = [root], set(), []
    while todo:
        wheel = todo.pop()
        if wheel in seen:
            continue
        seen.add(wheel)
        for line in requirements(wheel):
            req = Requirement(line)
            extras = ("", *EXTRAS) if wheel == root else ("",)
            if req.marker is not None and not any(
                req.marker.evaluate({**env, "extra": extra}) for extra in extras
            ):
                continue
            found = [
                (v, p)
                for v, p in wheels.get(canonicalize_name(req.name), [])
                if req.specifier.contains(v, prereleases=True)
            ]
            if found:
                todo.append(max(found)[1])
            else:
                req.marker = None
                lacking.append(req)
    return lacking


def requirements(wheel: Path) -> list[str]:
    """The ``Requires-Dist`` lines of a wheel's metadata."""
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.parser.BytesParser().parsebytes(z.read(name), headersonly=True)
    return meta.get_all("Requires-Dist") or []


def _pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
        raise BundleError(f"pip {args[0]} 失败（需要能访问 PyPI）：\n{tail}")


def _write_script(path: Path, text: str) -> None:
    if path.suffix == ".bat":  # cmd reads a .bat in the OEM code page: keep it ASCII
        path.write_bytes(text.replace("\n", "\r\n").encode("ascii"))
    elif path.suffix == ".ps1":  # Windows PowerShell 5 reads UTF-8 only with a BOM
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8-sig"))
    else:
        path.write_text(text, encoding="utf-8")
        path.chmod(0o755)


# -- what goes into the folder --------------------------------------------------------------

_BAT = """@echo off
rem Installs selfeval and its Excel add-in from this folder: no network, no admin.
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1"
pause
"""

_PS1 = r"""# Installs selfeval and its Excel add-in from this folder, without network or admin rights,
# into a Python the user installed for themselves (3.11 or 3.12, 64-bit).
$ErrorActionPreference = "Stop"
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$wheels = Join-Path $here "wheels"
$xlam = Join-Path $here "selfeval.xlam"

function Find-Python {
    $candidates = @()
    foreach ($v in @("312", "311")) {
        $candidates += Join-Path $env:LOCALAPPDATA "Programs\Python\Python$v\python.exe"
    }
    foreach ($c in $candidates) { if (Test-Path $c) { return $c } }
    foreach ($v in @("-3.12", "-3.11")) {
        try {
            $found = & py $v -c "import sys; print(sys.executable)" 2>$null
            if ($LASTEXITCODE -eq 0 -and $found) { return $found.Trim() }
        } catch { }
    }
    return $null
}

$python = Find-Python
if (-not $python) {
    Write-Host "没有找到 Python 3.11 或 3.12（64 位）。" -ForegroundColor Red
    Write-Host "请先安装 Python：运行 python.org 的 Windows 安装程序（64 位），"
    Write-Host "不要勾选“为所有用户安装”（这样不需要管理员权限），安装完成后再运行 install.bat。"
    exit 1
}
Write-Host "使用 Python：$python"

& $python -m pip install --no-index --find-links "$wheels" --upgrade "selfeval[serve]"
if ($LASTEXITCODE -ne 0) {
    Write-Host "安装 selfeval 失败：请确认 Python 是 3.11 或 3.12 的 64 位版本，并把上面的信息发给维护人员。" -ForegroundColor Red
    exit 1
}

Write-Host "正在安装 Excel 加载项（请先关闭 Excel）……"
& $python -m selfeval addin install -f "$xlam"
if ($LASTEXITCODE -ne 0) {
    Write-Host "加载项未安装：请关闭 Excel 后重新运行 install.bat。" -ForegroundColor Red
    exit 1
}
Write-Host "安装完成。请重新打开 Excel，功能区上会出现“绩效自评”选项卡。" -ForegroundColor Green
"""

_SH = """#!/bin/sh
# Installs selfeval from this folder without network access (no Excel here: the add-in is
# installed on Windows or macOS only). Usage: ./install.sh [python]
set -e
here=$(cd "$(dirname "$0")" && pwd)
python=${1:-python3}
"$python" -m pip install --no-index --find-links "$here/wheels" --upgrade "selfeval[serve]"
"$python" -m selfeval --version
"""


def install_scripts_windows() -> dict[str, str]:
    return {"install.bat": _BAT, "install.ps1": _PS1}


def install_scripts_posix() -> dict[str, str]:
    return {"install.sh": _SH}


def guide(windows: bool, targets: list[Target]) -> str:
    """使用说明: what the folder holds and how to install it, in Chinese."""
    labels = "、".join(t.label() for t in targets)
    if not windows:
        return (
            "selfeval 离线安装包（本机测试版）\n\n"
            f"wheels 文件夹中的安装文件适用于：{labels}。\n"
            "运行 ./install.sh [python 路径] 即可离线安装；本机没有 Excel，加载项不会安装。\n"
        )
    return f"""selfeval 离线安装包 使用说明
================================

本文件夹可以复制到不能上网的电脑上安装，不需要管理员权限。

一、文件夹里有什么
  wheels\\          selfeval 及其全部依赖的安装文件（适用于：{labels}）
  selfeval.xlam    Excel 加载项（功能区“绩效自评”选项卡）
  install.bat      安装脚本（双击运行）
  install.ps1      install.bat 调用的安装步骤
  使用说明.txt     本说明

二、电脑上需要先有的
  1. Windows 10 或更新版本，64 位；桌面版 Excel 2016 或更新版本（网页版、手机版不能用加载项）。
  2. Python 3.11 或 3.12（64 位），为当前用户安装：
     运行 python.org 的 Windows 安装程序，不要勾选“Install for all users / 为所有用户安装”，
     这样装在 %LOCALAPPDATA%\\Programs\\Python 下，不需要管理员权限。
     内网电脑上没有安装程序时，请信息管理部门从 python.org 下载后拷入。

三、安装步骤
  1. 关闭 Excel。
  2. 双击 install.bat。它会：
     - 找到本用户安装的 Python 3.12 或 3.11；
     - 从 wheels 文件夹离线安装 selfeval（不联网）；
     - 把 selfeval.xlam 复制到 Excel 的启动文件夹（XLSTART），
       并把所用 Python 的位置记入 %USERPROFILE%\\.selfeval\\selfeval.conf。
  3. 重新打开 Excel，功能区上出现“绩效自评”选项卡。
  4. 第一次打开时如提示“已禁用宏”，点“启用内容”。如果选项卡没有出现：
     文件 → 选项 → 信任中心 → 信任中心设置 → 受信任位置，确认 XLSTART 文件夹在列表中。

四、使用
  打开自评表，点“校验”“重新评分”“撤销评分”“清除标记”“导出报告”或“新建自评表”。
  我们生成的模板设有工作表保护（无密码）：按钮会临时取消保护、写完后按原设置恢复保护。
  设了密码的工作表不会被修改，按钮会给出提示。

五、遇到问题
  - 点按钮提示“未找到运行加载项所需的 Python”或“找不到 Python”：重新运行 install.bat。
  - 按钮出错时，提示中会给出记录文件 %USERPROFILE%\\.selfeval\\support.log，
    请把它发给维护人员。
  - 卸载：删除 XLSTART 文件夹中的 selfeval.xlam，
    再在命令提示符中运行  py -m pip uninstall selfeval
"""
