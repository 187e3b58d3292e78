"""Forms typed into Excel: a typed ``=100%`` is a formula whose value is 1, and the
target is what was typed. Every reader (xlsx, ods, the add-in's workbook view) reads
such a cell as the formula's text, and a computed cell (a 执行率 ``=D7/C7``) as its
cached value with its shown format: the seed forms typed this way give the same
findings and totals as the same forms pasted as text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from selfeval.excel.book_io import read_grid
from selfeval.form.codes import Code
from selfeval.form.model import Form
from selfeval.profiles.policy import load_profile
from selfeval.readers import read_file
from selfeval.readers.grid import typed_formula
from selfeval.rules.check import run_rules
from tests import libreoffice as lo
from tests.seed_workbooks import write_seed_workbooks

PROFILE = load_profile("shanghai")  # the seed forms are Shanghai's


def outcome(path: Path) -> list[tuple[float | None, float | None, list[tuple[str, str, str]]]]:
    """Each form's two totals and every finding (code, cell, message)."""
    found = []
    for form in read_file(path):
        assert isinstance(form, Form), form
        findings, analysis = run_rules(form, PROFILE)
        found.append(
            (
                analysis.total,
                analysis.rules_total,
                sorted((f.code, f.cell or "", f.message) for f in findings),
            )
        )
    return found


@pytest.fixture(scope="module")
def pasted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_seed_workbooks(tmp_path_factory.mktemp("pasted"))[-1]


@pytest.fixture(scope="module")
def typed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The eleven seed forms with ``=100%`` typed as formulas, as openpyxl writes them:
    no cached value at all."""
    return write_seed_workbooks(tmp_path_factory.mktemp("typed"), formulas=True)[-1]


def with_cached_values(path: Path, out: Path) -> Path:
    """``path`` as Excel saves it: each typed constant formula given its value (1 for
    ``=100%``) in a General cell, which shows ``1``."""

    def cached(match: re.Match[str]) -> str:
        figure = float(match[2].rstrip("%")) / (100 if match[2].endswith("%") else 1)
        return f"{match[1]}<f>{match[2]}</f><v>{figure:g}</v>"

    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                text = re.sub(r"(<c [^>]*>)<f>([^<]*)</f><v></v>", cached, data.decode())
                data = text.encode()
            dst.writestr(info, data)
    return out


def test_the_seed_forms_hold_typed_formulas(typed: Path) -> None:
    sheet = zipfile.ZipFile(typed).read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<f>100%</f>") == 42 and "<f>0%</f>" in sheet


def test_typed_without_cached_values_reads_as_pasted(pasted: Path, typed: Path) -> None:
    assert outcome(typed) == outcome(pasted)


def test_typed_with_cached_values_reads_as_pasted(pasted: Path, typed: Path, tmp_path) -> None:
    excel = with_cached_values(typed, tmp_path / "excel.xlsx")
    assert "<f>100%</f><v>1</v>" in zipfile.ZipFile(excel).read("xl/worksheets/sheet1.xml").decode()
    assert outcome(excel) == outcome(pasted)


def test_no_ten_thousand_percent_and_no_blank_target(typed: Path, tmp_path) -> None:
    excel = with_cached_values(typed, tmp_path / "excel.xlsx")
    for path in (typed, excel):
        forms = [f for f in read_file(path) if isinstance(f, Form)]
        targets = [r.target for form in forms for r in form.indicators]
        assert targets.count("=100%") == 42 and "" not in targets
        messages = [f.message for form in forms for f in run_rules(form, PROFILE)[0]]
        assert not [m for m in messages if "10000%" in m or "（空）" in m]


def test_libreoffice_recalculated_forms_read_as_pasted(
    pasted: Path, typed: Path, libreoffice: str, tmp_path: Path
) -> None:
    """LibreOffice computes and saves every typed formula's value, in .xlsx and .ods."""
    xlsx = lo.recalculate(typed, tmp_path)
    ods = lo.convert(typed, "ods", tmp_path)
    assert "<v>1</v>" in zipfile.ZipFile(xlsx).read("xl/worksheets/sheet1.xml").decode()
    expected = outcome(pasted)
    assert outcome(xlsx) == expected
    assert outcome(ods) == expected


@pytest.mark.parametrize(
    ("formula", "cached", "read"),
    [
        ("=100%", 1.0, ("=100%", 1.0)),  # typed: the text, whatever the value shows
        ("=0", 0.0, ("=0", 0.0)),
        ("=95%", None, ("=95%", 0.95)),  # no cached value: the constant's number
        ("=D7/C7", None, ("=D7/C7", None)),  # no cached value: the text, never blank
        ("=D7/C7", 0.9907, None),  # computed: the cached value with its shown format
        ("=ROUND(G7*10,2)", 9.91, None),
    ],
)
def test_a_formula_is_read_as_text_where_it_is_the_content(
    formula: str, cached: float | None, read: tuple[str, float | None] | None
) -> None:
    assert typed_formula(formula, cached) == read


class _Range:
    """What read_grid asks of xlwings' used range on the desktop engines."""

    def __init__(self, values: list[list[Any]], formulas: list[list[str]]) -> None:
        self.value, self.formula, self.row, self.column = values, formulas, 1, 1

    def options(self, **_: Any) -> _Range:
        return self


class _Sheet:
    name = "自评表"

    def __init__(self, used: _Range) -> None:
        self.used_range = used


def test_the_addin_reads_typed_formulas_by_the_same_rule() -> None:
    values = [["年度指标值", "执行率", "实际完成值"], [1.0, 0.9907, 1.0]]
    formulas = [["年度指标值", "执行率", "实际完成值"], ["=100%", "=D7/C7", "100%"]]
    grid = read_grid(_Sheet(_Range(values, formulas)))
    assert grid.shown == {(1, 0): "=100%", (1, 2): "100%"}
    assert grid.values[1] == [1.0, 0.9907, 1.0]


def test_a_typed_zero_reads_as_typed(typed: Path) -> None:
    forms = [f for f in read_file(typed) if isinstance(f, Form)]
    zeros = [r for form in forms for r in form.indicators if r.target == "=0%"]
    assert len(zeros) == 3
    codes = {f.code for form in forms for f in run_rules(form, PROFILE)[0]}
    assert Code.TARGET_UNPARSED not in codes
