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

Each reads every sheet with a constant number of bulk reads, plans every write
(:mod:`selfeval.excel.plan`, the planner the WPS add-in's plans come from too) and
applies the plan all or nothing (:mod:`selfeval.excel.apply`): our
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

from selfeval.errors import SelfevalError
from selfeval.excel import plan, support
from selfeval.excel.apply import apply
from selfeval.excel.plan import TITLE, AddinError, Plan
from selfeval.excel.transaction import Refused
from selfeval.excel.workbook import BookView, book_folder, profile_from_environment, read_book
from selfeval.files import write_atomically

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


# -- the four buttons that write: planned in selfeval.excel.plan -------------------------


def _planned(planner: Callable[[BookView], Plan], name: str) -> Callable[[Any], str]:
    def work(book: Any) -> str:
        view = read_book(book)
        planned = planner(view)
        try:
            apply(planned, book, view.grids)
        except Refused as exc:
            if planned.summary:  # what Validate found is said even when nothing was marked
                raise Refused(f"{exc}\n{planned.summary}", exc.failure) from exc
            raise
        return planned.message

    work.__name__ = work.__qualname__ = name  # the support log names the button by it
    work.__doc__ = planner.__doc__
    return button(work)


validate_book = _planned(plan.validate, "validate_book")
"""校验: findings on 校验结果, offending cells coloured and noted."""
rescore_book = _planned(plan.rescore_plan, "rescore_book")
"""重新评分: the rules' scores written into cells without formulas."""
restore_book = _planned(plan.restore, "restore_book")
"""撤销评分: the scores as they were before Rescore."""
clear_marks = _planned(plan.clear, "clear_marks")
"""清除标记: Validate's marks removed, fills restored."""


# -- 导出报告 / 新建自评表 ----------------------------------------------------------------


@button
def export_report(book: Any) -> str:
    """Write ``<workbook>_校验报告.html`` beside the workbook."""
    folder = book_folder(book)
    if folder is None:
        raise AddinError("请先将工作簿保存到本机文件夹，报告将保存在工作簿旁边。")
    page = plan.report_page(read_book(book), folder)
    path = folder / plan.report_name(book.fullname)
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
