"""Plain renderings of results for the command line: text (for staff) and JSON (for tools)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from selfeval.findings import Severity
from selfeval.results import FormResult

_MARK = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "·"}


def render_json(results: Iterable[FormResult]) -> str:
    """One JSON array, one object per form found (README: JSON output)."""
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2)


def render_text(results: Iterable[FormResult]) -> str:
    """Findings grouped by form, each with its sheet!cell, then a one-line summary."""
    lines: list[str] = []
    forms = errors = warnings = unreadable = 0
    for r in results:
        forms += 1
        errors += r.errors
        warnings += r.warnings
        unreadable += r.unreadable
        lines.extend(_form_block(r))
        lines.append("")
    lines.append(
        f"共 {forms} 份：错误 {errors} 项，警告 {warnings} 项"
        + (f"，{unreadable} 个文件无法读取" if unreadable else "")
    )
    return "\n".join(lines)


def _form_block(r: FormResult) -> list[str]:
    where = r.file
    if r.form is not None and r.form.source.sheet:
        where += f"［{r.form.source.sheet}"
        where += f" 第{r.form.source.row}行］" if r.form.source.row else "］"
    if r.form is None:
        head = f"■ {where}"
    else:
        a = r.analysis
        total = f"{a.total:.2f}" if a and a.total is not None else "—"
        grade = a.grade if a and a.grade else "—"
        head = (
            f"■ {r.form.header.project or '（未填项目名称）'}  {where}  计算总分 {total}（{grade}）"
        )
    body = [
        f"  {_MARK[f.severity]} {f.severity.label} {f.code:<18} {_cell(f)}{f.message}"
        for f in r.findings
    ]
    return [head, *(body or ["  ✓ 未发现问题"])]


def _cell(f) -> str:  # type: ignore[no-untyped-def]
    if f.cell:
        return f"{f.sheet}!{f.cell}  " if f.sheet else f"{f.cell}  "
    return ""
