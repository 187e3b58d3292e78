"""A workbook reads the same whatever its XML serialisation: a prefixed main namespace,
shared formulas, ``<v>`` before ``<f>``; and hostile XML is refused in every part."""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formula.translate import Translator

import selfeval
from selfeval.form.codes import Code
from selfeval.pipeline.results import FormResult
from selfeval.profiles.policy import load_profile
from selfeval.readers import Unreadable, read_file
from selfeval.readers.limits import UNSAFE_XML, WorkbookError
from selfeval.readers.ooxml import scan_sheet, shift_formula
from selfeval.writers.template import form_workbook
from tests.seed_workbooks import write_seed_workbooks
from tests.xml_serialisations import MAIN, WAYS, reserialise, shared_followers

ROOT = Path(__file__).parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.xlsx"))
ALL_WAYS = [(way,) for way in WAYS] + [WAYS]


@pytest.fixture(scope="module")
def hand_made(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_seed_workbooks(tmp_path_factory.mktemp("seeds"))


@pytest.fixture(scope="module")
def template_built(hand_made: list[Path], tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three seed forms written into both templates, as ``selfeval convert`` does."""
    folder, profile = tmp_path_factory.mktemp("built"), load_profile("shanghai")
    paths = []
    for seed in hand_made[:3]:
        (form,) = read_file(seed)
        for layout in ("standard", "appraisal"):
            path = folder / f"{seed.stem}_{layout}.xlsx"
            path.write_bytes(form_workbook(form, profile, layout_name=layout))  # type: ignore[arg-type]
            paths.append(path)
    return paths


def _reading(results: list[FormResult]) -> list[tuple[object, ...]]:
    """What staff see of each form: its findings (code, cell, message) and both totals."""
    return [(r.totals, [(f.code, f.sheet, f.cell, f.message) for f in r.findings]) for r in results]


def assert_reads_alike(original: Path, ways: tuple[str, ...], profile: str = "national") -> None:
    data = reserialise(original, *ways)
    assert data != original.read_bytes()
    expected = _reading(selfeval.check(original, profile=profile))
    assert _reading(selfeval.check(data, profile=profile, name=original.name)) == expected


@pytest.mark.parametrize("ways", ALL_WAYS, ids="+".join)
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_a_committed_template_reads_alike_in_every_serialisation(
    template: Path, ways: tuple[str, ...]
) -> None:
    assert_reads_alike(template, ways)


@pytest.mark.parametrize("ways", ALL_WAYS, ids="+".join)
def test_template_built_forms_read_alike_in_every_serialisation(
    template_built: list[Path], ways: tuple[str, ...]
) -> None:
    for path in template_built:
        assert_reads_alike(path, ways, profile="shanghai")


def test_hand_made_forms_read_alike_with_a_prefix_and_value_first(hand_made: list[Path]) -> None:
    for path in hand_made:
        assert_reads_alike(path, WAYS, profile="shanghai")


def test_the_re_serialisations_do_what_they_say(template_built: list[Path]) -> None:
    """Shared-formula followers exist (so the reader's resolving is exercised), and no
    part keeps a default namespace."""
    assert sum(shared_followers(reserialise(p, *WAYS)) for p in template_built) > 0
    data = reserialise(template_built[0], *WAYS)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    assert b"<x:c " in sheet and b" xmlns=" not in sheet


def test_a_prefixed_template_gives_no_formula_overwritten(template_built: list[Path]) -> None:
    for path in [*TEMPLATES, *template_built]:
        for result in selfeval.check(reserialise(path, "prefix"), name=path.name):
            assert Code.FORMULA_OVERWRITTEN not in [f.code for f in result.findings]


def test_an_overwritten_rate_is_named_in_chinese_whatever_the_serialisation(
    template_built: list[Path], tmp_path: Path
) -> None:
    path = next(p for p in template_built if "appraisal" in p.stem)  # a rate per funds row
    (form,) = selfeval.read(path)
    cell = form.cells["funds.current.stated_rate"]
    book = openpyxl.load_workbook(path)
    book.worksheets[0][cell] = 0.5
    book.save(tmp_path / "typed.xlsx")
    for data in (
        (tmp_path / "typed.xlsx").read_bytes(),
        reserialise(tmp_path / "typed.xlsx", *WAYS),
    ):
        (result,) = selfeval.check(data, name="typed.xlsx")
        (finding,) = [f for f in result.findings if f.code is Code.FORMULA_OVERWRITTEN]
        assert finding.cell == cell
        assert finding.message.startswith("当年财政拨款执行率应为公式")
        assert "funds" not in finding.message


def _sheet(rows: str) -> bytes:
    return f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>{rows}</x:sheetData></x:worksheet>'.encode()


def test_a_formula_after_its_value_and_cells_without_addresses_are_found() -> None:
    xml = _sheet(
        '<x:row r="3"><x:c r="B3" s="4"><x:v>2</x:v><x:f>A3*2</x:f></x:c>'
        "<x:c><x:v>1</x:v><x:f>B3+1</x:f></x:c></x:row>"  # no r: C3, the cell after B3
        "<x:row><x:c><x:f>SUM(A1:A3)</x:f></x:c></x:row>"  # no r: row 4, column A
    )
    scan = scan_sheet(xml, {4}, formulas=True)
    assert scan.formulas == {(3, 2): "A3*2", (3, 3): "B3+1", (4, 1): "SUM(A1:A3)"}
    assert scan.styled == {(3, 2): 4}


def test_shared_formula_followers_hold_the_master_moved_as_openpyxl_moves_it() -> None:
    masters = [
        "ROUND(F8/E8,4)",
        'IF($E8>0,ROUND(F8/$E$8,4),"")&"B2"',
        "SUM(G12:G$20)+'报表 1'!A1+SE_total",
        "IFERROR(MIN(F9/E9,1)*D9,0)+LOG10(A1)",
    ]
    for text in masters:
        for target in ("F9", "H12", "G30", "E8"):
            rows, columns = int(target[1:]) - 8, ord(target[0]) - ord("E")
            expected = Translator("=" + text, origin="E8").translate_formula(target)
            assert "=" + shift_formula(text, rows, columns) == expected, (text, target)
    xml = _sheet(
        '<x:row r="8"><x:c r="E8"><x:f t="shared" ref="E8:E10" si="3">D8*2</x:f></x:c></x:row>'
        '<x:row r="9"><x:c r="E9"><x:f t="shared" si="3"/></x:c></x:row>'
        '<x:row r="10"><x:c r="E10"><x:f t="shared" si="3"/></x:c></x:row>'
    )
    found = scan_sheet(xml, (), formulas=True).formulas
    assert found == {(8, 5): "D8*2", (9, 5): "D9*2", (10, 5): "D10*2"}


_DTD = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x">]>'


@pytest.mark.parametrize(
    "part",
    ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "docProps/custom.xml"],
)
def test_a_dtd_in_any_part_read_is_refused(template_built: list[Path], part: str) -> None:
    source = template_built[0]
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == part:
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = _DTD.encode() + body
            new.writestr(info, data)
    (result,) = selfeval.check(out.getvalue(), name=source.name)
    (finding,) = result.findings
    assert finding.code is Code.READ_ERROR and UNSAFE_XML in finding.message


def test_a_dtd_in_a_sheet_is_refused_before_any_entity_is_read() -> None:
    bomb = _DTD.encode() + _sheet('<x:row r="1"><x:c r="A1"><x:f>&a;</x:f></x:c></x:row>')
    with pytest.raises(WorkbookError, match="不安全"):
        scan_sheet(bomb, (), formulas=True)
    with pytest.raises(WorkbookError, match="不是有效的 XML"):
        scan_sheet(_sheet("<x:row>"), (), formulas=True)


@pytest.mark.parametrize(
    "rows",
    [
        '<x:row r="y"><x:c s="1"/></x:row>',
        '<x:row r="1"><x:c r="A"><x:f>1</x:f></x:c></x:row>',
    ],
)
def test_a_garbled_address_or_style_is_the_file_s_fault(rows: str) -> None:
    with pytest.raises(WorkbookError, match="无法识别"):
        scan_sheet(_sheet(rows), {1: "0%"}, formulas=True)


def test_a_part_that_is_not_xml_is_a_read_error(template_built: list[Path]) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(template_built[0]) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            broken = info.filename == "xl/workbook.xml"
            new.writestr(info, b"<workbook><sheets>" if broken else old.read(info))
    [item] = read_file_bytes(out.getvalue(), template_built[0].parent / "broken.xlsx")
    assert isinstance(item, Unreadable) and "不是有效的 XML" in item.why


def read_file_bytes(data: bytes, path: Path) -> list[object]:
    path.write_bytes(data)
    return read_file(path)


# -- the readers parse XML, they do not pattern-match it ---------------------------------

_RE_CALLS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "split"}


def _bytes_patterns(path: Path) -> list[str]:
    """``re.<call>(b"…")`` in a module: a regular expression over bytes, which is how a
    workbook's XML parts reach a reader."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _RE_CALLS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, bytes)
        ):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_reader_runs_a_regular_expression_over_workbook_bytes():
    readers = ROOT / "selfeval" / "readers"
    assert [hit for module in sorted(readers.glob("*.py")) for hit in _bytes_patterns(module)] == []


def test_the_bytes_pattern_check_finds_one(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('import re\n_F = re.compile(rb"<(?:\\\\w+:)?f[ >]")\n', "utf-8")
    assert _bytes_patterns(planted) == ["planted.py:2"]
