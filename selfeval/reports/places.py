"""Where a finding is, as staff read it (``工作表!G21``, else the field in Chinese): one
helper for the per-form renderings (text, HTML) and the department report alike."""

from __future__ import annotations

import re

from selfeval.form import vocabulary as vocab
from selfeval.form.findings import Finding

_FIELD_NAMES = {
    **{key: term.label for key, term in vocab.HEADER_FIELDS.items()},
    **{key: term.label for key, term in vocab.FUNDS_COLUMNS.items() if key != "points"},
    **{key: term.label for key, term in vocab.INDICATOR_COLUMNS.items()},
    **{key: term.label for key, term in vocab.FUNDS_ROWS.items()},
    "stated_score": vocab.SCORE,
    "reason": vocab.REASON_SHORT,
    "stated_total": "总分",
    "stated_points_total": f"{vocab.POINTS}合计",
    "funds": "项目资金",
    "category_weights": f"一级指标{vocab.POINTS}",
    "header": "表头",
    "goals": "绩效目标",
    "planned": "年度目标",
    "achieved": "实际完成情况",
    "indicators": "指标",
    "file": "文件",
}
_ROW = re.compile(r"indicators\[(\d+)\]")


def where(f: Finding) -> str:
    """Where a finding is, for staff: ``工作表!G21``, else the field in Chinese."""
    if f.cell:
        return f"{f.sheet}!{f.cell}" if f.sheet else f.cell
    parts = []
    for part in f.field.split("."):
        row = _ROW.fullmatch(part)
        parts.append(f"指标第{int(row[1]) + 1}行" if row else _FIELD_NAMES.get(part, part))
    return "·".join(parts)
