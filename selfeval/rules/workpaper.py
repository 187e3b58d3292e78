"""The checks of a filled 复核 workpaper: each reviewer's mistake at its cell.

Used by ``selfeval validate 复核底稿.xlsx`` (through :mod:`selfeval.pipeline.results`) and by
the add-in's 校验 on an open workpaper (:func:`check_grids`).
"""

from __future__ import annotations

from typing import Any

from selfeval.form import vocabulary as vocab
from selfeval.form.codes import Code
from selfeval.form.findings import Finding
from selfeval.form.values import blank, number
from selfeval.form.workpaper import (
    DEVIATION_DECIMALS,
    DEVIATION_TOLERANCE,
    LETTERS,
    SUBTOTAL_LABEL,
    ReviewRow,
    Workpaper,
)
from selfeval.rules.analysis import has_reason


def check(paper: Workpaper) -> list[Finding]:
    """Every mistake of a filled workpaper, at its cell, top to bottom."""
    out: list[Finding] = []
    form: list[ReviewRow] = []
    for row in paper.rows:
        if row["level1"] == SUBTOTAL_LABEL:
            out.extend(_deviation(paper, form, row))
            form = []
            continue
        form.append(row)
        out.extend(_row(paper, row))
    return out


def _finding(paper: Workpaper, code: str, row: ReviewRow, key: str, **kw: Any) -> Finding:
    params = {"form": row["form"], "project": row["project"] or vocab.UNNAMED_PROJECT}
    params["name"] = row["name"] or row["level1"]
    return Finding(
        code,
        f"workpaper.rows[{row.row}].{key}",
        sheet=paper.sheet,
        cell=row.cells.get(key, f"{LETTERS[key]}{row.row}"),
        params=params,
        **kw,
    )


def _row(paper: Workpaper, row: ReviewRow) -> list[Finding]:
    points, given = number(row["points"]), row["review_score"]
    if blank(given):
        return [_finding(paper, Code.WORKPAPER_SCORE_MISSING, row, "review_score")]
    score = number(given)
    if score is None or score < 0 or (points is not None and score > points + 1e-9):
        found = given if score is None else score
        return [
            _finding(
                paper, Code.WORKPAPER_SCORE_RANGE, row, "review_score", expected=points, found=found
            )
        ]
    if (
        points is not None
        and score < points - 1e-9
        and not has_reason(str(row["review_reason"] or ""))
    ):
        return [
            _finding(
                paper,
                Code.WORKPAPER_REASON_MISSING,
                row,
                "review_reason",
                expected=points,
                found=score,
            )
        ]
    return []


def deviation(rows: list[ReviewRow]) -> float | None:
    """(自评 − 复核) ÷ 自评 over a form's rows, to :data:`DEVIATION_DECIMALS` places;
    None while a 复核得分 is missing or not a number, or the self-score is 0."""
    own = sum(number(r["score"]) or 0.0 for r in rows)
    reviewed = [number(r["review_score"]) for r in rows]
    if not own or any(v is None for v in reviewed):
        return None
    return round((own - sum(reviewed)) / own, DEVIATION_DECIMALS)  # type: ignore[arg-type]


def _deviation(paper: Workpaper, rows: list[ReviewRow], subtotal: ReviewRow) -> list[Finding]:
    stated = subtotal["deviation"]
    if blank(stated):
        return []  # the formula's own blank (review unfinished), or not yet calculated
    computed = deviation(rows)
    value = number(stated)
    if value is not None and computed is not None and abs(value - computed) <= DEVIATION_TOLERANCE:
        return []
    return [
        _finding(
            paper, Code.WORKPAPER_DEVIATION, subtotal, "deviation", expected=computed, found=stated
        )
    ]
