"""What a reader finds in a file, and which files it reads: the names every reader and
:func:`selfeval.readers.read_file` share."""

from __future__ import annotations

from dataclasses import dataclass

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
