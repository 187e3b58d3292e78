"""The 复核 workpaper (复核底稿): its columns and rows, described once.

``selfeval review`` writes the workbook (:mod:`selfeval.writers.workpaper`);
``selfeval validate 复核底稿.xlsx`` reads it back (:mod:`selfeval.readers.workpaper`)
and :func:`selfeval.rules.workpaper.check` reports a reviewer's mistakes at their cells:

- WORKPAPER_SCORE_RANGE: a 复核得分 below 0, above its 分值, or not a number;
- WORKPAPER_REASON_MISSING: a 复核得分 below 分值 without a 扣分原因;
- WORKPAPER_SCORE_MISSING: a 复核得分 left blank;
- WORKPAPER_DEVIATION: a form's 偏离度 that differs from (自评 − 复核) ÷ 自评.

The sheet holds, per form, one row for 预算执行 and one per indicator, then a 小计
row whose formulas sum the form and give its 偏离度.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from selfeval.form import vocabulary as vocab

SHEET, SUMMARY_SHEET, NOTES_SHEET = "复核底稿", "汇总", "说明"
FUNDS_LABEL, SUBTOTAL_LABEL = "预算执行", "小计"
"""一级指标 of a form's funds row and of its 小计 row."""
DEVIATION_DECIMALS = 4
DEVIATION_TOLERANCE = 0.5 * 10**-DEVIATION_DECIMALS


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: float
    review: bool = False  # filled in by the reviewer


COLUMNS: tuple[Column, ...] = (
    Column("form", "序号", 6),
    Column("unit", "实施单位", 18),
    Column("project", vocab.PROJECT, 22),
    Column("level1", "一级指标", 10),
    Column("level2", "二级指标", 12),
    Column("name", "三级指标", 20),
    Column("target", vocab.TARGET, 12),
    Column("actual", "自评完成值", 12),
    Column("points", vocab.POINTS, 7),
    Column("score", "自评得分", 8),
    Column("suggested", "建议得分", 8),
    Column("findings", "校验发现", 36),
    Column("review_actual", "复核完成值", 12, review=True),
    Column("review_score", "复核得分", 8, review=True),
    Column("review_reason", "扣分原因", 30, review=True),
    Column("deduction", "复核扣分", 8),
    Column("deviation", "偏离度", 9),
)
"""The workpaper's columns in order; 建议得分 and 校验发现 are the engine's."""

LETTERS = {c.key: chr(ord("A") + i) for i, c in enumerate(COLUMNS)}
"""Column letter of each key (fewer than 26 columns)."""
HEADINGS = {c.heading: c.key for c in COLUMNS}


@dataclass
class ReviewRow:
    """One row of a filled workpaper as read back: values by key, its sheet row."""

    row: int
    values: dict[str, Any]
    cells: dict[str, str] = field(default_factory=dict)  # key -> A1 address where read

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)


@dataclass
class Workpaper:
    """A filled workpaper read from a workbook (no form: a reviewer's sheet)."""

    file: str
    sheet: str = SHEET
    rows: list[ReviewRow] = field(default_factory=list)
