"""How a cell selfeval changed or flagged looks, wherever it is marked.

The Excel add-in (``selfeval.excel``) and ``selfeval rescore`` (``selfeval.writers.rescored``)
leave the same marks: a fill colour and a note. The colours and the rescore note are
written here once, below both. (Note for the add-in's maintainers: ``excel/marks.py``
and ``excel/buttons.py`` still spell the same colours and note text themselves; they
can import them from here.)
"""

from __future__ import annotations

from typing import Any

from selfeval.form import vocabulary as vocab
from selfeval.form.findings import show_value

SEVERITY_FILLS: dict[str, str] = {"error": "#ffc7ce", "warning": "#ffe699"}
"""Validate's fills: light red for errors, amber for warnings (info is not marked)."""
RESCORE_FILL = "#ddebf7"
"""Rescore's fill: light blue, a figure the rules wrote."""
NOTE_AUTHOR = "selfeval"

CHANGES_SHEET = "重新评分记录"
"""The sheet ``selfeval rescore`` adds: every change, old → new, and why."""
CHANGES_HEADINGS = (vocab.PROJECT, "工作表", "单元格", "内容", "原值", "新值", "原因")


def rescore_note(label: str, old: Any) -> str:
    """The note on a rescored cell: ``重新评分：原得分 10``."""
    return f"重新评分：原{label} {show_value(old)}"
