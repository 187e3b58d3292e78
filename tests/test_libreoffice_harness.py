"""The LibreOffice harness itself, on small workbooks written here.

Each soffice launch costs a second or more, so one workbook serves several assertions
and the launches are shared through module-scoped fixtures.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font
from python_calamine import CalamineWorkbook

from tests import libreoffice as lo

STALE = 999  # a cached value no formula of the workbook computes


def write_calc_workbook(path: Path) -> Path:
    """Formulas, errors and a cross-sheet reference; D1 carries the stale value 999."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "计算"
    ws["A1"], ws["B1"] = 2, 3
    ws["C1"] = "=ROUND(A1/B1,4)"
    ws["D1"] = "=A1*B1"
    ws["A2"] = "=1/0"
    ws["B2"] = "=NOSUCHFUNC(1)"
    ws["C2"] = '=VLOOKUP("x",A1:B1,2,FALSE)'
    ws["D2"] = '="a"+1'
    ws["E2"] = "#N/A"
    ws["E2"].data_type = "s"  # text that only looks like an error
    ref = wb.create_sheet("引用")
    ref["A1"] = "=计算!C1*2"
    ref["A2"] = "=计算!A2"
    wb.save(path)
    return insert_cached_value(path, sheet_xml="xl/worksheets/sheet1.xml", cell="D1")


def insert_cached_value(path: Path, sheet_xml: str, cell: str) -> Path:
    """Give a formula cell the cached value STALE, as a stale file from Excel would carry.

    openpyxl cannot write cached values, so the sheet's XML is edited in the zip.
    """
    parts = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            parts[name] = z.read(name)
    xml, count = re.subn(
        rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)(?:<v\s*/>|<v></v>)',
        rf"\g<1><v>{STALE}</v>",
        parts[sheet_xml].decode(),
    )
    assert count == 1, f"no empty cached value for {cell} in {sheet_xml}"
    parts[sheet_xml] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


@pytest.fixture(scope="module")
def calc(libreoffice: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The workbook as written, and as LibreOffice recalculated and saved it."""
    tmp = tmp_path_factory.mktemp("calc")
    written = write_calc_workbook(tmp / "calc.xlsx")
    return written, lo.recalculate(written, tmp / "out")


@pytest.fixture(scope="module")
def printed(libreoffice: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-page sheet in Chinese fonts, printed to PDF."""
    tmp = tmp_path_factory.mktemp("pdf")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "绩效自评表"
    ws.column_dimensions["A"].width = 40
    ws["A1"] = "项目支出绩效自评表"
    ws["A1"].font = Font(name="宋体", size=14, bold=True)
    # Width probes: 4 wide and 4 narrow Latin letters at 10 pt.
    ws["A2"] = "WWWWiiii"
    ws["A2"].font = Font(name="宋体", size=10)
    ws["A3"] = "WWWWiiii"
    ws["A3"].font = Font(name="等线", size=10)
    wb.save(tmp / "form.xlsx")
    return lo.to_pdf(tmp / "form.xlsx", tmp / "out")


# -- recalculation ------------------------------------------------------------------


def test_formulas_are_computed_across_sheets(calc: tuple[Path, Path]) -> None:
    _, out = calc
    assert lo.computed_values(out, "计算")["C1"] == pytest.approx(0.6667)
    assert lo.computed_values(out, "引用")["A1"] == pytest.approx(1.3334)


def test_a_stale_cached_value_is_recalculated(calc: tuple[Path, Path]) -> None:
    written, out = calc
    assert lo.computed_values(written)["D1"] == STALE  # the input really carries it
    assert lo.computed_values(out)["D1"] == 6


def test_error_values_are_found_on_every_sheet(calc: tuple[Path, Path]) -> None:
    _, out = calc
    assert lo.error_cells(out) == {
        "计算!A2": "#DIV/0!",
        "计算!B2": "#NAME?",
        "计算!C2": "#N/A",
        "计算!D2": "#VALUE!",
        "引用!A2": "#DIV/0!",
    }
    assert lo.error_cells(out, "引用") == {"引用!A2": "#DIV/0!"}
    assert lo.computed_values(out)["E2"] == "#N/A"  # the text survives, and is no error


def test_libreoffice_error_codes_count_as_errors(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Err:502"
    wb.active["A2"] = "Err:5020"
    wb.save(tmp_path / "err.xlsx")
    assert lo.error_cells(tmp_path / "err.xlsx") == {"Sheet!A1": "Err:502"}


# -- conversion ---------------------------------------------------------------------


def test_conversions_run_in_parallel_and_keep_values(
    calc: tuple[Path, Path], tmp_path: Path
) -> None:
    _, out = calc
    with ThreadPoolExecutor(2) as pool:
        xls, ods = pool.map(lambda fmt: lo.convert(out, fmt, tmp_path / fmt), ["xls", "ods"])
    for path in (xls, ods):
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("计算").to_python()
        assert rows[0][:4] == [2, 3, pytest.approx(0.6667), 6], path.name

    # An import filter opens a file whose extension says nothing.
    unnamed = shutil.copy(xls, tmp_path / "form.bin")
    back = lo.convert(Path(unnamed), "xlsx", tmp_path / "back", infilter="MS Excel 97")
    assert lo.computed_values(back)["D1"] == 6


def test_bad_conversions_are_refused(tmp_path: Path) -> None:
    src = tmp_path / "a.xlsx"
    openpyxl.Workbook().save(src)
    with pytest.raises(ValueError, match="unknown format"):
        lo.convert(src, "docx", tmp_path / "out")
    with pytest.raises(ValueError, match="overwrite"):
        lo.recalculate(src, tmp_path)
    with pytest.raises(FileNotFoundError):
        lo.recalculate(tmp_path / "missing.xlsx", tmp_path / "out")


@pytest.mark.slow  # a child process that hangs until killed
def test_a_hanging_tool_is_killed_with_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lo, "TIMEOUT_S", 0.2)
    with pytest.raises(lo.LibreOfficeError, match=r"timed out after 0.2 s"):
        lo._run(["sleep", "30"])


def test_a_failing_tool_reports_its_exit_code(libreoffice: str, tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_text("not a pdf")
    with pytest.raises(lo.LibreOfficeError, match="exited with"):
        lo.pdf_pages(tmp_path / "x.pdf")


# -- printing -----------------------------------------------------------------------


def test_a_small_sheet_prints_on_one_page(printed: Path, tmp_path: Path) -> None:
    assert lo.pdf_pages(printed) == 1
    pngs = lo.pdf_to_png(printed, tmp_path / "page")
    assert [p.name for p in pngs] == ["page-1.png"]
    assert pngs[0].read_bytes().startswith(b"\x89PNG")


def test_chinese_text_is_printed_in_a_cjk_font(printed: Path) -> None:
    fonts = lo.pdf_fonts(printed)
    assert any("CJK" in f or "WenQuanYi" in f for f in fonts), fonts
    assert "项目支出绩效自评表" in [w.text for w in lo.pdf_words(printed)]


def test_simsun_stands_in_with_simsun_metrics(printed: Path) -> None:
    # SimSun sets every Latin letter half an em wide: 8 letters at 10 pt are 40 pt.
    # Without scripts/fontconfig LibreOffice falls back to a proportional font.
    simsun, dengxian = [w for w in lo.pdf_words(printed) if w.text == "WWWWiiii"]
    assert simsun.width == pytest.approx(40, abs=0.2)
    assert abs(dengxian.width - 40) > 2  # 等线 is proportional
