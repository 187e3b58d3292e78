"""Readers: files in, :class:`~selfeval.form.model.Form` objects out.

One module per format family, behind :func:`read_file`. A file that cannot be
read yields an :class:`Unreadable` (with a finding code and a Chinese reason)
instead of raising, so a folder run reports every input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from selfeval.form.codes import Code
from selfeval.readers.formfile import read_form_file
from selfeval.readers.found import (
    FORM_FILE_SUFFIXES,
    OUTPUT_MARK,
    WORKBOOK_SUFFIXES,
    OwnOutput,
    ReadResult,
    Unreadable,
    supported_suffixes,
)
from selfeval.readers.workbook import read_workbook

__all__ = [
    "FORM_FILE_SUFFIXES",
    "OUTPUT_MARK",
    "WORKBOOK_SUFFIXES",
    "OwnOutput",
    "ReadResult",
    "Unreadable",
    "expand_inputs",
    "read_file",
    "supported_suffixes",
]


def read_file(path: Path) -> list[ReadResult]:
    """Every form found in one file (or one Unreadable saying why none was, or one
    OwnOutput for a file selfeval wrote)."""
    suffix = path.suffix.lower()
    if suffix in FORM_FILE_SUFFIXES:
        return read_form_file(path)
    if suffix in WORKBOOK_SUFFIXES:
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
