"""Portfolio report (汇总报告): every form of a folder on one page.

Summary rows are computed once from the checked results (:func:`summarise`),
then rendered as HTML, CSV or xlsx::

    results = check_paths([folder], profile, progress)
    portfolio = summarise(results, profile)
    Path("汇总.html").write_bytes(render(portfolio, "html", link_base=Path(".")))
"""

from __future__ import annotations

from pathlib import Path

from selfeval.portfolio.summary import Portfolio, Row, summarise

FORMATS = ("html", "csv", "xlsx")


def render(portfolio: Portfolio, fmt: str, link_base: Path | None = None) -> bytes:
    """The report in ``fmt`` (html / csv / xlsx) as the bytes of the file to write."""
    if fmt == "html":
        from selfeval.portfolio.html import render_html

        return render_html(portfolio, link_base)
    from selfeval.portfolio.tables import render_csv, render_xlsx

    if fmt == "csv":
        return render_csv(portfolio)
    if fmt == "xlsx":
        return render_xlsx(portfolio)
    raise ValueError(f"不支持的报告格式“{fmt}”，可选：{'、'.join(FORMATS)}")


__all__ = ["FORMATS", "Portfolio", "Row", "render", "summarise"]
