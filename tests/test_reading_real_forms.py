"""Forms as offices really fill them in (issue 19; DOMAIN.md, "Seen in further published
forms"), transcribed in our own words and figures in the shape of Anhui's 项目支出绩效自评表
(tests/fixtures/provinces/anhui_*.txt; their totals and real mistakes are checked with the
other provinces' forms in tests/test_province_forms.py):

- anhui_not_applicable: an unused 生态效益 row marked ``指标1:/ | / | /``, a nameless row
  holding a lone 0, an empty ``指标2:``, 一级 cells reading only ``(50分)`` / ``（30分）``,
  满意度指标 written again as the 二级, and a blank stated 执行率;
- anhui_lost_names: the same with full-width colons and brackets, 二级 without 指标,
  ``—`` across a row, and a blank 主管部门 (``主管部门 | | 实施单位 | …``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from selfeval.form.codes import Code
from selfeval.form.model import Form
from selfeval.readers import Unreadable, read_file
from selfeval.rules.check import run_rules
from tests.relaid_forms import write_rows
from tests.test_province_forms import PROFILE, PROVINCES
from tests.transcribed import workbook

NAMES = ("anhui_not_applicable", "anhui_lost_names")


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Form]:
    folder = tmp_path_factory.mktemp("real_forms")
    found = {}
    for name in NAMES:
        [form] = read_file(workbook(PROVINCES / f"{name}.txt", folder))
        assert isinstance(form, Form), form
        found[name] = form
    return found


def codes(form: Form) -> set[str]:
    return {f.code for f in run_rules(form, PROFILE)[0]}


def assert_finding(form: Form, code: Code, cell: str) -> None:
    assert (code, cell) in {(f.code, f.cell) for f in run_rules(form, PROFILE)[0]}


def test_every_code_each_form_should_get(forms: dict[str, Form]) -> None:
    assert codes(forms["anhui_not_applicable"]) == {Code.FUNDS_RATE_BLANK, Code.TARGET_NO_OPERATOR}
    assert codes(forms["anhui_lost_names"]) == {
        Code.INPUT_MISSING,
        Code.UNMET_FULL,
        Code.REASON_MISSING,
        Code.TARGET_NO_OPERATOR,
    }


def test_rows_marked_not_applicable_and_placeholders_are_no_indicators(forms: dict) -> None:
    for form in forms.values():
        names = [r.name for r in form.indicators]
        assert all(n and n not in "/／—0" and not n.startswith("指标") for n in names), names
        assert "生态效益指标" not in {r.level2 for r in form.indicators}
        assert Code.POINTS_MISSING not in codes(form)


def test_numbered_names_carry_the_name_after_the_colon(forms: dict) -> None:
    assert [r.name for r in forms["anhui_lost_names"].indicators][:3] == [
        "补助服务站数量",
        "助餐服务人次",
        "服务站年检合格率",
    ]


def test_a_category_that_lost_its_name_follows_from_its_second_level(forms: dict) -> None:
    blocks = {"anhui_not_applicable": (4, 2, 1), "anhui_lost_names": (5, 2, 1)}
    for name, form in forms.items():
        assert form.category_weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
        levels = [r.level1 for r in form.indicators]
        order = ["产出指标", "效益指标", "满意度指标"]
        assert levels == [l1 for l1, n in zip(order, blocks[name], strict=True) for _ in range(n)]
    first = forms["anhui_not_applicable"].indicators[0]
    assert (first.name, first.level2) == ("维修养护工程数量", "数量指标")  # not "(50分)"
    assert forms["anhui_not_applicable"].cells["category_weights.效益指标"] == "B19"


def test_satisfaction_written_again_as_the_second_level(forms: dict) -> None:
    for form in forms.values():
        assert form.indicators[-1].level2 == "服务对象满意度指标"
        assert Code.CATEGORY_MISPLACED not in codes(form)


def test_a_blank_stated_rate_is_said_to_be_blank_not_wrong(forms: dict) -> None:
    form = forms["anhui_not_applicable"]
    assert form.funds.total.stated_rate is None and Code.FUNDS_RATE not in codes(form)
    assert_finding(form, Code.FUNDS_RATE_BLANK, "G7")


def test_a_blank_header_value_is_missing_not_the_next_label(forms: dict) -> None:
    form = forms["anhui_lost_names"]
    assert (form.header.department, form.header.implementer) == ("", "某区民政局养老服务中心")
    assert_finding(form, Code.INPUT_MISSING, "B5")


def test_a_missing_needed_column_is_named(tmp_path: Path) -> None:
    lines = (PROVINCES / "anhui_lost_names.txt").read_text("utf-8").rstrip("\n").split("\n")
    rows = [line.split("\t") for line in lines]
    head = next(i for i, row in enumerate(rows) if "三级指标" in row)
    score = rows[head].index("得分")
    cut = [row[:score] + row[score + 1 :] if i >= head else row for i, row in enumerate(rows)]
    [item] = read_file(write_rows(cut, tmp_path / "no_score.xlsx", sheet="Sheet1"))
    assert isinstance(item, Unreadable) and item.code == Code.LAYOUT_UNRECOGNISED
    assert "“得分”" in item.why and "社区养老服务站运营补助" in item.why
