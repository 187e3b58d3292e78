"""Portfolio report (汇总报告): every form of a folder on one page.

One summary row per form (:class:`Row`), computed once from the checked results;
each format is a writer that takes the rows as they come (``add``) and returns
the file's bytes at the end (``finish``), so a report of a large folder is
written while the folder is still being checked::

    results = check_paths([folder], profile, progress)
    portfolio, files = build(results, profile, ["html", "xlsx"], link_base=Path("."))
    Path("汇总.html").write_bytes(files["html"])

or, with the rows already summarised: ``render(summarise(results, profile), "csv")``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from selfeval.errors import InputError
from selfeval.pipeline.results import FormResult
from selfeval.profiles.policy import Profile
from selfeval.reports.portfolio.html import HtmlReport
from selfeval.reports.portfolio.summary import Collector, Portfolio, Row, kept, made, summarise
from selfeval.reports.portfolio.tables import CsvReport, XlsxReport
from selfeval.rules.crossform import FormRecord

FORMATS = ("html", "csv", "xlsx")


class ReportWriter(Protocol):
    def add(self, row: Row) -> None: ...

    def finish(self, portfolio: Portfolio) -> bytes: ...


def writer(fmt: str, link_base: Path | None = None) -> ReportWriter:
    """A new writer for ``fmt``; HTML links to the forms relative to ``link_base``."""
    if fmt == "html":
        return HtmlReport(link_base)
    if fmt == "csv":
        return CsvReport()
    if fmt == "xlsx":
        return XlsxReport()
    raise InputError(f"不支持的报告格式“{fmt}”，可选：{'、'.join(FORMATS)}")


def build(
    results: Iterable[FormResult],
    profile: Profile,
    formats: Iterable[str],
    link_base: Path | None = None,
) -> tuple[Portfolio, dict[str, bytes]]:
    """The portfolio and each report file, written as ``results`` arrive."""
    items = (made(result, profile) for result in kept(results))
    return build_rows(items, profile, formats, link_base)


def build_rows(
    items: Iterable[tuple[Row, FormRecord | None]],
    profile: Profile,
    formats: Iterable[str],
    link_base: Path | None = None,
) -> tuple[Portfolio, dict[str, bytes]]:
    """:func:`build` from rows and cross-form records already made (:func:`made`,
    numbered here, in order); each row is compacted once the writers have it, so the
    portfolio keeps no finding."""
    writers = {fmt: writer(fmt, link_base) for fmt in formats}
    collector = Collector(profile)
    for row, rec in items:
        collector.add(row, rec)
        for w in writers.values():
            w.add(row)
        row.compact()
    portfolio = collector.finish()
    return portfolio, {fmt: w.finish(portfolio) for fmt, w in writers.items()}


def render(portfolio: Portfolio, fmt: str, link_base: Path | None = None) -> bytes:
    """One report file of an already summarised portfolio."""
    w = writer(fmt, link_base)
    for row in portfolio.rows:
        w.add(row)
    return w.finish(portfolio)


__all__ = ["FORMATS", "Portfolio", "Row", "build", "build_rows", "render", "summarise", "writer"]
