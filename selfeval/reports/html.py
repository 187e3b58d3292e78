"""The validation report as one self-contained, printable HTML page (in Chinese).

One section per form with its findings; each cell reference links to the
workbook, relative to the report's folder (``表.xlsx#'自评表'!G21``, which Excel
opens at the cell), and shows the ``sheet!cell`` text for readers that do not
follow such links.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfeval.form.findings import Finding, Severity
from selfeval.pipeline.results import FormResult, project_title, summary_line, units_line
from selfeval.readers import WORKBOOK_SUFFIXES
from selfeval.reports.links import Links
from selfeval.reports.places import where
from selfeval.writers.jinja import environment

if TYPE_CHECKING:
    import jinja2


def render_html(
    results: Iterable[FormResult],
    link_base: Path | None = None,
    min_severity: Severity = Severity.INFO,
) -> str:
    """The report page for ``results`` (no scripts, no network); links to the workbooks
    are relative to ``link_base``, the folder the page is saved in (default: here)."""
    results = [r for r in results if r.skipped is None]
    links = Links(link_base)
    return html_page([form_section(r, links, min_severity) for r in results], summary_line(results))


def html_page(sections: list[dict[str, Any]], summary: str) -> str:
    """The page around the forms' sections (from :func:`form_section`)."""
    return _env().get_template("findings.html.j2").render(forms=sections, summary=summary)


def _env() -> jinja2.Environment:
    return environment("selfeval.reports", "templates", html=True, strict=False)


def form_section(
    r: FormResult, links: Links, min_severity: Severity = Severity.INFO
) -> dict[str, Any]:
    """One form's section of the page, as plain data (what a worker sends back)."""
    figures = []
    if r.analysis is not None:
        a = r.analysis
        if a.execution_rate is not None:
            figures.append(("计算执行率", f"{a.execution_rate:.2%}"))
        figures += [(f"总分（{name}）", shown) for name, shown in r.totals]
    return {
        "title": "复核底稿"
        if r.workpaper
        else "无法读取的文件"
        if r.form is None
        else project_title(r.form),
        "where": r.place,
        "units": units_line(r.form) if r.form is not None else "",
        "figures": figures,
        "findings": [_finding(f, r.file, links) for f in r.shown_findings(min_severity)],
    }


def _finding(f: Finding, file: str, links: Links) -> dict[str, Any]:
    return {
        "severity": f.severity.value if f.severity else "info",
        "label": f.severity.label if f.severity else "",
        "code": f.code,
        "place": where(f),
        "href": cell_link(file, f.sheet, f.cell, links) if f.cell else None,
        "message": f.message,
    }


def cell_link(file: str, sheet: str | None, cell: str, links: Links | None = None) -> str | None:
    """A link that Excel opens at ``sheet!cell``, relative to the folder of ``links``
    (default: here); None for non-workbook inputs."""
    if Path(file).suffix.lower() not in WORKBOOK_SUFFIXES:
        return None
    return (links or Links(None)).cell(file, sheet, cell)
