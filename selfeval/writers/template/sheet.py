"""Lay a form (or a blank) onto the 自评表 sheet: every address from the layout."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any, NamedTuple

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from selfeval.form.model import FUNDS_SUBROWS, LEVEL1_NAMES, LEVEL2_BY_LEVEL1, Form, Indicator
from selfeval.form.safe_text import store
from selfeval.layouts.layout import AMOUNTS, SPLIT_TARGET, Layout, split_target
from selfeval.profiles.policy import Profile
from selfeval.writers.template import styles

LINE_HEIGHT = 13.5  # points per line of 10 pt 宋体
MIN_HEIGHT = 20.0

# Fields staff fill in while evaluating; everything else is the plan, locked once filled.
ACTUAL_FIELDS = frozenset({"actual", "score", "reason"})
ACTUAL_PATHS = frozenset(
    {"goals.achieved"} | {f"funds.{row}.executed" for row in ("total", *FUNDS_SUBROWS)}
)
"""Besides these, every ``signoff.*`` field (审核人, 评价结论 ...) stays open."""

_FORMATS = {"initial_budget": styles.AMOUNT, "annual_budget": styles.AMOUNT}
_FORMATS |= {"executed": styles.AMOUNT, "stated_rate": styles.RATE}


@dataclass
class Fill:
    """What goes on the sheet: field path -> value, the indicator rows per block, and
    text key -> generated text (:func:`selfeval.writers.template.texts.heading_texts`)."""

    values: dict[str, Any]
    rows: dict[str, list[Indicator]]
    texts: dict[str, str]


def block_for(row: Indicator) -> str:
    """The 一级 block a row goes in: its own 一级 when known, else a sensible guess."""
    for level in LEVEL1_NAMES:
        if row.level1.strip().startswith(level):
            return level
    for level, level2s in LEVEL2_BY_LEVEL1.items():
        if row.level2.strip() in level2s:
            return level
    if "满意" in row.level2 + row.name:
        return "满意度指标"
    return "产出指标"


def group_rows(indicators: list[Indicator]) -> dict[str, list[Indicator]]:
    rows: dict[str, list[Indicator]] = {level: [] for level in LEVEL1_NAMES}
    for row in indicators:
        rows[block_for(row)].append(row)
    return rows


def form_values(form: Form, profile: Profile, layout: Layout) -> dict[str, Any]:
    """Scalar input values of a form by field path (blank fields left out)."""
    values: dict[str, Any] = {
        "header.project": form.header.project,
        "header.department": form.header.department,
        "header.implementer": form.header.implementer,
        "goals.planned": form.goals.planned,
        "goals.achieved": form.goals.achieved,
        "funds.points": form.funds.points,
    }
    for row in layout.funds_rows:
        funds_row = getattr(form.funds, row)
        for attr in AMOUNTS:
            values[f"funds.{row}.{attr}"] = getattr(funds_row, attr)
    for level, weight in profile.category_weights.items():
        values[f"category_weights.{level}"] = form.category_weights.get(level, weight)
    return {k: v for k, v in values.items() if v not in (None, "")}


class Look(NamedTuple):
    """A cell's whole style; cells with the same look share one style record."""

    font: Font = styles.BODY
    alignment: Alignment = styles.CENTER
    border: Border = styles.GRID
    fill: PatternFill = styles.NO_FILL
    protection: Protection = styles.LOCKED
    number_format: str = styles.GENERAL


class Styler:
    """Applies looks; openpyxl hashes every style object it is given, so each look
    is set once per workbook and its style record copied to the other cells."""

    def __init__(self) -> None:
        self._done: dict[tuple, Any] = {}

    def apply(self, cell: Cell, look: Look) -> None:
        key = tuple(map(id, look[:5])) + (look.number_format,)
        record = self._done.get(key)
        if record is not None:
            cell._style = copy.copy(record)
            return
        cell.font, cell.alignment, cell.border = look.font, look.alignment, look.border
        cell.fill, cell.protection, cell.number_format = (
            look.fill,
            look.protection,
            look.number_format,
        )
        self._done[key] = copy.copy(cell._style)


def render_sheet(ws: Worksheet, layout: Layout, fill: Fill, profile: Profile, locked: bool) -> None:
    """Write pieces, indicator rows, formulas, styles and row heights.

    ``locked``: plan fields that are filled (targets, budget, 分值 ...) are locked.
    """
    ws.sheet_view.showGridLines = False
    for col, width in layout.widths.items():
        ws.column_dimensions[col].width = width
    heights: dict[int, float] = {1: TITLE_HEIGHT}
    styler = Styler()
    for ref, content in layout.pieces:
        _piece(ws, styler, layout, ref, content, fill, profile, locked, heights)
    _indicator_rows(ws, styler, layout, fill, locked, heights, profile)
    for row, height in heights.items():
        ws.row_dimensions[row].height = height


TITLE_HEIGHT = 30.0
GOALS_MIN_HEIGHT = 48.0
_TEXT_OF = {"header.year": "year_line", "funds.unit": "funds_unit", "profile": "profile"}


def _piece(ws, styler, layout: Layout, ref, content, fill: Fill, profile, locked, heights) -> None:
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    cell = ws.cell(min_row, min_col)
    if ":" in ref:
        # Registered directly: merge_cells() would also restyle the range, which we do.
        ws.merged_cells.add(MergedCellRange(ws, ref))
    look = Look(font=styles.HEADING)
    if content.startswith("#"):
        cell.value = fill.texts[content[1:]]
        look = look._replace(font=styles.TITLE if content == "#title" else styles.HEADING)
    elif content.startswith("@") and layout.kind(content[1:]) == "text":
        cell.value = fill.texts[_TEXT_OF[content[1:]]]
        if content == "@header.year":
            look = look._replace(font=styles.TITLE if min_row == 1 else styles.SUBTITLE)
    elif content.startswith("@"):
        look = _field(cell, layout, content[1:], fill, profile, locked)
    else:
        cell.value = content
        if min_col >= column_index_from_string(layout.check_columns.split(":")[0]):  # 校验区
            look = look._replace(fill=styles.CHECK_FILL)
    below = min_row > layout.total_row and not layout.spec.closing_borders
    if content in ("#title", "@header.year") or below:
        look = look._replace(border=styles.NO_BORDER)
    styler.apply(cell, look)
    edge = Look(border=look.border)
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            if (r, c) != (min_row, min_col):
                styler.apply(ws.cell(r, c), edge)
    if min_row == max_row and min_row > 1:
        text = "" if cell.data_type == "f" or cell.value is None else str(cell.value)
        width = sum(layout.widths[get_column_letter(c)] for c in range(min_col, max_col + 1))
        floor = GOALS_MIN_HEIGHT if content.startswith("@goals.") else MIN_HEIGHT
        need = max(floor, text_height(text, width))
        heights[min_row] = max(heights.get(min_row, 0.0), need)


def _field(cell, layout: Layout, path: str, fill: Fill, profile: Profile, locked: bool) -> Look:
    if layout.kind(path) == "computed":
        cell.value = layout.formula(path, profile)
        return Look(fill=styles.LOCKED_FILL, number_format=_computed_format(path))
    store(cell, fill.values.get(path))
    look = Look(number_format=_FORMATS.get(path.rsplit(".", 1)[-1], styles.GENERAL))
    if path.startswith(("header.", "goals.", "signoff.")):
        align = styles.LEFT_TOP if path.startswith("goals.") else styles.LEFT
        look = look._replace(number_format=styles.TEXT, alignment=align)
    actual = path in ACTUAL_PATHS or path.startswith("signoff.")
    return _locked(look, locked and not actual and cell.value is not None)


def _computed_format(path: str) -> str:
    if path == "grade":
        return styles.GRADE
    if path.endswith("stated_rate"):
        return styles.RATE
    if path in ("funds.stated_score", "stated_total"):
        return styles.SCORE
    return styles.GENERAL


def _locked(look: Look, locked: bool) -> Look:
    if locked:
        return look._replace(protection=styles.LOCKED, fill=styles.LOCKED_FILL)
    return look._replace(protection=styles.UNLOCKED)


_ROW_LOOKS = {
    name: Look(
        alignment=styles.LEFT if name in ("name", "reason") else styles.CENTER,
        number_format=styles.GENERAL if name in ("points", "score") else styles.TEXT,
    )
    for name in ("level1", "level2", "name", "target", *SPLIT_TARGET, "actual")
    + ("points", "score", "reason")
}
_TALL = ("level1", "level2", "name", "target", "target_value", "actual", "reason")
"""Columns whose wrapped text sets a row's height."""


def _indicator_rows(ws, styler, layout: Layout, fill: Fill, locked: bool, heights, profile) -> None:
    for level, (first, last) in layout.blocks.items():
        rows = fill.rows.get(level, [])
        for offset, r in enumerate(range(first, last + 1)):
            row = rows[offset] if offset < len(rows) else Indicator(level1=level)
            values = _row_values(row, level, offset, layout, fill, profile)
            for name, col in layout.columns.items():
                cell = ws.cell(r, column_index_from_string(col))
                store(cell, values[name])
                plan = name not in ACTUAL_FIELDS and offset < len(rows)
                styler.apply(
                    cell, _locked(_ROW_LOOKS[name], locked and plan and cell.value is not None)
                )
            height = max(
                text_height(str(values[n] or ""), layout.widths[layout.columns[n]])
                for n in _TALL
                if n in layout.columns
            )
            heights[r] = max(MIN_HEIGHT, height)


def _row_values(row: Indicator, level: str, offset: int, layout, fill: Fill, profile) -> dict:
    values = {name: getattr(row, name, None) for name in layout.columns}
    if "target_value" in layout.columns:
        values |= dict(zip(SPLIT_TARGET, split_target(row.target), strict=True))
    if layout.spec.level_weights and offset == 0 and row.level1.strip() == level:
        weight = fill.values.get(f"category_weights.{level}", profile.category_weights[level])
        values["level1"] = f"{level} ({weight:g}分)"
    return values


def text_height(text: str, width: float) -> float:
    """Points needed to show wrapped ``text`` in a column ``width`` characters wide."""
    if not text:
        return MIN_HEIGHT
    lines = 0
    for para in text.split("\n"):
        units = sum(1.9 if ord(ch) > 0x2E80 else 1.0 for ch in para)
        lines += max(1, math.ceil(units * 1.08 / max(width - 1, 1)))
    return lines * LINE_HEIGHT + 6
