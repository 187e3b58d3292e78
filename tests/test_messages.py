"""Figures in messages read as staff write them: one bracket round a blank, a pair of
figures with the same decimals, amounts with thousands separators, rates in percent."""

from __future__ import annotations

from pathlib import Path

from selfeval.cli.main import main
from selfeval.form.codes import Code
from selfeval.form.findings import Finding
from selfeval.profiles.policy import load_profile
from selfeval.writers.template import write_form
from tests.forms import GOOD_ROWS, make_form


def printed(capsys, tmp_path: Path, form) -> str:
    path = write_form(form, tmp_path / "表.xlsx", load_profile("national"))
    main(["validate", str(path)])
    return capsys.readouterr().out


def test_a_blank_in_brackets_is_not_bracketed_twice(tmp_path, capsys):
    out = printed(capsys, tmp_path, make_form(executed=None, rate=None, funds_score=None))
    assert "年度资金总额的全年执行数未填写或无法识别（空）" in out
    assert "（（" not in out


def test_a_stated_and_a_suggested_score_share_their_decimals(tmp_path, capsys):
    rows = [*GOOD_ROWS[:4], (*GOOD_ROWS[4][:4], "基本完善", 15, 6.5)]
    out = printed(capsys, tmp_path, make_form(rows, reasons={4: "制度正在完善"}))
    assert "得分 6.50 不符合评分规则" in out and "建议得分 9.00" in out


def test_a_total_pair_never_mixes_decimals():
    finding = Finding(Code.TOTAL_MISMATCH, "stated_total", expected=98.9, found=98.23)
    assert finding.message == "总分填报为 98.23，按规则计算应为 98.90"
    whole = Finding(Code.POINTS_TOTAL, "stated_points_total", expected=100.0, found=95.0)
    assert whole.message == "各项分值合计为 95，应为 100"


def test_amounts_carry_thousands_separators(tmp_path, capsys):
    form = make_form(budget=5236490.0, executed=5300000.0, rate=1.0, funds_score=10.0)
    form.funds.current.annual_budget = 5236400.0
    out = printed(capsys, tmp_path, form)
    assert "年度资金总额 5,236,490.00 与三项明细之和 5,236,400.00 不一致" in out
    assert "全年执行数 5,300,000.00 超过全年预算数 5,236,490.00" in out


def test_rates_read_as_percentages():
    finding = Finding(Code.FUNDS_RATE, "funds.total.stated_rate", expected=0.9907, found=0.99)
    assert finding.message == "执行率填报为 99.00%，按全年执行数 ÷ 全年预算数应为 99.07%"
    typed = Finding(Code.FUNDS_RATE, "funds.total.stated_rate", expected=0.9907, found="98%")
    assert typed.message.startswith("执行率填报为 98%，")
