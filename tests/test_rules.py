"""Each rule of DOMAIN.md, on small forms built for it."""

from __future__ import annotations

import pytest

from selfeval.form.codes import Code
from selfeval.form.findings import Severity
from selfeval.form.model import FundsRow
from selfeval.profiles.policy import load_profile
from selfeval.rules.analysis import analyse
from selfeval.rules.check import validate
from tests.forms import GOOD_ROWS, assert_finding, assert_no_finding, codes, make_form


def replace_row(i: int, **change):
    rows = list(GOOD_ROWS)
    keys = ("level1", "level2", "name", "target", "actual", "points", "score")
    values = dict(zip(keys, rows[i], strict=True)) | change
    rows[i] = tuple(values[k] for k in keys)
    return rows


def test_a_correct_form_has_no_findings():
    assert validate(make_form()) == []


def test_every_code_has_a_chinese_message_and_label():
    for code in Code:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in code.message + code.label), code


# -- funds --------------------------------------------------------------------------


def test_funds_rate_accepts_plain_and_rounded_up_conventions():
    # 812000 / 819700 = 0.990606…: 0.9906 plain, 0.9907 rounded up (Shanghai's forms)
    for rate in (0.9906, 0.9907):
        form = make_form(budget=819700.0, executed=812000.0, rate=rate, funds_score=9.91)
        assert_no_finding(form, Code.FUNDS_RATE)


def test_funds_rate_beyond_both_conventions_is_an_error():
    form = make_form(budget=819700.0, executed=812000.0, rate=0.9908, funds_score=9.91)
    assert_finding(form, Code.FUNDS_RATE, "funds.total.stated_rate", expected=0.9906, found=0.9908)
    assert_finding(make_form(rate="九成"), Code.FUNDS_RATE, found="九成")


def test_shanghai_profile_expects_the_rounded_up_rate():
    form = make_form(budget=819700.0, executed=812000.0, rate=0.98, funds_score=9.91)
    shanghai = [f for f in validate(form, "shanghai") if f.code == Code.FUNDS_RATE]
    assert shanghai[0].expected == 0.9907


def test_shanghai_scores_the_printed_rate_national_the_exact_rate():
    # 578078.79 ÷ 746393 = 0.774497…: printed 77.45 %, 7.745 → 7.75; exact 7.74497 → 7.74
    form = make_form(budget=746393.0, executed=578078.79, rate=0.7745, funds_score=7.75)
    assert analyse(form, load_profile("shanghai")).funds_score == 7.75
    assert analyse(form, load_profile("national")).funds_score == 7.74


def test_funds_score_within_a_hundredth_passes_and_beyond_fails():
    assert_no_finding(make_form(funds_score=9.51), Code.FUNDS_SCORE)
    assert_finding(make_form(funds_score=9.6), Code.FUNDS_SCORE, expected=9.5, found=9.6)


def test_funds_score_is_capped_at_full_points_when_over_executed():
    form = make_form(executed=120000.0, rate=1.2, funds_score=10.0)
    assert_no_finding(form, Code.FUNDS_SCORE)
    assert_finding(form, Code.FUNDS_OVER, expected=100000.0, found=120000.0)


def test_funds_sum_compares_each_filled_column():
    form = make_form()
    form.funds.current.initial_budget = 90000.0
    assert_finding(form, Code.FUNDS_SUM, "funds.total.initial_budget", expected=90000.0)
    form.funds.current.initial_budget = None  # an unfilled column is not compared
    assert_no_finding(form, Code.FUNDS_SUM)


@pytest.mark.parametrize("field", ["annual_budget", "executed"])
def test_funds_missing_for_blank_or_unreadable_amounts(field):
    form = make_form()
    setattr(form.funds.total, field, "八十万")
    assert_finding(form, Code.FUNDS_MISSING, f"funds.total.{field}", found="八十万")


# -- points -------------------------------------------------------------------------


def test_points_total_must_be_100():
    form = make_form(replace_row(0, points=13))
    assert_finding(form, Code.POINTS_TOTAL, expected=100.0, found=93.0)


def test_category_differing_from_default_is_a_warning():
    form = make_form(
        replace_row(0, points=10, score=10)
        + [("效益指标", "社会效益指标", "办案效率", "提升", "提升", 10, 10)]
    )
    hit = assert_finding(form, Code.POINTS_CATEGORY, "category_weights.产出指标", expected=50.0)
    assert hit.severity is Severity.WARNING


def test_category_differing_from_its_printed_weight_is_an_error():
    form = make_form(category_weights={"产出指标": 45.0, "效益指标": 30.0, "满意度指标": 10.0})
    hit = assert_finding(form, Code.POINTS_CATEGORY, "category_weights.产出指标", found=50.0)
    assert hit.severity is Severity.ERROR


def test_points_and_score_missing():
    form = make_form(replace_row(2, points=None, score=None))
    assert_finding(form, Code.POINTS_MISSING, "indicators[2].points")
    assert_finding(make_form(replace_row(2, score=None)), Code.SCORE_MISSING, "indicators[2].score")


# -- scores -------------------------------------------------------------------------


def test_score_range():
    assert_finding(make_form(replace_row(0, score=21)), Code.SCORE_RANGE, expected=20.0, found=21.0)
    assert_finding(make_form(replace_row(0, score=-1)), Code.SCORE_RANGE)


def test_unmet_full_and_its_reason():
    form = make_form(replace_row(5, actual="86%"))
    hit = assert_finding(form, Code.UNMET_FULL, "indicators[5].score", found=10.0, expected=9.56)
    assert hit.message.endswith("建议得分 9.56")  # 10 × 86 ÷ 90
    assert_finding(form, Code.REASON_MISSING, "indicators[5].reason")
    assert_no_finding(form, Code.SCORE_POLICY)  # UNMET_FULL already gives the suggestion


def test_met_partial_is_a_warning():
    form = make_form(replace_row(1, score=14), reasons={1: "验收略有延迟"})
    assert_finding(form, Code.MET_PARTIAL, expected=15.0, found=14.0)


def test_proportional_score_for_a_negative_indicator_depends_on_the_profile(tmp_path):
    rows = replace_row(3, target="<=2次", actual="3次", score=12)
    form = make_form(rows, reasons={3: "设备老化"})
    # national accepts either formula and suggests the national system's linear one
    assert_finding(form, Code.SCORE_POLICY, expected=7.5)  # 15 × (1 − (3 − 2) ÷ 2)
    ratio = tmp_path / "ratio.toml"
    ratio.write_text(
        'name = "ratio"\ntitle = "比值"\nbase = "national"\n'
        '[scoring]\nnegative_formula = "ratio"\n',
        encoding="utf-8",
    )
    hits = [f for f in validate(form, str(ratio)) if f.code == Code.SCORE_POLICY]
    assert hits[0].expected == 10.0  # 15 × 2 ÷ 3


def test_zero_target_missed_scores_nothing():
    form = make_form(replace_row(3, actual="1起", score=5), reasons={3: "发生一起"})
    assert_finding(form, Code.SCORE_POLICY, expected=0.0, found=5.0)


def test_qualitative_bands():
    partial = replace_row(4, actual="基本完善", score=10)  # 10/15 = 67 %, inside 60-80 %
    assert_no_finding(make_form(partial, reasons={4: "制度尚在制定"}), Code.SCORE_POLICY)
    too_low = replace_row(4, actual="基本完善", score=6)  # 40 % is below the partial band
    assert_finding(make_form(too_low, reasons={4: "制度尚在制定"}), Code.SCORE_POLICY, expected=9.0)
    full = make_form(replace_row(4, actual="基本完善"))
    assert_finding(full, Code.UNMET_FULL, expected=11.99)  # 80 % (12) belongs to the band above


def test_reasons():
    assert_finding(make_form(replace_row(1, score=14)), Code.REASON_MISSING, "indicators[1].reason")
    for empty in ("无", "0", " "):
        assert_finding(make_form(replace_row(1, score=14), reasons={1: empty}), Code.REASON_MISSING)
    form = make_form(reasons={0: "按计划完成"})
    hit = assert_finding(form, Code.REASON_UNEXPECTED, "indicators[0].reason")
    assert hit.severity is Severity.INFO
    assert_no_finding(make_form(reasons={0: "无"}), Code.REASON_UNEXPECTED)


def test_over_achievement_needs_a_reason():
    rows = replace_row(0, target=">=250天", actual="365")
    assert_finding(
        make_form(rows), Code.OVER_ACHIEVED, params={"name": "设备采购完成率", "ratio": "146%"}
    )
    assert_no_finding(make_form(rows, reasons={0: "全年无休值守"}), Code.OVER_ACHIEVED)


# -- grammar, units, categories -------------------------------------------------------


def test_grammar_findings():
    assert_finding(make_form(replace_row(0, target="约%%")), Code.TARGET_UNPARSED)
    assert_finding(
        make_form(replace_row(0, target="300路", actual="300路")),
        Code.TARGET_NO_OPERATOR,
        expected="=300路",
    )
    assert_finding(make_form(replace_row(1, actual="很好")), Code.ACTUAL_UNPARSED)
    assert_finding(
        make_form(replace_row(1, target=">=5个", actual="6次")),
        Code.UNIT_MISMATCH,
        expected="个",
        found="次",
    )


def test_category_misplaced():
    wrong_level2 = replace_row(0, level2="社会效益指标")
    assert_finding(make_form(wrong_level2), Code.CATEGORY_MISPLACED, "indicators[0].level2")
    satisfaction_outside = replace_row(4, name="服务对象满意度")
    assert_finding(make_form(satisfaction_outside), Code.CATEGORY_MISPLACED)
    assert_no_finding(make_form(replace_row(4, level2="可持续影响")), Code.CATEGORY_MISPLACED)


# -- totals and header ----------------------------------------------------------------


def test_total_mismatch():
    assert_finding(make_form(total=99.0), Code.TOTAL_MISMATCH, expected=99.5, found=99.0)
    assert_finding(make_form(total=None), Code.TOTAL_MISMATCH)
    assert_no_finding(make_form(total=99.51), Code.TOTAL_MISMATCH)


def test_input_missing_and_formula_overwritten():
    form = make_form(formulas_overwritten=["funds.stated_score"])
    form.header.department = ""
    assert_finding(form, Code.INPUT_MISSING, "header.department", params={"label": "主管部门"})
    assert_finding(form, Code.FORMULA_OVERWRITTEN, "funds.stated_score", found=9.5)


def test_findings_carry_sheet_and_cell():
    form = make_form(replace_row(0, score=21))
    form.source.sheet = "自评表"
    form.indicators[0].cells = {"score": "G12"}
    hit = assert_finding(form, Code.SCORE_RANGE)
    assert (hit.sheet, hit.cell) == ("自评表", "G12")
    assert hit.to_dict()["message"] == "指标“设备采购完成率”得分 21 不在 0 至分值 20 之间"


def test_codes_are_only_the_contract():
    form = make_form(replace_row(5, actual="86%"), total=None)
    assert all(isinstance(code, Code) for code in codes(form))


def test_proportional_score_converts_money_units():
    # 90 万元 of a ≥100 万元 target, written in 元: 900000 ÷ 1000000 of 20 points
    rows = replace_row(0, target=">=100万元", actual="900000元", score=20)
    assert_finding(make_form(rows), Code.UNMET_FULL, expected=18.0)


def test_a_sub_row_rate_is_checked_where_stated():
    form = make_form()
    form.funds.current = FundsRow(100000.0, 100000.0, 95000.0, 0.95)
    assert_no_finding(form, Code.FUNDS_RATE)
    form.funds.current.stated_rate = 0.97
    assert_finding(form, Code.FUNDS_RATE, "funds.current.stated_rate", expected=0.95, found=0.97)


def test_rescoring_corrects_a_stated_sub_row_rate():
    from selfeval.rules.rescore import rescore

    form = make_form()
    form.funds.current = FundsRow(100000.0, 100000.0, 95000.0, 0.97)
    result = rescore(form)
    assert [(c.field, c.old, c.new) for c in result.changes] == [
        ("funds.current.stated_rate", 0.97, 0.95)
    ]
    assert validate(result.form) == []
