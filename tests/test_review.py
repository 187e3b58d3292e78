"""One small probe form per rule of this round and per review (复核) code, under both
shipped profiles: the finding, its severity, and the score rescoring leaves."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval.form.codes import REVIEW_CODES, Code
from selfeval.form.findings import Severity
from selfeval.form.model import Form, FundsRow
from selfeval.profiles.policy import load_profile
from selfeval.rules.analysis import analyse
from selfeval.rules.check import validate
from selfeval.rules.rescore import rescore
from tests.forms import GOOD_ROWS, make_form
from tests.test_verdicts import ROWS

PROFILES = ["national", "shanghai"]
KEYS = ("level1", "level2", "name", "target", "actual", "points", "score")


def row(i: int, **change: Any) -> list[tuple[Any, ...]]:
    """GOOD_ROWS with row ``i`` changed."""
    rows = list(GOOD_ROWS)
    rows[i] = tuple((dict(zip(KEYS, rows[i], strict=True)) | change)[k] for k in KEYS)
    return rows


def hits(form: Form, code: str, profile: str) -> list:
    return [f for f in validate(form, profile) if f.code == code]


def assert_hit(form: Form, code: str, profile: str, severity: Severity, **expect: Any):
    found = [f for f in hits(form, code, profile) if f.field == expect.get("field", f.field)]
    assert found, f"{code} expected under {profile}: {[f.code for f in validate(form, profile)]}"
    assert found[0].severity is severity
    for key, value in expect.items():
        assert getattr(found[0], key) == value, (key, getattr(found[0], key))
    return found[0]


def assert_none(form: Form, code: str, profile: str) -> None:
    assert not hits(form, code, profile), [f.message for f in hits(form, code, profile)]


def rescored_score(form: Form, i: int, profile: str) -> Any:
    return rescore(form, profile).form.indicators[i].score


# -- the corrected rules --------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("stated", [0.86, "86.19%", "86%", 0.862])
def test_a_rate_is_right_at_its_printed_precision(profile, stated):
    form = make_form(budget=100000.0, executed=86190.0, rate=stated, funds_score=8.62)
    assert_none(form, Code.FUNDS_RATE, profile)
    assert rescore(form, profile).changes == []


@pytest.mark.parametrize("profile", PROFILES)
def test_the_funds_score_is_still_checked_against_the_exact_rate(profile):
    form = make_form(budget=100000.0, executed=86200.0, rate=0.86, funds_score=9.0)
    assert_none(form, Code.FUNDS_RATE, profile)
    assert_hit(form, Code.FUNDS_SCORE, profile, Severity.ERROR, expected=8.62)
    assert rescore(form, profile).form.funds.stated_score == 8.62


@pytest.mark.parametrize("profile", PROFILES)
def test_a_rate_printed_to_a_tenth(profile):
    form = make_form(budget=100000.0, executed=89715.0, rate=0.897, funds_score=8.97)
    assert_none(form, Code.FUNDS_RATE, profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_a_zero_total_row_is_computed_from_its_sub_rows(profile):
    form = make_form(budget=0.0, executed=0.0, rate=0.0, funds_score=0.0, total=90.0)
    form.funds.current = FundsRow(900000.0, 900000.0, 899740.0)
    assert_hit(form, Code.FUNDS_SUM, profile, Severity.ERROR, field="funds.total.annual_budget")
    assert_hit(form, Code.FUNDS_SCORE, profile, Severity.ERROR, expected=10.0)
    assert_hit(form, Code.TOTAL_MISMATCH, profile, Severity.ERROR, expected=100.0)
    result = rescore(form, profile)
    assert (result.form.funds.stated_score, result.form.stated_total) == (10.0, 100.0)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    ("name", "target", "actual"),
    [("有责投诉次数", "3次", "1次"), ("资金结余率", "5%", "3%"), ("系统故障率", "1%", "0.5%")],
)
def test_a_negative_name_reads_a_bare_target_as_a_ceiling(profile, name, target, actual):
    form = make_form(row(3, name=name, target=target, actual=actual))
    assert_none(form, Code.UNMET_FULL, profile)
    hit = assert_hit(form, Code.TARGET_NO_OPERATOR, profile, Severity.INFO, expected=f"<={target}")
    assert "反向指标" in hit.message
    assert rescored_score(form, 3, profile) == 15.0


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(("score", "formula"), [(10.0, "ratio"), (7.5, "linear")])
def test_either_negative_formula_is_accepted_and_named(profile, score, formula):
    form = make_form(row(3, target="<=2次", actual="3次", score=score), reasons={3: "设备老化"})
    assert_none(form, Code.SCORE_POLICY, profile)
    assert analyse(form, load_profile(profile)).negative_formula == formula
    assert rescored_score(form, 3, profile) == score


@pytest.mark.parametrize("profile", PROFILES)
def test_a_negative_score_following_neither_formula_gets_the_linear_one(profile):
    form = make_form(row(3, target="<=2次", actual="3次", score=12), reasons={3: "设备老化"})
    assert_hit(form, Code.SCORE_POLICY, profile, Severity.WARNING, expected=7.5)
    assert rescored_score(form, 3, profile) == 7.5


@pytest.mark.parametrize("profile", PROFILES)
def test_a_strict_target_missed_at_its_boundary_is_not_worth_full_marks(profile):
    form = make_form(row(3, name="投诉率", target="<5%", actual="5%"))
    hit = assert_hit(form, Code.UNMET_FULL, profile, Severity.ERROR)
    assert hit.expected < 15
    assert rescored_score(form, 3, profile) < 15


@pytest.mark.parametrize("profile", PROFILES)
def test_an_explained_reduction_for_far_over_achievement_is_kept(profile):
    rows = row(0, target=">=250天", actual="365天", score=15)
    form = make_form(rows, reasons={0: "指标值设定偏低，按偏差扣减"})
    assert_none(form, Code.MET_PARTIAL, profile)
    assert_none(form, Code.SCORE_POLICY, profile)
    assert rescored_score(form, 0, profile) == 15.0


@pytest.mark.parametrize("profile", PROFILES)
def test_an_unexplained_reduction_is_met_partial_and_rescored_to_full(profile):
    form = make_form(row(0, target=">=250天", actual="365天", score=15))
    assert_hit(form, Code.MET_PARTIAL, profile, Severity.WARNING, expected=20.0)
    assert_hit(form, Code.OVER_ACHIEVED, profile, Severity.INFO)
    assert rescored_score(form, 0, profile) == 20.0


@pytest.mark.parametrize("profile", PROFILES)
def test_partly_achieved_at_exactly_eighty_percent_is_outside_its_band(profile):
    form = make_form(row(4, actual="基本完善", score=12), reasons={4: "制度尚在征求意见"})
    assert_hit(form, Code.SCORE_POLICY, profile, Severity.WARNING, expected=11.99)
    assert rescored_score(form, 4, profile) == 11.99


@pytest.mark.parametrize("profile", PROFILES)
def test_a_score_inside_the_partial_band_is_kept(profile):
    form = make_form(row(4, actual="正在完善", score=10), reasons={4: "制度尚在征求意见"})
    assert_none(form, Code.SCORE_POLICY, profile)
    assert rescored_score(form, 4, profile) == 10


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    ("target", "actual"), [("是", "否"), ("否", "是"), ("优秀", "良好"), ("完善", "正在完善")]
)
def test_a_different_answer_or_a_lower_grade_is_not_full_marks(profile, target, actual):
    form = make_form(row(4, target=target, actual=actual))
    hit = assert_hit(form, Code.UNMET_FULL, profile, Severity.ERROR)
    assert hit.expected < 12
    assert rescored_score(form, 4, profile) < 12


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    ("target", "actual"),
    [
        ("无重大安全事故", "未发生"),
        ("零投诉", "0"),
        ("12月", "11月"),
        ("10月底前", "10月"),
        ("≤2小时", "30分钟"),
        ("≥90%", "0.92"),
        ("≥1.2万人次", "12500人次"),
        ("≥20万元", "200000"),
        ("3-5年", "4年"),
        ("不低于90%", "约92%"),
    ],
)
def test_real_wordings_that_are_met_raise_nothing(profile, target, actual):
    form = make_form(row(3, target=target, actual=actual))
    assert validate(form, profile) == []
    assert rescored_score(form, 3, profile) == 15


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    ("target", "actual"),
    [("2023年", "2024年"), ("10月底前", "11月"), ("≥1.2万人次", "11000人次"), ("无", "发生1起")],
)
def test_real_wordings_that_are_missed_are_not_full_marks(profile, target, actual):
    form = make_form(row(3, target=target, actual=actual))
    assert_hit(form, Code.UNMET_FULL, profile, Severity.ERROR)
    assert_none(form, Code.UNIT_MISMATCH, profile)
    assert rescored_score(form, 3, profile) < 15


@pytest.mark.parametrize("profile", PROFILES)
def test_numbers_in_text_fields_are_read_as_text(profile):
    data = make_form().to_dict()
    data["indicators"][0]["target"] = 100
    data["indicators"][0]["actual"] = 100
    form = Form.from_dict(data)
    assert form.indicators[0].target == "100"
    assert_hit(form, Code.TARGET_NO_OPERATOR, profile, Severity.INFO, expected="=100")
    assert rescored_score(form, 0, profile) == 20


# -- review (复核) checks -------------------------------------------------------------


def low_execution() -> Form:
    """75 % executed, every indicator in full: total 97.5 against a cap of 89."""
    return make_form(executed=75000.0, rate=0.75, funds_score=7.5)


def review_probe(code: str) -> tuple[Form, str]:
    """A probe form for each review code, and the field its finding points at."""
    probes: dict[str, tuple[Form, str]] = {
        Code.EXEC_CAP: (low_execution(), "stated_total"),
        Code.EXEC_REASON: (low_execution(), "funds.total.stated_rate"),
        Code.COST_DIRECTION: (
            make_form(
                row(1, level2="成本指标", name="设备购置成本", target="≥50万元", actual="50万元")
            ),
            "indicators[1].target",
        ),
        Code.CATEGORY_MISSING: (make_form(GOOD_ROWS[:5]), "category_weights.满意度指标"),
        Code.QTY_IS_MONEY: (
            make_form(row(0, name="资金拨付金额", target="≥100万元", actual="100万元")),
            "indicators[0].name",
        ),
        Code.DUP_INDICATOR: (make_form(row(4, name="设备验收合格率")), "indicators[4].name"),
        Code.PERCENT_OVER_100: (
            make_form(row(1, target="≥105%", actual="106%")),
            "indicators[1].target",
        ),
        Code.PLACEHOLDER: (make_form(row(0, target="**人", actual="xx人")), "indicators[0].target"),
        Code.WEIGHT_CONCENTRATION: (
            make_form(row(0, points=80, score=80)),
            "indicators[0].points",
        ),
        Code.WEIGHT_ZERO: (make_form(row(2, points=0, score=0)), "indicators[2].points"),
        Code.SATISFACTION_NO_SURVEY: (
            make_form(row(5, target="≥90%", actual="未收到投诉")),
            "indicators[5].actual",
        ),
        Code.REASON_QUALITY: (
            make_form(row(1, actual="90%", score=14.21), reasons={1: "见上"}),
            "indicators[1].reason",
        ),
        Code.NUMERIC_ACTUAL_TEXT: (
            make_form(row(1, actual="达成预期指标")),
            "indicators[1].actual",
        ),
    }
    return probes[code]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("code", REVIEW_CODES)
def test_each_review_check_on_its_probe(profile, code):
    form, field = review_probe(code)
    before = [r.score for r in form.indicators]
    hit = assert_hit(form, code, profile, code.severity, field=field)
    assert "复核" in hit.message or "省级" in hit.message
    assert "—" not in hit.message  # every placeholder of the message was filled
    # a review finding is advice: rescoring changes no indicator score for it
    assert [r.score for r in rescore(form, profile).form.indicators] == before


def test_every_review_code_names_its_criterion_in_its_message():
    for code in REVIEW_CODES:
        assert code.spec.criterion is None or "{criterion}" in code.message, code


@pytest.mark.parametrize("profile", PROFILES)
def test_exec_cap_names_the_points_at_risk(profile):
    hit = assert_hit(low_execution(), Code.EXEC_CAP, profile, Severity.WARNING)
    assert (hit.expected, hit.found) == (89.0, 97.5)
    assert "8.5 分" in hit.message and "75.00%" in hit.message
    assert rescore(low_execution(), profile).form.stated_total == 97.5


@pytest.mark.parametrize("profile", PROFILES)
def test_exec_reason_is_quiet_when_the_form_explains_the_rate(profile):
    form = low_execution()
    form.goals.achieved = "执行率偏低，因工程尾款未支付"
    assert_none(form, Code.EXEC_REASON, profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_a_good_form_has_no_review_finding(profile):
    assert validate(make_form(), profile) == []


def test_a_profile_turns_a_review_check_off_or_changes_its_severity(tmp_path):
    custom = tmp_path / "province.toml"
    custom.write_text(
        'name = "province"\ntitle = "某省"\nbase = "national"\n'
        '[review.checks]\nEXEC_CAP = "off"\nEXEC_REASON = "info"\n'
        "[review]\nexec_reason_below = 0.8\n",
        encoding="utf-8",
    )
    form = low_execution()
    assert_none(form, Code.EXEC_CAP, str(custom))
    hit = assert_hit(form, Code.EXEC_REASON, str(custom), Severity.INFO)
    assert "80%" in hit.message


# -- the quiet-row fast path ------------------------------------------------------------


def every_row_rule(form: Form, profile: str) -> list[tuple[str, str]]:
    """What the row rules say when run on every row, fast path or not."""
    from selfeval.rules.check import ROW_RULES, Check

    prof = load_profile(profile)
    check = Check(form, analyse(form, prof), prof)
    pairs = zip(form.indicators, check.analysis.indicators, strict=True)
    return [
        (f.code, f.field)
        for i, (r, info) in enumerate(pairs)
        for rule in ROW_RULES
        if (f := rule(check, i, r, info)) is not None
    ]


def probe_forms() -> list[Form]:
    forms = [review_probe(code)[0] for code in REVIEW_CODES]
    for name, target, actual, _ in ROWS:
        for score in (20, 10):
            forms.append(make_form(row(0, name=name, target=target, actual=actual, score=score)))
    return forms


_ROW_CODES = {
    Code.POINTS_MISSING, Code.SCORE_MISSING, Code.SCORE_RANGE, Code.UNMET_FULL, Code.MET_PARTIAL,
    Code.SCORE_POLICY, Code.REASON_MISSING, Code.REASON_UNEXPECTED, Code.OVER_ACHIEVED, Code.TARGET_UNPARSED,
    Code.ACTUAL_UNPARSED, Code.TARGET_NO_OPERATOR, Code.UNIT_MISMATCH, Code.CATEGORY_MISPLACED,
}  # fmt: skip
"""The codes the row rules give."""


@pytest.mark.parametrize("profile", ["national", pytest.param("shanghai", marks=pytest.mark.slow)])
def test_the_rows_skipped_as_quiet_are_those_no_row_rule_speaks_about(profile):
    for form in probe_forms():
        full = every_row_rule(form, profile)
        fast = [(f.code, f.field) for f in validate(form, profile) if f.code in _ROW_CODES]
        assert sorted(fast) == sorted(full), form.indicators[0]


@pytest.mark.slow  # rescores some hundred probe forms twice
@pytest.mark.parametrize("profile", PROFILES)
def test_rescoring_settles_every_probe_in_one_pass(profile):
    scoring = {
        Code.UNMET_FULL,
        Code.MET_PARTIAL,
        Code.SCORE_POLICY,
        Code.FUNDS_SCORE,
        Code.TOTAL_MISMATCH,
    }
    for form in probe_forms():
        result = rescore(form, profile)
        assert rescore(result.form, profile).changes == []
        assert not [f.message for f in validate(result.form, profile) if f.code in scoring]


# -- no crash on odd input --------------------------------------------------------------

odd_values = st.sampled_from([None, "", 0, 5, 12.5, "五", "—", "**", "≥90%", "xx", -3, 1e9])


@st.composite
def odd_forms(draw) -> Form:
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        name, target, actual, _ = draw(st.sampled_from(ROWS))
        rows.append(
            (
                draw(st.sampled_from(["产出指标", "效益指标", "满意度指标", ""])),
                draw(st.sampled_from(["数量指标", "成本指标", "服务对象满意度指标", ""])),
                draw(st.one_of(st.just(name), odd_values)),
                draw(st.one_of(st.just(target), odd_values)),
                draw(st.one_of(st.just(actual), odd_values)),
                draw(st.sampled_from([5, 10, 0, None, "五", -5])),
                draw(st.sampled_from([5, 4.5, 0, None, "x", 20.0, 3.99])),
            )
        )
    form = make_form(
        rows,
        total=draw(st.sampled_from([None, "auto", 99.0])),
        budget=draw(st.sampled_from([100000.0, 0.0, None, "八十万"])),
        executed=draw(st.sampled_from([95000.0, 0.0, None])),
        rate=draw(st.sampled_from([0.95, "95%", None, "abc%"])),
    )
    return Form.from_dict(form.to_dict())  # as a YAML/JSON form arrives


@pytest.mark.slow  # 150 generated forms
@settings(max_examples=150, deadline=None)
@given(odd_forms(), st.sampled_from(PROFILES))
def test_odd_forms_are_validated_and_rescored_without_a_crash(form, profile):
    findings = validate(form, profile)
    assert all(isinstance(f.code, Code) and f.message for f in findings)
    result = rescore(form, profile)
    assert rescore(result.form, profile).changes == []


@pytest.mark.parametrize("profile", PROFILES)
def test_a_survey_result_may_mention_complaints_in_its_reason(profile):
    form = make_form(row(5, actual="92%"), reasons={5: "问卷调查满意度92%，全年无投诉"})
    assert_none(form, Code.SATISFACTION_NO_SURVEY, profile)
    form = make_form(row(5, actual="达标", score=10), reasons={5: "全年未收到投诉"})
    assert_hit(
        form, Code.SATISFACTION_NO_SURVEY, profile, Severity.WARNING, field="indicators[5].reason"
    )


@pytest.mark.parametrize("profile", PROFILES)
def test_a_reason_copied_across_rows_or_of_two_characters_says_nothing(profile):
    rows = [row(i, actual="未完成", score=5)[i] for i in (2, 3, 4)]
    same = "受疫情影响进度滞后，下年加快推进"
    form = make_form(GOOD_ROWS[:2] + rows + GOOD_ROWS[5:], reasons={2: same, 3: same, 4: same})
    found = hits(form, Code.REASON_QUALITY, profile)
    assert [f.field for f in found] == [f"indicators[{i}].reason" for i in (2, 3, 4)]
    assert "原样重复" in found[0].message
    short = make_form(row(3, actual="1起", score=0), reasons={3: "偶发"})
    assert "过于简短" in assert_hit(short, Code.REASON_QUALITY, profile, Severity.WARNING).message
    fine = make_form(row(3, actual="1起", score=0), reasons={3: "设备老化"})
    assert_none(fine, Code.REASON_QUALITY, profile)
