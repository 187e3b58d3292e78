"""The portfolio as one self-contained, offline, printable HTML page (Chinese).

Rendered by jinja2 with autoescape from ``selfeval/reports/templates/portfolio.html.j2``:
inline CSS, inline SVG charts, a small inline script to sort the table, no
external resource of any kind. The rows of the two tables that grow with the
folder (one per form, one per finding) are built here, every text passed through
``markupsafe.escape`` as autoescape would, at a fraction of the template's cost
per cell: the report must add little to the time of validating a thousand forms.
Codes, severities and numbers written unescaped come from our own tables.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from selfeval.form.codes import Code
from selfeval.form.findings import Finding
from selfeval.reports.links import Links
from selfeval.reports.places import where
from selfeval.reports.portfolio.charts import all_charts
from selfeval.reports.portfolio.columns import COLUMNS, Column, show
from selfeval.reports.portfolio.summary import Portfolio, Row
from selfeval.rules import crossform
from selfeval.writers.jinja import environment

if TYPE_CHECKING:
    import jinja2

HTML_COLUMNS = tuple(c for c in COLUMNS if c.key not in ("codes", "sheet"))
"""The HTML table leaves out 问题代码 (each form's findings follow) and 工作表 (shown with 文件)."""

TITLE = "绩效自评表汇总报告"


def _template() -> jinja2.Template:
    names = {"show": show, "code_label": lambda code: Code(code).label}
    env = environment("selfeval.reports", "templates", html=True, trim=True, names=names)
    return env.get_template("portfolio.html.j2")


class HtmlReport:
    """The report page. The rows that grow with the folder are rendered as the forms
    are checked; the page around them once all are in."""

    def __init__(self, link_base: Path | None = None) -> None:
        self._links = Links(link_base)
        self._rows: list[Markup] = []
        self._findings: list[Markup] = []

    def add(self, row: Row) -> None:
        self._rows.append(summary_row(row, self._links))
        self._findings.append(
            Markup("").join(finding_row(row, f, self._links) for f in row.findings)
        )

    def finish(self, portfolio: Portfolio) -> bytes:
        for index, found in portfolio.cross.findings.items():  # known only at the end
            row = portfolio.rows[index - 1]
            self._rows[index - 1] = summary_row(row, self._links)
            self._findings[index - 1] += Markup("").join(
                finding_row(row, f, self._links) for f in found
            )
        page = _template().render(
            title=TITLE,
            p=portfolio,
            columns=HTML_COLUMNS,
            charts=all_charts(portfolio),
            summary_rows=self._rows,
            finding_rows=self._findings,
            href=self._links.href,
            shown=self._links.shown,
            generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
            similarity=crossform.SIMILARITY,
            low_rate=f"{crossform.LOW_RATE:.0%}",
        )
        return page.encode("utf-8")


def summary_row(row: Row, links: Links) -> Markup:
    """One <tr> of the summary table (sortable: numbers carry their value in data-v)."""
    cls = "unreadable" if row.unreadable is not None else "flagged" if row.flags else ""
    cells = "".join(_summary_cell(c, row, links) for c in HTML_COLUMNS)
    return Markup(f'<tr id="row-{row.index}" class="{cls}">{cells}</tr>')


def _summary_cell(c: Column, row: Row, links: Links) -> str:
    value = c.value(row)
    text = escape(show(value, c.kind))
    if c.key == "project":
        return f'<td><a href="#form-{row.index}">{text}</a></td>'
    if c.key == "file":
        sheet = escape(f"［{row.sheet}］" if row.sheet else "")
        href, shown = escape(links.href(row.file)), escape(links.shown(row.file))
        return f'<td class="path"><a href="{href}">{shown}</a>{sheet}</td>'
    if c.kind == "text":
        return f'<td class="text">{text}</td>'
    cls = "num sev-error" if c.key == "errors" and value else "num"
    sort = "" if value is None or isinstance(value, str) else value
    return f'<td class="{cls}" data-v="{sort}">{text}</td>'


def finding_row(row: Row, f: Finding, links: Links) -> Markup:
    """One <tr> of a form's findings; the place links to the cell when one is known."""
    place = escape(where(f))
    if f.cell:
        place = f'<a href="{escape(links.href(row.file, f))}">{place}</a>'
    return Markup(
        f'<tr data-code="{f.code}"><td class="sev-{f.severity.value}">{f.severity.label}</td>'
        f"<td>{f.code}</td><td>{place}</td><td>{escape(f.message)}</td></tr>"
    )
