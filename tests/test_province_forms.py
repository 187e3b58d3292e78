"""Published forms from other provinces, transcribed with our own names and figures
but in their exact shape (tests/fixtures/provinces/*.txt: one line per row, a tab
per cell boundary, ``\\n`` for a line break inside a cell).

Each is read as a staff member's workbook: every 分值 must be found, the computed
total must be right, every real mistake reported and no false error raised.

Shapes, as published:
- sichuan_equipment, sichuan_wages: 四川 部门预算项目支出绩效自评表(2023年度) (county
  bureaus of 大英县 and 青神县): 预算执行情况(10分) with a 年度预算数(万元) caption, rows
  总额 / 财政资金 / 财政专户管理资金 / 单位资金 / 其他资金 with `/`; 指标性质 | 指标值 |
  度量单位 | 完成值 | 权重 | 得分 | 未完成原因分析; 合计; 评价结论 … 项目负责人.
- anhui_commission: 安徽 池州市贵池区 项目支出绩效自评表 (2022年度): 年度资金总额 left at 0
  while 本年财政拨款 carries the money, 一级 labels with (50分), an empty 经济效益指标 row,
  满意度指标 written again as the 二级 label.
- hebei_heating: 河北 廊坊市 项目支出绩效自评表 (2019): headings broken over lines in
  their cells, names numbered 指标1…, empty 指标2 and …… rows, 0 typed as a reason.
- hubei_no_points: 湖北 黄石市 项目自评表 (2022): 预算数(A) / 执行数(B) / 执行率(B/A)
  and an indicator table with 得分 but no 分值 column.
- sichuan_pension: 四川 county 部门预算项目支出绩效自评表 as published for a pension
  contribution project (德阳): four indicators weighted 22.5, a 结余率 named with its
  formula in brackets, 评价结论 / 存在问题 / 改进措施 and the two signature lines left blank.
- county_category_line: a 2021 county form (``2021年XX单位XX项目绩效自评表``) whose header
  has 单位名称 / 填报日期 and a 项目类别 line of check boxes, then the national table.
- national_reordered, two_row_split: the two shapes issue #9 reports from published
  forms (分值 before 年度指标值 with 全年实际值 and a …… row; 年度指标值 over 指标性质 |
  指标值 | 度量单位 on a two-row header); not transcribed from a page found here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from selfeval.form.codes import Code
from selfeval.form.findings import Severity
from selfeval.form.model import Form
from selfeval.profiles.policy import load_profile
from selfeval.readers import Unreadable
from selfeval.rules.check import run_rules
from tests.transcribed import one_form, read_all

PROVINCES = Path(__file__).parent / "fixtures" / "provinces"
PROFILE = load_profile("national")


@dataclass(frozen=True)
class Expected:
    points: tuple[float, ...]  # every indicator's 分值, in order
    total: float  # the computed total (funds score by the rule + indicator scores)
    errors: frozenset[str]  # the form's real mistakes


EXPECTED: dict[str, Expected] = {
    "sichuan_equipment": Expected(
        (20, 15, 10, 5, 20, 20),
        99.38,  # 4.50 of 4.80 万元 executed: 9.38, not the stated 10
        frozenset(
            {
                Code.FUNDS_RATE,
                Code.FUNDS_SCORE,
                Code.TOTAL_MISMATCH,
                Code.UNMET_FULL,
                Code.REASON_MISSING,
            }
        ),
    ),
    "sichuan_wages": Expected((60, 30), 99.5, frozenset()),
    "anhui_commission": Expected(
        (8, 8, 8, 8, 8, 10, 10, 10, 10, 10),
        100.0,  # 79.96 of 80 万元 executed, read from the sub-row (DOMAIN.md)
        frozenset({Code.FUNDS_SUM, Code.FUNDS_RATE, Code.FUNDS_SCORE, Code.TOTAL_MISMATCH}),
    ),
    "hebei_heating": Expected(
        (10,) * 9, 97.62, frozenset({Code.FUNDS_SCORE, Code.TOTAL_MISMATCH})
    ),  # 86% printed for 86.2 % is display rounding; 9 for 8.62 is a mistake
    "national_reordered": Expected(
        (20, 15, 15, 20, 10, 10), 97.5, frozenset({Code.UNMET_FULL, Code.REASON_MISSING})
    ),
    "two_row_split": Expected(
        (20, 10, 20, 20, 10, 10), 100.0, frozenset({Code.UNMET_FULL, Code.REASON_MISSING})
    ),
    # issue 19 (tests/test_reading_real_forms.py): rows marked /, a lone 0, 一级 cells
    # holding only (50分), 满意度指标 as its own 二级, a blank 执行率 and a blank 主管部门
    "anhui_not_applicable": Expected((15, 15, 10, 10, 20, 10, 10), 99.5, frozenset()),
    # searched for this stop: a Sichuan county's pension contributions (four 22.5 weights,
    # a 结余率 named with its formula) and a 2021 county form whose title carries the year
    # and whose header has a 项目类别 line of check boxes and a 填报日期
    "sichuan_pension": Expected(
        (22.5,) * 4,
        99.81,  # 118.2 of 120.5 万元: 9.81; the 结余率 of 7 % misses ≤ 5 % yet scores in full
        frozenset({Code.UNMET_FULL, Code.REASON_MISSING}),
    ),
    "county_category_line": Expected(
        (15, 10, 10, 5, 10, 15, 15, 10),
        101.5,  # 9.5 + the scores as given, 12 of them for a 10-point row
        frozenset({Code.UNMET_FULL, Code.REASON_MISSING, Code.SCORE_RANGE}),
    ),
    "anhui_lost_names": Expected(
        (10, 10, 10, 10, 10, 15, 15, 10),
        100.0,
        frozenset({Code.INPUT_MISSING, Code.UNMET_FULL, Code.REASON_MISSING}),
    ),
}


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Form | Unreadable]]:
    return read_all(PROVINCES, tmp_path_factory.mktemp("provinces"))


def errors(form: Form) -> set[str]:
    return {f.code for f in run_rules(form, PROFILE)[0] if f.severity == Severity.ERROR}


def test_every_transcribed_form_has_its_expectations(forms: dict) -> None:
    assert set(forms) == {*EXPECTED, "hubei_no_points"}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_points_value_is_found(forms: dict, name: str) -> None:
    form = one_form(forms, name)
    assert tuple(r.points for r in form.indicators) == EXPECTED[name].points
    assert form.funds.points == 10 and all(r.name for r in form.indicators)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_computed_total_is_right(forms: dict, name: str) -> None:
    assert run_rules(one_form(forms, name), PROFILE)[1].total == EXPECTED[name].total


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_real_mistake_is_reported(forms: dict, name: str) -> None:
    assert EXPECTED[name].errors <= errors(one_form(forms, name))


@pytest.mark.parametrize("name", list(EXPECTED))
def test_no_false_error(forms: dict, name: str) -> None:
    assert errors(one_form(forms, name)) <= EXPECTED[name].errors


def test_a_table_without_points_says_which_column_is_missing(forms: dict) -> None:
    [item] = forms["hubei_no_points"]
    assert isinstance(item, Unreadable) and item.code == Code.LAYOUT_UNRECOGNISED
    assert "“分值”" in item.why and "得分" not in item.why and item.sheet == "Sheet1"


def test_split_targets_are_joined_with_their_operator_and_unit(forms: dict) -> None:
    split = one_form(forms, "two_row_split")
    assert [r.target for r in split.indicators] == [
        "≧735人次",
        "有效",
        "≥300天",
        "扩大",
        "建立",
        "≥90%",
    ]
    sichuan = one_form(forms, "sichuan_equipment")
    assert sichuan.indicators[3].target == "≤0.3万元" and sichuan.indicators[2].target == "及时"


def test_funds_blocks_of_other_provinces(forms: dict) -> None:
    sichuan = one_form(forms, "sichuan_equipment").funds
    assert (sichuan.unit, sichuan.total.annual_budget, sichuan.total.executed) == ("万元", 4.8, 4.5)
    assert sichuan.current.executed == 4.5 and sichuan.special_account.annual_budget == 0
    anhui = one_form(forms, "anhui_commission").funds
    assert (anhui.total.annual_budget, anhui.current.executed) == (0, 79.96)


def test_labels_placeholders_and_closing_lines(forms: dict) -> None:
    hebei = one_form(forms, "hebei_heating")
    assert hebei.indicators[0].name == "工程资金金额"  # 指标1 is the template's numbering
    assert [r.level2 for r in hebei.indicators][-4:] == [
        "经济效益指标", "社会效益指标", "可持续影响指标", "服务对象满意度指标"
    ]  # fmt: skip
    national = one_form(forms, "national_reordered")
    assert [r.level2 for r in national.indicators][3:] == [
        "社会效益",
        "可持续影响",
        "服务对象满意度指标",
    ]
    assert (national.stated_points_total, national.stated_total) == (100, 97.5)
    wages = one_form(forms, "sichuan_wages")
    assert (wages.stated_points_total, wages.stated_total, wages.header.year) == (100, 99.5, 2023)
    assert one_form(forms, "anhui_commission").category_weights == {
        "产出指标": 50, "效益指标": 30, "满意度指标": 10
    }  # fmt: skip


def test_layouts_are_the_closest_official_shape(forms: dict) -> None:
    layouts = {name: one_form(forms, name).layout for name in EXPECTED}
    assert layouts["sichuan_equipment"] == layouts["two_row_split"] == "sichuan"
    assert layouts["anhui_commission"] == layouts["national_reordered"] == "national"


def test_a_title_year_is_the_forms_year_not_the_filing_date(forms: dict) -> None:
    county = one_form(forms, "county_category_line")
    assert county.header.year == 2021  # 2021年某单位某项目绩效自评表, filed 2022年1月20日
    assert (county.header.department, county.header.implementer) == (
        "某县农业农村局",
        "某县农村能源站",
    )


def test_a_ratio_named_with_its_formula_is_a_ceiling(forms: dict) -> None:
    pension = one_form(forms, "sichuan_pension")
    [ratio] = [r for r in pension.indicators if r.name.startswith("结余率")]
    assert ratio.name == "结余率(计算方法为:结余数/预算数)" and ratio.target == "≤5%"
    unmet = [f for f in run_rules(pension, PROFILE)[0] if f.code == Code.UNMET_FULL]
    assert [f.expected for f in unmet] == [13.5]  # 22.5 × (1 − (7 − 5) ÷ 5)
