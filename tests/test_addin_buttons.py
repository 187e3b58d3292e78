"""The add-in's buttons, driven through real xlwings books (the remote engine) on Linux.

Each test presses buttons on a workbook file: the payload is built from the file,
the actions xlwings queues are played onto it as they are made (tests/xlwings_payload.py),
and the file is read again, so round trips are checked on the saved workbook.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import xlwings as xw
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from selfeval.excel import book_io, buttons
from selfeval.excel.marks import RESCORE_FILL, SEVERITY_FILLS, STATE_SHEET, Ledger, decode, encode
from selfeval.excel.workbook import RESULTS_SHEET
from selfeval.excel.xlam import ADDIN_DIR
from tests.seed_workbooks import paste_to_sheet, seed_forms, write_seed_workbooks
from tests.xlwings_payload import enable_remote_engine, payload, press, snapshot

SHEET = "自评表"


@pytest.fixture(autouse=True)
def remote_engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The remote engine wants a licence key; the desktop add-in needs none. The support
    log and locks go to a folder of the test's own."""
    enable_remote_engine(monkeypatch)
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def seed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("seed")


@pytest.fixture(scope="session")
def seeds(seed_dir: Path) -> Path:
    write_seed_workbooks(seed_dir)
    return seed_dir


def seed_copy(seeds: Path, tmp_path: Path, number: int) -> Path:
    path = tmp_path / f"form{number:02d}.xlsx"
    shutil.copy(seeds / f"form{number:02d}.xlsx", path)
    return path


def sized_form(tmp_path: Path, rows: int) -> Path:
    """Form 1's header and funds block, then ``rows`` indicator rows, one of them
    scored half with no reason, and a wrong 总分: the same findings at every size."""
    head = seed_forms()[0].split("\n")[:11]
    points = 90 / rows
    lines = [
        f"{'产出指标' if i == 0 else ''}\t{'数量指标' if i == 0 else ''}\t完成率{i + 1}"
        f"\t=10次\t10次\t{points:g}\t{points / 2 if i == 1 else points:g}\t"
        for i in range(rows)
    ]
    wb = Workbook()
    wb.active.title = SHEET
    paste_to_sheet(wb.active, "\n".join([*head, *lines, "总分\t\t\t\t\t100\t100\t"]))
    path = tmp_path / f"sized{rows}.xlsx"
    wb.save(path)
    return path


def fill_of(path: Path, address: str, sheet: str = SHEET) -> str | None:
    cell = load_workbook(path)[sheet][address]
    return "#" + cell.fill.fgColor.rgb[-6:].lower() if cell.fill.fill_type == "solid" else None


def funcs(actions: list[dict]) -> list[str]:
    return [a["func"] for a in actions]


def ledger_cells(path: Path) -> list[str]:
    """The cells the ledger in the hidden state sheet holds, in its order."""
    wb = load_workbook(path)
    if STATE_SHEET not in wb:
        return []
    return [r[1] for r in wb[STATE_SHEET].iter_rows(min_row=2, values_only=True)]


# -- 校验 -------------------------------------------------------------------------------


def test_validate_lists_findings_with_links_and_marks_cells(seeds: Path, tmp_path: Path) -> None:
    path = seed_copy(seeds, tmp_path, 10)
    applied, actions = press(buttons.validate_book, path, desktop=True)

    wb = load_workbook(path)
    rows = list(wb[RESULTS_SHEET].iter_rows(values_only=True))
    assert rows[0] == ("严重程度", "代码", "单元格", "说明", "应为", "实为")
    linked = [r for r in rows[1:] if str(r[2]).startswith("=HYPERLINK")]
    assert linked, rows
    severity, code, link = linked[0][:3]
    cell = link.split("!")[1].split('"')[0]
    assert f"#'{SHEET}'!{cell}" in link
    marked = wb[SHEET][cell]
    expected_fill = SEVERITY_FILLS["error" if severity == "错误" else "warning"]
    assert fill_of(path, cell) == expected_fill
    assert code in marked.comment.text
    assert wb[STATE_SHEET].sheet_state == "hidden"
    assert applied.alerts and applied.alerts[0].startswith("共检查 1 张自评表")
    assert applied.calculation == ["Manual", "Automatic"]
    assert applied.screen_updating == [False, True]
    assert funcs(actions).count("setRangeColors") == 1  # all fills in one write


def test_validate_twice_gives_the_same_workbook_as_once(seeds: Path, tmp_path: Path) -> None:
    path = seed_copy(seeds, tmp_path, 11)
    press(buttons.validate_book, path, desktop=True)
    once = snapshot(path)
    _, actions = press(buttons.validate_book, path, desktop=True)
    assert snapshot(path) == once
    assert "setRangeColors" not in funcs(actions)  # the red is not taken for an original


@pytest.mark.parametrize("number", [1, 6, 10, 11])
def test_validate_then_clear_marks_gives_back_the_original(
    seeds: Path, tmp_path: Path, number: int
) -> None:
    path = seed_copy(seeds, tmp_path, number)
    press(buttons.validate_book, path, desktop=True)  # find the cells Validate marks
    marked = ledger_cells(path)
    shutil.copy(seeds / f"form{number:02d}.xlsx", path)
    wb = load_workbook(path)
    for address in marked[:1]:  # a user's own fill on a cell Validate colours
        wb[SHEET][address].fill = PatternFill("solid", fgColor="FF00B050")
    wb.save(path)
    original = snapshot(path)

    press(buttons.validate_book, path, desktop=True)
    if marked:
        assert fill_of(path, marked[0]) != "#00b050"
    press(buttons.validate_book, path, desktop=True)
    applied, _ = press(buttons.clear_marks, path, desktop=True)
    assert snapshot(path) == original
    assert applied.alerts[0].startswith("已清除")


def test_remote_engine_round_trip_without_fill_reads(seeds: Path, tmp_path: Path) -> None:
    """The remote engine cannot read fills: an unfilled form still comes back exactly."""
    path = seed_copy(seeds, tmp_path, 10)
    original = snapshot(path)
    press(buttons.validate_book, path)
    assert snapshot(path) != original
    press(buttons.clear_marks, path)
    assert snapshot(path) == original


def test_a_users_own_note_is_left_alone(seeds: Path, tmp_path: Path) -> None:
    path = seed_copy(seeds, tmp_path, 10)
    press(buttons.validate_book, path)
    cell = ledger_cells(path)[0]
    shutil.copy(seeds / "form10.xlsx", path)
    wb = load_workbook(path)
    wb[SHEET][cell].comment = Comment("我的批注", "user")
    wb.save(path)
    original = snapshot(path)

    press(buttons.validate_book, path, desktop=True)
    assert load_workbook(path)[SHEET][cell].comment.text == "我的批注"
    assert fill_of(path, cell) in SEVERITY_FILLS.values()
    press(buttons.clear_marks, path, desktop=True)
    assert snapshot(path) == original


def test_no_form_in_the_workbook_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active["A1"] = "与自评表无关的内容"
    wb.save(path)
    original = snapshot(path)
    applied, actions = press(buttons.validate_book, path)
    assert funcs(actions) == ["alert"]
    assert applied.alerts[0].startswith("未在工作簿中找到绩效自评表")
    assert snapshot(path) == original


# -- 重新评分 / 撤销评分 ----------------------------------------------------------------


def test_rescore_writes_scores_and_restore_brings_them_back(seeds: Path, tmp_path: Path) -> None:
    path = seed_copy(seeds, tmp_path, 10)
    original = snapshot(path)
    applied, actions = press(buttons.rescore_book, path, desktop=True)

    ledger = Ledger.from_rows(
        [list(r) for r in load_workbook(path)[STATE_SHEET].iter_rows(values_only=True)]
    )
    changed = ledger.keys(lambda m: m.rescored)
    assert changed and applied.alerts[0].startswith(f"已重新评分：改写 {len(changed)} 个")
    after = snapshot(path)[SHEET]["cells"]
    for _, cell in changed:
        old = original[SHEET]["cells"][cell][0]
        value, fill, note = after[cell]
        assert value != old
        assert fill == RESCORE_FILL[1:].upper()
        assert note.startswith("重新评分：原") and str(old).rstrip("0").rstrip(".") in note

    press(buttons.rescore_book, path, desktop=True)  # a second Rescore changes nothing
    assert snapshot(path)[SHEET]["cells"] == after
    applied, _ = press(buttons.restore_book, path, desktop=True)
    assert snapshot(path) == original
    assert applied.alerts[0].startswith("已撤销评分")


def test_rescore_and_validate_marks_undo_in_either_order(seeds: Path, tmp_path: Path) -> None:
    path = seed_copy(seeds, tmp_path, 11)
    original = snapshot(path)
    press(buttons.validate_book, path, desktop=True)
    press(buttons.rescore_book, path, desktop=True)
    press(buttons.clear_marks, path, desktop=True)
    press(buttons.restore_book, path, desktop=True)
    assert snapshot(path) == original


def test_rescore_never_writes_a_formula_cell(seeds: Path, tmp_path: Path) -> None:
    path = seed_copy(seeds, tmp_path, 10)
    press(buttons.rescore_book, path, desktop=True)
    cells = ledger_cells(path)
    shutil.copy(seeds / "form10.xlsx", path)
    wb = load_workbook(path)
    target = wb[SHEET][cells[0]]
    cached = {f"{SHEET}!{target.coordinate}": target.value}
    target.value = f"={target.value}+0"
    wb.save(path)

    applied, actions = press(buttons.rescore_book, path, desktop=True, cached=cached)
    row, col = target.row - 1, target.column - 1
    for a in actions:
        if a["func"] == "setValues" and a["sheet_position"] == 0:
            rows = range(a["start_row"], a["start_row"] + a["row_count"])
            cols = range(a["start_column"], a["start_column"] + a["column_count"])
            assert not (row in rows and col in cols)
    assert load_workbook(path)[SHEET][target.coordinate].value.startswith("=")
    assert "公式单元格" in applied.alerts[0]


def test_restore_without_rescore_says_so_and_writes_nothing(seeds: Path, tmp_path: Path) -> None:
    path = seed_copy(seeds, tmp_path, 1)
    applied, actions = press(buttons.restore_book, path)
    assert funcs(actions) == ["alert"]
    assert "没有可撤销的评分" in applied.alerts[0]


# -- constant number of calls -----------------------------------------------------------


@pytest.mark.parametrize("button", [buttons.validate_book, buttons.rescore_book])
@pytest.mark.parametrize("desktop", [False, True])
def test_calls_do_not_grow_with_the_number_of_rows(
    tmp_path: Path, button: object, desktop: bool
) -> None:
    measured = {}
    for rows in (10, 60):
        applied, actions = press(button, sized_form(tmp_path, rows), desktop=desktop)
        reads = sum(n for (kind, name), n in applied.calls.items() if name in ("value", "formula"))
        measured[rows] = (sum(applied.calls.values()), len(actions), reads)
    assert measured[10] == measured[60], measured
    assert measured[10][2] <= 6  # value (+ formula) of the form sheet, no cell-by-cell read


# -- export / new form / entry point ----------------------------------------------------


def test_export_report_writes_html_beside_the_workbook(seeds: Path, tmp_path: Path) -> None:
    path = seed_copy(seeds, tmp_path, 1)
    applied, actions = press(buttons.export_report, path, name=str(path))
    report = tmp_path / "form01_校验报告.html"
    assert report.exists() and "办公及业务用房专项维修费" in report.read_text(encoding="utf-8")
    assert funcs(actions) == ["alert"] and str(report) in applied.alerts[0]


def test_export_report_needs_a_saved_workbook(seeds: Path, tmp_path: Path) -> None:
    path = seed_copy(seeds, tmp_path, 1)
    applied, _ = press(buttons.export_report, path)
    assert "请先将工作簿保存" in applied.alerts[0]


class FakeApp:
    def __init__(self) -> None:
        self.opened: list[str] = []
        self.alerts: list[str] = []
        self.books = self

    def open(self, path: str) -> None:
        self.opened.append(path)

    def alert(self, prompt: str, title: str) -> None:
        self.alerts.append(prompt)


class FakeBook:
    def __init__(self, fullname: str) -> None:
        self.fullname, self.app = fullname, FakeApp()


def test_new_form_writes_this_years_template_and_opens_it(tmp_path: Path) -> None:
    from selfeval.writers.template import current_year

    book = FakeBook(str(tmp_path / "某单位.xlsx"))
    (tmp_path / "某单位.xlsx").write_bytes(b"")
    buttons.new_form(book)
    buttons.new_form(book)  # never over the first one
    first = tmp_path / f"绩效自评表_{current_year()}.xlsx"
    assert book.app.opened == [str(first), str(first.with_name(f"{first.stem}(1).xlsx"))]
    assert "SE_project" in load_workbook(first).defined_names


def test_on_action_runs_the_button_of_the_caller(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = seed_copy(seeds, tmp_path, 1)
    book = xw.Book(json=payload(load_workbook(path), path.name))
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    buttons.on_action("selfeval_validate")
    buttons.on_action("no_such_button")
    alerts = [a["args"][0] for a in book.json()["actions"] if a["func"] == "alert"]
    assert alerts[0].startswith("共检查") and "no_such_button" in alerts[1]


def test_settings_are_restored_when_a_button_fails(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = seed_copy(seeds, tmp_path, 10)
    book = xw.Book(json=payload(load_workbook(path), path.name))
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))

    def broken(*args: object) -> None:
        raise RuntimeError("写入失败")

    monkeypatch.setattr(book_io, "set_fills", broken)
    buttons.on_action("selfeval_validate")
    actions = book.json()["actions"]
    assert funcs(actions)[-3:] == ["setScreenUpdating", "setCalculation", "alert"]
    assert actions[-2]["args"] == ["Automatic"] and "写入失败" in actions[-1]["args"][0]


# -- helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, 9.5, 9.0, 3, "9.5", "=100%", "基本完善", True])
def test_ledger_values_survive_a_round_trip(value: object) -> None:
    assert decode(encode(value)) == (None if value == "" else value)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("=100%", "'=100%"),
        ("9.5", "'9.5"),
        ("99.07%", "'99.07%"),
        ("2021-12", "'2021-12"),
        ("基本完善", "基本完善"),
        (9.5, 9.5),
    ],
)
def test_text_that_excel_would_reinterpret_is_escaped(value: object, stored: object) -> None:
    assert book_io.excel_value(value) == stored


def test_on_a_generated_template_formulas_stay_and_everything_undoes(tmp_path: Path) -> None:
    from selfeval.profiles.policy import load_profile
    from selfeval.readers.formfile import read_form_file
    from selfeval.writers.template import write_form

    form = read_form_file(Path(__file__).parent / "fixtures" / "seed" / "form10.yaml")[0]
    path = write_form(form, tmp_path / "template.xlsx", load_profile())
    original = snapshot(path)
    formulas = {k for k, (v, _, _) in original[SHEET]["cells"].items() if str(v).startswith("=")}
    press(buttons.validate_book, path, desktop=True)
    applied, _ = press(buttons.rescore_book, path, desktop=True)
    cells = snapshot(path)[SHEET]["cells"]
    assert all(str(cells[k][0]).startswith("=") for k in formulas)
    assert "公式单元格" in applied.alerts[0]
    press(buttons.restore_book, path, desktop=True)
    press(buttons.clear_marks, path, desktop=True)
    assert snapshot(path) == original  # the template's grey computed cells included


def test_every_ribbon_button_has_a_function() -> None:
    ribbon = (ADDIN_DIR / "customUI.xml").read_text(encoding="utf-8")
    ids = set(re.findall(r'<button id="(selfeval_\w+)"', ribbon))
    assert ids == set(buttons.ACTIONS)
