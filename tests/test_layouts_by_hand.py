"""Every shipped layout, filled in and recalculated by LibreOffice, then copied by hand
into a plain workbook (values only: no defined names, no layout property): the
hand-made-form reader finds the same form, total and findings as the template reader."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import yaml

from selfeval.form.model import Form
from selfeval.layouts.layout import LAYOUT_NAMES
from selfeval.pipeline.results import read
from selfeval.profiles.policy import load_profile
from selfeval.rules.check import run_rules
from selfeval.writers.template import write_form
from tests import libreoffice as lo

FIXTURES = Path(__file__).parent / "fixtures" / "seed"
PROFILE = load_profile("national")
FORMS = (1, 6, 10)  # standard, a row without 分值, and printed 一级 weights


def seed(n: int, layout: str) -> Form:
    form = Form.from_dict(yaml.safe_load((FIXTURES / f"form{n:02d}.yaml").read_text("utf-8")))
    form.layout = layout
    return form


def copied_by_hand(recalculated: Path, target: Path) -> Path:
    """The sheet's shown values pasted into a new workbook: what staff send in."""
    source = openpyxl.load_workbook(recalculated, data_only=True).worksheets[0]
    book = openpyxl.Workbook()
    sheet = book.active
    for row in source.iter_rows():
        for cell in row:
            if cell.value is not None:
                copy = sheet.cell(row=cell.row, column=cell.column, value=cell.value)
                copy.number_format = cell.number_format
                if isinstance(cell.value, str):
                    copy.data_type = "s"
    book.save(target)
    return target


@pytest.fixture(scope="module")
def pairs(libreoffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("by_hand")
    built = [
        write_form(seed(n, name), folder / f"{name}_{n:02d}.xlsx", PROFILE)
        for name in LAYOUT_NAMES
        for n in FORMS
    ]
    recalculated = folder / "recalculated"
    recalculated.mkdir()
    lo._soffice(
        ["--convert-to", lo.FILTERS["xlsx"], "--outdir", str(recalculated), *map(str, built)]
    )
    return {
        path.stem: (path, copied_by_hand(recalculated / path.name, folder / f"hand_{path.name}"))
        for path in built
    }


@pytest.mark.slow
@pytest.mark.parametrize("n", FORMS)
@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_a_layout_copied_by_hand_reads_like_its_template(pairs: dict, layout: str, n: int) -> None:
    template_path, hand_path = pairs[f"{layout}_{n:02d}"]
    [template] = read(template_path)
    [hand] = read(hand_path)
    assert isinstance(hand, Form) and hand.source.origin == "handmade"
    assert (hand.layout, hand.header.project) == (layout, template.header.project)
    want, want_analysis = run_rules(template, PROFILE)
    got, got_analysis = run_rules(hand, PROFILE)
    assert [r.points for r in hand.indicators] == [r.points for r in template.indicators]
    assert got_analysis.total == want_analysis.total
    assert Counter(f.code for f in got) == Counter(f.code for f in want)
