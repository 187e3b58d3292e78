"""Forms in one sheet: the single entry point shared by file readers and the Excel add-in."""

from __future__ import annotations

from selfeval.form import vocabulary as vocab
from selfeval.form.codes import Code
from selfeval.form.model import Form
from selfeval.readers.found import Unreadable
from selfeval.readers.grid import Grid, has_template_names
from selfeval.readers.legacy import legacy_forms
from selfeval.readers.template import template_form

_NAME = vocab.INDICATOR_COLUMNS["name"].label
NO_FORM = (
    f"未找到“{vocab.PROJECT}”、资金表（{vocab.BUDGET}、{vocab.EXECUTED}）"
    f"或指标表头（{_NAME}、{vocab.POINTS}、{vocab.SCORE}）"
)


def forms_in_grid(grid: Grid, file: str | None = None) -> list[Form | Unreadable]:
    """Every form in one sheet: a generated template (by its defined names) or hand-made
    forms (by their labels), top to bottom; else one LAYOUT_UNRECOGNISED item."""
    if grid.skipped:
        return [Unreadable(file or "", Code.READ_ERROR, grid.skipped, sheet=grid.sheet)]
    if has_template_names(grid):
        form = template_form(grid, file)
        if form is not None:
            return [form]
    found = legacy_forms(grid, file)  # forms, and located forms missing a needed column
    return found or [Unreadable(file or "", Code.LAYOUT_UNRECOGNISED, NO_FORM, sheet=grid.sheet)]


def forms_in_grids(grids: list[Grid], file: str) -> list[Form | Unreadable]:
    """Forms of every sheet, and every located form that could not be read; one
    LAYOUT_UNRECOGNISED for the file when no sheet holds a form at all."""
    found = [item for grid in grids for item in forms_in_grid(grid, file)]
    forms = [i for i in found if isinstance(i, Form)]
    problems = [i for i in found if isinstance(i, Unreadable) and i.why != NO_FORM]
    if forms or problems:
        return [*forms, *problems]
    if not grids:
        return [Unreadable(file, Code.LAYOUT_UNRECOGNISED, "工作簿中没有工作表")]
    empty = all(not any(any(v not in (None, "") for v in row) for row in g.values) for g in grids)
    why = "工作簿是空的" if empty else f"{len(grids)} 个工作表中都{NO_FORM}"
    return [Unreadable(file, Code.LAYOUT_UNRECOGNISED, why)]
