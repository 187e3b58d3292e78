"""Workbook readers: the seed forms read back exactly as the fixtures hold them,
in .xlsx, .xls and .ods, one form per file or all eleven in one sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from selfeval.form.codes import Code
from selfeval.form.model import Form
from selfeval.layouts.layout import SHEET, layout_for
from selfeval.pipeline.results import calculated, read
from selfeval.profiles.policy import load_profile
from selfeval.readers import Unreadable, read_file
from selfeval.readers import cells as cv
from selfeval.readers.grid import Grid
from selfeval.readers.locate import forms_in_grid
from selfeval.rules.check import validate
from selfeval.writers.template import write_form
from tests import libreoffice as lo
from tests.seed_workbooks import paste_to_sheet, seed_forms, write_seed_workbooks

FIXTURES = Path(__file__).parent / "fixtures" / "seed"
NUMBERS = range(1, 12)


def fixture(n: int) -> dict:
    return Form.from_dict(
        yaml.safe_load((FIXTURES / f"form{n:02d}.yaml").read_text("utf-8"))
    ).to_dict()


def plain(item: Form | Unreadable) -> dict | Unreadable:
    """Form.to_dict() without location data (what the fixtures leave out)."""
    if isinstance(item, Unreadable):
        return item
    data = item.to_dict()
    data.pop("source", None)
    data.pop("cells", None)
    for row in data["indicators"]:
        row.pop("cells", None)
    return data


@pytest.fixture(scope="session")
def seed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seed")
    write_seed_workbooks(folder)
    return folder


@pytest.fixture(scope="session")
def converted(seed_dir: Path, libreoffice: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed workbooks as .xls and .ods: one soffice run per format, all files at once."""
    out = tmp_path_factory.mktemp("converted")
    files = [str(p) for p in sorted(seed_dir.glob("*.xlsx"))]
    for fmt in ("xls", "ods"):
        lo._soffice(["--convert-to", lo.FILTERS[fmt], "--outdir", str(out), *files])
    return out


# -- the seed, form by form and stacked ---------------------------------------------


@pytest.mark.parametrize("n", NUMBERS)
def test_each_seed_form_reads_as_its_fixture(seed_dir: Path, n: int) -> None:
    assert [plain(f) for f in read_file(seed_dir / f"form{n:02d}.xlsx")] == [fixture(n)]


def test_eleven_forms_in_one_sheet(seed_dir: Path) -> None:
    forms = read_file(seed_dir / "all_forms.xlsx")
    assert [plain(f) for f in forms] == [fixture(n) for n in NUMBERS]
    assert [f.source.row for f in forms] == sorted({f.source.row for f in forms})
    assert all(f.source.sheet == "自评表" and f.source.file for f in forms)


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_xls_and_ods_read_back_identically(converted: Path, suffix: str) -> None:
    for n in NUMBERS:
        assert [plain(f) for f in read_file(converted / f"form{n:02d}.{suffix}")] == [fixture(n)]
    stacked = read_file(converted / f"all_forms.{suffix}")
    assert [plain(f) for f in stacked] == [fixture(n) for n in NUMBERS]


def test_cells_name_every_field_read(seed_dir: Path) -> None:
    [form] = read_file(seed_dir / "form06.xlsx")
    assert form.cells["funds.total.executed"] == "E8"
    assert form.cells["funds.stated_score"] == "H8"
    assert form.cells["stated_total"] == "I31"
    row = form.indicators[-1]  # shifted one column right by merged cells in the paste
    assert (row.name, row.cells["points"], row.cells["score"]) == ("工作人员满意度", "G30", "H30")
    assert all(
        set(r.cells) >= {"name", "target", "actual", "points", "score"} for r in form.indicators
    )


def test_forms_on_several_sheets(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "本工作簿含两份自评表"
    forms = seed_forms()
    for name, text in (("表一", forms[0]), ("表二", forms[9])):
        paste_to_sheet(wb.create_sheet(name), text, start_row=3)
    wb.save(tmp_path / "two.xlsx")
    found = read_file(tmp_path / "two.xlsx")
    assert [(f.source.sheet, f.source.row, f.layout) for f in found] == [
        ("表一", 3, "standard"),
        ("表二", 3, "appraisal"),
    ]


# -- forms_in_grid: the add-in's entry point ------------------------------------------


def _grid_of(text: str, top: int = 1, left: int = 1) -> Grid:
    rows = [[cell or None for cell in line.split("\t")] for line in text.split("\n")]
    return Grid("表", rows, origin=(top, left))


def test_text_numbers_units_and_offset_position() -> None:
    text = seed_forms()[0].replace("项目资金 (元)", "项目资金（万元）")
    grid = _grid_of(text, top=5, left=3)  # every value typed as text, form starting at C5
    [form] = forms_in_grid(grid, "x.xlsx")
    assert form.funds.unit == "万元"
    assert form.funds.total.executed == 812000.0
    assert form.funds.total.stated_rate == 0.9907
    assert form.funds.current.executed is None
    assert form.cells["funds.total.executed"] == "G9"
    assert form.source.row == 5 and form.header.year == 2021
    assert form.indicators[0].actual == "100%"


def test_no_form_in_grid_is_unrecognised() -> None:
    [item] = forms_in_grid(Grid("杂项", [["名单"], ["张三", 3.0]]), "x.xlsx")
    assert isinstance(item, Unreadable) and item.code == Code.LAYOUT_UNRECOGNISED
    assert item.sheet == "杂项"


def test_unreadable_amount_keeps_its_text() -> None:
    text = seed_forms()[0].replace("812,000", "约81万")
    [form] = forms_in_grid(_grid_of(text))
    assert form.funds.total.executed == "约81万"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("812,000", 812000.0),
        ("5,203,382.99", 5203382.99),
        ("—", None),
        ("-", None),
        ("/", None),
        ("", None),
        (" 10 ", 10.0),
        (7, 7.0),
        ("约10", "约10"),
        ("<p>9.91</p>", 9.91),
    ],
)
def test_amounts(raw: object, expected: object) -> None:
    assert cv.amount(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("99.07%", 0.9907), ("66.80%", 0.668), ("100.00%", 1.0), (0.9776, 0.9776)]
)
def test_rates_are_fractions(raw: object, expected: float) -> None:
    assert cv.rate(raw) == expected


def test_labels_are_squashed() -> None:
    assert cv.label("年度 总体 目标") == "年度总体目标"
    assert cv.label("项目名称：") == "项目名称"
    assert cv.text("<p>加强</p>") == "加强"


# -- our templates ----------------------------------------------------------------------


@pytest.fixture
def template(tmp_path: Path) -> Path:
    form = Form.from_dict(yaml.safe_load((FIXTURES / "form01.yaml").read_text("utf-8")))
    return write_form(form, tmp_path / "模板.xlsx", load_profile("national"), 2021)


def test_template_formula_cells_take_computed_values(template: Path) -> None:
    [form] = read(template)
    assert form.source.origin == "template" and form.formulas_overwritten == []
    assert (form.layout, form.profile) == ("standard", "national")
    assert form.funds.stated_score == 9.91  # openpyxl wrote no cached value
    assert form.stated_total == 97.91
    assert [plain_row(r) for r in form.indicators] == [
        plain_row(r) for r in Form.from_dict(fixture(1)).indicators
    ]


def test_a_reader_leaves_an_uncalculated_formula_to_the_pipeline(template: Path) -> None:
    [form] = read_file(template)
    assert form.funds.stated_score is None and "funds.stated_score" in form.formulas_uncached
    assert calculated(form).funds.stated_score == 9.91


def plain_row(row) -> tuple:  # type: ignore[no-untyped-def]
    return (row.level1, row.level2, row.name, row.target, row.actual, row.points, row.score)


def test_typed_over_formula_is_reported(template: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(template)
    wb[SHEET][layout_for(wb).cell("funds.stated_score")] = 9.5
    wb.save(tmp_path / "改过.xlsx")
    [form] = read(tmp_path / "改过.xlsx")
    assert form.formulas_overwritten == ["funds.stated_score"]
    assert form.funds.stated_score == 9.5
    assert form.stated_total == 97.5  # the total formula adds the typed funds score


def test_template_findings_point_at_cells(tmp_path: Path) -> None:
    from selfeval.rules.check import validate

    form = Form.from_dict(fixture(10))  # 产出 adds to 43 under a printed (50分)
    book = write_form(form, tmp_path / "表10.xlsx", load_profile("shanghai"))
    [read] = read_file(book)
    layout = layout_for(openpyxl.load_workbook(book))
    findings = {f.code: f for f in validate(read, "shanghai")}
    category = findings[Code.POINTS_CATEGORY]
    assert (category.sheet, category.cell) == (SHEET, layout.cell("category_weights.产出指标"))
    assert findings[Code.POINTS_TOTAL].cell == layout.cell("stated_points_total")


def test_a_table_starting_in_column_a_is_read() -> None:
    grid = Grid("表", [["项目名称", "某项目"], ["三级指标", "年度指标值", "分值", "得分"],
                       ["培训完成率", "=100%", 5, ""]])  # fmt: skip
    [form] = forms_in_grid(grid)
    row = form.indicators[0]
    assert (row.name, row.target, row.points, row.score) == ("培训完成率", "=100%", 5.0, None)
    assert row.cells["name"] == "A3"


def test_non_finite_numbers_are_not_figures() -> None:
    assert cv.amount(float("nan")) == "nan" and cv.amount(float("inf")) == "inf"
    assert cv.text(float("-inf")) == "-inf"


def test_grid_addresses_match_openpyxl() -> None:
    from openpyxl.utils import get_column_letter

    from selfeval.form.a1 import column_letter, column_number

    for n in (1, 26, 27, 52, 702, 703, 16384):
        assert column_letter(n) == get_column_letter(n) and column_number(column_letter(n)) == n
    grid = Grid("表", [[1, 2], [3, 4]], origin=(5, 3))
    assert grid.address(1, 1) == "D6" and grid.at("$D$6") == 4 and grid.at("A1") is None


# -- hand-made forms of any shape (issue 9) --------------------------------------------

_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "原因"]


def _form_grid(*rows: list) -> Grid:
    top = [
        ["项目名称", "某项目"],
        ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ]
    return Grid("表", [*top, ["年度资金总额", 100, 100, 10, 1.0, 10], _HEADER, *rows])


def test_a_row_that_fits_its_header_is_never_shifted() -> None:
    grid = _form_grid(
        ["效益指标", "社会效益", "群众知晓率", ">=90%", "95%", 10, 10, 0],
        ["", "", "宣传次数", ">=4次", "5次", 20, 20, "0"],
    )
    [form] = forms_in_grid(grid)
    first, second = form.indicators
    assert (first.name, first.level2, first.points, first.score) == (
        "群众知晓率",
        "社会效益",
        10,
        10,
    )
    assert (second.name, second.points, second.cells["score"]) == ("宣传次数", 20, "G6")


def test_a_missing_points_column_is_named_not_a_silent_empty_form(tmp_path: Path) -> None:
    from selfeval.pipeline.results import check_paths

    header = [h for h in _HEADER if h != "分值"]
    grid = Grid(
        "表", [["项目名称", "某项目"], header, ["产出指标", "数量指标", "人数", "≥5人", "5人", 10]]
    )
    [item] = forms_in_grid(grid, "x.xlsx")
    assert isinstance(item, Unreadable) and item.code == Code.LAYOUT_UNRECOGNISED
    assert "“分值”" in item.why and "第 2 行" in item.why and "某项目" in item.why
    wb = openpyxl.Workbook()
    for row in grid.values:
        wb.active.append(row)
    wb.save(tmp_path / "无分值.xlsx")
    [result] = check_paths([tmp_path / "无分值.xlsx"], load_profile("national"))
    assert [f.code for f in result.findings] == [Code.LAYOUT_UNRECOGNISED]
    assert "“分值”" in result.findings[0].message


def test_a_located_form_without_an_indicator_table_is_reported() -> None:
    grid = Grid("表", [["项目名称", "某项目"], ["全年预算数", "全年执行数"], [100, 90]])
    [item] = forms_in_grid(grid)
    assert isinstance(item, Unreadable) and "指标表头" in item.why


def test_one_unreadable_form_does_not_hide_the_others(tmp_path: Path) -> None:
    good = _form_grid(["产出指标", "数量指标", "人数", "≥5人", "5人", 90, 90, ""]).values
    bad = [["项目名称", "另一项目"], [h for h in _HEADER if h != "得分"]]
    wb = openpyxl.Workbook()
    for row in [*good, [], *bad]:
        wb.active.append(row)
    wb.save(tmp_path / "两份.xlsx")
    form, problem = read_file(tmp_path / "两份.xlsx")
    assert isinstance(form, Form) and form.header.project == "某项目"
    assert isinstance(problem, Unreadable) and "“得分”" in problem.why


def test_funds_points_read_from_the_block_label_when_no_column_holds_them() -> None:
    grid = Grid(
        "表",
        [
            ["项目名称", "某项目"],
            ["预算执行情况（万元）（20分）", "预算数(A)", "执行数(B)", "执行率(B/A)", "得分"],
            ["年度财政资金总额", 200, 195.5, 0.9775, 19.55],
            _HEADER,
            ["产出指标", "数量指标", "人数", "≥5人", "5人", 80, 80, ""],
        ],
    )
    [form] = forms_in_grid(grid)
    funds = form.funds
    assert (funds.unit, funds.points, funds.stated_score) == ("万元", 20, 19.55)
    assert (funds.total.annual_budget, funds.total.executed) == (200, 195.5)


@pytest.mark.parametrize(
    ("nature", "value", "unit", "joined"),
    [
        ("≧", "735", "人次", "≧735人次"),
        ("定性", "有效", "", "有效"),
        ("正向", "300", "天", "≥300天"),
        ("反向", "5", "%", "≤5%"),
        ("正向", "≥90", "%", "≥90%"),
        ("=", "100%", "%", "=100%"),
        ("大于等于", "90", "%", "≥90%"),
        ("", "", "个", ""),
    ],
)
def test_split_targets_join(nature: str, value: str, unit: str, joined: str) -> None:
    from selfeval.grammar.targets import join_target

    assert join_target(nature, value, unit) == joined


def test_points_and_scores_written_with_their_unit_are_numbers() -> None:
    [form] = forms_in_grid(
        _form_grid(["产出指标", "数量指标", "人数", "≥5人", "5人", "90分", "88分", "无"])
    )
    assert (form.indicators[0].points, form.indicators[0].score) == (90, 88)


def test_short_first_level_labels_and_a_total_in_its_label_cell() -> None:
    [form] = forms_in_grid(
        _form_grid(
            ["产出（60分）", "数量", "人数", "≥5人", "5人", 60, 60, ""],
            ["效益", "社会效益", "知晓率", "≥90%", "92%", 30, 30, ""],
            ["总分：100", "", "", "", "", "", "", ""],
        )
    )
    assert [(r.level1, r.level2) for r in form.indicators] == [
        ("产出指标", "数量"), ("效益指标", "社会效益")
    ]  # fmt: skip
    assert form.category_weights == {"产出指标": 60} and form.stated_total == 100


def test_a_numbering_column_and_units_in_their_own_columns() -> None:
    header = [
        "序号",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "单位",
        "实际完成值",
        "分值（分）",
        "得分",
    ]
    grid = Grid(
        "表",
        [
            ["项目名称", "某项目"],
            header,
            [1, "产出指标", "数量指标", "培训人数", "≥50", "人", "52", 90, 90],
            [2, "", "", "覆盖率", "100", "%", "98%", 10, 9.8],
        ],
    )
    [form] = forms_in_grid(grid)
    assert [(r.name, r.target, r.points) for r in form.indicators] == [
        ("培训人数", "≥50人", 90), ("覆盖率", "100%", 10)
    ]  # fmt: skip


# -- header values: a label is never a value (DOMAIN.md, "Blank stated figures") ---------

_TABLE = [["三级指标", "年度指标值", "分值", "得分"], ["培训完成率", "=100%", 5, 5]]


def _header_form(*header_rows: list[object]) -> Form:
    [form] = forms_in_grid(Grid("表", [*header_rows, *_TABLE]))
    assert isinstance(form, Form)
    return form


def _input_missing(form: Form) -> set[str]:
    return {f.field for f in validate(form) if f.code == Code.INPUT_MISSING}


@pytest.mark.parametrize(
    ("rows", "blank"),
    [
        ([["项目名称", "某项目"], ["主管部门", None, "项目实施单位", "某中心"]], "department"),
        ([["项目名称", "某项目"], ["主管部门", None, "实施单位（盖章）", "某中心"]], "department"),
        ([["项目名称", None, "主管部门", "某局"], ["实施单位", "某中心"]], "project"),
        ([["项目名称", "某项目", "主管部门", None, "实施单位", "某中心"]], "department"),
        ([["项目名称", "某项目"], ["主管部门", "某局"], ["实施单位", None, "项目负责人", "张三"]],
         "implementer"),
        ([["项目名称", "某项目"], ["主管部门及代码", None, "单位名称", "某中心"]], "department"),
    ],
    ids=["项目实施单位", "实施单位（盖章）", "项目名称", "one_row", "项目负责人", "synonyms"],
)  # fmt: skip
def test_a_blank_header_value_is_blank_not_the_next_label(rows: list, blank: str) -> None:
    form = _header_form(*rows)
    assert getattr(form.header, blank) == ""
    assert _input_missing(form) == {f"header.{blank}"}


def test_a_header_value_beside_its_label_is_still_read() -> None:
    form = _header_form(["项目名称", "某项目"], ["主管部门", "某局", "项目实施单位", "某中心"])
    assert (form.header.department, form.header.implementer) == ("某局", "某中心")
    assert not _input_missing(form)
