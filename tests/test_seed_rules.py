"""The eleven real forms (tests/fixtures/seed): computed totals and the findings each deserves.

Shanghai's published forms round the execution rate up and score the printed rate,
so they are checked with the ``shanghai`` profile; the national profile is checked
for what differs.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from selfeval.form.codes import Code
from selfeval.form.findings import Severity
from selfeval.form.model import Form
from selfeval.profiles.policy import load_profile
from selfeval.rules.analysis import analyse
from selfeval.rules.check import validate
from selfeval.rules.rescore import rescore

SEED = Path(__file__).parent / "fixtures" / "seed"


def seed_form(n: int) -> Form:
    return Form.from_dict(yaml.safe_load((SEED / f"form{n:02d}.yaml").read_text("utf-8")))


# form -> (computed total, rate convention, {code: count}) under the shanghai profile
EXPECTED = {
    1: (97.91, "roundup", {Code.POINTS_CATEGORY: 2}),  # 工程返修次数/场所安全性 read under 产出
    # 88 % vs ≥90 % scored 4 of 5: rule gives 4.89; 77.45 % executed: the review checks
    # (复核) cap the total at 89 and ask why so little was spent
    2: (96.75, "both", {Code.SCORE_POLICY: 1, Code.EXEC_CAP: 1, Code.EXEC_REASON: 1}),
    3: (99.94, "both", {}),
    4: (99.07, "roundup", {Code.OVER_ACHIEVED: 2, Code.CATEGORY_MISPLACED: 3}),
    5: (98.10, "both", {Code.POINTS_CATEGORY: 2, Code.EXEC_REASON: 1}),  # 80.98 % unexplained
    # 66.80 % is read as the number 0.668: at that printed precision both conventions agree
    6: (
        94.68,
        "both",
        {Code.POINTS_MISSING: 1, Code.SCORE_POLICY: 1, Code.EXEC_CAP: 1, Code.EXEC_REASON: 1},
    ),
    7: (94.96, "roundup", {Code.EXEC_CAP: 1, Code.EXEC_REASON: 1}),  # 69.62 %: capped at 79
    8: (97.56, "both", {Code.SCORE_POLICY: 1}),
    9: (99.74, "roundup", {}),
    # 产出 adds to 43 under a printed (50分); 分值 total 93; stated 97.78 is 7 points too many
    10: (
        90.78,
        "both",
        {
            Code.POINTS_TOTAL: 1,
            Code.POINTS_CATEGORY: 1,
            Code.TOTAL_MISMATCH: 1,
            Code.SCORE_POLICY: 1,
        },
    ),
    # 86 % vs ≥90 % scored in full with no reason; 基本完善 scored 2 of 4, below the band
    11: (
        98.00,
        "both",
        {
            Code.TARGET_NO_OPERATOR: 6,
            Code.SCORE_POLICY: 1,
            Code.UNMET_FULL: 1,
            Code.REASON_MISSING: 1,
        },
    ),
}


@pytest.mark.parametrize("n", sorted(EXPECTED))
def test_seed_form_total_and_findings(n):
    form, profile = seed_form(n), load_profile("shanghai")
    total, convention, codes = EXPECTED[n]
    a = analyse(form, profile)
    assert a.total == total
    assert a.rate_convention == convention
    assert Counter(f.code for f in validate(form, profile)) == Counter(codes)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 9])  # 6 has a row with no 分值
def test_forms_whose_figures_are_right_have_no_error(n):
    findings = validate(seed_form(n), "shanghai")
    assert not [f.message for f in findings if f.severity is Severity.ERROR]


def test_form10_findings_say_what_is_wrong():
    by_code = {f.code: f for f in validate(seed_form(10), "shanghai")}
    assert (by_code[Code.POINTS_TOTAL].expected, by_code[Code.POINTS_TOTAL].found) == (100.0, 93.0)
    category = by_code[Code.POINTS_CATEGORY]
    assert (category.field, category.expected, category.found) == (
        "category_weights.产出指标",
        50.0,
        43.0,
    )
    assert category.severity is Severity.ERROR  # the header prints (50分)
    assert (by_code[Code.TOTAL_MISMATCH].expected, by_code[Code.TOTAL_MISMATCH].found) == (
        90.78,
        97.78,
    )


def test_form11_full_score_for_a_missed_target():
    unmet = [f for f in validate(seed_form(11), "shanghai") if f.code == Code.UNMET_FULL][0]
    assert unmet.field.endswith(".score")
    assert unmet.params["name"] == "办案人员满意度"
    assert (unmet.expected, unmet.found) == (9.56, 10.0)  # 10 × 86 ÷ 90


def test_national_profile_scores_the_exact_rate():
    # form 2: 578078.79 ÷ 746393 = 0.774497…; national gives 7.74, still within ±0.01 of 7.75
    form = seed_form(2)
    assert analyse(form, load_profile("national")).funds_score == 7.74
    assert Code.FUNDS_SCORE not in {f.code for f in validate(form, "national")}
    # form 1 prints 99.07 %, the rounded-up rate: accepted by both profiles, named as such
    assert analyse(seed_form(1), load_profile("national")).rate_convention == "roundup"


@pytest.mark.parametrize("n", [3, 7, 9])
def test_rescoring_a_form_the_rules_agree_with_changes_nothing(n):
    form = seed_form(n)
    result = rescore(form, "shanghai")
    assert result.changes == []
    assert result.form == form


def test_rescoring_form11_puts_in_the_rules_scores():
    result = rescore(seed_form(11), "shanghai")
    changed = {c.field: (c.old, c.new) for c in result.changes}
    satisfaction = next(
        i for i, r in enumerate(result.form.indicators) if r.name == "办案人员满意度"
    )
    assert changed[f"indicators[{satisfaction}].score"] == (10.0, 9.56)
    assert changed["stated_total"] == (98.0, 97.96)
    after = {f.code for f in validate(result.form, "shanghai")}
    assert Code.UNMET_FULL not in after and Code.TOTAL_MISMATCH not in after
    assert Code.REASON_MISSING in after  # rescoring cannot write the reason for staff


def test_rescoring_is_idempotent():
    once = rescore(seed_form(10), "shanghai").form
    assert rescore(once, "shanghai").changes == []


def test_forms_round_trip_through_json_and_yaml():
    import json

    for n in EXPECTED:
        form = seed_form(n)
        assert Form.from_dict(json.loads(form.to_json())) == form
        assert (
            Form.from_dict(yaml.safe_load(yaml.safe_dump(form.to_dict(), allow_unicode=True)))
            == form
        )
