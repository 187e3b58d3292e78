"""Readers: files in, :class:`~selfeval.form.model.Form` objects out.

One module per format family, behind :func:`read_file`. A file that cannot be
read yields an :class:`Unreadable` (with a finding code and a Chinese reason)
instead of raising, so a folder run reports every input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from selfeval.form.codes import Code
from selfeval.form.model import Form
from selfeval.form.workpaper import Workpaper

FORM_FILE_SUFFIXES = (".yaml", ".yml", ".json")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class Unreadable:
    """An input that yielded no form: READ_ERROR or LAYOUT_UNRECOGNISED."""

    file: str
    code: Code
    why: str
    sheet: str | None = None


@dataclass
class OwnOutput:
    """A file selfeval wrote (a report, a JSON result): skipped, not read as a form."""

    file: str
    why: str  # what it is, in Chinese: "selfeval 生成的汇总报告"


ReadResult = Form | Unreadable | Workpaper | OwnOutput
"""A form, an input that yielded none, a filled 复核 workpaper (复核底稿), or one of our
own outputs."""

OUTPUT_MARK = "selfeval-output"
"""Marks the files selfeval writes: the name of a custom document property of an .xlsx
report (its value says which output), a top-level key of a JSON result."""


def supported_suffixes() -> tuple[str, ...]:
    return FORM_FILE_SUFFIXES + WORKBOOK_SUFFIXES


def read_file(path: Path) -> list[ReadResult]:
    """Every form found in one file (or one Unreadable saying why none was, or one
    OwnOutput for a file selfeval wrote)."""
    suffix = path.suffix.lower()
    if suffix in FORM_FILE_SUFFIXES:
        from selfeval.readers.formfile import read_form_file

        return read_form_file(path)
    if suffix in WORKBOOK_SUFFIXES:
        from selfeval.readers.workbook import read_workbook

        return read_workbook(path)
    return [
        Unreadable(str(path), Code.READ_ERROR, f"不支持的文件类型“{path.suffix or '无扩展名'}”")
    ]


def expand_inputs(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and supported files found recursively in folders (sorted)."""
    suffixes = supported_suffixes()
    for path in paths:
        if path.is_dir():
            yield from sorted(  # names first: only candidates cost a stat call
                p
                for p in path.rglob("*")
                if p.suffix.lower() in suffixes
                and not p.name.startswith(("~$", "."))
                and p.is_file()
            )
        else:
            yield path
