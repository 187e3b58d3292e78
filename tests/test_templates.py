"""The template writer read back with openpyxl: cells, formulas, guidance, print
setup, reproducibility, pre-filled mode and the build command."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from selfeval.cli.main import main as cli
from selfeval.form.model import Form, Indicator
from selfeval.layouts.layout import (
    INSTRUCTIONS_SHEET,
    LAYOUT_NAMES,
    SHEET,
    build_layout,
    layout_for,
    layout_spec,
)
from selfeval.profiles.policy import load_profile
from selfeval.readers.formfile import read_form_file
from selfeval.readers.projects import ProjectsError
from selfeval.rules.projects import project_forms
from selfeval.writers.template import blank_workbook, form_workbook
from selfeval.writers.template.build import safe_filename
from selfeval.writers.template.sheet import block_for

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "fixtures" / "seed").glob("form*.yaml"))
NATIONAL = load_profile("national")


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def seed(n: int) -> Form:
    return read_form_file(SEEDS[n - 1])[0]


@pytest.fixture(scope="module", params=["standard", "appraisal"])
def blank(request):
    wb = load(blank_workbook(request.param, 2026, NATIONAL))
    return wb, layout_for(wb)


def test_blank_has_the_form_and_the_instructions(blank):
    wb, layout = blank
    assert wb.sheetnames == [SHEET, INSTRUCTIONS_SHEET]
    assert layout is not None and layout.blocks == build_layout(layout.name).blocks
    text = "\n".join(str(c.value) for c in wb[INSTRUCTIONS_SHEET]["A"] if c.value)
    assert "填表说明" in text and "满意度指标：10 分" in text and "优 ≥ 90" in text


def test_computed_cells_are_formulas_and_locked(blank):
    """What the formulas compute is LibreOffice's to say (test_templates_libreoffice.py)."""
    wb, layout = blank
    ws = wb[SHEET]
    computed = [p for p in layout.specs if layout.kind(p) == "computed"]
    assert {"funds.total.stated_rate", "funds.stated_score", "stated_total", "grade"} <= set(
        computed
    )
    for path in computed:
        cell = ws[layout.cell(path)]
        assert cell.data_type == "f" and str(cell.value).startswith("="), path
        assert cell.protection.locked, path


def test_inputs_are_unlocked_and_the_sheet_protected_without_password(blank):
    wb, layout = blank
    ws = wb[SHEET]
    assert ws.protection.sheet and not ws.protection.password
    assert not ws.protection.insertRows and not ws.protection.deleteRows  # allowed
    for path in ("header.project", "funds.total.executed", "goals.achieved"):
        assert not ws[layout.cell(path)].protection.locked, path
    for row in layout.indicator_rows():
        assert not any(ws[f"{col}{row}"].protection.locked for col in layout.columns.values())
    assert ws[f"A{layout.table_header_row}"].protection.locked


def test_every_field_has_a_defined_name_on_the_form_sheet(blank):
    wb, layout = blank
    for name, ref in layout.names.items():
        assert list(wb.defined_names[name].destinations) == [(SHEET, ref)], name


def test_validations_cover_levels_amounts_points_and_scores(blank):
    wb, layout = blank
    ws = wb[SHEET]
    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        for cell in str(dv.sqref).split():
            by_cell[cell] = dv
    first, last = layout.first_row, layout.last_row
    assert by_cell[f"A{first}:A{last}"].type == "list"
    for _level, (b1, b2) in layout.blocks.items():
        assert by_cell[f"B{b1}:B{b2}"].type == "list"
    assert by_cell[layout.cell("funds.total.annual_budget")].type == "decimal"
    assert by_cell[f"F{first}:F{last}"].type == "decimal"
    assert by_cell[f"G{first}:G{last}"].formula2 == "100"


def test_conditional_formats_flag_the_four_problems(blank):
    wb, layout = blank
    formulas = [
        rule.formula[0]
        for cf in wb[SHEET].conditional_formatting
        for rule in cf.rules
        if rule.dxf and rule.dxf.fill is not None
    ]
    first = layout.first_row
    assert f"AND(ISNUMBER($G{first}),ISNUMBER($F{first}),$G{first}>$F{first})" in formulas
    assert any("LEN(TRIM($H" in f for f in formulas)
    total = layout.cell("stated_points_total")
    assert any(f"ROUND(${total[0]}${total[1:]},2)<>100" in f for f in formulas)
    assert sum("ROUND($L$" in f for f in formulas) == 6  # check row + 一级 cells per block
    # sums are judged only once 分值 are entered, so a blank template is not red
    sums = [f for f in formulas if "ROUND($L$" in f or "<>100" in f]
    assert all(f"COUNT($F${first}:$F${layout.last_row})>0" in f for f in sums)
    # repeated level labels are hidden by a number format, not by a colour that
    # shows against the grey of locked cells, and their rules come first
    rules = sorted(
        (rule for cf in wb[SHEET].conditional_formatting for rule in cf.rules),
        key=lambda rule: rule.priority,
    )
    hidden = [r for r in rules if r.dxf and r.dxf.numFmt is not None]
    assert hidden and all(r.dxf.numFmt.formatCode == ";;;" for r in hidden)
    assert rules[: len(hidden)] == hidden


def test_print_setup(blank):
    wb, layout = blank
    ws = wb[SHEET]
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    row = layout.table_header_row
    assert ws.print_title_rows == f"${row}:${row}"
    assert ws.print_area == f"'{SHEET}'!$A$1:$H${layout.last_print_row}"
    assert ws["A1"].font.name == "黑体" and ws[layout.cell("header.project")].font.name == "宋体"


def test_same_inputs_give_the_same_bytes_with_fixed_dates():
    form = seed(1)
    a, b = form_workbook(form, NATIONAL), form_workbook(form, NATIONAL)
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        core = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "2021-01-01T00:00:00Z" in core


@pytest.mark.parametrize("n", [1, 10])
def test_a_filled_form_puts_each_indicator_in_its_row(n):
    form = seed(n)
    wb = load(form_workbook(form, NATIONAL))
    layout = layout_for(wb)
    ws = wb[SHEET]
    assert layout.name == form.layout and len(layout.indicator_rows()) == len(form.indicators)
    assert ws[layout.cell("header.project")].value == form.header.project
    targets = [ws[layout.cell(f"indicators[{i}].target")] for i in range(len(form.indicators))]
    assert [c.value for c in targets] == [row.target for row in form.indicators]
    assert all(c.data_type == "s" for c in targets)  # "=100%" is text, not a formula
    assert ws[layout.cell("indicators[0].target")].protection.locked
    assert not ws[layout.cell("indicators[0].score")].protection.locked


def test_the_appraisal_layout_prints_weights_in_the_first_level_cells():
    wb = load(form_workbook(seed(10), NATIONAL))
    layout = layout_for(wb)
    ws = wb[SHEET]
    firsts = [ws[f"A{first}"].value for first, _ in layout.blocks.values()]
    assert firsts == ["产出指标 (50分)", "效益指标 (30分)", "满意度指标 (10分)"]
    assert ws[layout.cell("category_weights.产出指标")].value == 50


def test_more_rows_than_the_blank_grow_the_block_and_odd_levels_keep_their_text():
    rows = [
        Indicator("产出指标", "数量指标", f"指标{i}", "=100%", "100%", 2.0, 2.0) for i in range(14)
    ]
    rows.append(Indicator("绩效指标", "社会效益指标", "办案效率", "提升", "提升", 5.0, 5.0))
    form = Form(indicators=rows)
    layout = layout_for(load(form_workbook(form, NATIONAL, 2026)))
    first, last = layout.blocks["产出指标"]
    assert last - first + 1 == 14
    assert block_for(rows[-1]) == "效益指标"
    ws = load(form_workbook(form, NATIONAL, 2026))[SHEET]
    assert ws[f"A{layout.blocks['效益指标'][0]}"].value == "绩效指标"


def test_block_for_guesses_sensibly():
    assert block_for(Indicator("", "服务对象满意度指标")) == "满意度指标"
    assert block_for(Indicator("效益指标", "服务对象满意度指标")) == "效益指标"  # mistake kept
    assert block_for(Indicator("", "", "工作人员满意度")) == "满意度指标"
    assert block_for(Indicator("", "", "设备采购完成率")) == "产出指标"


@pytest.mark.parametrize("name", ["projects.yaml", "projects.csv"])
def test_example_project_lists_read(name):
    forms = project_forms(ROOT / "examples" / name)
    assert len(forms) == 2 and all(f.indicators for f in forms)
    assert all(isinstance(r.points, float) for f in forms for r in f.indicators)


def test_bad_project_list_lists_every_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "项目:\n  - 主管部门: 甲\n    资金: {年度资金总额: {全年预算数: 很多}}\n"
        "    指标: [{三级指标: 甲, 分值: -1, 颜色: 红}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ProjectsError) as info:
        project_forms(bad)
    message = str(info.value)
    assert (
        "INPUT_MISSING 项目名称未填写" in message and "很多" in message and "不能小于 0" in message
    )
    assert "颜色" in message


def test_safe_filename_for_windows():
    assert safe_filename('a/b:c*?"<>|') == "a_b_c______"
    assert safe_filename("CON") == "_CON" and safe_filename(" . ") == "未命名项目"


def test_build_writes_blanks_and_pre_filled_forms(tmp_path, capsys):
    assert cli(["build", "--year", "2026", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in (tmp_path / "2026").iterdir()) == sorted(
        f"{layout_spec(name).title}_2026.xlsx" for name in LAYOUT_NAMES
    )
    assert len(LAYOUT_NAMES) >= 4
    out = tmp_path / "pre"
    args = ["build", "--projects", str(ROOT / "examples" / "projects.csv"), "--out", str(out)]
    assert cli([*args, "--layout", "standard"]) == 0
    assert len(list(out.glob("财政项目支出绩效自评表_*.xlsx"))) == 2


def test_build_refuses_a_bad_project_list_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "p.csv"
    bad.write_text("项目名称,分值\n甲,很多\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli(["build", "--projects", str(bad), "--out", str(out)]) == 2
    assert not out.exists()
    assert "应为数字" in capsys.readouterr().err


@pytest.mark.slow  # builds every committed template
def test_check_passes_on_the_committed_templates_and_names_stale_ones(tmp_path, capsys):
    assert cli(["build", "--check", "--out", str(ROOT / "templates")]) == 0
    copy = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", copy)
    assert cli(["build", "--check", "--out", str(copy)]) == 0
    stale = copy / "2021" / "项目自评价情况表_2021.xlsx"
    wb = openpyxl.load_workbook(stale)
    wb[SHEET]["B2"] = "改过"
    wb.save(stale)
    assert cli(["build", "--check", "--out", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "已过期" in err and stale.name in err and "财政项目支出绩效自评表_2021" not in err


@pytest.mark.slow  # a child Python
def test_openpyxl_never_switches_to_lxml_under_selfeval():
    # openpyxl writes different XML with lxml installed; templates must not depend on it
    code = "import selfeval, openpyxl; print(openpyxl.LXML)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_check_compares_xml_canonically():
    from selfeval.writers.template.package import same_content

    original = blank_workbook("standard", 2026, load_profile("national"))
    with zipfile.ZipFile(io.BytesIO(original)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    respaced = io.BytesIO()
    with zipfile.ZipFile(respaced, "w", zipfile.ZIP_STORED) as z:  # other compression, " />"
        for name, data in parts.items():
            z.writestr(name, data.replace(b'"/>', b'" />'))
    assert same_content(original, respaced.getvalue())
    # one word changed, spelt as the XML writer spells it (lxml writes &#24635;&#20998;)
    spellings = [(w.encode(), w.encode("ascii", "xmlcharrefreplace")) for w in ("总分", "合计")]
    edited = dict(parts)
    for old, new in zip(*spellings, strict=True):
        edited = {name: data.replace(old, new) for name, data in edited.items()}
    assert edited != parts
    changed = io.BytesIO()
    with zipfile.ZipFile(changed, "w") as z:
        for name, data in edited.items():
            z.writestr(name, data)
    assert not same_content(original, changed.getvalue())
