"""LibreOffice stands in for Excel: templates filled with the eleven seed forms are
recalculated and every formula must print the engine's figure, with no error value;
a filled form must print on one A4 page."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path

import pytest

from selfeval.analysis import analyse
from selfeval.layout import SHEET, build_layout, layout_for
from selfeval.model import LEVEL1_NAMES
from selfeval.profiles import load_profile
from selfeval.readers.formfile import read_form_file
from selfeval.writer import blank_workbook, write_form
from selfeval.writer.sheet import group_rows
from tests import libreoffice as lo

SEEDS = sorted((Path(__file__).parent / "fixtures" / "seed").glob("form*.yaml"))
# The seed forms are Shanghai's (rates rounded up); forms 1 and 10 also under national.
CASES = [(p, "shanghai") for p in SEEDS] + [(SEEDS[0], "national"), (SEEDS[9], "national")]


def _batch(files: list[Path], fmt: str, out: Path) -> None:
    """One soffice run for many files (soffice accepts a list after --convert-to)."""
    # The harness converts one file per call; one launch for all keeps the suite fast.
    out.mkdir(parents=True, exist_ok=True)
    lo._soffice(["--convert-to", lo.FILTERS[fmt], "--outdir", str(out), *map(str, files)])


@pytest.fixture(scope="module")
def recalculated(libreoffice, tmp_path_factory):
    src = tmp_path_factory.mktemp("filled")
    files = []
    for path, profile in CASES:
        form = read_form_file(path)[0]
        files.append(write_form(form, src / f"{path.stem}_{profile}.xlsx", load_profile(profile)))
    for name in ("standard", "appraisal"):
        blank = src / f"blank_{name}.xlsx"
        blank.write_bytes(blank_workbook(name, 2026, load_profile("shanghai")))
        files.append(blank)
    out = tmp_path_factory.mktemp("recalculated")
    _batch(files, "xlsx", out)
    return src, out


@pytest.mark.parametrize(("path", "profile"), CASES, ids=[f"{p.stem}-{n}" for p, n in CASES])
def test_formulas_compute_the_engines_figures(recalculated, path, profile):
    src, out = recalculated
    recalc = out / f"{path.stem}_{profile}.xlsx"
    assert lo.error_cells(recalc) == {}
    values = lo.computed_values(recalc, SHEET)
    form = read_form_file(path)[0]
    layout = build_layout(form.layout, {k: len(v) for k, v in group_rows(form.indicators).items()})
    result = analyse(form, load_profile(profile))
    expected = {
        "funds.total.stated_rate": result.rate,
        "funds.stated_score": result.funds_score,
        "stated_points_total": result.points_total,
        "stated_total": result.total,
        "grade": result.grade,
    }
    for level in LEVEL1_NAMES:
        expected[f"category_points.{level}"] = result.category_points.get(level, 0.0)
    got = {path: values.get(layout.cell(path)) for path in expected}
    assert got == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("name", ["standard", "appraisal"])
def test_a_blank_template_shows_blanks_not_errors(recalculated, name):
    _, out = recalculated
    recalc = out / f"blank_{name}.xlsx"
    assert lo.error_cells(recalc) == {}
    values = lo.computed_values(recalc, SHEET)
    layout = layout_for(build_layout(name).names)
    for path in ("funds.total.stated_rate", "funds.stated_score", "stated_total", "grade"):
        assert values.get(layout.cell(path)) in (None, ""), path
    assert values[layout.cell("stated_points_total")] == 10  # the funds 分值 only


def _page_text(pdf: Path, page: int) -> str:
    cmd = ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def test_a_filled_form_of_twenty_rows_prints_on_one_a4_page(libreoffice, tmp_path):
    profile = load_profile("shanghai")
    form = read_form_file(SEEDS[0])[0]
    long = copy.deepcopy(form)
    long.indicators = (form.indicators * 2)[:20]
    for row in long.indicators[::4]:
        row.reason = form.indicators[10].reason  # the seed's longest reason, five times
    files = [
        write_form(form, tmp_path / "form01.xlsx", profile),
        write_form(long, tmp_path / "twenty.xlsx", profile),
    ]
    out = tmp_path / "pdf"
    _batch(files, "pdf", out)
    for name, last in (("form01", form.indicators[-1].name), ("twenty", long.indicators[-1].name)):
        pdf = out / f"{name}.pdf"
        # Page 1 is the whole form; page 2 is the 填表说明 sheet.
        assert lo.pdf_pages(pdf) == 2
        first = _page_text(pdf, 1)
        assert "财政项目支出绩效自评表" in first and last in first and "总分" in first
        assert "填表说明" in _page_text(pdf, 2)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert "(A4)" in info
