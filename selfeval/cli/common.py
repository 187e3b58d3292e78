"""Options and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfeval.errors import InputError
from selfeval.files import write_atomically
from selfeval.profiles.policy import DEFAULT_PROFILE, Profile, available_profiles, load_profile


def add_profile_option(
    parser: argparse.ArgumentParser, default: str = DEFAULT_PROFILE, *, reads_forms: bool = True
) -> None:
    names = f"评分口径：{'、'.join(available_profiles())}，或 .toml 文件路径"
    if reads_forms:
        shown = f"{names}；本工具生成的模板默认按模板记录的口径，其他表默认 {default}"
    else:
        shown = f"{names}（默认 {default}）"
    parser.add_argument("--profile", default=None, help=shown)
    parser.set_defaults(profile_default=default)


def profile_from(args: argparse.Namespace) -> Profile:
    """The profile named with --profile, else the command's default."""
    return load_profile(args.profile or args.profile_default)


def profile_named(args: argparse.Namespace) -> bool:
    """Did the user name a profile? Then it overrides the one a template records."""
    return args.profile is not None


def write_output(text: str, out: Path | None) -> None:
    """Print, or write to ``out`` (never over an input; the caller checks that)."""
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        write_atomically(out, text.encode("utf-8"))


def refuse_overwrite(out: Path, inputs: list[Path]) -> str | None:
    """A Chinese reason not to write ``out``, or None when it is safe."""
    resolved = out.resolve()
    if any(resolved == p.resolve() for p in inputs):
        return f"输出文件 {out} 与输入文件相同，为保护原文件，请换一个文件名"
    if not out.parent.exists():
        return f"输出目录 {out.parent} 不存在"
    return None


def require_inputs(paths: list[Path]) -> None:
    """InputError naming every input that does not exist."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise InputError(f"找不到：{'、'.join(map(str, missing))}")


class Progress:
    """A one-line progress bar on stderr, shown only on a terminal and for longer runs."""

    def __init__(self, enabled: bool | None = None, min_items: int = 20) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.min_items = min_items

    def __call__(self, n: int, total: int, path: Path) -> None:
        if not self.enabled or total < self.min_items:
            return
        width = 30
        done = width * n // total
        name = path.name if len(path.name) <= 30 else "…" + path.name[-29:]
        sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {n}/{total} {name:<31}")
        if n == total:
            sys.stderr.write("\n")
        sys.stderr.flush()
