"""The portfolio as one self-contained, offline, printable HTML page (Chinese).

Rendered by jinja2 with autoescape from ``selfeval/report/portfolio.html.j2``:
inline CSS, inline SVG charts, a small inline script to sort the table, no
external resource of any kind.
"""

from __future__ import annotations

import os
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import quote

import jinja2

from selfeval.findings import Finding
from selfeval.portfolio.charts import all_charts
from selfeval.portfolio.columns import CODE_LABELS, COLUMNS, show, where
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
    links = Links(link_base)
    page = _template().render(
        title=TITLE,
        p=portfolio,
        columns=HTML_COLUMNS,
        charts=all_charts(portfolio),
        href=links.href,
        shown=links.shown,
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
    )
    return page.encode("utf-8")


class Links:
    """Links from the report to the forms' files, relative to the report's folder.

    Each file is worked out once (a report links to a file from several places),
    with plain path arithmetic: no file system call per link.
    """

    def __init__(self, link_base: Path | None) -> None:
        self.base = os.path.abspath(link_base or Path.cwd())
        self._cache: dict[str, tuple[str, str]] = {}

    def _get(self, file: str) -> tuple[str, str]:
        if file not in self._cache:
            path = os.path.abspath(file)
            try:
                rel = Path(os.path.relpath(path, self.base))
            except ValueError:  # another drive on Windows: no relative path exists
                self._cache[file] = (Path(path).as_uri(), file)
            else:
                shown = file if rel.parts[:1] == ("..",) else rel.as_posix()
                self._cache[file] = (quote(rel.as_posix()), shown)
        return self._cache[file]

    def shown(self, file: str) -> str:
        """The path as shown: relative to the report when it lies below the report's folder."""
        return self._get(file)[1]

    def href(self, file: str, finding: Finding | None = None) -> str:
        """A link to ``file``, with ``#'工作表'!单元格`` as Excel reads it when the
        finding has a cell."""
        url = self._get(file)[0]
        if finding is not None and finding.cell:
            sheet = f"'{finding.sheet}'!" if finding.sheet else ""
            url += "#" + quote(f"{sheet}{finding.cell}", safe="!'")
        return url
