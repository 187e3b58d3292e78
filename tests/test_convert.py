"""selfeval convert keeps the form's own year, layout and rounding, and says what changes."""

from __future__ import annotations

from pathlib import Path

from selfeval.cli.main import main
from selfeval.pipeline.results import read


def convert(capsys, src: Path, out: Path, *options: str) -> tuple[int, str]:
    status = main(["convert", str(src), "-o", str(out), *options])
    return status, capsys.readouterr().out


def test_a_2021_form_stays_2021_with_its_rounded_up_rate(seeds, tmp_path, capsys):
    status, out = convert(capsys, seeds / "form09.xlsx", tmp_path / "新.xlsx")
    [form] = read(tmp_path / "新.xlsx")
    assert status == 0 and form.header.year == 2021
    assert form.funds.total.stated_rate == 0.9738  # rounded up, as the form printed it
    assert "年度：" not in out and "执行率：" not in out


def test_every_change_asked_for_is_printed(seeds, tmp_path, capsys):
    out_file = tmp_path / "新.xlsx"
    options = ("--year", "2026", "--profile", "national", "--layout", "national")
    status, out = convert(capsys, seeds / "form09.xlsx", out_file, *options)
    [form] = read(out_file)
    assert status == 0 and (form.header.year, form.layout) == (2026, "national")
    assert "年度：2021 → 2026" in out
    assert "表样：财政项目支出绩效自评表 → 项目支出绩效自评表" in out
    assert "执行率：97.38% → 97.37%" in out


def test_a_stated_figure_the_formulas_compute_otherwise_is_printed(seeds, tmp_path, capsys):
    status, out = convert(capsys, seeds / "form10.xlsx", tmp_path / "新.xlsx")
    [form] = read(tmp_path / "新.xlsx")
    assert status == 0 and form.layout == "appraisal"  # the form's own layout is kept
    assert "分值合计：100 → 93" in out and "总分：97.78 → 90.78" in out


def test_an_unchanged_form_says_so(seeds, tmp_path, capsys):
    status, out = convert(capsys, seeds / "form06.xlsx", tmp_path / "新.xlsx")
    assert status == 0 and "年度、表样、数字均与原表一致" in out
