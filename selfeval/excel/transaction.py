"""A button's writes, all or nothing.

A button first plans every write as a :class:`Step` (what to do and how to undo it),
then :func:`run` applies them: protections without a password are lifted for the
write, the ledger is saved first, the steps are applied in order, and the
protections are put back with exactly the same options. When anything fails, the
steps already applied are undone in reverse order, the protections are put back,
and the button says so: the workbook is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from selfeval.errors import SelfevalError
from selfeval.excel import book_io


@dataclass
class Step:
    """One write and its undo. The undo puts back the state before the write, whether the
    write was made in full, in part or not at all."""

    apply: Callable[[], Any]
    undo: Callable[[], Any]


class Refused(SelfevalError):
    """The workbook was left as it was; the message (Chinese) says why. ``failure``: a
    write failed (its traceback is worth keeping for support), not a password."""

    def __init__(self, message: str, failure: bool = False) -> None:
        super().__init__(message)
        self.failure = failure


def run(book: Any, sheets: list[Any], steps: list[Step], *, structure: bool = False) -> None:
    """Apply ``steps`` to ``book``, whose ``sheets`` they write (``structure``: they add or
    delete sheets). Raises :class:`Refused` when the workbook had to be left as it was."""
    targets = ([book] if structure else []) + list(sheets)
    opened: list[tuple[Any, book_io.Protection]] = []
    done: list[Step] = []
    try:
        for target in targets:
            options = book_io.protection(target)
            if options is not None:
                book_io.unprotect(target)
                opened.append((target, options))
        for step in steps:
            done.append(step)  # a step that fails half-way is undone too
            step.apply()
        while opened:
            book_io.protect(*opened[-1])
            opened.pop()
    except book_io.PasswordProtected as exc:
        _undo(done, opened)
        raise Refused(password_message(exc, book)) from exc
    except Exception as exc:
        failed = _undo(done, opened)
        raise Refused(failure_message(exc, failed), failure=True) from exc


def _undo(done: list[Step], opened: list[tuple[Any, book_io.Protection]]) -> list[Exception]:
    """Undo ``done`` in reverse and protect ``opened`` again; the failures, if any."""
    failed = []
    for n, step in enumerate(reversed(done)):
        try:
            step.undo()
        except Exception as exc:  # noqa: BLE001 - undo as much as can be undone
            if n:  # the step that failed is refused again when nothing of it was written
                failed.append(exc)
    for target, options in reversed(opened):
        try:
            book_io.protect(target, options)
        except Exception as exc:  # noqa: BLE001
            failed.append(exc)
    return failed


def password_message(exc: book_io.PasswordProtected, book: Any) -> str:
    name = str(exc)
    if name == book.name:
        where = f"工作簿“{name}”的结构设有密码保护"
        how = "审阅 → 保护工作簿，输入密码取消保护"
    else:
        where = f"工作表“{name}”设有密码保护"
        how = "审阅 → 撤销工作表保护，输入密码"
    return f"{where}，未做任何修改。如需标记或改写，请先取消保护（{how}），完成后再重新保护。"


def failure_message(exc: Exception, failed: list[Exception]) -> str:
    head = f"写入工作簿时出错（{exc}），本次操作未完成"
    if not failed:
        return head + "，工作簿已恢复为操作前的样子。"
    return (
        head + f"；恢复时又有 {len(failed)} 处出错，工作簿可能未完全复原。"
        "请不要保存，关闭工作簿（不保存）后重新打开。"
    )
