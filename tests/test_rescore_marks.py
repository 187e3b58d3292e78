"""`selfeval rescore` leaves a trace: the add-in's marks on every changed cell, a sheet
listing every change, every change printed; and the figures it writes add up."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfeval.cli.main import main
from selfeval.form.codes import Code
from selfeval.form.values import number
from selfeval.layouts.layout import layout_for
from selfeval.profiles.policy import load_profile
from selfeval.readers import read_file
from selfeval.rules.rescore import rescore
from selfeval.writers.marks import CHANGES_HEADINGS, CHANGES_SHEET, RESCORE_FILL
from selfeval.writers.template import write_form
from tests.forms import GOOD_ROWS, make_form

UNMET = [
    *GOOD_ROWS[:-1],
    ("满意度指标", "服务对象满意度指标", "工作人员满意度", ">=90%", "86%", 10, 10),
]
"""The satisfaction target missed, yet scored in full: rescoring gives 9.56."""


def rescore_cli(capsys, src: Path, out: Path, *options: str) -> tuple[int, str]:
    status = main(["rescore", str(src), "-o", str(out), *options])
    return status, capsys.readouterr().out


def is_marked(cell) -> bool:
    return cell.fill.fgColor.rgb == "FF" + RESCORE_FILL[1:].upper()


def changes_rows(path: Path) -> list[tuple]:
    rows = list(openpyxl.load_workbook(path)[CHANGES_SHEET].iter_rows(values_only=True))
    assert rows[0] == CHANGES_HEADINGS
    return rows[1:]


def test_a_legacy_forms_changed_cells_carry_the_fill_and_a_note_with_the_old_value(
    seeds, tmp_path, capsys
):
    status, out = rescore_cli(
        capsys, seeds / "form11.xlsx", tmp_path / "新.xlsx", "--profile", "shanghai"
    )
    assert status == 0
    ws = openpyxl.load_workbook(tmp_path / "新.xlsx")["自评表"]
    assert (ws["G30"].value, ws["G30"].comment.text) == (9.56, "重新评分：原得分 10")
    assert is_marked(ws["G30"]) and is_marked(ws["G31"]) and is_marked(ws["G29"])
    assert ws["G31"].comment.text == "重新评分：原总分 98"
    assert not is_marked(ws["G28"]) and ws["G28"].comment is None  # unchanged cells untouched


def test_the_changes_sheet_lists_every_change_with_old_new_and_why(seeds, tmp_path, capsys):
    _, out = rescore_cli(
        capsys, seeds / "form11.xlsx", tmp_path / "新.xlsx", "--profile", "shanghai"
    )
    rows = changes_rows(tmp_path / "新.xlsx")
    assert [(r[2], r[3], r[4], r[5]) for r in rows] == [
        ("G29", "得分", 2, 2.4),
        ("G30", "得分", 10, 9.56),
        ("G31", "总分", 98, 97.96),
    ]
    assert rows[1][0] == "驻第二看守所数字化监控联网迁建项目" and rows[1][1] == "自评表"
    assert "办案人员满意度" in rows[1][6] and "实际值 ÷ 指标值" in rows[1][6]
    assert "总分 = 预算执行得分 + 各指标得分" in rows[2][6]
    assert f"“{CHANGES_SHEET}”工作表" in out


def test_every_change_is_printed_with_the_same_decimals_on_both_sides(seeds, tmp_path, capsys):
    _, out = rescore_cli(
        capsys, seeds / "form11.xlsx", tmp_path / "新.xlsx", "--profile", "shanghai"
    )
    assert "G29 得分：2.00 → 2.40（" in out
    assert "G30 得分：10.00 → 9.56（指标“办案人员满意度”" in out
    assert "G31 总分：98.00 → 97.96（" in out


def test_a_formula_typed_over_is_restored_marked_listed_and_printed(tmp_path, capsys):
    src = write_form(make_form(UNMET), tmp_path / "表.xlsx", load_profile("national"))
    book = openpyxl.load_workbook(src)
    total_cell = layout_for(book).fields["stated_total"]
    formula = book.active[total_cell].value
    book.active[total_cell] = 99.5
    book.save(src)
    status, out = rescore_cli(capsys, src, tmp_path / "新.xlsx")
    assert status == 0
    assert (
        f"{total_cell} 总分：99.5 → 公式 {formula}（计算单元格被改为固定值，已恢复模板公式）" in out
    )
    ws = openpyxl.load_workbook(tmp_path / "新.xlsx").active
    assert ws[total_cell].value == formula and is_marked(ws[total_cell])
    assert ws[total_cell].comment.text == "重新评分：原总分 99.5"
    restored = [r for r in changes_rows(tmp_path / "新.xlsx") if r[5] == formula]
    assert restored and restored[0][4] == 99.5


def test_a_form_the_rules_agree_with_gets_an_empty_change_list_and_no_marks(
    seeds, tmp_path, capsys
):
    status, out = rescore_cli(
        capsys, seeds / "form03.xlsx", tmp_path / "新.xlsx", "--profile", "shanghai"
    )
    assert status == 0 and "改动 0 处" in out
    book = openpyxl.load_workbook(tmp_path / "新.xlsx")
    assert changes_rows(tmp_path / "新.xlsx")[0][6] == "规则与表中得分一致，未改动任何单元格"
    assert not any(is_marked(c) for row in book["自评表"].iter_rows() for c in row)


def test_the_rescored_workbook_still_reads_as_the_same_forms(seeds, tmp_path, capsys):
    rescore_cli(capsys, seeds / "all_forms.xlsx", tmp_path / "新.xlsx", "--profile", "shanghai")
    assert len(read_file(tmp_path / "新.xlsx")) == 11


# -- item 8: the figures written add up ---------------------------------------------------


def test_a_kept_funds_score_and_the_total_written_add_up(seeds, tmp_path, capsys):
    """Form 2 states 7.75 for a computed 7.74 (within tolerance, kept): the total is
    7.75 + the indicator scores, 97.64, not 97.63."""
    status, out = rescore_cli(capsys, seeds / "form02.xlsx", tmp_path / "新.xlsx")
    assert status == 0 and "总分 97.64（优）" in out and "97.63" not in out
    (form,) = read_file(tmp_path / "新.xlsx")
    scores = sum(number(r.score) or 0 for r in form.indicators)
    assert number(form.funds.stated_score) == 7.75
    assert number(form.stated_total) == round(7.75 + scores, 2) == 97.64
    assert Code.TOTAL_MISMATCH not in validate_codes(capsys, tmp_path / "新.xlsx")


def validate_codes(capsys, path: Path) -> str:
    main(["validate", str(path)])
    return capsys.readouterr().out


@pytest.mark.parametrize("profile", ["national", "shanghai"])
def test_every_rescored_seed_form_adds_up_and_rescoring_again_changes_nothing(seeds, profile):
    for form in read_file(seeds / "all_forms.xlsx"):
        once = rescore(form, profile)
        assert_adds_up(once.form)
        assert once.total == number(once.form.stated_total)
        assert rescore(once.form, profile).changes == []


@given(
    offset=st.sampled_from([-0.01, 0.0, 0.01]),
    scores=st.lists(st.integers(0, 100), min_size=len(GOOD_ROWS), max_size=len(GOOD_ROWS)),
)
def test_a_rescored_form_adds_up_whatever_its_scores(offset, scores):
    rows = [
        (*row[:6], round(row[5] * s / 100, 2)) for row, s in zip(GOOD_ROWS, scores, strict=True)
    ]
    form = make_form(rows, funds_score=round(9.5 + offset, 2), total=50.0)
    result = rescore(form)
    assert_adds_up(result.form)
    assert result.total == result.analysis.rules_total


def assert_adds_up(form) -> None:
    """总分 written = 预算执行得分 written + every indicator score written."""
    scores = sum(number(r.score) or 0 for r in form.indicators)
    assert number(form.stated_total) == round(number(form.funds.stated_score) + scores, 2)
