"""The wordings of DOMAIN.md's "Further wordings seen in published forms", judged by the engine."""

from __future__ import annotations

from tests.forms import GOOD_ROWS, assert_finding, assert_no_finding, make_form


def with_row(name: str, target: str, actual: str, score: float = 15, reason: str = ""):
    """The good form with its 时效 row replaced (15 points)."""
    rows = list(GOOD_ROWS)
    rows[2] = ("产出指标", "时效指标", name, target, actual, 15, score)
    return make_form(rows, reasons={2: reason} if reason else None)


def test_a_project_finished_later_than_its_duration_is_not_met():
    form = with_row("项目周期", "6个月", "8个月")
    assert_finding(form, "UNMET_FULL", "indicators[2].score")


def test_a_project_finished_sooner_than_its_duration_is_met():
    assert_no_finding(with_row("项目周期", "6个月", "5个月"), "UNMET_FULL")


def test_the_duration_assumption_is_said():
    finding = assert_finding(with_row("项目周期", "6个月", "5个月"), "TARGET_NO_OPERATOR")
    assert "上限" in finding.message


def test_a_monthly_count_is_met_by_twelve_in_the_year():
    assert_no_finding(with_row("督导检查频次", "每月1次", "12次"), "UNMET_FULL")
    assert_finding(with_row("督导检查频次", "每月1次", "10次"), "UNMET_FULL")


def test_a_change_target_compares_the_change():
    assert_no_finding(with_row("就业率变化", "提高2个百分点", "提高2.5个百分点"), "ACTUAL_UNPARSED")
    assert_finding(with_row("就业率变化", "提高2个百分点", "提高1.5个百分点"), "UNMET_FULL")


def test_a_note_in_brackets_is_not_part_of_the_target():
    assert_no_finding(with_row("满意度调查", "≥90%【抽样】", "92%"), "TARGET_UNPARSED")
