"""The add-in's buttons on real workbooks: protected templates, user passwords, a failure
at any write, rows inserted or deleted and notes deleted by hand between two clicks,
and sheets formatted down whole columns.

The playback (tests/xlwings_payload.py) enforces what Excel enforces and plays each
write as it is made, so a refused or failed write stops the button where Excel would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.protection import WorkbookProtection

from selfeval.excel import buttons
from selfeval.excel.marks import STATE_SHEET, Ledger
from tests.xlwings_payload import (
    delete_note,
    delete_rows,
    enable_remote_engine,
    insert_rows,
    press,
    snapshot,
)

SHEET = "自评表"
ROLLED_BACK = "工作簿已恢复为操作前的样子"


@pytest.fixture(autouse=True)
def remote_engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    enable_remote_engine(monkeypatch)
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "home"))


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A filled template as `selfeval build` makes it: protected, no password."""
    from selfeval.profiles.policy import load_profile
    from selfeval.readers.formfile import read_form_file
    from selfeval.writers.template import write_form

    form = read_form_file(Path(__file__).parent / "fixtures" / "seed" / "form10.yaml")[0]
    return write_form(form, tmp_path / "template.xlsx", load_profile())


@pytest.fixture
def form10(seeds: Path, tmp_path: Path) -> Path:
    """A hand-made form (no defined names, no protection)."""
    path = tmp_path / "form10.xlsx"
    shutil.copy(seeds / "form10.xlsx", path)
    return path


def copy_of(path: Path, name: str) -> Path:
    other = path.with_name(name)
    shutil.copy(path, other)
    return other


def ledger(path: Path) -> Ledger:
    wb = load_workbook(path)
    rows = (
        [list(r) for r in wb[STATE_SHEET].iter_rows(values_only=True)] if STATE_SHEET in wb else []
    )
    return Ledger.from_rows(rows)


def rescored_cells(path: Path) -> list[str]:
    return [cell for _, cell in ledger(path).keys(lambda m: m.rescored)]


# -- protection ----------------------------------------------------------------------------


def test_the_playback_refuses_to_mark_a_protected_template(template: Path) -> None:
    """Without Excel's object model (the remote engine) protection cannot be lifted:
    Validate fails as it would in Excel, and leaves the workbook as it was."""
    assert load_workbook(template)[SHEET].protection.sheet
    original = snapshot(template)
    applied, _ = press(buttons.validate_book, template)
    assert ROLLED_BACK in applied.alerts[-1]
    assert snapshot(template) == original


@pytest.mark.slow  # three button sequences on a template
@pytest.mark.parametrize(
    "sequence",
    [
        [buttons.validate_book, buttons.clear_marks],
        [buttons.rescore_book, buttons.restore_book],
        [buttons.validate_book, buttons.rescore_book, buttons.clear_marks, buttons.restore_book],
    ],
)
def test_buttons_on_a_protected_template_keep_its_protection(template: Path, sequence) -> None:
    original = snapshot(template)
    for button in sequence:
        applied, _ = press(button, template, desktop=True)
        assert "出错" not in applied.alerts[-1], applied.alerts
        assert snapshot(template)[SHEET]["protection"] == original[SHEET]["protection"]
        if button is buttons.validate_book:
            assert ledger(template).marks  # cells were marked on the protected sheet
    assert snapshot(template) == original


def test_rescore_on_a_protected_template_keeps_the_units_score_recoverable(
    template: Path,
) -> None:
    original = snapshot(template)
    press(buttons.rescore_book, template, desktop=True)
    assert rescored_cells(template)
    press(buttons.restore_book, template, desktop=True)
    assert snapshot(template) == original


@pytest.mark.parametrize("button", [buttons.validate_book, buttons.rescore_book])
def test_a_sheet_with_a_users_password_is_left_alone(template: Path, button) -> None:
    wb = load_workbook(template)
    wb[SHEET].protection.password = "secret"
    wb.save(template)
    original = snapshot(template)
    applied, _ = press(button, template, desktop=True)
    assert snapshot(template) == original
    assert f"工作表“{SHEET}”设有密码保护，未做任何修改" in applied.alerts[-1]


@pytest.mark.slow  # two buttons, each after validate and rescore
@pytest.mark.parametrize("button", [buttons.restore_book, buttons.clear_marks])
def test_undo_on_a_sheet_given_a_password_since_is_left_alone(template: Path, button) -> None:
    press(buttons.rescore_book, template, desktop=True)
    press(buttons.validate_book, template, desktop=True)
    wb = load_workbook(template)
    wb[SHEET].protection.password = "secret"
    wb.save(template)
    before = snapshot(template)
    applied, _ = press(button, template, desktop=True)
    assert snapshot(template) == before  # the ledger too: the undo can be done later
    assert "设有密码保护，未做任何修改" in applied.alerts[-1]


def test_a_workbook_structure_with_a_password_is_left_alone(form10: Path) -> None:
    wb = load_workbook(form10)
    wb.security = WorkbookProtection(workbookPassword="secret", lockStructure=True)
    wb.save(form10)
    original = snapshot(form10)
    applied, _ = press(buttons.validate_book, form10, desktop=True)
    assert snapshot(form10) == original
    assert "工作簿“form10.xlsx”的结构设有密码保护" in applied.alerts[-1]
    assert "共检查 1 张自评表" in applied.alerts[-1]  # the findings are still summed up


def test_a_workbook_structure_without_password_is_protected_again(form10: Path) -> None:
    wb = load_workbook(form10)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.save(form10)
    original = snapshot(form10)
    press(buttons.validate_book, form10, desktop=True)
    assert snapshot(form10)["(工作簿保护)"] == original["(工作簿保护)"]
    press(buttons.clear_marks, form10, desktop=True)
    assert snapshot(form10) == original


# -- all or nothing ----------------------------------------------------------------------

BEFORE = {  # what the workbook holds when the button is pressed
    buttons.validate_book: [buttons.rescore_book],
    buttons.rescore_book: [buttons.validate_book],
    buttons.restore_book: [buttons.validate_book, buttons.rescore_book],
    buttons.clear_marks: [buttons.rescore_book, buttons.validate_book],
}


@pytest.mark.slow  # every write step of every button, one run each
@pytest.mark.parametrize("button", list(BEFORE), ids=lambda b: b.__name__)
def test_a_fault_at_any_write_step_leaves_the_workbook_as_it_was(template: Path, button) -> None:
    for earlier in BEFORE[button]:
        press(earlier, template, desktop=True)
    original = snapshot(template)
    trial = copy_of(template, "trial.xlsx")
    steps = press(button, trial, desktop=True)[0].writes
    assert steps >= 4  # unprotect, ledger, marks …, protect again
    for n in range(1, steps + 1):
        shutil.copy(template, trial)
        applied, _ = press(button, trial, desktop=True, fault_at=n)
        assert snapshot(trial) == original, f"fault at step {n} of {steps}"
        alert = applied.alerts[-1]
        if n == 1:  # lifting the protection failed: taken for a password, nothing written
            assert "未做任何修改" in alert
        else:
            assert ROLLED_BACK in alert and f"第 {n} 步" in alert


# -- rows inserted and deleted, notes deleted by hand ------------------------------------


def test_restore_after_rows_inserted_above_puts_scores_back_where_they_moved(
    form10: Path,
) -> None:
    expected = copy_of(form10, "expected.xlsx")
    insert_rows(expected, SHEET, 1, 2)
    press(buttons.rescore_book, form10, desktop=True)
    insert_rows(form10, SHEET, 1, 2)
    applied, _ = press(buttons.restore_book, form10, desktop=True)
    assert snapshot(form10) == snapshot(expected)
    assert "找不到" not in applied.alerts[-1]


def test_restore_after_a_rescored_row_was_deleted_writes_nowhere_else(form10: Path) -> None:
    expected = copy_of(form10, "expected.xlsx")
    press(buttons.rescore_book, form10, desktop=True)
    cell = rescored_cells(form10)[0]
    row = int("".join(ch for ch in cell if ch.isdigit()))
    delete_rows(form10, SHEET, row)
    delete_rows(expected, SHEET, row)
    applied, _ = press(buttons.restore_book, form10, desktop=True)
    # Every other score is back; the row that now sits at the address is not touched.
    assert snapshot(form10) == snapshot(expected)
    assert "找不到了" in applied.alerts[-1] and f"{SHEET}!{cell}" in applied.alerts[-1]


def test_restore_after_rows_inserted_inside_a_template(template: Path) -> None:
    row = int(load_workbook(template).defined_names["SE_rows_output"].attr_text.split("$")[-1]) - 1
    expected = copy_of(template, "expected.xlsx")
    insert_rows(expected, SHEET, row)
    press(buttons.rescore_book, template, desktop=True)
    insert_rows(template, SHEET, row)
    applied, _ = press(buttons.restore_book, template, desktop=True)
    assert "找不到" not in applied.alerts[-1]
    assert snapshot(template)[SHEET]["cells"] == snapshot(expected)[SHEET]["cells"]


def test_restore_keeps_a_score_the_user_changed_after_rescore(form10: Path) -> None:
    press(buttons.rescore_book, form10, desktop=True)
    cell = rescored_cells(form10)[0]
    old = ledger(form10).marks[(SHEET, cell)].old
    wb = load_workbook(form10)
    wb[SHEET][cell] = 1.5
    wb.save(form10)
    applied, _ = press(buttons.restore_book, form10, desktop=True)
    assert load_workbook(form10)[SHEET][cell].value == 1.5
    assert f"又被改动，保留现值未恢复：{SHEET}!{cell}（原值 {old}）" in applied.alerts[-1]


@pytest.mark.parametrize("then", [buttons.clear_marks, buttons.validate_book])
def test_a_note_deleted_by_hand_does_not_stop_the_next_click(form10: Path, then) -> None:
    original = snapshot(form10)
    press(buttons.validate_book, form10, desktop=True)
    marked = [cell for _, cell in ledger(form10).keys(lambda m: bool(m.severity))]
    delete_note(form10, SHEET, marked[0])
    applied, _ = press(then, form10, desktop=True)
    assert "出错" not in applied.alerts[-1], applied.alerts
    press(buttons.clear_marks, form10, desktop=True)
    assert snapshot(form10) == original


# -- reads bounded to the data -----------------------------------------------------------


def test_a_sheet_formatted_down_whole_columns_is_read_only_where_data_is(form10: Path) -> None:
    last = load_workbook(form10)[SHEET].max_row
    applied, _ = press(buttons.validate_book, form10, desktop=True, formatted_columns="A:H")
    reads = [address for sheet, address in applied.reads if sheet == SHEET]
    assert len(reads) == 2  # values once, formulas once
    for address in reads:
        assert int(address.split("$")[-1]) <= last, address


# -- support log, one click at a time ----------------------------------------------------


def caller(path: Path, monkeypatch: pytest.MonkeyPatch):
    import xlwings as xw

    from tests.xlwings_payload import payload

    book = xw.Book(json=payload(load_workbook(path), path.name))
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    return book


def alerts(book) -> list[str]:
    return [a["args"][0] for a in book.json()["actions"] if a["func"] == "alert"]


def test_a_failure_is_kept_in_the_support_log_and_named(
    form10: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfeval.excel import support

    book = caller(form10, monkeypatch)

    def broken(book):
        raise KeyError("意外")

    monkeypatch.setitem(buttons.ACTIONS, "selfeval_validate", broken)
    buttons.on_action("selfeval_validate")
    log = support.log_path()
    assert str(log) in alerts(book)[-1]
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "KeyError" in text and "form10.xlsx" in text


def test_the_support_log_keeps_the_last_runs(tmp_path: Path) -> None:
    from selfeval.excel import support

    for n in range(support.KEEP_RUNS + 5):
        support.record("selfeval_validate", "a.xlsx", f"第 {n} 次")
    text = support.log_path().read_text(encoding="utf-8")
    assert "第 4 次" not in text and "第 5 次" in text and f"第 {support.KEEP_RUNS + 4} 次" in text


def test_a_second_click_while_one_runs_is_turned_away(
    form10: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfeval.excel import support

    book = caller(form10, monkeypatch)
    with support.one_at_a_time(book.fullname) as free:
        assert free
        buttons.on_action("selfeval_validate")  # the second click, e.g. on a Mac
    assert alerts(book) == ["上一次操作还在进行，请等它完成后再点按钮。"]
    buttons.on_action("selfeval_validate")  # once the first is done
    assert alerts(book)[-1].startswith("共检查 1 张自评表")


def test_a_write_that_fails_is_kept_in_the_support_log(template: Path) -> None:
    from selfeval.excel import support

    applied, _ = press(buttons.rescore_book, template, desktop=True, fault_at=3)
    assert ROLLED_BACK in applied.alerts[-1] and str(support.log_path()) in applied.alerts[-1]
    assert "InjectedFault" in support.log_path().read_text(encoding="utf-8")


def test_marks_of_a_sheet_where_no_form_is_found_stay_where_they_were() -> None:
    from selfeval.excel.marks import Mark

    kept = Mark(
        SHEET, "G20", None, False, rescored=True, old=8, anchor="0|ind:产出指标/完成率#0.score"
    )
    gone = Mark("其他", "G9", None, False, rescored=True, old=3, anchor="0|stated_total")
    ledger = Ledger({(m.sheet, m.cell): m for m in (kept, gone)})
    lost = ledger.relocate({"其他": {"0|funds.points": "E8"}})
    assert lost == [gone]
    assert list(ledger.marks) == [(SHEET, "G20")]
