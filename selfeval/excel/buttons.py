"""The ribbon buttons of the Excel add-in (绩效自评 tab).

The add-in's VBA calls ``on_action('<control id>')`` through xlwings' RunPython;
:func:`on_action` finds the calling workbook and runs one of the functions
below, each of which takes an ``xw.Book`` (tests pass ``xw.Book(json=...)``):

* :func:`validate_book` (校验): the 校验结果 sheet, offending cells coloured and
  noted, a short summary;
* :func:`rescore_book` (重新评分): the rules' scores written into 得分 cells that
  hold no formula, changed cells coloured with a note "原得分 X";
* :func:`restore_book` (撤销评分): the scores as they were before Rescore;
* :func:`clear_marks` (清除标记): Validate's marks removed, fills restored;
* :func:`export_report` (导出报告): the HTML report beside the workbook;
* :func:`new_form` (新建自评表): this year's template, opened in Excel.

Each reads every sheet with a constant number of bulk reads, plans every write,
and applies the plan all or nothing (:class:`~selfeval.excel.workbook.Plan`): our
templates' sheet protection is lifted for the write and put back as it was, a
password-protected sheet is left alone, and a failure half-way undoes what was
written. Calculation is manual and screen updating off while writing (both
restored even when something fails). Bad input ends in a Chinese message and
nothing written.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from selfeval.errors import InputError, SelfevalError
from selfeval.excel import book_io, support
from selfeval.excel.marks import Mark, same_value
from selfeval.excel.transaction import Refused
from selfeval.excel.workbook import (
    RESULTS_SHEET,
    BookView,
    Plan,
    book_folder,
    profile_from_environment,
    read_book,
)
from selfeval.files import write_atomically
from selfeval.form.findings import Finding, Severity, show_value
from selfeval.form.model import Form
from selfeval.layouts.layout import layout_for
from selfeval.pipeline.results import FormResult, check_form, unreadable_result, workpaper_result
from selfeval.readers.workpaper import workpaper_in
from selfeval.rules.check import FIELD_LABELS
from selfeval.rules.rescore import Change, rescore
from selfeval.writers.marks import rescore_note

TITLE = "绩效自评"
RESULT_HEADINGS = ["严重程度", "代码", "单元格", "说明", "应为", "实为"]


class AddinError(InputError):
    """Something the user must fix before a button can run; the message is Chinese."""


# -- entry point ----------------------------------------------------------------------


def on_action(control_id: str) -> None:
    """Run the button ``control_id`` on the workbook that called the add-in.

    One button at a time per workbook (on a Mac a second click can start Python again
    while the first runs); every run is noted in the support log, a failure with its
    traceback, and the message names the log.
    """
    import xlwings as xw  # present only where Excel runs the add-in

    book = xw.Book.caller()
    action = ACTIONS.get(control_id)
    if action is None:
        book.app.alert(f"未知的按钮“{control_id}”，请更新加载项。", TITLE)
        return
    with support.one_at_a_time(book.fullname) as free:
        if not free:
            book.app.alert("上一次操作还在进行，请等它完成后再点按钮。", TITLE)
            return
        try:
            message = action(book)
        except Exception as exc:  # the user sees a message; the details go to the log
            log = support.record(control_id, book.fullname, traceback.format_exc())
            book.app.alert(
                f"处理时出错：{exc}\n详细信息已记入 {log}，需要帮助时请把这个文件发给维护人员。",
                TITLE,
            )
            return
        support.record(control_id, book.fullname, message)


def button(work: Callable[[Any], str]) -> Callable[[Any], str]:
    """A button: run ``work`` on the book and show its message (or why it could not run)."""

    @functools.wraps(work)
    def run(book: Any) -> str:
        try:
            message = work(book)
        except Refused as exc:
            message = str(exc)
            if exc.failure:  # keep what went wrong for support
                log = support.record(work.__name__, book.fullname, traceback.format_exc())
                message += f"\n详细信息已记入 {log}。"
        except SelfevalError as exc:  # AddinError, a bad profile: the user can fix it
            message = str(exc)
        book.app.alert(message, TITLE)
        return message

    return run


# -- 校验 -------------------------------------------------------------------------------


@button
def validate_book(book: Any) -> str:
    """Check every form (or a filled 复核底稿); list findings on 校验结果, colour and note
    offending cells."""
    view = read_book(book)
    paper = workpaper_in(list(view.grids.values()), book.name)
    if paper is not None:
        results = [workpaper_result(paper)]
    else:
        _require_forms(view)
        results = [check_form(f, view.profile, book.name) for f in view.forms]
    findings = [f for r in results for f in r.findings]
    marks = _cell_marks(findings)
    old = view.ledger.keys(lambda m: bool(m.severity))

    def edit(mark: Mark) -> None:
        mark.severity, mark.vnote = marks.get((mark.sheet, mark.cell), ("", ""))

    plan = Plan(view)
    plan.marks(view.ledger.change([*old, *marks], edit, view.cells, view.anchor_of()))
    plan.replace_sheet(RESULTS_SHEET, _result_rows(findings))
    try:
        plan.run()
    except Refused as exc:
        raise Refused(f"{exc}\n{_summary(results)}", exc.failure) from exc
    return _summary(results) + _lost_note(view)


def _cell_marks(findings: list[Finding]) -> dict[tuple[str, str], tuple[str, str]]:
    """(sheet, cell) -> (worst severity, note text) for findings that name a cell."""
    marks: dict[tuple[str, str], tuple[str, str]] = {}
    for f in findings:
        if not (f.sheet and f.cell) or f.severity is Severity.INFO:
            continue
        key = (f.sheet, f.cell)
        severity, text = marks.get(key, ("", ""))
        if severity != Severity.ERROR.value:
            severity = f.severity.value
        line = f"{f.severity.label}（{f.code}）：{f.message}"
        marks[key] = (severity, f"{text}\n{line}" if text else line)
    return marks


def _result_rows(findings: list[Finding]) -> list[list[Any]]:
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    rows = [RESULT_HEADINGS]
    for f in sorted(findings, key=lambda f: order[f.severity]):
        rows.append(
            [
                f.severity.label,
                f.code,
                _cell_link(f),
                book_io.excel_value(f.message),
                _shown(f.expected),
                _shown(f.found),
            ]
        )
    if len(rows) == 1:
        rows.append(["", "", "", "未发现问题", "", ""])
    return rows


def _cell_link(f: Finding) -> str:
    """A HYPERLINK formula to the finding's cell (Excel jumps there on click)."""
    if not (f.sheet and f.cell):
        return book_io.excel_value(f.field)
    sheet = f.sheet.replace("'", "''").replace('"', '""')
    return f'=HYPERLINK("#\'{sheet}\'!{f.cell}","{sheet}!{f.cell}")'


def _shown(value: Any) -> Any:
    if value is None or isinstance(value, int | float | bool):
        return value
    return book_io.excel_value(str(value))


def _summary(results: list[FormResult]) -> str:
    errors = sum(r.errors for r in results)
    warnings = sum(r.warnings for r in results)
    infos = sum(len(r.findings) for r in results) - errors - warnings
    head = (
        "已检查复核底稿："
        if results and results[0].workpaper
        else f"共检查 {len(results)} 张自评表："
    )
    if not errors and not warnings and not infos:
        return head + "未发现问题。"
    return (
        head + f"错误 {errors} 个，警告 {warnings} 个，提示 {infos} 个。"
        f"错误标为红色、警告标为黄色，详见“{RESULTS_SHEET}”工作表。"
    )


# -- 清除标记 ---------------------------------------------------------------------------


@button
def clear_marks(book: Any) -> str:
    """Remove Validate's colours, notes and 校验结果 sheet; other fills come back exactly."""
    view = read_book(book)
    keys = view.ledger.keys(lambda m: bool(m.severity))

    def edit(mark: Mark) -> None:
        mark.severity, mark.vnote = "", ""

    plan = Plan(view)
    plan.marks(view.ledger.change(keys, edit, view.cells))
    plan.delete_sheet(RESULTS_SHEET)
    plan.run()
    return f"已清除 {len(keys)} 个单元格的校验标记。" + _lost_note(view)


# -- 重新评分 / 撤销评分 ----------------------------------------------------------------


@button
def rescore_book(book: Any) -> str:
    """Write the rules' scores into cells without formulas; remember what was there."""
    view = _forms_or_fail(book)
    writes: dict[str, dict[str, Any]] = {}
    notes: dict[tuple[str, str], tuple[Any, str]] = {}
    skipped = 0
    for form in view.forms:
        sheet = form.source.sheet or ""
        protected = _protected_cells(view, form)
        for change in rescore(form, view.profile).changes:
            if not change.cell or change.cell in protected:
                skipped += 1
                continue
            old = view.grids[sheet].at(change.cell)
            writes.setdefault(sheet, {})[change.cell] = (_like(old, change.new), old)
            notes[(sheet, change.cell)] = (old, _label(change))

    def edit(mark: Mark) -> None:
        old, label = notes[(mark.sheet, mark.cell)]
        if not mark.rescored:  # a second Rescore keeps the value before the first
            mark.rescored, mark.old = True, old
        mark.wrote = writes[mark.sheet][mark.cell][0]
        mark.rnote = rescore_note(label, mark.old)

    plan = Plan(view)
    for sheet, values in writes.items():
        new = {cell: n for cell, (n, _) in values.items()}
        plan.values(sheet, new, {cell: o for cell, (_, o) in values.items()})
    plan.marks(view.ledger.change(notes, edit, view.cells, view.anchor_of()))
    plan.run()
    message = f"已重新评分：改写 {len(notes)} 个单元格（标为蓝色，批注中为原值）。"
    if skipped:
        message += f"另有 {skipped} 处因是公式单元格或位置未知而未改写。"
    return message + _lost_note(view)


@button
def restore_book(book: Any) -> str:
    """Put back every value Rescore changed, and remove Rescore's marks."""
    view = read_book(book)
    keys = view.ledger.keys(lambda m: m.rescored)
    lost = [m for m in view.lost if m.rescored]
    if not keys and not lost:
        raise AddinError("没有可撤销的评分：本工作簿尚未重新评分，或已撤销。")
    writes: dict[str, dict[str, Any]] = {}
    current: dict[str, dict[str, Any]] = {}
    edited: list[Mark] = []
    for key in keys:
        mark = view.ledger.marks[key]
        now = view.grids[mark.sheet].at(mark.cell) if mark.sheet in view.grids else None
        if mark.wrote is not None and not same_value(now, mark.wrote):
            edited.append(mark)  # changed since Rescore: the user's figure is kept
            continue
        writes.setdefault(mark.sheet, {})[mark.cell] = mark.old
        current.setdefault(mark.sheet, {})[mark.cell] = now

    def edit(mark: Mark) -> None:
        mark.rescored, mark.old, mark.wrote, mark.rnote = False, None, None, ""

    message = f"已撤销评分：{sum(map(len, writes.values()))} 个单元格恢复为重新评分前的值。"
    if edited:  # said before the marks are cleared, while they still hold the old values
        message += (
            f"另有 {len(edited)} 个单元格在重新评分后又被改动，保留现值未恢复：{_places(edited)}。"
        )
    plan = Plan(view)
    for sheet, values in writes.items():
        plan.values(sheet, values, current[sheet])
    plan.marks(view.ledger.change(keys, edit, view.cells))
    plan.run()
    return message + _lost_note(view)


def _places(marks: list[Mark], limit: int = 5) -> str:
    shown = "、".join(
        f"{m.sheet}!{m.cell}" + (f"（原值 {show_value(m.old)}）" if m.rescored else "")
        for m in marks[:limit]
    )
    return shown + (f" 等 {len(marks)} 处" if len(marks) > limit else "")


def _lost_note(view: BookView) -> str:
    """What could not be found again since the marks were made, and so was left alone."""
    if not view.lost:
        return ""
    return (
        f"\n另有 {len(view.lost)} 个标记过的单元格找不到了（所在行被删除，或指标名称被改动），"
        f"未作处理，请手工检查：{_places(view.lost)}。"
    )


def _protected_cells(view: BookView, form: Form) -> set[str]:
    """Cells Rescore must not write: formulas, or where unknown, the template's formulas."""
    sheet = form.source.sheet or ""
    cells = view.formula_cells(sheet) or set()
    layout = layout_for(view.grids[sheet].names) if view.grids[sheet].names else None
    if layout is not None:
        cells |= {layout.fields[p] for p in layout.fields if layout.kind(p) == "computed"}
    return cells


def _label(change: Change) -> str:
    return "得分" if change.field.endswith(".score") else FIELD_LABELS.get(change.field, "值")


def _like(old: Any, new: Any) -> Any:
    """The new figure in the form of the old: a rate typed as "99.07%" stays text-like."""
    if isinstance(old, str) and old.strip().endswith("%") and isinstance(new, float):
        return f"{new * 100:.2f}%"
    return new


# -- 导出报告 / 新建自评表 ----------------------------------------------------------------


@button
def export_report(book: Any) -> str:
    """Write ``<workbook>_校验报告.html`` beside the workbook."""
    # The report's writers load openpyxl, which the button module must not (start-up).
    from selfeval.reports.portfolio import render, summarise

    folder = book_folder(book)
    if folder is None:
        raise AddinError("请先将工作簿保存到本机文件夹，报告将保存在工作簿旁边。")
    view = _forms_or_fail(book)
    results = [check_form(f, view.profile, book.fullname) for f in view.forms]
    results += [unreadable_result(u) for u in view.unreadable]
    path = folder / f"{Path(book.fullname).stem}_校验报告.html"
    page = render(summarise(results, view.profile), "html", link_base=folder)
    write_atomically(path, page)  # OutputError (Chinese) when the folder is read-only
    return f"报告已保存：{path}"


@button
def new_form(book: Any) -> str:
    """Write this year's blank template (never over an existing file) and open it."""
    # The template writer loads openpyxl and jinja2, which the button module must not.
    from selfeval.writers.template import current_year, write_blank

    year = current_year()
    folder = book_folder(book) or Path.home()
    path = _free_path(folder / f"绩效自评表_{year}.xlsx")
    write_blank("standard", year, profile_from_environment(), path)
    book.app.books.open(str(path))
    return f"已新建 {year} 年度自评表：{path}"


def _free_path(path: Path) -> Path:
    n = 1
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}({n}){path.suffix}")
        n += 1
    return candidate


# -- shared -------------------------------------------------------------------------------


def _forms_or_fail(book: Any) -> BookView:
    view = read_book(book)
    _require_forms(view)
    return view


def _require_forms(view: BookView) -> None:
    if not view.forms:
        why = view.unreadable[0].why if view.unreadable else "工作簿为空"
        raise AddinError(f"未在工作簿中找到绩效自评表：{why}")


ACTIONS: dict[str, Callable[[Any], str]] = {
    "selfeval_validate": validate_book,
    "selfeval_rescore": rescore_book,
    "selfeval_restore": restore_book,
    "selfeval_clear": clear_marks,
    "selfeval_report": export_report,
    "selfeval_new": new_form,
}
"""Ribbon control id -> button function (ids of addin/customUI.xml)."""

__all__ = [
    "ACTIONS",
    "AddinError",
    "clear_marks",
    "export_report",
    "new_form",
    "on_action",
    "restore_book",
    "rescore_book",
    "validate_book",
]
