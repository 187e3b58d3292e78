"""A filled 复核 workpaper (复核底稿.xlsx written by ``selfeval review``), read back
from its grid: the sheet named 复核底稿 whose first row holds the workpaper's headings
(in any order, so a reviewer who moved a column is still read)."""

from __future__ import annotations

from selfeval.form.workpaper import COLUMNS, HEADINGS, SHEET, ReviewRow, Workpaper
from selfeval.readers.grid import Grid


def workpaper_in(grids: list[Grid], file: str) -> Workpaper | None:
    """The workpaper in these sheets, or None when the workbook is not one."""
    grid = next((g for g in grids if g.sheet == SHEET and not g.skipped), None)
    if grid is None or not grid.values or grid.origin[0] != 1:
        return None
    found = {str(v).strip(): c for c, v in enumerate(grid.values[0]) if v not in (None, "")}
    if any(c.heading not in found for c in COLUMNS):
        return None
    where = {HEADINGS[h]: c for h, c in found.items() if h in HEADINGS}
    paper = Workpaper(file, grid.sheet)
    for r, line in enumerate(grid.values[1:], 1):
        values = {k: line[c] if c < len(line) else None for k, c in where.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        cells = {k: grid.address(r, c) for k, c in where.items()}
        paper.rows.append(ReviewRow(grid.origin[0] + r, values, cells))
    return paper
