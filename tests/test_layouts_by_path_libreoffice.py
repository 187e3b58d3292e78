"""LibreOffice stands in for Excel: a template built from a maintainer's layout file
(the worked example of docs/layouts.md, by path) recalculates to the engine's figures,
prints on one A4 page, and after LibreOffice saved it still reads as our template with
the file gone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from selfeval import api
from selfeval.cli.main import main as cli
from selfeval.form.model import LEVEL1_NAMES
from selfeval.layouts.layout import SHEET, build_layout
from selfeval.profiles.policy import load_profile
from selfeval.readers.formfile import read_form_file
from selfeval.rules.analysis import analyse
from selfeval.writers.template import write_form
from selfeval.writers.template.sheet import group_rows
from tests import libreoffice as lo

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).parent.parent / "examples" / "layouts"
SEED = Path(__file__).parent / "fixtures" / "seed" / "form01.yaml"
NATIONAL = load_profile("national")
VERSIONS = {2023: "anhui.toml", 2024: "anhui_2024.toml"}


@pytest.fixture(scope="module")
def built(libreoffice, tmp_path_factory):
    """Per year: the layout file, a filled form in it, and LibreOffice's recalculation
    and print of it; the layout files are in a folder of their own, then removed."""
    folder = tmp_path_factory.mktemp("表样")
    out = tmp_path_factory.mktemp("recalculated")
    done = {}
    for year, name in VERSIONS.items():
        layout = folder / name
        shutil.copy(EXAMPLES / name, layout)
        form = read_form_file(SEED)[0]
        form.layout, form.header.year = str(layout), year
        filled = write_form(form, folder / f"filled_{year}.xlsx", NATIONAL)
        done[year] = (layout, filled, lo.recalculate(filled, out), lo.to_pdf(filled, out))
    return done


@pytest.mark.parametrize("year", VERSIONS)
def test_libreoffice_recalculates_the_engines_figures(built, year):
    layout_file, _, recalculated, _ = built[year]
    assert lo.error_cells(recalculated) == {}
    values = lo.computed_values(recalculated, SHEET)
    form = read_form_file(SEED)[0]
    sizes = {k: len(v) for k, v in group_rows(form.indicators).items()}
    layout = build_layout(str(layout_file), sizes)
    result = analyse(form, NATIONAL)
    expected = {
        "funds.total.stated_rate": result.rate,
        "funds.stated_score": result.funds_score,
        "stated_points_total": result.points_total,
        "stated_total": result.total,
        "grade": result.grade,
    }
    expected |= {f"category_points.{k}": result.category_points.get(k, 0.0) for k in LEVEL1_NAMES}
    got = {path: values.get(layout.cell(path)) for path in expected}
    assert got == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("year", VERSIONS)
def test_it_prints_on_one_a4_page(built, year):
    *_, pdf = built[year]
    assert lo.pdf_pages(pdf) == 2  # the form, then the 填表说明 sheet
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    last = read_form_file(SEED)[0].indicators[-1].name
    assert f"项目支出绩效自评表（{year}年度）" in first and last in first and "总分" in first


def test_saved_by_libreoffice_it_still_reads_as_ours_without_the_file(built, tmp_path):
    copies = {year: shutil.copy(built[year][2], tmp_path / f"{year}.xlsx") for year in VERSIONS}
    for layout_file, *_ in built.values():
        layout_file.unlink(missing_ok=True)
    own = analyse(read_form_file(SEED)[0], NATIONAL)
    for year, path in copies.items():
        [result] = api.check(path)
        assert result.form.source.origin == "template" and result.form.layout == "anhui"
        assert result.form.header.year == year
        assert result.analysis.total == pytest.approx(own.total)
        assert "FORMULA_OVERWRITTEN" not in [f.code for f in result.findings]


def test_build_layout_path_writes_a_blank_that_libreoffice_opens_without_errors(
    libreoffice, tmp_path, capsys
):
    layout = tmp_path / "我省.toml"
    shutil.copy(EXAMPLES / "anhui_2024.toml", layout)
    assert cli(["build", "--layout", str(layout), "--year", "2026", "--out", str(tmp_path)]) == 0
    [blank] = (tmp_path / "2026").glob("*.xlsx")
    recalculated = lo.recalculate(blank, tmp_path / "lo")
    assert lo.error_cells(recalculated) == {}
    assert lo.pdf_pages(lo.to_pdf(blank, tmp_path / "pdf")) == 2
