"""Where a finding is, as staff read it (``工作表!G21``, else the field in Chinese): one
helper for the per-form renderings (text, HTML) and the department report alike."""

from __future__ import annotations

import re

from selfeval.form.findings import Finding

_FIELD_NAMES = {
    "project": "项目名称",
    "department": "主管部门",
    "implementer": "实施单位",
    "annual_budget": "全年预算数",
    "initial_budget": "年初预算数",
    "executed": "全年执行数",
    "stated_rate": "执行率",
    "stated_score": "得分",
    "points": "分值",
    "score": "得分",
    "target": "年度指标值",
    "actual": "实际完成值",
    "reason": "偏差原因",
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "stated_total": "总分",
    "stated_points_total": "分值合计",
    "total": "年度资金总额",
    "current": "当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
    "funds": "项目资金",
    "category_weights": "一级指标分值",
    "header": "表头",
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
