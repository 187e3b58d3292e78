"""One result per form found: the form, its findings and computed figures.

:func:`check_paths` is the pipeline every front end shares (CLI, report,
add-in): files -> readers -> forms -> rules. :meth:`FormResult.to_dict` is the
JSON contract documented in the README.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import Any

from selfeval import rules
from selfeval.analysis import Analysis, number
from selfeval.findings import Finding, Severity
from selfeval.model import Form
from selfeval.profiles import Profile
from selfeval.readers import Unreadable, expand_inputs, read_file
from selfeval.workpaper import Workpaper


@dataclass
class FormResult:
    """A checked form, or an input that yielded none (``form`` is None)."""

    file: str
    form: Form | None
    findings: list[Finding] = field(default_factory=list)
    analysis: Analysis | None = None
    workpaper: bool = False  # a filled 复核底稿 (no form): its findings are the reviewer's

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)

    @property
    def totals(self) -> list[tuple[str, str]]:
        """Both totals named plainly, for staff: 按填报得分 (the form's own indicator scores,
        the funds score recomputed: ``computed.total``) and 按规则应得 (what rescoring
        writes: ``computed.total_by_rules``), each as ``98.00（优）``."""
        a = self.analysis
        if a is None:
            return []
        pairs = (("按填报得分", a.total, a.grade), ("按规则应得", a.rules_total, a.rules_grade))
        return [(name, "—" if t is None else f"{t:.2f}（{g}）") for name, t, g in pairs]

    @property
    def unreadable(self) -> bool:
        return self.form is None and not self.workpaper

    @property
    def place(self) -> str:
        """Where the form was found, for staff: ``文件［工作表 第 N 行］``."""
        source = self.form.source if self.form is not None else None
        if source is None or not source.sheet:
            return self.file
        row = f" 第 {source.row} 行" if source.row else ""
        return f"{self.file}［{source.sheet}{row}］"

    def to_dict(self) -> dict[str, Any]:
        form, a = self.form, self.analysis
        source = {"file": self.file, "sheet": None, "row": None}
        if form is None or a is None:
            return {
                "source": source,
                "layout": "workpaper" if self.workpaper else None,
                "project": None,
                "stated": None,
                "computed": None,
                "findings": [f.to_dict() for f in self.findings],
            }
        source.update(sheet=form.source.sheet, row=form.source.row)
        return {
            "source": source,
            "layout": form.layout,
            "project": form.header.project,
            "stated": {
                "execution_rate": number(form.funds.total.stated_rate),
                "funds_score": number(form.funds.stated_score),
                "total": number(form.stated_total),
            },
            "computed": {
                "execution_rate": a.execution_rate,
                "funds_score": a.funds_score,
                "points_total": a.points_total,
                "total": a.total,
                "grade": a.grade,
                "total_by_rules": a.rules_total,
                "grade_by_rules": a.rules_grade,
                "rate_convention": a.rate_convention,
            },
            "findings": [f.to_dict() for f in self.findings],
        }


def project_title(form: Form) -> str:
    """The form's 项目名称 as a heading, or a note that it was left blank."""
    return form.header.project or "（未填项目名称）"


def summary_line(results: list[FormResult]) -> str:
    """``共 N 份：错误 X 项，警告 Y 项``, and how many files could not be read."""
    line = (
        f"共 {len(results)} 份：错误 {sum(r.errors for r in results)} 项，"
        f"警告 {sum(r.warnings for r in results)} 项"
    )
    unreadable = sum(r.unreadable for r in results)
    return line + (f"，{unreadable} 个文件无法读取" if unreadable else "")


def check_form(form: Form, profile: Profile, file: str | None = None) -> FormResult:
    findings, analysis = rules.check_form(form, profile)
    return FormResult(file or form.source.file or "", form, findings, analysis)


def unreadable_result(item: Unreadable) -> FormResult:
    finding = Finding(
        item.code, "file", sheet=item.sheet, params={"why": item.why}, found=item.file
    )
    return FormResult(item.file, None, [finding])


PARALLEL_FROM = 64
"""Folders of at least this many files are checked in worker processes, one per core."""


def check_paths(
    paths: Iterable[Path],
    profile: Profile,
    progress: Callable[[int, int, Path], None] | None = None,
    workers: int | None = None,
) -> Iterator[FormResult]:
    """Check every form in every file (folders searched recursively), in file order.

    ``workers`` > 1 reads files in that many processes (default: one per core for
    large folders); results still come back in file order.
    """
    files = list(expand_inputs(paths))
    if workers is None:
        workers = (os.cpu_count() or 1) if len(files) >= PARALLEL_FROM else 1
    if workers <= 1:
        yield from _collect(files, map(partial(check_file, profile=profile), files), progress)
        return
    pool = ProcessPoolExecutor(min(workers, len(files)))
    try:
        chunk = max(1, min(32, len(files) // (4 * workers)))
        results = pool.map(check_file, files, repeat(profile), chunksize=chunk)
        yield from _collect(files, results, progress)
    finally:
        pool.shutdown(cancel_futures=True)


def check_file(path: Path, profile: Profile) -> list[FormResult]:
    """Every form in one file, checked (an unreadable file gives one result saying why)."""
    return [
        unreadable_result(item)
        if isinstance(item, Unreadable)
        else workpaper_result(item)
        if isinstance(item, Workpaper)
        else check_form(item, profile, str(path))
        for item in read_file(path)
    ]


def workpaper_result(paper: Workpaper) -> FormResult:
    """A filled 复核 workpaper and the reviewer's mistakes found in it."""
    from selfeval.workpaper_check import check

    return FormResult(paper.file, None, check(paper), workpaper=True)


def _collect(
    files: list[Path],
    results: Iterable[list[FormResult]],
    progress: Callable[[int, int, Path], None] | None,
) -> Iterator[FormResult]:
    for n, (path, found) in enumerate(zip(files, results, strict=True), 1):
        if progress:
            progress(n, len(files), path)
        yield from found
