"""The readers' fast paths give exactly what the plain ways give, and stay bounded.

``xlsx._read`` reads zip members through ``zipfile``, bounded by their stated size;
the sheet scan (``ooxml.scan_sheet``) reports only cells with a number format that
matters, and finds every formula an XML tree holds.
"""

from __future__ import annotations

import io
import random
import tracemalloc
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from selfeval.form.codes import Code
from selfeval.readers import ooxml, xlsx
from selfeval.readers.grid import Grid
from selfeval.readers.workbook import read_workbook
from tests.seed_workbooks import write_seed_workbooks

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_seed_workbooks(tmp_path_factory.mktemp("seeds"))[:3]


def _rezip(source: Path, target: Path, method: int, change=None) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", method) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, change(info.filename, data) if change else data)
    return target


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_members_read_as_zipfile_reads_them(seeds: list[Path], tmp_path: Path, method: int) -> None:
    for n, seed in enumerate(seeds):
        path = _rezip(seed, tmp_path / f"{n}.xlsx", method)
        with path.open("rb") as f, zipfile.ZipFile(f) as zf:
            for name in zf.namelist():
                assert xlsx._read(zf, name) == zf.read(name)
            with pytest.raises(KeyError):
                xlsx._read(zf, "xl/missing.xml")


def test_a_member_whose_size_lies_is_refused_without_inflating_it(
    seeds: list[Path], tmp_path: Path
) -> None:
    big = b"<styleSheet>" + b" " * (64 * 2**20) + b"</styleSheet>"
    path = _rezip(
        seeds[0],
        tmp_path / "lying.xlsx",
        zipfile.ZIP_DEFLATED,
        lambda name, data: big if name == "xl/styles.xml" else data,
    )
    raw = bytearray(path.read_bytes())
    name = b"xl/styles.xml"
    entry = raw.rfind(b"PK\x01\x02", 0, raw.rfind(name))  # its central directory entry
    raw[entry + 24 : entry + 28] = (10).to_bytes(4, "little")  # stated size: 10 bytes
    path.write_bytes(bytes(raw))
    with path.open("rb") as f, zipfile.ZipFile(f) as zf:
        tracemalloc.start()
        try:
            with pytest.raises(zipfile.BadZipFile):
                xlsx._read(zf, "xl/styles.xml")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 4 * 2**20
    [item] = read_workbook(path)
    assert item.code == Code.READ_ERROR and "损坏" in item.why


def _sheet_xml(rnd: random.Random, rows: int, cols: int) -> bytes:
    """Cells with and without styles, attributes in any order, some self-closing."""
    body = []
    for r in range(1, rows + 1):
        cells = []
        for c in range(cols):
            attrs = [f'r="{chr(65 + c)}{r}"']
            if rnd.random() < 0.7:
                attrs.append(f's="{rnd.randrange(12)}"')
            if rnd.random() < 0.3:
                attrs.append('t="n"')
            attrs[1:] = rnd.sample(attrs[1:], len(attrs) - 1)
            tag = "<c " + " ".join(attrs)
            cells.append(tag + "/>" if rnd.random() < 0.3 else tag + "><v>1</v></c>")
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    xml = f'<worksheet xmlns="{_MAIN[1:-1]}"><sheetData>{"".join(body)}</sheetData></worksheet>'
    return xml.encode()


def test_shown_text_only_for_cells_styled_with_a_format_that_matters() -> None:
    rnd = random.Random(7)
    for _ in range(200):
        rows, cols = rnd.randint(1, 6), rnd.randint(1, 5)
        values = [
            [rnd.choice([1.0, 2, 0.25, "x", "", None, True]) for _ in range(cols)]
            for _ in range(rows)
        ]
        formats = {i: rnd.choice(["0%", "#,##0", "0.00%"]) for i in rnd.sample(range(12), 3)}
        xml = _sheet_xml(rnd, rows, cols)
        grid = Grid("s", values)
        xlsx._fill_shown(grid, ooxml.scan_sheet(xml, formats, formulas=False).styled, formats)
        expected = {}
        for cell in ElementTree.fromstring(xml).iter(f"{_MAIN}c"):
            ref, style = cell.get("r", ""), cell.get("s")
            r, c = int(ref[1:]) - 1, ord(ref[0]) - 65
            value = values[r][c]
            if style and int(style) in formats and type(value) in (int, float):
                expected[(r, c)] = xlsx.shown(float(value), formats[int(style)])
        assert grid.shown == expected


def test_formulas_found_as_an_xml_tree_holds_them() -> None:
    """Every cell holding <f> (a template's computed cells), wherever it lies, with its
    formula text unescaped; a shared-formula follower holds its master's formula moved."""
    from selfeval.profiles.policy import load_profile
    from selfeval.writers.template import blank_workbook

    data = blank_workbook("standard", 2026, load_profile("national"))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    shared = (
        b'<row r="98"><c r="B98"><f t="shared" ref="B98:B99" si="0">A98*2&amp;"A1"</f></c></row>'
        b'<row r="99"><c r="B99"><f t="shared" si="0"/></c></row>'
    )
    xml = xml.replace(b"</sheetData>", shared + b"</sheetData>")
    grid = Grid("自评表", [[None] * 3 for _ in range(5)])  # formula cells lie beyond: grown
    xlsx._fill_formulas(grid, ooxml.scan_sheet(xml, (), formulas=True).formulas)
    expected = {"B99": '=A99*2&"A1"'}  # the follower: relative references moved, text kept
    for cell in ElementTree.fromstring(xml).iter(f"{_MAIN}c"):
        formula = cell.find(f"{_MAIN}f")
        if formula is not None and formula.text:
            expected[cell.get("r")] = "=" + formula.text
    found = {
        grid.address(r, c): text
        for r, row in enumerate(grid.formulas or [])
        for c, text in enumerate(row)
        if text is not None
    }
    assert expected and found == expected
