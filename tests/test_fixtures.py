"""The seed fixtures say what the eleven real forms say, mistakes included.

Facts below are read off the pasted text (tests/fixtures/seed/000_11bc1ea12eb325d3.txt)
by hand; docs/legacy-reading.md gives the reading conventions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from selfeval.form.model import LEVEL1_NAMES, LEVEL2_BY_LEVEL1, Form, Indicator
from tests.seed_workbooks import FORM_COUNT, seed_forms, typed_value, write_seed_workbooks

FIXTURES = Path(__file__).parent / "fixtures" / "seed"

# form: (项目名称, layout, indicator rows, Σ分值, Σ得分 of indicators, funds 得分, 总分 printed)
FACTS: dict[int, tuple[str, str, int, float, float, float, float]] = {
    1: ("办公及业务用房专项维修费", "standard", 12, 90, 88, 9.91, 97.91),
    2: ("检察办案业务费", "standard", 13, 90, 89, 7.75, 96.75),
    3: ("检察辅助文员经费", "standard", 11, 90, 90, 9.94, 99.94),
    4: ("检察业务保障费", "standard", 10, 90, 90, 9.07, 99.07),
    5: ("检察业务工作费", "standard", 11, 90, 90, 8.1, 98.1),
    6: ("检察专用设备购置费", "standard", 15, 90, 88, 6.68, 94.68),
    7: ("交通工具更新购置费", "standard", 13, 90, 88, 6.96, 94.96),
    8: ("信息化新建项目", "standard", 12, 90, 88, 9.56, 97.56),
    9: ("信息化运维项目", "standard", 11, 90, 90, 9.74, 99.74),
    10: ("上海市人民检察院第二分院信创项目", "appraisal", 14, 83, 81, 9.78, 97.78),
    11: ("驻第二看守所数字化监控联网迁建项目", "appraisal", 14, 90, 88, 10, 98.0),
}

# form: (printed 执行率, 年初预算数, 全年预算数, 全年执行数) of 年度资金总额
FUNDS: dict[int, tuple[float, float | None, float, float]] = {
    1: (0.9907, 1100000, 819700, 812000),
    2: (0.7745, 746393, 746393, 578078.79),
    3: (0.9937, 5236490, 5236490, 5203382.99),
    4: (0.9067, 251300, 331300, 300368),
    5: (0.8098, 1571000, 1571000, 1272193.76),
    6: (0.668, 348700, 4060750, 2712350),
    7: (0.6963, 544087, 544087, 378800),
    8: (0.9557, 2137970, 508640, 486100),
    9: (0.9738, 446050, 446050, 434325),
    10: (0.9776, None, 624000, 610000),
    11: (1.0, None, 530000, 530000),
}

# 一级 subtotals of 分值 as the rules read them (forms 1 and 5: reading artefacts, see the doc)
SUBTOTALS: dict[int, tuple[float, float, float]] = {
    1: (62, 18, 10),
    5: (62, 18, 10),
    10: (43, 30, 10),
}


def load(number: int) -> Form:
    text = (FIXTURES / f"form{number:02d}.yaml").read_text(encoding="utf-8")
    return Form.from_dict(yaml.safe_load(text))


def row(form: Form, name: str) -> Indicator:
    (found,) = [i for i in form.indicators if i.name == name]
    return found


def total(values: list[float | str | None]) -> float:
    return round(sum(v for v in values if isinstance(v, float)), 2)


def subtotal(form: Form, level1: str) -> float:
    return total([i.points for i in form.indicators if i.level1 == level1])


def test_eleven_fixtures() -> None:
    assert sorted(p.name for p in FIXTURES.glob("form*.yaml")) == [
        f"form{n:02d}.yaml" for n in range(1, 12)
    ]


@pytest.mark.parametrize("number", FACTS)
def test_form_facts(number: int) -> None:
    project, layout, rows, points, scores, funds_score, stated = FACTS[number]
    form = load(number)
    assert (form.header.project, form.layout, form.header.year) == (project, layout, 2021)
    assert form.header.department == form.header.implementer == "上海市人民检察院第二分院"
    assert len(form.indicators) == rows
    assert total([i.points for i in form.indicators]) == points
    assert total([i.score for i in form.indicators]) == scores
    assert (form.funds.points, form.funds.stated_score) == (10, funds_score)
    assert (form.stated_points_total, form.stated_total) == (100, stated)
    assert form.funds.unit == "元"
    assert form.goals.planned and form.goals.achieved
    assert "<" not in form.goals.planned + form.goals.achieved


@pytest.mark.parametrize("number", FUNDS)
def test_funds_total_row(number: int) -> None:
    rate, initial, annual, executed = FUNDS[number]
    funds = load(number).funds
    assert funds.total.stated_rate == rate
    assert (funds.total.initial_budget, funds.total.annual_budget) == (initial, annual)
    assert funds.total.executed == executed
    assert (funds.carryover.annual_budget, funds.other.annual_budget) == (0, 0)


@pytest.mark.parametrize("number", FACTS)
def test_levels_come_from_the_vocabulary(number: int) -> None:
    for ind in load(number).indicators:
        assert ind.level1 in LEVEL1_NAMES
        assert ind.level2 in LEVEL2_BY_LEVEL1[ind.level1] or (number, ind.level2) == (
            10,
            "可持续影响",
        )


@pytest.mark.parametrize("number", FACTS)
def test_category_subtotals(number: int) -> None:
    form = load(number)
    expected = SUBTOTALS.get(number, (50, 30, 10))
    assert tuple(subtotal(form, name) for name in LEVEL1_NAMES) == expected


@pytest.mark.parametrize("number", FACTS)
def test_every_row_is_a_line_of_the_seed(number: int) -> None:
    """Name, target, actual, 分值, 得分 and reason appear in order on one line, lines in order."""
    text = seed_forms()[number - 1].split("\n")
    lines = [[c.strip() for c in line.split("\t") if c.strip()] for line in text]
    at = 0
    for ind in load(number).indicators:
        figures = [_printed(v) for v in (ind.points, ind.score) if v is not None]
        expected = [ind.target, ind.actual, *figures] + ([ind.reason] if ind.reason else [])
        found = [n for n in range(at, len(lines)) if ind.name in lines[n]]
        assert found and _ends_with(lines[found[0]], expected), f"{ind.name}: {expected}"
        at = found[0] + 1


# 二级 of each row by its first character: 数量 质量 时效 成本 经济效益 社会效益 可持续影响 服务对象满意度
LEVEL2_ROWS: dict[int, str] = {
    1: "数数数质质时时时社社可服",
    2: "数数质时时时社社社社可服服",
    3: "数数质时时社社可可服服",
    4: "数数质时社社社可可服",
    5: "数数数质时时时社社可服",
    6: "数数数质时成经社社社社社可服服",
    7: "数数质时时成经经社社可可服",
    8: "数数质时时社社社社社可服",
    9: "数数质时时社社社社可服",
    10: "数数数数质时社社社社社社可服",
    11: "数数数质时时社社社社社社可服",
}


@pytest.mark.parametrize("number", FACTS)
def test_level2_of_each_row(number: int) -> None:
    assert "".join(i.level2[0] for i in load(number).indicators) == LEVEL2_ROWS[number]


def _printed(value: float | str) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _ends_with(cells: list[str], tail: list[str]) -> bool:
    return cells[len(cells) - len(tail) :] == tail


def test_appraisal_weights() -> None:
    for number in (10, 11):
        assert load(number).category_weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert all(not load(n).category_weights for n in range(1, 10))


# -- mistakes of the real forms, kept -------------------------------------------------


def test_form02_satisfaction_below_target_scored_4_of_5() -> None:
    ind = row(load(2), "办案人员满意度")
    assert (ind.target, ind.actual, ind.points, ind.score) == (">=90%", "88%", 5, 4)
    assert ind.reason.startswith("受到新冠病毒疫情影响")


def test_form04_satisfaction_and_system_indicators_swapped() -> None:
    form = load(4)
    assert [i.name for i in form.indicators if i.level1 == "满意度指标"] == ["安保人员长效管理制度"]
    assert [i.name for i in form.indicators if i.level2 == "可持续影响指标"] == [
        "工作人员满意度",
        "安保人员满意度",
    ]
    assert row(form, "安保人员执勤天数").actual == "365"


def test_form05_stray_cell_dropped() -> None:
    ind = row(load(5), "绩效评价工作完成及时性")
    assert (ind.target, ind.actual, ind.points, ind.score) == ("及时", "及时", 10, 10)


def test_form06_row_without_points() -> None:
    ind = row(load(6), "采购设备利用率")
    assert (ind.level1, ind.level2) == ("效益指标", "经济效益指标")
    assert (ind.target, ind.actual, ind.points, ind.score) == ("=100%", "100%", None, None)


def test_form10_points_and_total_do_not_add_up() -> None:
    form = load(10)
    assert form.funds.total.initial_budget is None
    assert form.funds.current.stated_rate == 0.9776
    assert total([i.points for i in form.indicators]) + 10 == 93
    assert total([i.score for i in form.indicators]) + form.funds.stated_score == 90.78
    assert form.stated_total == 97.78
    assert row(form, "国产化信息设备管理方案").level2 == "可持续影响"


def test_form11_unmet_satisfaction_scored_full() -> None:
    form = load(11)
    ind = row(form, "办案人员满意度")
    assert (ind.target, ind.actual, ind.points, ind.score, ind.reason) == (
        "≥90%",
        "86%",
        10,
        10,
        "",
    )
    assert total([i.score for i in form.indicators]) + form.funds.stated_score == form.stated_total
    assert row(form, "设备购置完成率").target == "100%"


# -- the seed as workbooks ---------------------------------------------------------------


def test_seed_splits_into_eleven_forms() -> None:
    forms = seed_forms()
    assert len(forms) == FORM_COUNT == 11
    assert all("财政项目支出绩效自评表" in f.split("\n")[0] for f in forms[:9])
    assert all(f.startswith("项目自评价情况表") for f in forms[9:])
    assert all(("总分" in f) != ("总计" in f) for f in forms)
    assert forms[9].endswith("填报日期:") and forms[10].endswith("填报日期：")


@pytest.mark.parametrize(
    ("text", "value", "number_format"),
    [
        ("10", 10, None),
        ("9.91", 9.91, None),
        ("1100000.00", 1100000, None),
        ("812,000", 812000, "#,##0"),
        ("578,078.79", 578078.79, "#,##0.00"),
        ("99.07%", 0.9907, "0.00%"),
        ("100%", 1, "0%"),
        ("0.8%", 0.008, "0.0%"),
        ("=100%", "=100%", None),
        (">=90%", ">=90%", None),
        ("—", "—", None),
        ("1080P", "1080P", None),
        ("", None, None),
    ],
)
def test_typed_value_follows_excel(text: str, value: object, number_format: str | None) -> None:
    assert typed_value(text) == (value, number_format)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_seed_workbooks(tmp_path_factory.mktemp("seed"))


def test_workbooks_written(workbooks: list[Path]) -> None:
    names = [p.name for p in workbooks]
    assert names == [f"form{n:02d}.xlsx" for n in range(1, 12)] + ["all_forms.xlsx"]
    assert all(p.stat().st_size > 0 for p in workbooks)


def test_cells_typed_as_excel_would(workbooks: list[Path]) -> None:
    ws = load_workbook(workbooks[0]).active
    funds = [c for c in ws[5] if c.value is not None]
    assert [c.value for c in funds] == ["年度资金总额", 1100000, 819700, 812000, 10, 0.9907, 9.91]
    assert (funds[3].number_format, funds[5].number_format) == ("#,##0", "0.00%")
    assert [c.value for c in ws[12] if c.value is not None] == [
        "数量指标",
        "大门修缮工作完成率",
        "=100%",
        1,
        9,
        9,
    ]
    assert ws["D12"].data_type == "s"
    assert ws["A1"].value.startswith("<p style=")


def test_all_forms_stacked_in_one_sheet(workbooks: list[Path]) -> None:
    ws = load_workbook(workbooks[-1]).active
    titles = [
        r
        for (r,) in ws.iter_rows(min_col=1, max_col=1, values_only=True)
        if isinstance(r, str) and ("自评表" in r or "自评价情况表" in r)
    ]
    assert len(titles) == 11
    projects = [r[1] for r in ws.iter_rows(values_only=True) if r[0] in ("项目名称", "项目名称:")]
    assert projects == [FACTS[n][0] for n in range(1, 12)]
