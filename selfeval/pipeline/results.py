"""One result per form found: the form, its findings and computed figures.

:func:`check_paths` is the pipeline every front end shares (CLI, report,
add-in): files -> readers -> forms -> rules. :meth:`FormResult.to_dict` is the
JSON contract documented in the README.

A folder is worked through one file at a time (:func:`map_files`), in worker
processes for large folders. A front end that prints or summarises passes its
own per-file function, so a worker sends back only that (text, a summary row),
and nothing but a :class:`Tally` of the counts grows with the folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from selfeval.errors import InputError
from selfeval.form import vocabulary as vocab
from selfeval.form.findings import Finding, Severity
from selfeval.form.model import Form
from selfeval.form.values import number
from selfeval.form.workpaper import Workpaper
from selfeval.profiles.policy import Profile, profile_from_settings
from selfeval.readers import OwnOutput, ReadResult, Unreadable, expand_inputs, read_file
from selfeval.rules import check as rules
from selfeval.rules.analysis import Analysis, recalculate
from selfeval.rules.workpaper import check

T = TypeVar("T")


@dataclass
class FormResult:
    """A checked form, or an input that yielded none (``form`` is None): unreadable,
    or ``skipped`` because selfeval wrote it (a report, a JSON result)."""

    file: str
    form: Form | None
    findings: list[Finding] = field(default_factory=list)
    analysis: Analysis | None = None
    workpaper: bool = False  # a filled 复核底稿 (no form): its findings are the reviewer's
    skipped: str | None = None
    """Why the file was not read as a form (it is one of our own outputs), else None."""

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
        return self.form is None and not self.workpaper and self.skipped is None

    @property
    def place(self) -> str:
        """Where the form was found, for staff: ``文件［工作表 第 N 行］``."""
        source = self.form.source if self.form is not None else None
        if source is None or not source.sheet:
            return self.file
        row = f" 第 {source.row} 行" if source.row else ""
        return f"{self.file}［{source.sheet}{row}］"

    def shown_findings(self, min_severity: Severity = Severity.INFO) -> list[Finding]:
        """The findings at ``min_severity`` or above (``--min-severity``), in order."""
        rank = SEVERITY_RANK[min_severity]
        return [f for f in self.findings if SEVERITY_RANK[f.severity] <= rank]  # type: ignore[index]

    def to_dict(self, min_severity: Severity = Severity.INFO) -> dict[str, Any]:
        """The JSON contract (docs/json-schema.md); numbers carry no float noise."""
        form, a = self.form, self.analysis
        source = {"file": self.file, "sheet": None, "row": None, "origin": None}
        findings = [_finding_dict(f) for f in self.shown_findings(min_severity)]
        if form is None or a is None:
            return {
                "source": source,
                "layout": "workpaper" if self.workpaper else None,
                "project": None,
                "header": None,
                "stated": None,
                "computed": None,
                "findings": findings,
            }
        source.update(sheet=form.source.sheet, row=form.source.row, origin=form.source.origin)
        header = form.header
        return {
            "source": source,
            "layout": form.layout,
            "project": header.project,
            "header": {
                "year": header.year,
                "project": header.project,
                "department": header.department,
                "implementer": header.implementer,
            },
            "stated": _rounded(
                {
                    "execution_rate": number(form.funds.total.stated_rate),
                    "funds_score": number(form.funds.stated_score),
                    "total": number(form.stated_total),
                }
            ),
            "computed": _rounded(
                {
                    "execution_rate": a.execution_rate,
                    "funds_score": a.funds_score,
                    "points_total": a.points_total,
                    "total": a.total,
                    "grade": a.grade,
                    "total_by_rules": a.rules_total,
                    "grade_by_rules": a.rules_grade,
                    "rate_convention": a.rate_convention,
                    "negative_formula": a.negative_formula,
                }
            ),
            "findings": findings,
        }


SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

JSON_DIGITS = 12
"""Significant digits of a number in JSON output: 0.6962999999999999 is written 0.6963,
while every amount a form can hold (up to 10¹⁰ 元 with 分) keeps all its digits."""


def _rounded(data: dict[str, Any]) -> dict[str, Any]:
    return {key: json_number(value) for key, value in data.items()}


def _finding_dict(finding: Finding) -> dict[str, Any]:
    """A finding's JSON object; only its expected and found values can be figures."""
    data = finding.to_dict()
    data["expected"] = json_number(data["expected"])
    data["found"] = json_number(data["found"])
    return data


def json_number(value: Any) -> Any:
    """A float without the noise of binary arithmetic; anything else as it is."""
    if type(value) is float and value == value and abs(value) != float("inf"):
        return float(f"{value:.{JSON_DIGITS}g}")
    return value


def project_title(form: Form) -> str:
    """The form's 项目名称 as a heading, or a note that it was left blank."""
    return form.header.project or vocab.UNNAMED_PROJECT


def units_line(form: Form) -> str:
    """``主管部门：某局；实施单位：某中心``, a blank one said as such, for grouping by unit."""
    h = form.header
    pairs = ((vocab.DEPARTMENT, h.department), (vocab.IMPLEMENTER, h.implementer))
    return "；".join(f"{label}：{value or '（未填）'}" for label, value in pairs)


@dataclass
class Tally:
    """What a summary line needs, added up file by file (all that grows is ``skipped``)."""

    forms: int = 0  # results, unreadable inputs included (``共 N 份``)
    errors: int = 0
    warnings: int = 0
    unreadable: int = 0
    skipped: int = 0

    def add(self, result: FormResult) -> None:
        if result.skipped is not None:
            self.skipped += 1
            return
        self.forms += 1
        self.errors += result.errors
        self.warnings += result.warnings
        self.unreadable += result.unreadable

    def merge(self, other: Tally) -> None:
        for name in ("forms", "errors", "warnings", "unreadable", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @classmethod
    def of(cls, results: Iterable[FormResult]) -> Tally:
        tally = cls()
        for r in results:
            tally.add(r)
        return tally

    def line(self) -> str:
        """``共 N 份：错误 X 项，警告 Y 项``, and how many files could not be read or were skipped."""
        line = f"共 {self.forms} 份：错误 {self.errors} 项，警告 {self.warnings} 项"
        if self.unreadable:
            line += f"，{self.unreadable} 个文件无法读取"
        if self.skipped:
            line += f"，跳过 {self.skipped} 个 selfeval 生成的文件"
        return line

    def status(self) -> int:
        """Exit status: 2 when a file could not be read or no form was found, 1 on errors."""
        if self.unreadable or not self.forms:
            return 2
        return 1 if self.errors else 0


def summary_line(results: Iterable[FormResult]) -> str:
    """``共 N 份：错误 X 项，警告 Y 项``, and how many files could not be read."""
    return Tally.of(results).line()


def judging_profile(form: Form, profile: Profile, override: bool = True) -> Profile:
    """The profile ``form`` is judged by: the one a template records, unless the user
    named one (``override``, ``--profile``); ``profile`` for a form that records none."""
    if override or not form.profile_settings:
        return profile
    return profile_from_settings(form.profile_settings)


def check_form(
    form: Form, profile: Profile, file: str | None = None, override: bool = True
) -> FormResult:
    """One form checked under :func:`judging_profile`."""
    findings, analysis = rules.run_rules(form, judging_profile(form, profile, override))
    return FormResult(file or form.source.file or "", form, findings, analysis)


def unreadable_result(item: Unreadable) -> FormResult:
    finding = Finding(
        item.code, "file", sheet=item.sheet, params={"why": item.why}, found=item.file
    )
    return FormResult(item.file, None, [finding])


PARALLEL_FROM = 64
"""Folders of at least this many files are checked in worker processes, one per core."""

NO_INPUT = "没有找到可读取的自评表文件（支持 .xlsx .xlsm .xls .ods .yaml .json）"


def input_files(paths: Iterable[Path]) -> list[Path]:
    """Every file to check (folders searched recursively); ValueError (Chinese) when none."""
    paths = list(paths)
    files = list(expand_inputs(paths))
    if not files:
        raise InputError(f"在 {'、'.join(map(str, paths))} 中{NO_INPUT}")
    return files


def check_paths(
    paths: Iterable[Path],
    profile: Profile,
    progress: Callable[[int, int, Path], None] | None = None,
    workers: int | None = None,
    override: bool = True,
) -> Iterator[FormResult]:
    """Check every form in every file (folders searched recursively), in file order.

    ``workers`` > 1 reads files in that many processes (default: one per core for
    large folders); results still come back in file order. ``override``: see
    :func:`judging_profile`.
    """
    files = list(expand_inputs(paths))
    work = partial(check_file, profile=profile, override=override)
    for found in map_files(files, work, progress, workers):
        yield from found


def map_files(
    files: list[Path],
    work: Callable[[Path], T],
    progress: Callable[[int, int, Path], None] | None = None,
    workers: int | None = None,
) -> Iterator[T]:
    """``work(file)`` for every file, in file order; in worker processes (one per core by
    default) for folders of :data:`PARALLEL_FROM` files or more. ``work`` must pickle
    (a module-level function or a ``partial`` of one), and so must what it returns:
    keep that small, it is all a worker sends back."""
    if workers is None:
        workers = (os.cpu_count() or 1) if len(files) >= PARALLEL_FROM else 1
    if workers <= 1 or len(files) <= 1:
        yield from _in_order(files, map(work, files), progress)
        return
    # Loads multiprocessing, which one file does not need (tests/test_startup_imports.py).
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(min(workers, len(files)))
    try:
        chunk = max(1, min(32, len(files) // (4 * workers)))
        yield from _in_order(files, pool.map(work, files, chunksize=chunk), progress)
    finally:
        pool.shutdown(cancel_futures=True)


def check_file(path: Path, profile: Profile, override: bool = True) -> list[FormResult]:
    """Every form in one file, checked (an unreadable file gives one result saying why)."""
    return [_result(item, path, profile, override) for item in read(path)]


def read(path: Path) -> list[ReadResult]:
    """What the readers find in one file, with every template formula no spreadsheet
    program has calculated given its value (:func:`calculated`)."""
    items = read_file(path)
    for item in items:
        if isinstance(item, Form):
            calculated(item)
    return items


def calculated(form: Form) -> Form:
    """``form`` with its uncalculated template formulas given what they compute under the
    profile the template records."""
    if form.formulas_uncached:
        recalculate(form, profile_from_settings(form.profile_settings))
    return form


def _result(
    item: Form | Unreadable | Workpaper | OwnOutput, path: Path, profile: Profile, override: bool
) -> FormResult:
    if isinstance(item, Unreadable):
        return unreadable_result(item)
    if isinstance(item, OwnOutput):
        return FormResult(item.file, None, skipped=item.why)
    if isinstance(item, Workpaper):
        return workpaper_result(item)
    return check_form(item, profile, str(path), override)


def workpaper_result(paper: Workpaper) -> FormResult:
    """A filled 复核 workpaper and the reviewer's mistakes found in it."""
    return FormResult(paper.file, None, check(paper), workpaper=True)


def _in_order(
    files: list[Path],
    results: Iterable[T],
    progress: Callable[[int, int, Path], None] | None,
) -> Iterator[T]:
    for n, (path, found) in enumerate(zip(files, results, strict=True), 1):
        if progress:
            progress(n, len(files), path)
        yield found


def profile_notes(forms: Iterable[Form], profile: Profile, verb: str = "校验") -> list[str]:
    """A line for each template built under another profile than ``profile`` (--profile)."""
    notes: list[str] = []
    for form in forms:
        if form.profile and form.profile != profile.name:
            note = (
                f"说明：{form.source.file or '该表'} 的模板按评分口径“{form.profile}”生成，"
                f"本次按“{profile.name}”{verb}（--profile）"
            )
            if note not in notes:
                notes.append(note)
    return notes
