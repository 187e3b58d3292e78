"""Published forms from more provinces, found with the search tool and not seen while the
reader was built (issue 19, "How it will be checked"), transcribed in their shape
(tests/fixtures/published/*.txt, the format of tests/fixtures/provinces: a tab per cell
boundary, ``\\n`` for a line break in a cell), with our own names and some own figures.

Each expectation was worked out from DOMAIN.md, not copied from selfeval's output:

- yunnan_lijiang: 云南 丽江市古城区 2020年度项目支出绩效自评表 (a 卫片执法 grant): split
  target 指标性质 | 指标值 | 度量单位 under a two-row header, ``﹦`` (the small equals
  sign) as operator, actuals without unit; every target met yet four scores docked with
  no reason.
- yunnan_nanhua: 云南 南华县 项目支出绩效自评表 (a 野生菌加工车间): 10.3 / 9.3 / 10.8 weights,
  an 经济效益指标 row inside the 产出指标(50分) block, a blank actual, the table header
  printed again after a page break, ``550`` against ``20`` at full points.
- yunnan_changning: 云南 昌宁县 2022年度项目支出绩效自评表 (a 生猪养殖场): 单位名称 / 填报日期,
  项目类别 and 项目属性 check boxes, 预算执行情况(20分) with the rate typed as a bare ``20``,
  no 分值 column (weights only in 产出指标(40分) …), names carrying ``(≥**平方米)``, the one
  reason written under the table (偏差大或目标未完成原因分析).
- anhui_xiaoxian: 安徽 萧县 绩效目标自评表 (2023年度) (特色种养补贴到户): 分值 before 年度指标值,
  ★ names, ``其中…`` rows breaking an indicator down with no 分值 or 得分, 二级 labels on
  rows of their own, a funds sub-row carrying 分值 10 and 得分 10.
- sichuan_zhongjiang: 四川 中江县 2022 衔接资金 绩效目标自评表 (水标尺): 产出指标(70分) /
  效益指标(20分) / 满意度指标(10分) beside a scored 执行率 (10): the 分值 add up to 110, as
  published, and the 总分 says 100; actuals written ``≥266米``; one 完工率 missed at full
  points (our figure).
- hubei_two_goals: 湖北 黄冈市 2020年度水土保持监测项目绩效自评表: two 年度绩效目标 blocks
  (40分 each), each with its own header, 一级 cells without weights, no 分值 column.
- hainan_scoresheet: 海南 服务贸易项目绩效自评表: a 评价 score sheet (一级 | 分值 | 二级 | 分值 |
  三级 | 分值 | 得分) with no 年度指标值 or 实际完成值 at all.
- ningxia_framework: 宁夏 银川市本级部门项目支出绩效自评表(2021年): the evaluation framework
  项目决策(10分) / 项目管理(25分) / 项目产出(30分) / 项目效益(35分), 预算执行率 as an indicator,
  二级 cells with weights (数量指标(10分)), a funds block without score. Not read yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from selfeval.form.codes import Code
from selfeval.form.findings import Finding, Severity
from selfeval.form.model import Form
from selfeval.profiles.policy import load_profile
from selfeval.readers import Unreadable
from selfeval.rules.check import run_rules
from tests.transcribed import one_form, read_all

PUBLISHED = Path(__file__).parent / "fixtures" / "published"
PROFILE = load_profile("national")


@dataclass(frozen=True)
class Expected:
    points: tuple[float | None, ...]  # every indicator's 分值, in order
    total: float  # the computed total (funds score by the rule + indicator scores as given)
    errors: frozenset[str]  # the form's real mistakes
    met: tuple[bool, ...]  # whether each actual meets its target


READ: dict[str, Expected] = {
    "yunnan_lijiang": Expected(
        (10, 20, 20, 30, 10),
        94.0,  # 10 + 9 + 19 + 19 + 27 + 10
        frozenset({Code.REASON_MISSING}),
        (True,) * 5,
    ),
    "yunnan_nanhua": Expected(
        (10.3, 9.3, 9.3, 10.8, 10.3, 15, 15, 10),
        100.0,
        frozenset({Code.UNMET_FULL, Code.REASON_MISSING}),  # 20 against 550 at 9.3 of 9.3
        (True, False, None, True, True, True, True, True),  # None: the actual is blank
    ),
    "yunnan_changning": Expected(
        (None,) * 12,
        81.0,  # 4 (20 × 10 ÷ 50) + 40 + 27 + 10
        frozenset(),
        (*(True,) * 9, False, True, True),
    ),
    "anhui_xiaoxian": Expected((20, 10, 10, 5, 5, 20, 10, 10), 100.0, frozenset(), (True,) * 8),
    "sichuan_zhongjiang": Expected(
        (10, 10, 20, 10, 10, 10, 10, 10, 10),
        110.0,  # 10 for the funds + 100 for the indicators: the weights add up to 110
        frozenset({Code.POINTS_TOTAL, Code.TOTAL_MISMATCH, Code.UNMET_FULL, Code.REASON_MISSING}),
        (True, True, True, True, False, True, True, True, True),
    ),
}

NOT_READ = {  # the form, and the column its LAYOUT_UNRECOGNISED names
    "hubei_two_goals": "分值",
    "hainan_scoresheet": "年度指标值",
}

UNSOLVED = {"ningxia_framework"}


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Form | Unreadable]]:
    return read_all(PUBLISHED, tmp_path_factory.mktemp("published"))


def findings(form: Form) -> list[Finding]:
    return run_rules(form, PROFILE)[0]


def errors(form: Form) -> set[str]:
    return {f.code for f in findings(form) if f.severity == Severity.ERROR}


def assert_finding(found: list[Finding], code: Code, cell: str | None = None) -> Finding:
    hits = [f for f in found if f.code == code and (cell is None or f.cell == cell)]
    assert hits, f"{code} at {cell} not in {[(f.code, f.cell) for f in found]}"
    return hits[0]


def test_every_transcribed_form_has_its_expectations(forms: dict) -> None:
    assert set(forms) == {*READ, *NOT_READ, *UNSOLVED}


@pytest.mark.parametrize("name", list(READ))
def test_every_points_value_is_found(forms: dict, name: str) -> None:
    form = one_form(forms, name)
    assert tuple(r.points for r in form.indicators) == READ[name].points
    assert all(r.name for r in form.indicators)


@pytest.mark.parametrize("name", list(READ))
def test_the_computed_total_is_right(forms: dict, name: str) -> None:
    assert run_rules(one_form(forms, name), PROFILE)[1].total == pytest.approx(READ[name].total)


@pytest.mark.parametrize("name", list(READ))
def test_every_real_mistake_is_reported(forms: dict, name: str) -> None:
    assert READ[name].errors <= errors(one_form(forms, name))


@pytest.mark.parametrize("name", list(READ))
def test_no_false_error(forms: dict, name: str) -> None:
    assert errors(one_form(forms, name)) <= READ[name].errors


@pytest.mark.parametrize("name", list(READ))
def test_every_pair_is_judged_or_said_not_understood(forms: dict, name: str) -> None:
    form = one_form(forms, name)
    found, analysis = run_rules(form, PROFILE)
    said = {f.cell for f in found if f.code in (Code.TARGET_UNPARSED, Code.ACTUAL_UNPARSED)}
    for row, info, met in zip(form.indicators, analysis.indicators, READ[name].met, strict=True):
        if met is None:  # not comparable: a finding at the row's target or actual says so
            assert info.evaluation.status == "unknown"
            assert {row.cells["target"], row.cells["actual"]} & said, row.name
        else:
            assert info.evaluation.status == ("met" if met else "unmet"), row.name


@pytest.mark.parametrize("name", list(NOT_READ))
def test_a_shape_not_read_says_which_column_is_missing(forms: dict, name: str) -> None:
    [item] = forms[name]
    assert isinstance(item, Unreadable) and item.code == Code.LAYOUT_UNRECOGNISED
    assert f"“{NOT_READ[name]}”" in item.why and item.sheet == "Sheet1"


def test_the_small_equals_sign_is_an_operator(forms: dict) -> None:
    lijiang = one_form(forms, "yunnan_lijiang")
    assert [r.target for r in lijiang.indicators][:2] == ["﹦72890元", "﹦100%"]
    found = findings(lijiang)
    assert not [f for f in found if f.code in (Code.TARGET_UNPARSED, Code.TARGET_NO_OPERATOR)]
    assert_finding(found, Code.MET_PARTIAL, "I13")  # 9 of 10 for a met target


def test_a_row_under_another_categorys_label_stays_in_its_block(forms: dict) -> None:
    nanhua = one_form(forms, "yunnan_nanhua")
    row = nanhua.indicators[3]
    assert (row.level1, row.level2) == ("产出指标", "经济效益指标")
    assert_finding(findings(nanhua), Code.CATEGORY_MISPLACED, row.cells["level2"])
    assert [r.level1 for r in nanhua.indicators][4:] == [
        "产出指标",
        *["效益指标"] * 2,
        "满意度指标",
    ]


def test_a_header_printed_again_is_no_indicator(forms: dict) -> None:
    names = [r.name for r in one_form(forms, "yunnan_nanhua").indicators]
    assert "三级指标" not in names and "年度指标值" not in names and len(names) == 8


def test_a_rate_typed_as_a_bare_number_is_in_percent(forms: dict) -> None:
    funds = one_form(forms, "yunnan_changning").funds
    assert (funds.points, funds.total.stated_rate) == (20, 0.2)  # 20 typed for 20 %


def test_the_reason_written_under_the_table_is_every_rows_reason(forms: dict) -> None:
    changning = one_form(forms, "yunnan_changning")
    missed = changning.indicators[9]
    assert missed.name == "年出栏生猪(≥**头)" and "年出栏生猪未达到目标" in missed.reason
    assert missed.cells["reason"] == "B23"  # the line under 总分
    assert changning.category_weights == {"产出指标": 40, "效益指标": 30, "满意度指标": 10}


def test_rows_breaking_an_indicator_down_are_no_indicators(forms: dict) -> None:
    xiaoxian = one_form(forms, "anhui_xiaoxian")
    names = [r.name for r in xiaoxian.indicators]
    assert (
        not [n for n in names if n.startswith("其中")] and names[0] == "★补助各类瓜果蔬菜种植面积"
    )
    assert [r.level2 for r in xiaoxian.indicators][5:7] == ["经济效益指标", "社会效益指标"]


def test_weights_adding_up_to_110_are_reported_with_the_total(forms: dict) -> None:
    found = findings(one_form(forms, "sichuan_zhongjiang"))
    assert assert_finding(found, Code.POINTS_TOTAL).found == 110
    assert assert_finding(found, Code.TOTAL_MISMATCH).expected == 110


@pytest.mark.xfail(
    strict=True,
    reason="the evaluation framework 项目决策 / 项目管理 / 项目产出 / 项目效益 is not read: "
    "its 一级 cells are taken for indicator names (left for a later issue)",
)
def test_the_evaluation_framework_is_read(forms: dict) -> None:
    form = one_form(forms, "ningxia_framework")
    assert tuple(r.points for r in form.indicators) == (
        4, 2, 2, 2, 10, 7, 2, 6, 10, 5, 5, 4, 3, 3, 15, 10, 10
    )  # fmt: skip
    assert run_rules(form, PROFILE)[1].total == 94.0
    assert errors(form) == {Code.REASON_MISSING}
