"""LibreOffice stands in for Excel: templates of every layout filled with the eleven
seed forms are recalculated and every formula must print the engine's figure, with no
error value; a filled form must print on one A4 page."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path

import pytest

from selfeval.form.model import LEVEL1_NAMES
from selfeval.form.values import number
from selfeval.layouts.layout import AMOUNTS, LAYOUT_NAMES, SHEET, build_layout, layout_for
from selfeval.profiles.policy import load_profile
from selfeval.readers.formfile import read_form_file
from selfeval.rules.analysis import analyse, round_rate
from selfeval.writers.template import blank_workbook, write_form
from selfeval.writers.template.sheet import group_rows
from tests import libreoffice as lo

SEEDS = sorted((Path(__file__).parent / "fixtures" / "seed").glob("form*.yaml"))
# The seed forms are Shanghai's (rates rounded up), each in its own layout; forms 1 and
# 10 also in every other layout, and under national.
CASES = [(p, "shanghai", read_form_file(p)[0].layout) for p in SEEDS]
CASES += [
    (p, "shanghai", name)
    for p in (SEEDS[0], SEEDS[9])
    for name in LAYOUT_NAMES
    if name != read_form_file(p)[0].layout
]
CASES += [(SEEDS[0], "national", "standard"), (SEEDS[9], "national", "appraisal")]


def _batch(files: list[Path], fmt: str, out: Path) -> None:
    """One soffice run for many files (soffice accepts a list after --convert-to)."""
    # The harness converts one file per call; one launch for all keeps the suite fast.
    out.mkdir(parents=True, exist_ok=True)
    lo._soffice(["--convert-to", lo.FILTERS[fmt], "--outdir", str(out), *map(str, files)])


@pytest.fixture(scope="module")
def recalculated(libreoffice, tmp_path_factory):
    src = tmp_path_factory.mktemp("filled")
    files = []
    for path, profile, name in CASES:
        form = read_form_file(path)[0]
        form.layout = name
        out = src / f"{path.stem}_{profile}_{name}.xlsx"
        files.append(write_form(form, out, load_profile(profile)))
    for name in LAYOUT_NAMES:
        blank = src / f"blank_{name}.xlsx"
        blank.write_bytes(blank_workbook(name, 2026, load_profile("shanghai")))
        files.append(blank)
    out = tmp_path_factory.mktemp("recalculated")
    _batch(files, "xlsx", out)
    return src, out


@pytest.mark.parametrize(
    ("path", "profile", "name"), CASES, ids=[f"{p.stem}-{n}-{x}" for p, n, x in CASES]
)
def test_formulas_compute_the_engines_figures(recalculated, path, profile, name):
    src, out = recalculated
    recalc = out / f"{path.stem}_{profile}_{name}.xlsx"
    assert lo.error_cells(recalc) == {}
    values = lo.computed_values(recalc, SHEET)
    form = read_form_file(path)[0]
    layout = build_layout(name, {k: len(v) for k, v in group_rows(form.indicators).items()})
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
    for row in layout.funds_rows[1:]:  # layouts that print each sub-row's own 执行率
        budget, executed = (number(getattr(getattr(form.funds, row), a)) for a in AMOUNTS[1:])
        if f"funds.{row}.stated_rate" in layout.fields and budget and executed is not None:
            rate = round_rate(executed / budget, load_profile(profile))
            expected[f"funds.{row}.stated_rate"] = rate
    got = {path: values.get(layout.cell(path)) for path in expected}
    assert got == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("name", LAYOUT_NAMES)
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
