"""Plain renderings of results for the command line: text (for staff) and JSON (for tools).

Each result renders on its own (:func:`text_block`, :func:`json_item`), so a folder is
printed while it is checked; :func:`render_text` and :func:`render_json` give the whole
output of a list of results at once.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from selfeval.form.findings import Finding, Severity
from selfeval.pipeline.results import FormResult, project_title, summary_line, units_line
from selfeval.reports.html import form_section
from selfeval.reports.links import Links
from selfeval.reports.places import where

_MARK = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "·"}


def render_json(results: Iterable[FormResult], min_severity: Severity = Severity.INFO) -> str:
    """One JSON array, one object per form found (README: JSON output)."""
    out = io.StringIO()
    write_json_array(out, (json_item(r, min_severity) for r in results if r.skipped is None))
    return out.getvalue()


def json_item(r: FormResult, min_severity: Severity = Severity.INFO) -> str:
    """One form's object as it stands in the array (UTF-8 text, indented two spaces).

    ``json.dumps`` escapes a line break inside a string, so every ``\n`` of its text
    ends a line of the layout (a text's U+2028 is left alone, as it must be).
    """
    text = json.dumps(r.to_dict(min_severity), ensure_ascii=False, indent=2)
    return "  " + text.replace("\n", "\n  ")


def write_json_array(out: IO[str], items: Iterable[str]) -> None:
    """``[`` items ``]`` as ``json.dumps(..., indent=2)`` lays out a list, item by item."""
    out.write("[")
    first = True
    for item in items:
        out.write("\n" if first else ",\n")
        out.write(item)
        first = False
    out.write("]" if first else "\n]")


def render_text(results: Iterable[FormResult], min_severity: Severity = Severity.INFO) -> str:
    """Findings grouped by form, each with its sheet!cell, then a one-line summary."""
    results = list(results)
    blocks = "".join(text_block(r, min_severity) for r in results)
    return blocks + summary_line(results)


def text_block(r: FormResult, min_severity: Severity = Severity.INFO) -> str:
    """One form's lines and the blank line after them."""
    return "\n".join(_form_block(r, min_severity)) + "\n\n"


def _form_block(r: FormResult, min_severity: Severity = Severity.INFO) -> list[str]:
    if r.skipped is not None:
        return [f"■ 跳过 {r.file}：{r.skipped}"]
    if r.workpaper:
        head = f"■ 复核底稿  {r.place}"
    elif r.form is None:
        head = f"■ {r.place}"
    else:
        totals = "，".join(f"{name} {shown}" for name, shown in r.totals)
        head = f"■ {project_title(r.form)}  {r.place}  总分：{totals}\n  {units_line(r.form)}"
    body = [
        f"  {_MARK[f.severity]} {f.severity.label} {f.code:<18} {_cell(f)}{f.message}"
        for f in r.shown_findings(min_severity)
    ]
    return [head, *(body if r.findings else ["  ✓ 未发现问题"])]


def _cell(f: Finding) -> str:
    return f"{where(f)}  " if f.cell else ""


def rendered(
    results: list[FormResult],
    fmt: str,
    min_severity: Severity,
    link_base: Path | None = None,
) -> tuple[list[Any], list[str]]:
    """One file's results in ``fmt`` (text, json or html; an HTML page's links are
    relative to ``link_base``, the folder it is saved in): the pieces, and the lines for
    stderr (a file skipped, which the text output shows in its place)."""
    if fmt == "text":
        return [text_block(r, min_severity) for r in results], []
    skipped = [f"跳过 {r.file}：{r.skipped}" for r in results if r.skipped is not None]
    kept = [r for r in results if r.skipped is None]
    if fmt == "json":
        return [json_item(r, min_severity) for r in kept], skipped
    links = Links(link_base)
    return [form_section(r, links, min_severity) for r in kept], skipped
