"""Plain renderings of results for the command line: text (for staff) and JSON (for tools)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from selfeval.findings import Finding, Severity
from selfeval.portfolio.columns import where
from selfeval.results import FormResult, project_title, summary_line

_MARK = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "·"}


def render_json(results: Iterable[FormResult]) -> str:
    """One JSON array, one object per form found (README: JSON output)."""
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2)


def render_text(results: Iterable[FormResult]) -> str:
    """Findings grouped by form, each with its sheet!cell, then a one-line summary."""
    results = list(results)
    lines: list[str] = []
    for r in results:
        lines.extend(_form_block(r))
        lines.append("")
    lines.append(summary_line(results))
    return "\n".join(lines)


def _form_block(r: FormResult) -> list[str]:
    if r.workpaper:
        head = f"■ 复核底稿  {r.place}"
    elif r.form is None:
        head = f"■ {r.place}"
    else:
        totals = "，".join(f"{name} {shown}" for name, shown in r.totals)
        head = f"■ {project_title(r.form)}  {r.place}  总分：{totals}"
    body = [
        f"  {_MARK[f.severity]} {f.severity.label} {f.code:<18} {_cell(f)}{f.message}"
        for f in r.findings
    ]
    return [head, *(body or ["  ✓ 未发现问题"])]


def _cell(f: Finding) -> str:
    return f"{where(f)}  " if f.cell else ""
