"""Published forms transcribed as text and read as staff members' workbooks.

A transcription is one line per row, a tab per cell boundary and ``\\n`` for a line
break inside a cell (tests/fixtures/provinces, tests/fixtures/published)."""

from __future__ import annotations

from pathlib import Path

from selfeval.form.model import Form
from selfeval.readers import Unreadable, read_file
from tests.relaid_forms import write_rows


def workbook(transcription: Path, folder: Path) -> Path:
    """The transcription written as ``folder/<name>.xlsx`` (one sheet, Sheet1)."""
    lines = transcription.read_text("utf-8").rstrip("\n").split("\n")
    rows = [[cell.replace("\\n", "\n") for cell in line.split("\t")] for line in lines]
    return write_rows(rows, folder / f"{transcription.stem}.xlsx", sheet="Sheet1")


def read_all(fixtures: Path, folder: Path) -> dict[str, list[Form | Unreadable]]:
    """What the readers find in every transcription of ``fixtures``, by its name."""
    return {p.stem: read_file(workbook(p, folder)) for p in sorted(fixtures.glob("*.txt"))}


def one_form(forms: dict[str, list[Form | Unreadable]], name: str) -> Form:
    """The one form read from the transcription ``name``."""
    [form] = forms[name]
    assert isinstance(form, Form), form
    return form
