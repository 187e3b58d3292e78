"""The portfolio as one self-contained, offline, printable HTML page (Chinese).

Rendered by jinja2 with autoescape from ``selfeval/report/portfolio.html.j2``:
inline CSS, inline SVG charts, a small inline script to sort the table, no
external resource of any kind.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import quote

import jinja2

from selfeval.findings import Finding
from selfeval.portfolio.charts import all_charts
from selfeval.portfolio.columns import CODE_LABELS, COLUMNS, show
from selfeval.portfolio.summary import Portfolio

HTML_COLUMNS = tuple(c for c in COLUMNS if c.key not in ("codes", "sheet"))
"""The HTML table leaves out 问题代码 (each form's findings follow) and 工作表 (shown with 文件)."""

TITLE = "绩效自评表汇总报告"


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("selfeval", "report"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(show=show, code_labels=CODE_LABELS, where=where)
    return env.get_template("portfolio.html.j2")


def render_html(portfolio: Portfolio, link_base: Path | None = None) -> bytes:
    """The report page; links to the forms are relative to ``link_base`` (the report's folder)."""
    page = _template().render(
        title=TITLE,
        p=portfolio,
        columns=HTML_COLUMNS,
        charts=all_charts(portfolio),
        href=lambda file, f=None: file_href(file, link_base, f),
        shown=lambda file: shown_path(file, link_base),
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
    )
    return page.encode("utf-8")


def _relative(file: str, link_base: Path | None) -> Path | None:
    """``file`` relative to the report's folder, or None on another drive (Windows)."""
    try:
        return Path(os.path.relpath(Path(file).resolve(), (link_base or Path.cwd()).resolve()))
    except ValueError:
        return None


def shown_path(file: str, link_base: Path | None) -> str:
    """The file's path as shown: relative to the report when it lies below the report's folder."""
    rel = _relative(file, link_base)
    return file if rel is None or rel.parts[:1] == ("..",) else rel.as_posix()


def file_href(file: str, link_base: Path | None, finding: Finding | None = None) -> str:
    """A link to ``file`` (relative to the report when possible), with ``#工作表!单元格``
    as Excel reads it when the finding has a cell."""
    rel = _relative(file, link_base)
    url = Path(file).resolve().as_uri() if rel is None else quote(rel.as_posix())
    if finding is not None and finding.cell:
        sheet = f"'{finding.sheet}'!" if finding.sheet else ""
        url += "#" + quote(f"{sheet}{finding.cell}", safe="!'")
    return url


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
